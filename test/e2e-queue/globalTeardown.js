'use strict';
/**
 * jest globalTeardown of the queue-mode e2e suite: stops the sandboxes, the three
 * n8n processes, Redis and Postgres (support/lifecycle.js, each stop bounded).
 * When a test failed or N8N_E2E_KEEP=1, the temp folder with the n8n logs is kept
 * and the tails of the worker's and webhook processor's logs are printed.
 */
const fs = require('node:fs');
const path = require('node:path');

const { tailFile } = require('../../scripts/lib/n8n-instance');
const { E2E_KEY, FAILURES_FILE } = require('../e2e/support/shared');
const { log, stopAll } = require('./support/lifecycle');

module.exports = async function globalTeardown() {
	const shared = typeof process[E2E_KEY] === 'function' ? process[E2E_KEY]() : null;
	if (!shared) return;
	const logs = shared.queue ? shared.queue.info.logs : null;
	await stopAll(shared);
	delete process[E2E_KEY];

	const fromWorkers = path.join(shared.root, FAILURES_FILE);
	if (fs.existsSync(fromWorkers)) shared.failures.push(...fs.readFileSync(fromWorkers, 'utf8').split('\n').filter(Boolean));
	const failed = shared.failures.length > 0;
	if (failed || process.env.N8N_E2E_KEEP === '1') {
		if (failed && logs) {
			log(`${shared.failures.length} queue e2e test(s) failed: ${shared.failures.slice(0, 5).join(' | ')}`);
			for (const name of ['webhook', 'worker']) log(`last lines of the n8n ${name} log:\n${tailFile(logs[name], 25)}`);
		}
		log(`n8n logs: ${logs ? Object.values(logs).join(', ') : '(n8n did not start)'}; everything kept in ${shared.root}`);
	} else {
		fs.rmSync(shared.root, { recursive: true, force: true });
	}
};
