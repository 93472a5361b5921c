#!/usr/bin/env node
/**
 * Local Proforma sandbox: an in-memory simulator of the Proforma screening API
 * contract (docs/proforma-api.md, Part 1; the sandbox is documented in
 * docs/proforma-sandbox.md).
 *
 * - /v1/...          the contract (Bearer auth, packages, orders, reports, PDF)
 * - /portal/...      HTML pages a human reaches from the invitation and report links
 * - /__sandbox/...   control API (no auth, loopback only): state, reset, account
 *                    callback URL, fault switches, manual advance, clock
 *
 * Orders advance on a compressed clock; the candidate email's `+tag` picks the
 * outcome; callbacks are HMAC-signed and retried on a compressed schedule.
 *
 * Use from code:  const { startProformaSandbox } = require('./sandboxes/proforma/server');
 * Use as CLI:     node sandboxes/proforma/server.js [--port 4020] [--step-ms 2000] [--quiet]
 *
 * This file wires the modules next to it:
 *   state.js      what the sandbox holds, reset, the state snapshot
 *   http.js       the HTTP front: dispatch, error answers, request log
 *   routes.js     the API under /v1 (report.js: the report PDF)
 *   orders.js     validation, creation, invitations, the status steps on the clock
 *   callbacks.js  events and their signed callbacks (signature.js), retries
 *   faults.js     injected delays, 429s and 5xx; the rate limiter
 *   portal.js     the invitation and report pages
 *   control.js    the control API under /__sandbox
 *   errors.js     HttpError: the contract's error answers (util.js: ids, timestamps, checks)
 *   ../shared/    what both sandboxes use: bodies, JSON answers, listen/close, timers
 * Types: server.d.ts, checked against this code by `npx tsc -p sandboxes`.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const http = require('node:http');

const { PACKAGES } = require('./seed');
const { signPayload, verifySignature } = require('./signature');
const { DEFAULT_RATE_LIMIT, freshState, snapshot, stopAsyncWork, reset } = require('./state');
const { flushHeld } = require('./callbacks');
const { createDelays, applyFaults } = require('./faults');
const { handleApi } = require('./routes');
const { handlePortal } = require('./portal');
const { handleControl, setStepMs, advance, backdate } = require('./control');
const { createRequestListener } = require('./http');
const { createAsyncWork } = require('../shared/async-work');
const { listen, closeServer } = require('../shared/http');
const { clone } = require('../shared/json');

/** @typedef {import('./server').ProformaSandbox} ProformaSandbox */
/** @typedef {import('./server').ProformaSandboxOptions} ProformaSandboxOptions */
/** @typedef {import('./state').SandboxContext} SandboxContext */

const DEFAULT_API_KEY = 'sandbox-proforma-key';
const DEFAULT_SIGNING_SECRET = 'sandbox-signing-secret';
const DEFAULT_STEP_MS = 2000;
/** The contract's retry schedule: 1 min, 5 min, 30 min, 2 h, 6 h, 24 h. */
const CONTRACT_RETRY_SCHEDULE_MS = [60e3, 300e3, 1800e3, 7200e3, 21600e3, 86400e3];
/** One contract hour = one sandbox second: [17, 83, 500, 2000, 6000, 24000] ms, 32.6 s in all. */
const RETRY_SCALE = 3600;
const DEFAULT_CALLBACK_RETRY_SCHEDULE_MS = CONTRACT_RETRY_SCHEDULE_MS.map((ms) =>
	Math.round(ms / RETRY_SCALE),
);
const DEFAULT_CALLBACK_TIMEOUT_MS = 10000;

/**
 * Starts the sandbox. Resolves once it listens.
 * @param {ProformaSandboxOptions} [options] see docs/proforma-sandbox.md
 * @returns {Promise<ProformaSandbox>}
 */
async function startProformaSandbox(options = {}) {
	const config = resolveOptions(options);
	/** @type {SandboxContext} */
	const ctx = {
		config,
		state: freshState(config),
		// unref'd: a test that forgets close() does not keep Jest running.
		work: createAsyncWork({ unref: true }),
		delays: createDelays(),
		generation: 0,
		closed: false,
		baseUrl: '',
		log: prefixedLog(options.log),
	};
	const server = http.createServer(
		createRequestListener(ctx, { api: handleApi, portal: handlePortal, control: handleControl }),
	);
	const port = options.port === undefined ? 0 : Number(options.port);
	const addr = await listen(server, port, config.host);
	const host = config.host.includes(':') ? `[${config.host}]` : config.host;
	ctx.baseUrl = `http://${host}:${addr.port}`;
	return handleOf(ctx, server, addr.port);
}

/**
 * The object startProformaSandbox resolves with: the control API as functions.
 * @param {SandboxContext} ctx
 * @param {http.Server} server
 * @param {number} port
 * @returns {ProformaSandbox}
 */
function handleOf(ctx, server, port) {
	/** @type {Promise<void> | null} */
	let closing = null;
	return {
		url: ctx.baseUrl,
		port,
		apiKey: ctx.config.apiKey,
		signingSecret: ctx.config.signingSecret,
		state: () => snapshot(ctx),
		reset: () => reset(ctx),
		/** Sets the compressed clock (0 pauses automatic progress). */
		setStepMs: (ms) => setStepMs(ctx, Number(ms)),
		setAccountCallbackUrl: (u) => {
			ctx.state.account.callbackUrl = u || null;
		},
		setFaults: (f) => applyFaults(ctx.state, f || {}, (rec) => flushHeld(ctx, rec)),
		advance: (id, body = {}) => clone(advance(ctx, id, body)),
		/** Moves every date of an order `days` back (re-screening after N days). */
		backdate: (id, days) => clone(backdate(ctx, id, days)),
		close() {
			if (closing) return closing;
			ctx.closed = true;
			stopAsyncWork(ctx);
			ctx.delays.release(false);
			closing = closeServer(server);
			return closing;
		},
	};
}

/**
 * The options with their defaults.
 * @param {ProformaSandboxOptions} options
 * @returns {import('./state').Config}
 */
function resolveOptions(options) {
	const initialStepMs = options.stepMs === undefined ? DEFAULT_STEP_MS : Number(options.stepMs);
	if (!Number.isFinite(initialStepMs) || initialStepMs < 0)
		throw new Error('stepMs must be a number >= 0');
	return {
		host: options.host || '127.0.0.1',
		apiKey: options.apiKey || DEFAULT_API_KEY,
		signingSecret: options.signingSecret || DEFAULT_SIGNING_SECRET,
		initialStepMs,
		initialRateLimit:
			options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMIT, ...(options.rateLimit || {}) },
		retrySchedule: (options.callbackRetryScheduleMs || DEFAULT_CALLBACK_RETRY_SCHEDULE_MS).map(
			Number,
		),
		callbackTimeoutMs: Number(options.callbackTimeoutMs || DEFAULT_CALLBACK_TIMEOUT_MS),
	};
}

/**
 * @param {ProformaSandboxOptions['log']} option true: stdout; a function gets the lines
 * @returns {(line: string) => void}
 */
function prefixedLog(option) {
	/** @type {(line: string) => void} */
	let emitLine;
	if (typeof option === 'function') emitLine = option;
	else if (option === true) emitLine = (line) => console.log(line);
	else emitLine = () => {};
	return (line) => {
		try {
			emitLine(`[proforma-sandbox] ${line}`);
		} catch {
			/* a broken logger must not break the sandbox */
		}
	};
}

// ---------------------------------------------------------------- CLI

/**
 * @typedef {object} CliArgs
 * @property {number} [port]
 * @property {number} [stepMs]
 * @property {string} [apiKey]
 * @property {string} [signingSecret]
 * @property {string} [callbackUrl]
 * @property {false} [rateLimit]
 * @property {false} [log]
 * @property {true} [help]
 */

/**
 * @param {string[]} argv
 * @returns {CliArgs}
 */
function parseArgs(argv) {
	/** @type {CliArgs} */
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--port') out.port = Number(value());
		else if (flag === '--step-ms') out.stepMs = Number(value());
		else if (flag === '--api-key') out.apiKey = value();
		else if (flag === '--signing-secret') out.signingSecret = value();
		else if (flag === '--callback-url') out.callbackUrl = value();
		else if (flag === '--no-rate-limit') out.rateLimit = false;
		else if (flag === '--quiet') out.log = false;
		else if (flag === '--help' || flag === '-h') out.help = true;
		else throw new Error(`Unknown option ${a} (try --help)`);
	}
	return out;
}

/** @param {string[]} argv */
function runCli(argv) {
	let args;
	try {
		args = parseArgs(argv);
	} catch (e) {
		console.error(e.message);
		process.exit(2);
	}
	if (args.help) {
		console.log(
			'Usage: node sandboxes/proforma/server.js [--port 4020] [--step-ms 2000] [--api-key K] [--signing-secret S]\n' +
				'       [--callback-url URL] [--no-rate-limit] [--quiet]\nSee docs/proforma-sandbox.md.',
		);
		process.exit(0);
	}
	const port =
		args.port !== undefined ? args.port : Number(process.env.PROFORMA_SANDBOX_PORT || 4020);
	const { callbackUrl } = args;
	startProformaSandbox({
		port,
		stepMs: args.stepMs,
		apiKey: args.apiKey,
		signingSecret: args.signingSecret,
		rateLimit: args.rateLimit,
		log: args.log === undefined ? true : args.log,
	}).then(
		(sandbox) => {
			if (callbackUrl) sandbox.setAccountCallbackUrl(callbackUrl);
			printBanner(sandbox);
			stopOnSignals(sandbox);
		},
		(err) => {
			console.error(`Proforma sandbox failed to start: ${err.message}`);
			process.exit(1);
		},
	);
}

/**
 * What to type into n8n's Proforma credential.
 * @param {ProformaSandbox} sandbox
 */
function printBanner(sandbox) {
	console.log(`Proforma sandbox listening on ${sandbox.url}`);
	console.log(`  Base URL (credential):  ${sandbox.url}`);
	console.log(`  API key (Bearer):       ${sandbox.apiKey}`);
	console.log(`  Signing secret:         ${sandbox.signingSecret}`);
	console.log(`  Step:                   ${sandbox.state().stepMs} ms per status`);
	console.log(`  Control API:            ${sandbox.url}/__sandbox/state`);
}

/** @param {ProformaSandbox} sandbox */
function stopOnSignals(sandbox) {
	let stopping = false;
	/** @param {string} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping the Proforma sandbox`);
		sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

// Checked against server.d.ts by the type check (sandboxes/tsconfig.json).
module.exports = /** @satisfies {typeof import('./server')} */ ({
	startProformaSandbox,
	signPayload,
	verifySignature,
	PACKAGES,
	DEFAULT_API_KEY,
	DEFAULT_SIGNING_SECRET,
	DEFAULT_STEP_MS,
	CONTRACT_RETRY_SCHEDULE_MS,
	DEFAULT_CALLBACK_RETRY_SCHEDULE_MS,
});

if (require.main === module) runCli(process.argv.slice(2));
