'use strict';
/**
 * Shared by the queue suite's globalSetup and globalTeardown: progress lines and
 * `stopAll(shared)`, which stops sandboxes, n8n (webhook, worker, main), Redis and
 * Postgres in that order. Each stop is bounded; errors are logged, never thrown.
 */
function log(line) {
	process.stderr.write(`[e2e-queue] ${line}\n`);
}

function bounded(promise, ms, what) {
	let timer;
	return Promise.race([
		Promise.resolve(promise),
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
		}),
	]).finally(() => clearTimeout(timer));
}

async function stopAll(shared) {
	if (!shared) return;
	const steps = [
		['Lever sandbox', 'lever', (h) => h.close(), 30000],
		['Proforma sandbox', 'proforma', (h) => h.close(), 30000],
		['n8n (webhook, worker, main)', 'queue', (h) => h.stop(), 90000],
		['Redis', 'redis', (h) => h.stop(), 15000],
		['Postgres', 'postgres', (h) => h.stop(), 45000],
	];
	for (const [name, key, stop, ms] of steps) {
		const handle = shared[key];
		if (!handle) continue;
		try {
			await bounded(stop(handle), ms, `stopping ${name}`);
		} catch (error) {
			log(`while stopping ${name}: ${error.message}`);
		}
		shared[key] = null;
	}
	shared.n8n = null;
}

module.exports = { log, stopAll };
