'use strict';
const { stopInOrder } = require('../../../scripts/lib/stop');
/**
 * Shared by the queue suite's globalSetup and globalTeardown: progress lines and
 * `stopAll(shared)`, which stops sandboxes, n8n (webhook, worker, main), Redis and
 * Postgres in that order. Each stop is bounded; errors are logged, never thrown.
 */
function log(line) {
	process.stderr.write(`[e2e-queue] ${line}\n`);
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
	await stopInOrder(
		steps.map(([name, key, stop, ms]) => [name, shared[key] ? () => stop(shared[key]) : undefined, ms]),
		log,
	);
	for (const [, key] of steps) shared[key] = null;
	shared.n8n = null;
}

module.exports = { log, stopAll };
