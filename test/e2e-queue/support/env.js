'use strict';
/**
 * What the queue-mode tests import (they are .ts and may not touch process or fs):
 *
 *   import { getQueueE2E, postJson, pause } from './support/env';
 *   const e2e = getQueueE2E();
 *   e2e.n8n             // client of the main process whose webhook URLs are the webhook processor's
 *   e2e.main            // plain client of the main process (its own baseUrl)
 *   e2e.webhookBaseUrl  // http://127.0.0.1:<port> of `n8n webhook`
 *   e2e.lever() / e2e.proforma() / e2e.leverUrl / e2e.proformaUrl   // as in test/e2e
 *   e2e.logText('worker' | 'webhook' | 'main')
 *   e2e.executionIdsIn('worker', 'started')   // ids of "Worker started execution <id>" lines
 *   e2e.executionIdsIn('webhook', 'enqueued') // ids of "Enqueued execution <id>" lines
 *   e2e.processes()     // the live worker(s) and webhook processor: kill(), start(), restart()
 *                       // (only in the jest process that ran globalSetup: --runInBand)
 *
 * Built on test/e2e/support/env.js (same state file and failure reporting).
 */
const fs = require('node:fs');

const base = require('../../e2e/support/env');
const { connectN8n } = require('../../../scripts/lib/n8n-instance');
const { webhookProcessorClient } = require('../../../scripts/lib/n8n-queue');
const { E2E_KEY, STATE_ENV } = require('../../e2e/support/shared');

/** n8n 2.40.7 (scaling/job-processor.js, scaling/scaling.service.js) log lines. */
const PATTERNS = {
	started: /Worker started execution (\d+) \(job /g,
	finished: /Worker finished execution (\d+) \(job /g,
	enqueued: /Enqueued execution (\d+) \(job /g,
};

let cached = null;

function getQueueE2E() {
	if (cached) return cached;
	const e2e = base.getE2E();
	const state = JSON.parse(JSON.stringify(readQueueState()));
	const main = connectN8n(state.main);
	const logText = (name) => {
		const file = state.logs[name];
		if (!file)
			throw new Error(`No n8n log named ${name} (known: ${Object.keys(state.logs).join(', ')})`);
		return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	};
	cached = {
		...e2e,
		n8n: webhookProcessorClient(main, state.webhookBaseUrl),
		main,
		webhookBaseUrl: state.webhookBaseUrl,
		logs: state.logs,
		logText,
		executionIdsIn(name, kind) {
			const pattern = PATTERNS[kind];
			if (!pattern)
				throw new Error(
					`Unknown log line kind ${kind} (known: ${Object.keys(PATTERNS).join(', ')})`,
				);
			return [...logText(name).matchAll(pattern)].map((m) => m[1]);
		},
		processes,
	};
	return cached;
}

/** The live process handles of scripts/lib/n8n-queue.js, for fault tests. */
function processes() {
	const live = typeof process[E2E_KEY] === 'function' ? process[E2E_KEY]() : null;
	if (!live || !live.queue) {
		throw new Error(
			'The n8n processes can only be killed or restarted from the jest process that started them: run the queue suite with --runInBand.',
		);
	}
	return { workers: live.queue.workers, webhook: live.queue.webhook };
}

function readQueueState() {
	const live = typeof process[E2E_KEY] === 'function' ? process[E2E_KEY]() : null;
	const state =
		live && live.state ? live.state : JSON.parse(fs.readFileSync(process.env[STATE_ENV], 'utf8'));
	if (!state.queue) {
		throw new Error(
			'The queue-mode environment is not running: run `npx jest -c test/e2e-queue/jest.config.js --runInBand`.',
		);
	}
	return state.queue;
}

module.exports = { getQueueE2E, postJson: base.postJson, pause: base.pause };
