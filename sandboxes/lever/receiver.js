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

async function startReceiver(options = {}) {
	const host = options.host ?? '127.0.0.1';
	const path = options.path ?? '/hook';
	let statuses = Array.isArray(options.statuses) ? [...options.statuses] : [];
	let defaultStatus = options.defaultStatus ?? 200;
	const requests = [];
	const waiters = new Set();
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
			const status = statuses.length ? statuses.shift() : defaultStatus;
			requests.push({ method: req.method, path: req.url, headers: { ...req.headers }, body, json, status, receivedAt: Date.now() });
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
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address();
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
				const waiter = { count, resolve };
				waiter.timer = setTimeout(() => {
					waiters.delete(waiter);
					timers.delete(waiter.timer);
					reject(new Error(`Receiver got ${requests.length} of ${count} expected requests within ${timeoutMs} ms`));
				}, timeoutMs);
				timers.add(waiter.timer);
				waiters.add(waiter);
			});
		},
		close() {
			for (const t of timers) clearTimeout(t);
			timers.clear();
			waiters.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { startReceiver };
