'use strict';
/**
 * What the e2e test files use (they are .ts and may not touch process, fs or timers):
 *
 *   import { getE2E, postJson, pause } from './support/env';
 *   const e2e = getE2E();          // at module top level
 *   e2e.n8n                         // client of scripts/lib/n8n-instance.js (no stop())
 *   e2e.lever() / e2e.proforma()    // live sandbox handles; throw a clear error if absent
 *   e2e.leverUrl / e2e.proformaUrl  // base URLs for credentials (null if absent)
 *
 * The n8n client is rebuilt in the test's realm from the state globalSetup saved;
 * the sandbox handles are the live objects globalSetup started (same process with
 * --runInBand). Loading this module also reports failing tests to globalTeardown,
 * which then keeps n8n's log and prints where it is.
 */
const fs = require('node:fs');
const path = require('node:path');

const { connectN8n } = require('../../../scripts/lib/n8n-instance');
const { E2E_KEY, STATE_ENV, FAILURES_FILE } = require('./shared');

/** The live objects of globalSetup (null in a jest worker or outside jest). */
function liveShared() {
	return typeof process[E2E_KEY] === 'function' ? process[E2E_KEY]() : null;
}

function readState() {
	const shared = liveShared();
	if (shared && shared.state) return shared.state;
	const file = process.env[STATE_ENV];
	if (!file || !fs.existsSync(file)) {
		throw new Error(
			'The e2e environment is not running: run the e2e project through jest (`npx jest --selectProjects e2e --runInBand`), whose globalSetup starts n8n.',
		);
	}
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function sandbox(name, key, errorKey) {
	return () => {
		const shared = liveShared();
		if (shared && shared[key]) return shared[key];
		const state = readState();
		if (!shared) {
			throw new Error(`The ${name} sandbox handle is only available with --runInBand (it lives in the jest main process).`);
		}
		throw new Error(`The ${name} sandbox is not running: ${state[errorKey] || 'unknown reason'} (see the [e2e] lines of globalSetup).`);
	};
}

let cached = null;

/** The e2e environment started by globalSetup. */
function getE2E() {
	if (cached) return cached;
	const state = readState();
	cached = {
		n8n: connectN8n(state.n8n),
		leverUrl: state.lever ? state.lever.url : null,
		leverOrigin: state.lever ? state.lever.origin : null,
		proformaUrl: state.proforma ? state.proforma.url : null,
		lever: sandbox('Lever', 'lever', 'leverError'),
		proforma: sandbox('Proforma', 'proforma', 'proformaError'),
		tarball: state.tarball,
		root: state.root,
	};
	return cached;
}

/** POSTs JSON (or a raw string) and returns { status, body, text } without throwing on non-2xx. */
async function postJson(url, body, headers = {}) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
		signal: AbortSignal.timeout(30000),
	});
	const text = await res.text();
	let parsed = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		/* keep text */
	}
	return { status: res.status, body: parsed, text };
}

/** Waits `ms` milliseconds. */
function pause(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reports failing tests to globalTeardown (jest-circus event handlers of this test file). */
function trackFailures() {
	const symbol = Object.getOwnPropertySymbols(global).find((s) => s.description === 'EVENT_HANDLERS');
	const handlers = symbol && global[symbol];
	if (!Array.isArray(handlers)) return;
	handlers.push((event) => {
		let failure = null;
		if (event.name === 'test_done' && event.test.errors.length > 0) failure = testName(event.test);
		else if (event.name === 'hook_failure') failure = `${event.hook.type} hook`;
		if (failure === null) return;
		const shared = liveShared();
		if (shared) {
			shared.failures.push(failure);
			return;
		}
		// In a jest worker: through the state folder.
		try {
			fs.appendFileSync(path.join(readState().root, FAILURES_FILE), `${failure}\n`);
		} catch {
			/* best effort */
		}
	});
}

function testName(test) {
	const parts = [];
	for (let t = test; t && t.name !== 'ROOT_DESCRIBE_BLOCK'; t = t.parent) parts.unshift(t.name);
	return parts.join(' > ');
}

trackFailures();

/** E2E_TEMPLATE_LIFECYCLE=off: template.test.ts's second pass, progress and result tags off. */
function templateLifecycleOff() {
	return process.env.E2E_TEMPLATE_LIFECYCLE === 'off';
}

module.exports = { getE2E, postJson, pause, templateLifecycleOff };
