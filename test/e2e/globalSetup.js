'use strict';
/**
 * jest globalSetup of the e2e project (runs once, before any e2e test file).
 *
 * 1. Provides the pinned n8n runtime (first run: ~7 minutes, progress on stderr).
 * 2. `npm pack`s the built project (run `npm run build` first; `npm run test:e2e` does)
 *    and starts a fresh n8n in a temp user folder with the tarball installed as a
 *    community package (scripts/lib/n8n-instance.js).
 * 3. Starts the Lever and Proforma sandboxes in-process when their modules exist.
 * 4. Shares everything with the test files through test/e2e/support/env.js: a
 *    getter of the live handles on `process[E2E_KEY]` (same process with
 *    --runInBand) and a JSON state file (0600) named by
 *    `process.env.LEVER_PROFORMA_E2E_STATE`.
 *
 * Env: N8N_E2E_KEEP=1 keeps the temp folder (n8n.log, database) after the run.
 * If anything fails here, whatever was started is stopped before rethrowing.
 *
 * `setupE2E({ version, tmpPrefix, log })` is the same for other suites: the n8n 1.x
 * suite (test/e2e-v1/globalSetup.js) passes `version: '1'`.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureRuntime } = require('../../scripts/n8n-runtime');
const { startN8n, packPackage, RECOMMENDED_SETTINGS } = require('../../scripts/lib/n8n-instance');
const { E2E_KEY, STATE_ENV, log: sharedLog } = require('./support/shared');

const ROOT = path.resolve(__dirname, '..', '..');
const { buildState } = require('../../scripts/lib/build');

function checkBuild(log) {
	const { missing, stale } = buildState(ROOT);
	if (missing.length > 0) {
		throw new Error(
			`The package is not built (missing ${missing.join(', ')}). Run \`npm run build\` first (\`npm run test:e2e\` does).`,
		);
	}
	// Stale build: a source newer than its compiled file is worth a warning.
	if (stale)
		log(
			'warning: some sources are newer than dist/; run `npm run build` to test the current code.',
		);
}

async function startSandbox(name, modulePath, starter, options, log) {
	if (!fs.existsSync(modulePath)) {
		log(
			`${name} sandbox not found (${path.relative(ROOT, modulePath)}): tests that need it will fail.`,
		);
		return { handle: null, error: `${path.relative(ROOT, modulePath)} does not exist` };
	}
	try {
		const mod = require(modulePath);
		if (typeof mod[starter] !== 'function')
			throw new Error(`${modulePath} does not export ${starter}()`);
		const handle = await mod[starter](options);
		log(`${name} sandbox on ${handle.url}`);
		return { handle, error: null };
	} catch (error) {
		log(`${name} sandbox could not start: ${error.message}`);
		return { handle: null, error: error.message };
	}
}

/**
 * Starts the e2e environment. version: the n8n runtime ('2', default, or '1', see
 * scripts/n8n-runtime.js); tmpPrefix: of the temp folder; log: progress lines.
 */
async function setupE2E({ version = '2', tmpPrefix = 'n8n-e2e-', log = sharedLog } = {}) {
	const started = Date.now();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
	const shared = { root, n8n: null, lever: null, proforma: null, state: null, failures: [] };
	// jest deep-copies `process` into each test file's realm; functions survive the
	// copy by reference, so the tests reach the live objects through this getter.
	process[E2E_KEY] = () => shared;

	try {
		checkBuild(log);
		await ensureRuntime({ version, log });
		const tarball = await packPackage(ROOT, path.join(root, 'pack'), { log });
		shared.n8n = await startN8n({
			version,
			userFolder: path.join(root, 'n8n'),
			port: 0,
			packageTarball: tarball,
			// The settings the README recommends; the queue-mode suite runs n8n's defaults.
			env: RECOMMENDED_SETTINGS,
			log,
		});

		const lever = await startSandbox(
			'Lever',
			path.join(ROOT, 'sandboxes', 'lever', 'server.js'),
			'startLeverSandbox',
			{ port: 0, log: false },
			log,
		);
		shared.lever = lever.handle;
		const proforma = await startSandbox(
			'Proforma',
			path.join(ROOT, 'sandboxes', 'proforma', 'server.js'),
			'startProformaSandbox',
			{ port: 0, log: false, stepMs: Number(process.env.PROFORMA_STEP_MS || 500) },
			log,
		);
		shared.proforma = proforma.handle;

		const state = {
			root,
			n8n: shared.n8n.info,
			tarball,
			lever: lever.handle ? { url: lever.handle.url, origin: lever.handle.origin } : null,
			leverError: lever.error,
			proforma: proforma.handle ? { url: proforma.handle.url } : null,
			proformaError: proforma.error,
		};
		const stateFile = path.join(root, 'e2e-state.json');
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
		shared.state = state;
		process.env[STATE_ENV] = stateFile;
		log(`ready in ${Math.round((Date.now() - started) / 1000)} s; n8n log: ${shared.n8n.logFile}`);
	} catch (error) {
		log(`setup failed: ${error.message}`);
		await require('./globalTeardown').stopAll(shared);
		log(`files kept in ${root}`);
		throw error;
	}
}

module.exports = async function globalSetup() {
	await setupE2E();
};

module.exports.setupE2E = setupE2E;
