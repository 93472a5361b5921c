/**
 * Tiny webhook receiver for tests and demos of the Lever sandbox: records every
 * request (method, path, headers, raw body, parsed JSON) and answers with a
 * scripted sequence of status codes. TypeScript tests import it relatively
 * because `http` is a restricted import in linted .ts files.
 *
 *   const { startReceiver } = require('./sandboxes/lever/receiver');
 *   const rx = await startReceiver({ statuses: [500, 200] }); // then 200 forever
 *   rx.url; await rx.waitForRequests(2); rx.requests; await rx.close();
 *
 * Plain CommonJS, Node built-ins only. Binds 127.0.0.1.
 */
'use strict';

const http = require('node:http');

const { listen, closeServer } = require('../shared/http');

/** @typedef {import('./receiver').ReceivedRequest} ReceivedRequest */
/** @typedef {import('./receiver').Receiver} Receiver */
/** @typedef {{ count: number, resolve: (all: ReceivedRequest[]) => void, timer?: NodeJS.Timeout }} Waiter */

/**
 * @param {Parameters<typeof import('./receiver').startReceiver>[0]} [options]
 * @returns {Promise<Receiver>}
 */
async function startReceiver(options = {}) {
	const host = options.host ?? '127.0.0.1';
	const path = options.path ?? '/hook';
	let statuses = Array.isArray(options.statuses) ? [...options.statuses] : [];
	let defaultStatus = options.defaultStatus ?? 200;
	/** @type {ReceivedRequest[]} */
	const requests = [];
	/** @type {Set<Waiter>} */
	const waiters = new Set();
	/** @type {Set<NodeJS.Timeout | undefined>} */
	const timers = new Set();

	const notify = () => {
		for (const w of [...waiters]) {
			if (requests.length >= w.count) {
				waiters.delete(w);
				clearTimeout(w.timer);
				timers.delete(w.timer);
				w.resolve(requests.slice());
			}
		}
	};

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			let json;
			try {
				json = body ? JSON.parse(body) : undefined;
			} catch {
				json = undefined;
			}
			const status = statuses.length
				? /** @type {number | 'hang'} */ (statuses.shift())
				: defaultStatus;
			requests.push({
				method: /** @type {string} */ (req.method),
				path: /** @type {string} */ (req.url),
				headers: { ...req.headers },
				body,
				json,
				status,
				receivedAt: Date.now(),
			});
			if (status === 'hang') {
				// Never answer: exercises the sender's timeout.
				notify();
				return;
			}
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ received: true }));
			notify();
		});
	});
	const { port } = await listen(server, options.port ?? 0, host);
	const origin = `http://${host}:${port}`;

	return {
		url: `${origin}${path}`,
		origin,
		requests,
		/** Replace the scripted statuses (numbers, or 'hang' for no answer). */
		setStatuses(list, fallback) {
			statuses = [...list];
			if (fallback !== undefined) defaultStatus = fallback;
		},
		clear() {
			requests.length = 0;
		},
		/** Resolves with all requests once at least `count` arrived; rejects after `timeoutMs`. */
		waitForRequests(count, timeoutMs = 5000) {
			if (requests.length >= count) return Promise.resolve(requests.slice());
			return new Promise((resolve, reject) => {
				/** @type {Waiter} */
				const waiter = { count, resolve };
				waiter.timer = setTimeout(() => {
					waiters.delete(waiter);
					timers.delete(waiter.timer);
					reject(
						new Error(
							`Receiver got ${requests.length} of ${count} expected requests within ${timeoutMs} ms`,
						),
					);
				}, timeoutMs);
				timers.add(waiter.timer);
				waiters.add(waiter);
			});
		},
		close() {
			for (const t of timers) clearTimeout(t);
			timers.clear();
			waiters.clear();
			return closeServer(server);
		},
	};
}

// Checked against receiver.d.ts by the type check (sandboxes/tsconfig.json).
module.exports = /** @satisfies {typeof import('./receiver')} */ ({ startReceiver });
