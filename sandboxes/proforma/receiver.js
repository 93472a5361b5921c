/**
 * A tiny HTTP callback receiver for tests and demos of the Proforma sandbox: it
 * records every request (headers, raw body, parsed JSON) and answers with a
 * programmable status, optionally after a delay (to simulate "no answer").
 *
 *   const { startCallbackReceiver } = require('./sandboxes/proforma/receiver');
 *   const receiver = await startCallbackReceiver();
 *   receiver.respondWith([500, 503]);   // the next two requests fail, then 200
 *   receiver.respondWith(() => ({ status: 200, delayMs: 500 }));
 *   await receiver.waitFor((calls) => calls.length >= 3, 5000);
 *   await receiver.close();
 *
 * Binds 127.0.0.1. Plain CommonJS, Node built-ins only.
 */
'use strict';

const http = require('node:http');

const { listen, closeServer } = require('../shared/http');

/** @typedef {import('./receiver').ReceivedCallback} ReceivedCallback */
/** @typedef {import('./receiver').ReceiverAnswer} ReceiverAnswer */
/** @typedef {(entry: ReceivedCallback, index: number) => ReceiverAnswer} Responder */
/** @typedef {{ predicate: (received: ReceivedCallback[]) => boolean, resolve: (received: ReceivedCallback[]) => void, timer?: NodeJS.Timeout }} Waiter */

/**
 * @param {{port?: number, host?: string, path?: string}} [options]
 * @returns {Promise<import('./receiver').CallbackReceiver>}
 */
async function startCallbackReceiver(options = {}) {
	const host = options.host || '127.0.0.1';
	const path = options.path || '/callbacks/proforma';
	/** @type {ReceivedCallback[]} */
	const received = [];
	/** @type {Set<NodeJS.Timeout | undefined>} */
	const timers = new Set();
	/** @type {Set<Waiter>} */
	const waiters = new Set();
	/** @type {ReceiverAnswer[]} */
	let queue = [];
	/** @type {Responder | null} */
	let responder = null;

	/**
	 * @param {ReceivedCallback} entry
	 * @param {number} index
	 * @returns {ReceiverAnswer | undefined}
	 */
	function decide(entry, index) {
		if (queue.length) return queue.shift();
		if (responder) return responder(entry, index);
		return 200;
	}

	function notify() {
		for (const w of waiters) {
			let ok = false;
			try {
				ok = w.predicate(received);
			} catch {
				ok = false;
			}
			if (ok) {
				waiters.delete(w);
				clearTimeout(w.timer);
				timers.delete(w.timer);
				w.resolve(received);
			}
		}
	}

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try {
				body = JSON.parse(rawBody);
			} catch {
				body = null;
			}
			/** @type {ReceivedCallback} */
			const entry = {
				method: /** @type {string} */ (req.method),
				path: /** @type {string} */ (req.url),
				headers: { ...req.headers },
				rawBody,
				body,
				receivedAt: new Date().toISOString(),
				status: null,
			};
			const index = received.length;
			received.push(entry);
			const given = decide(entry, index);
			// The answer's own fields win over the defaults (even when it sets one to undefined).
			const decision = /** @type {{ status: number, delayMs: number, body?: unknown }} */ ({
				status: 200,
				delayMs: 0,
				...(typeof given === 'number' ? { status: given } : given || {}),
			});
			entry.status = decision.status;
			const answer = () => {
				if (res.destroyed) return;
				res.writeHead(decision.status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(decision.body === undefined ? { received: true } : decision.body));
			};
			if (decision.delayMs > 0) {
				const t = setTimeout(() => {
					timers.delete(t);
					answer();
				}, decision.delayMs);
				t.unref();
				timers.add(t);
			} else {
				answer();
			}
			notify();
		});
	});

	const { port } = await listen(server, options.port || 0, host);
	const base = `http://${host}:${port}`;

	return {
		/** Full callback URL to give to the sandbox. */
		url: `${base}${path}`,
		baseUrl: base,
		/** Every request received so far, oldest first. */
		received,
		/** Requests whose JSON body is an event (has id and type). */
		events: () => received.filter((r) => r.body && r.body.id && r.body.type),
		/**
		 * Programs the answers: an array of statuses (or {status, delayMs, body}) used
		 * one per request before falling back to 200, or a function (entry, index) => answer.
		 */
		respondWith(spec) {
			if (Array.isArray(spec)) {
				queue = spec.slice();
				responder = null;
			} else {
				queue = [];
				responder = typeof spec === 'function' ? spec : null;
			}
		},
		/** Resolves with `received` once predicate(received) is true; rejects after timeoutMs. */
		waitFor(predicate, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				if (predicate(received)) return resolve(received);
				/** @type {Waiter} */
				const w = { predicate, resolve };
				w.timer = setTimeout(() => {
					waiters.delete(w);
					timers.delete(w.timer);
					reject(
						new Error(
							`Callback receiver: condition not met within ${timeoutMs} ms (${received.length} requests received)`,
						),
					);
				}, timeoutMs);
				timers.add(w.timer);
				waiters.add(w);
			});
		},
		/** Forgets received requests and programmed answers. */
		clear() {
			received.length = 0;
			queue = [];
			responder = null;
		},
		close() {
			for (const t of timers) clearTimeout(t);
			timers.clear();
			for (const w of waiters) w.resolve(received);
			waiters.clear();
			return closeServer(server);
		},
	};
}

// Checked against receiver.d.ts by the type check (sandboxes/tsconfig.json).
module.exports = /** @satisfies {typeof import('./receiver')} */ ({ startCallbackReceiver });
