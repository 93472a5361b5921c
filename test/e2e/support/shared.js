'use strict';
/**
 * Constants shared by the e2e globalSetup/globalTeardown and support/env.js.
 * Plain CommonJS (not linted): the .ts tests may not touch `process`.
 */

/** Property of `process` holding the live handles (n8n, sandboxes) during the run. */
const E2E_KEY = '__leverProformaE2E';
/** Env var naming the JSON state file written by globalSetup (for jest workers). */
const STATE_ENV = 'LEVER_PROFORMA_E2E_STATE';

/** File in the run's temp folder where jest workers record failing tests. */
const FAILURES_FILE = 'failures.txt';

/** Progress lines of the harness, on stderr so that they show during globalSetup. */
function log(line) {
	process.stderr.write(`[e2e] ${line}\n`);
}

module.exports = { E2E_KEY, STATE_ENV, FAILURES_FILE, log };
