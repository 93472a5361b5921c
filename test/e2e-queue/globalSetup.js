'use strict';
/**
 * jest globalSetup of the queue-mode e2e suite (test/e2e-queue/jest.config.js).
 *
 * 1. Checks the build and provides the pinned n8n runtime (scripts/n8n-runtime.js).
 * 2. Starts a throwaway Postgres and Redis (support/infra.js, Debian packages
 *    `postgresql` and `redis-server`) on free 127.0.0.1 ports.
 * 3. `npm pack`s the project and starts n8n in queue mode with it installed:
 *    main + worker + webhook processor (scripts/lib/n8n-queue.js).
 * 4. Starts the Lever and Proforma sandboxes in-process.
 * 5. Shares everything exactly like test/e2e/globalSetup.js (same E2E_KEY getter and
 *    state file), so test/e2e/support/env.js works here too; the queue-specific
 *    parts are under `state.queue` (see support/env.js).
 *
 * Env: N8N_E2E_KEEP=1 keeps the temp folder (the three n8n logs) after the run.
 * If anything fails here, whatever was started is stopped before rethrowing.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureRuntime } = require('../../scripts/n8n-runtime');
const { packPackage } = require('../../scripts/lib/n8n-instance');
const { startN8nQueue } = require('../../scripts/lib/n8n-queue');
const { buildState } = require('../../scripts/lib/build');
const { E2E_KEY, STATE_ENV } = require('../e2e/support/shared');
const { startPostgres, startRedis } = require('./support/infra');
const { log, stopAll } = require('./support/lifecycle');

const ROOT = path.resolve(__dirname, '..', '..');

async function startSandbox(name, file, starter, options) {
	const mod = require(path.join(ROOT, 'sandboxes', name, file));
	const handle = await mod[starter](options);
	log(`${name} sandbox on ${handle.url}`);
	return handle;
}

module.exports = async function globalSetup() {
	const started = Date.now();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-queue-'));
	const shared = { root, n8n: null, queue: null, postgres: null, redis: null, lever: null, proforma: null, state: null, failures: [] };
	process[E2E_KEY] = () => shared;

	try {
		const { missing } = buildState(ROOT);
		if (missing.length > 0) throw new Error(`The package is not built (missing ${missing.join(', ')}). Run \`npm run build\` first.`);
		await ensureRuntime({ log });
		shared.postgres = await startPostgres({ log });
		shared.redis = await startRedis({ root, log });
		const tarball = await packPackage(ROOT, path.join(root, 'pack'), { log });
		shared.queue = await startN8nQueue({ root, packageTarball: tarball, postgres: shared.postgres, redis: shared.redis, log });
		shared.n8n = shared.queue.main;

		shared.lever = await startSandbox('lever', 'server.js', 'startLeverSandbox', { port: 0, log: false });
		shared.proforma = await startSandbox('proforma', 'server.js', 'startProformaSandbox', {
			port: 0,
			log: false,
			stepMs: Number(process.env.PROFORMA_STEP_MS || 500),
		});

		const state = {
			root,
			n8n: shared.queue.info.main,
			queue: shared.queue.info,
			tarball,
			lever: { url: shared.lever.url, origin: shared.lever.origin },
			leverError: null,
			proforma: { url: shared.proforma.url },
			proformaError: null,
		};
		const stateFile = path.join(root, 'e2e-state.json');
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
		shared.state = state;
		process.env[STATE_ENV] = stateFile;
		log(`ready in ${Math.round((Date.now() - started) / 1000)} s; logs: ${Object.values(shared.queue.info.logs).join(', ')}`);
	} catch (error) {
		log(`setup failed: ${error.message}`);
		await stopAll(shared);
		log(`files kept in ${root}`);
		throw error;
	}
};
