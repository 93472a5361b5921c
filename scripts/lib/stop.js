'use strict';
/**
 * Stopping what a run started, the one way the e2e suites and the demo do it:
 * each stop bounded in time, in order, errors logged and never hiding the next.
 */

/** `promise`, or a rejection naming `what` after `ms`. */
function bounded(promise, ms, what) {
	let timer;
	return Promise.race([
		Promise.resolve(promise),
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
		}),
	]).finally(() => clearTimeout(timer));
}

/**
 * Runs `steps` ([name, stop, ms]) in order; a missing `stop` is skipped. Never throws.
 * `log` gets one line per failed or late stop.
 */
async function stopInOrder(steps, log) {
	for (const [name, stop, ms = 30000] of steps) {
		if (typeof stop !== 'function') continue;
		try {
			await bounded(stop(), ms, `stopping ${name}`);
		} catch (error) {
			log(`while stopping ${name}: ${error.message}`);
		}
	}
}

module.exports = { bounded, stopInOrder };
