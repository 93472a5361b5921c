'use strict';
/**
 * jest globalTeardown of the e2e project: stops n8n and the sandboxes started by
 * globalSetup (each stop is bounded, errors are logged and never hide the others).
 *
 * When a test failed (reported by support/env.js) or N8N_E2E_KEEP=1, the temp
 * folder is kept and the path of n8n's log is printed with its last lines;
 * otherwise the folder is deleted.
 */
const fs = require('node:fs');
const path = require('node:path');

const { tailFile } = require('../../scripts/lib/n8n-instance');
const { stopInOrder } = require('../../scripts/lib/stop');
const { E2E_KEY, FAILURES_FILE, log } = require('./support/shared');

/** Stops whatever `shared` holds; never throws. */
async function stopAll(shared) {
	if (!shared) return;
	const handle = (h, stop) => (h ? () => stop(h) : undefined);
	await stopInOrder(
		[
			['the Lever sandbox', handle(shared.lever, (h) => h.close())],
			['the Proforma sandbox', handle(shared.proforma, (h) => h.close())],
			['the n8n', handle(shared.n8n, (h) => h.stop())],
		],
		log,
	);
	shared.lever = null;
	shared.proforma = null;
}

module.exports = async function globalTeardown() {
	const shared = typeof process[E2E_KEY] === 'function' ? process[E2E_KEY]() : null;
	if (!shared) return;
	const logFile = shared.n8n && shared.n8n.logFile;
	await stopAll(shared);
	delete process[E2E_KEY];

	const fromWorkers = path.join(shared.root, FAILURES_FILE);
	if (fs.existsSync(fromWorkers)) {
		shared.failures.push(...fs.readFileSync(fromWorkers, 'utf8').split('\n').filter(Boolean));
	}
	const failed = shared.failures.length > 0;
	if (failed || process.env.N8N_E2E_KEEP === '1') {
		if (failed) {
			log(`${shared.failures.length} e2e test(s) failed: ${shared.failures.slice(0, 5).join(' | ')}`);
			if (logFile) log(`last lines of n8n's log:\n${tailFile(logFile, 40, { sinceLastStart: true })}`);
		}
		log(`n8n's log: ${logFile || '(n8n did not start)'}; everything kept in ${shared.root}`);
	} else {
		fs.rmSync(shared.root, { recursive: true, force: true });
	}
};

module.exports.stopAll = stopAll;
