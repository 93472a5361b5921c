#!/usr/bin/env node
/**
 * Local Lever sandbox: a faithful, in-memory stand-in for the parts of Lever's
 * Data API (https://api.lever.co/v1) and webhooks that this package uses.
 *
 *   const { startLeverSandbox, SEED } = require('./sandboxes/lever/server');
 *   const lever = await startLeverSandbox({ port: 0, seed: true, log: false });
 *   lever.url     // http://127.0.0.1:PORT/v1 (the credential's custom Base URL)
 *   await lever.close();
 *
 * CLI: node sandboxes/lever/server.js [--port 4010] [--api-key KEY] [--no-seed] [--no-rate-limit] [--quiet]
 *
 * Lever's documented rate limit is on by default: 10 requests per second per
 * API key, bursts up to 20, then 429 with no Retry-After (option `rateLimit`,
 * `--no-rate-limit`, POST /__sandbox/rate-limit).
 *
 * This file wires the modules next to it:
 *   state.js          records (seed.js), webhooks, deliveries, request log, reset
 *   http.js           the HTTP front: parsing, faults, auth and the rate limit on /v1, request log
 *   routes.js         the API under /v1 (query.js, render.js: Lever's list and record shapes)
 *   opportunities.js  candidate changes (one or a bulk stage move) and the webhook events they fire
 *   webhooks.js       events, registration, signatures
 *   deliveries.js     signed webhook deliveries, retries, bulk concurrency, ping, rerun, summary
 *   faults.js         injected 429s and errors; the rate limit per API key
 *   control.js        the control API under /__sandbox
 *   errors.js         ApiError: Lever's {code, message} answers
 *   ../shared/        what both sandboxes use: bodies, JSON answers, listen/close, timers, token bucket
 * Types: server.d.ts, checked against this code by `npx tsc -p sandboxes`.
 *
 * Plain CommonJS, Node 20 built-ins only. Binds 127.0.0.1. Semantics and the
 * control API (/__sandbox/...) are described in docs/lever-sandbox.md.
 */
'use strict';

const http = require('node:http');

const { SEED } = require('./seed');
const { LeverState, reset } = require('./state');
const { WEBHOOK_EVENTS, signPayload, validateWebhookInput, createWebhook } = require('./webhooks');
const { pingWebhook, rerunDelivery, summarizeDeliveries } = require('./deliveries');
const {
	changeStage,
	changeArchived,
	bulkMoveToStage,
	createOpportunity,
	deleteOpportunity,
} = require('./opportunities');
const { DEFAULT_RATE_LIMIT, readRateLimit, setFaults, setRateLimit } = require('./faults');
const { createRequestListener } = require('./http');
const { renderOpportunity } = require('./render');
const { createAsyncWork } = require('../shared/async-work');
const { listen, closeServer } = require('../shared/http');
const { clone } = require('../shared/json');

/** @typedef {import('./server').LeverSandbox} LeverSandbox */
/** @typedef {import('./server').LeverSandboxOptions} LeverSandboxOptions */

const DEFAULT_RETRY_SCHEDULE_MS = [1000, 2000, 4000, 8000, 16000];
const DEFAULT_WEBHOOK_TIMEOUT_MS = 10000;

/**
 * Starts the sandbox; resolves once it listens.
 * @param {LeverSandboxOptions} [options] see server.d.ts
 * @returns {Promise<LeverSandbox>}
 */
async function startLeverSandbox(options = {}) {
	const opts = resolveOptions(options);
	/** @type {import('./state').LeverContext} */
	const ctx = {
		state: new LeverState({ seed: opts.seed, rateLimit: opts.rateLimit }),
		opts,
		work: createAsyncWork(),
		log: lineWriter(options.log),
		closed: false,
		origin: '',
	};
	const server = http.createServer(createRequestListener(ctx));
	const address = await listen(server, opts.port, opts.host);
	const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	ctx.origin = `http://${hostForUrl}:${address.port}`;
	return handleOf(ctx, server, address.port);
}

/**
 * The object startLeverSandbox resolves with: the control API as functions.
 * @param {import('./state').LeverContext} ctx
 * @param {http.Server} server
 * @param {number} port
 * @returns {LeverSandbox}
 */
function handleOf(ctx, server, port) {
	const { state } = ctx;
	return {
		url: `${ctx.origin}/v1`,
		origin: ctx.origin,
		port,
		apiKey: ctx.opts.apiKey,
		SEED,
		state: () => state.snapshot(),
		reset: (o) => reset(ctx, o),
		/** Same as POST /__sandbox/opportunities/:id/stage (a recruiter moving the candidate in Lever's UI). */
		moveToStage: (opportunityId, stageId, performAs = SEED.users.riley) =>
			changeStage(ctx, state.opportunity(opportunityId), stageId, performAs),
		/** Same as POST /__sandbox/opportunities/bulk-stage (Lever's bulk action). */
		bulkMoveToStage: (opportunityIds, stageId, options = {}) =>
			bulkMoveToStage(ctx, opportunityIds, stageId, options),
		/** Same as POST /__sandbox/webhooks (manual registration in Lever's settings page). */
		registerWebhook: ({ url, event, conditions }) => {
			const input = validateWebhookInput(
				{ url, event, conditions },
				{ requireConfigurationShape: false },
			);
			const w = createWebhook(state.webhooks, input, 'settings');
			return { id: w.id, signatureToken: w.signatureToken };
		},
		createOpportunity: (input) => renderOpportunity(state.db, createOpportunity(ctx, input).opp),
		/** Same as POST /__sandbox/opportunities/:id/archived: a reason id archives, null unarchives. */
		archive: (opportunityId, reason) =>
			changeArchived(ctx, state.opportunity(opportunityId), reason),
		/** Same as DELETE /__sandbox/opportunities/:id. */
		deleteOpportunity: (opportunityId) => deleteOpportunity(ctx, state.opportunity(opportunityId)),
		rerunDelivery: async (deliveryId) => clone((await rerunDelivery(ctx, deliveryId)).record),
		pingWebhook: async (webhookId) => clone(await pingWebhook(ctx, webhookId)),
		setFaults: (input) => setFaults(state, input),
		/** Same as POST /__sandbox/rate-limit; false switches the limit off. */
		setRateLimit: (config) => setRateLimit(state, config),
		/** Same as GET /__sandbox/deliveries/summary. */
		deliverySummary: () => summarizeDeliveries(state.deliveries),
		waitFor: (predicate, timeoutMs, intervalMs) => waitFor(ctx, predicate, timeoutMs, intervalMs),
		close: async () => {
			if (ctx.closed) return;
			ctx.closed = true;
			ctx.work.stop('Lever sandbox stopped');
			await closeServer(server);
		},
	};
}

/**
 * The options with their defaults; the sandbox binds loopback addresses only.
 * @param {LeverSandboxOptions} options
 * @returns {import('./state').LeverOptions}
 */
function resolveOptions(options) {
	const opts = {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		apiKey: options.apiKey ?? SEED.apiKey,
		extraApiKeys: Array.isArray(options.extraApiKeys) ? options.extraApiKeys.map(String) : [],
		seed: options.seed !== false,
		rateLimit: rateLimitOption(options.rateLimit),
		clock: typeof options.clock === 'function' ? options.clock : Date.now,
		webhookRetryScheduleMs: Array.isArray(options.webhookRetryScheduleMs)
			? options.webhookRetryScheduleMs.map(Number)
			: DEFAULT_RETRY_SCHEDULE_MS,
		webhookTimeoutMs: options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
	};
	if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
		throw new Error(`The Lever sandbox binds to loopback only (got host ${opts.host})`);
	}
	return opts;
}

/**
 * The `rateLimit` option: Lever's limit when not given, off with false, else
 * Lever's numbers overridden by the ones given.
 * @param {LeverSandboxOptions['rateLimit']} option
 * @returns {import('./state').LeverOptions['rateLimit']}
 */
function rateLimitOption(option) {
	if (option === false) return null;
	try {
		return readRateLimit({ ...DEFAULT_RATE_LIMIT, ...(option || {}) }, null);
	} catch (err) {
		throw new Error(`Lever sandbox option rateLimit: ${err.message}`);
	}
}

/**
 * @param {LeverSandboxOptions['log']} option true: stdout; a function gets the lines
 * @returns {(line: string) => void}
 */
function lineWriter(option) {
	if (typeof option === 'function') return option;
	return option ? (line) => process.stdout.write(`${line}\n`) : () => {};
}

/**
 * Polls `predicate(state())` until it returns a truthy value.
 * @template T
 * @param {import('./state').LeverContext} ctx
 * @param {(state: import('./server').LeverSandboxState) => T | undefined | null | false} predicate
 * @returns {Promise<T>}
 */
async function waitFor(ctx, predicate, timeoutMs = 5000, intervalMs = 10) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = predicate(ctx.state.snapshot());
		if (value) return value;
		if (ctx.closed) throw new Error('Lever sandbox closed while waiting');
		if (Date.now() > deadline)
			throw new Error(`Lever sandbox: condition not met within ${timeoutMs} ms`);
		// Not tracked with the sandbox's timers: reset() must not strand a waiter.
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/**
 * `node sandboxes/lever/server.js [--port 4010] [--api-key KEY] [--no-seed] [--no-rate-limit] [--quiet]`
 * @param {string[]} args
 */
function runCli(args) {
	/** @param {string} name */
	const arg = (name) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	const port = Number(arg('--port') ?? process.env.LEVER_SANDBOX_PORT ?? 4010);
	const apiKey = arg('--api-key') ?? SEED.apiKey;
	startLeverSandbox({
		port,
		apiKey,
		seed: !args.includes('--no-seed'),
		rateLimit: args.includes('--no-rate-limit') ? false : undefined,
		log: !args.includes('--quiet'),
	})
		.then((lever) => {
			printBanner(lever);
			const stop = () => {
				lever.close().then(() => process.exit(0));
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((err) => {
			process.stderr.write(`Could not start the Lever sandbox: ${err.message}\n`);
			process.exit(1);
		});
}

/**
 * What to type into n8n's Lever credential, and the seed ids.
 * @param {LeverSandbox} lever
 */
function printBanner(lever) {
	/** @param {string} line */
	const out = (line) => process.stdout.write(`${line}\n`);
	/** @param {Record<string, string>} ids */
	const pairs = (ids) =>
		Object.entries(ids)
			.map(([k, v]) => `${k}=${v}`)
			.join(', ');
	out(`Lever sandbox running`);
	out(`  Base URL (credential "Custom" environment): ${lever.url}`);
	out(`  API key (Basic auth username, empty password): ${lever.apiKey}`);
	out(`  Control API: ${lever.origin}/__sandbox/state`);
	const limit = lever.state().rateLimit;
	out(
		limit
			? `  Rate limit: ${limit.perSecond} requests/s per API key, bursts up to ${limit.burst} (--no-rate-limit turns it off)`
			: '  Rate limit: off',
	);
	out(`  Stages: ${pairs(SEED.stages)}`);
	out(`  Postings: ${pairs(SEED.postings)}`);
	out(`  Opportunities: ${Object.values(SEED.opportunities).join(', ')}`);
	out(
		`  Users: ${Object.values(SEED.users).join(', ')}; archive reasons: ${Object.values(SEED.archiveReasons).join(', ')}`,
	);
	out('Press Ctrl-C to stop.');
}

// Checked against server.d.ts by the type check (sandboxes/tsconfig.json).
module.exports = /** @satisfies {typeof import('./server')} */ ({
	startLeverSandbox,
	SEED,
	signPayload,
	WEBHOOK_EVENTS,
});

if (require.main === module) runCli(process.argv.slice(2));
