/**
 * The timers and outgoing requests a sandbox has pending (the compressed
 * clock, delivery retries, timeouts, deliveries on the wire), kept in one place
 * so that reset() and close() stop every one of them: nothing from before a
 * reset then fires into the fresh state, and nothing keeps a closed sandbox's
 * process alive.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

/**
 * @typedef {object} AsyncWork
 * @property {(fn: () => void, ms: number) => NodeJS.Timeout} later runs `fn` after `ms` unless stop() comes first
 * @property {(timer: NodeJS.Timeout | null | undefined) => void} cancel
 * @property {(req: import('node:http').ClientRequest) => void} track a request on the wire
 * @property {(req: import('node:http').ClientRequest) => void} untrack a request that got its answer
 * @property {(reason?: string) => void} stop clears every timer and destroys every tracked request
 *   (with an Error of `reason` when given)
 */

/**
 * @param {{ unref?: boolean }} [options] unref: the timers do not keep Node
 *   running (the Proforma sandbox's, so Jest exits even if a test forgets close())
 * @returns {AsyncWork}
 */
function createAsyncWork({ unref = false } = {}) {
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	/** @type {Set<import('node:http').ClientRequest>} */
	const requests = new Set();
	return {
		later(fn, ms) {
			const timer = setTimeout(
				() => {
					timers.delete(timer);
					fn();
				},
				Math.max(0, ms),
			);
			if (unref) timer.unref();
			timers.add(timer);
			return timer;
		},
		cancel(timer) {
			if (!timer) return;
			clearTimeout(timer);
			timers.delete(timer);
		},
		track(req) {
			requests.add(req);
		},
		untrack(req) {
			requests.delete(req);
		},
		stop(reason) {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const req of requests) req.destroy(reason === undefined ? undefined : new Error(reason));
			requests.clear();
		},
	};
}

module.exports = { createAsyncWork };
