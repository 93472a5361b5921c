'use strict';
/**
 * jest globalSetup of the n8n 1.x e2e suite (test/e2e-v1/jest.config.js): the same
 * environment as test/e2e/globalSetup.js (packed package installed as a community
 * package, Lever and Proforma sandboxes, state shared through test/e2e/support/env.js),
 * but in n8n 1.123.81 on Node 22. The first run installs that runtime into
 * ~/.cache/n8n-nodes-lever-proforma/n8n-1.123.81 (a few minutes; progress on stderr).
 * Temp folder: $TMPDIR/n8n-e2e-v1-XXXX (kept on failure or with N8N_E2E_KEEP=1).
 */
const { setupE2E } = require('../e2e/globalSetup');

function log(line) {
	process.stderr.write(`[e2e-v1] ${line}\n`);
}

module.exports = async function globalSetup() {
	await setupE2E({ version: '1', tmpPrefix: 'n8n-e2e-v1-', log });
};
