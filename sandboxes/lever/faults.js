/**
 * Fault injection and the rate limit on /v1.
 *
 * - Injected faults: the next N requests answer 429 (Lever's rate limit, with
 *   no Retry-After since Lever documents none) or an error status, before
 *   authentication, like a gateway in front of the API would.
 * - The rate limit: Lever's documented 10 requests per second per API key,
 *   bursts up to 20, as a token bucket per key (shared/token-bucket.js), taken
 *   after authentication. Over the limit: 429, again with no Retry-After.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { ApiError, badRequest } = require('./errors');
const { clone } = require('../shared/json');
const { fullBucket, takeToken } = require('../shared/token-bucket');

/** @typedef {import('./state').Faults} Faults */
/** @typedef {import('./server').LeverFaults} FaultsInput */
/** @typedef {import('./server').LeverRateLimitInput} RateLimitInput */
/** @typedef {import('../shared/token-bucket').RateLimit} RateLimit */

/** Lever's documented limit: 10 requests per second per API key, bursts up to 20. */
const DEFAULT_RATE_LIMIT = Object.freeze({ perSecond: 10, burst: 20 });
const RATE_LIMIT_FIELDS = ['perSecond', 'burst', 'enabled'];

/**
 * Sets the counters given (the others stay), as POST /__sandbox/faults does.
 * @param {import('./state').LeverState} state
 * @param {FaultsInput} input
 * @returns {Faults} a copy of the counters now
 */
function setFaults(state, input) {
	if (input.failNext) {
		const count = Number(input.failNext.count ?? 1);
		const status = Number(input.failNext.status ?? 500);
		if (!Number.isInteger(count) || count < 0)
			throw badRequest('failNext.count must be a non-negative integer');
		if (!Number.isInteger(status) || status < 400 || status > 599)
			throw badRequest('failNext.status must be 400-599');
		state.faults.failNext = { count, status };
	}
	if (input.rateLimitNext) {
		const count = Number(input.rateLimitNext.count ?? 1);
		if (!Number.isInteger(count) || count < 0)
			throw badRequest('rateLimitNext.count must be a non-negative integer');
		state.faults.rateLimitNext = { count };
	}
	if (input.slowNext) state.faults.slowNext = readSlowNext(input.slowNext);
	return clone(state.faults);
}

/**
 * Validates slowNext: the next `count` requests whose path contains
 * `pathIncludes` (and whose JSON body contains `bodyIncludes`) are handled
 * only after `ms` (a slow network in front of Lever: the change lands late,
 * as a delayed request's would).
 * @param {any} input
 */
function readSlowNext(input) {
	const count = Number(input.count ?? 1);
	const ms = Number(input.ms ?? 1000);
	const pathIncludes = String(input.pathIncludes ?? '');
	const bodyIncludes = String(input.bodyIncludes ?? '');
	if (!Number.isInteger(count) || count < 0)
		throw badRequest('slowNext.count must be a non-negative integer');
	if (!Number.isInteger(ms) || ms < 0 || ms > 60000)
		throw badRequest('slowNext.ms must be an integer from 0 to 60000 (milliseconds)');
	return { count, ms, pathIncludes, bodyIncludes };
}

/**
 * Uses up one slowNext delay when the request matches; the milliseconds to wait (0: none).
 * @param {import('./state').LeverState} state
 * @param {string} path
 * @param {unknown} body the parsed JSON body, if any
 */
function takeDelay(state, path, body) {
	const slow = state.faults.slowNext;
	if (slow.count === 0 || !path.includes(slow.pathIncludes)) return 0;
	if (slow.bodyIncludes && !JSON.stringify(body ?? null).includes(slow.bodyIncludes)) return 0;
	slow.count -= 1;
	return slow.ms;
}

/**
 * Uses up one injected fault, rate limits first; null when none is pending.
 * @param {import('./state').LeverState} state
 * @returns {ApiError | null}
 */
function takeFault(state) {
	const { faults } = state;
	if (faults.rateLimitNext.count > 0) {
		faults.rateLimitNext.count -= 1;
		return new ApiError(
			429,
			'TooManyRequests',
			'Rate limit exceeded: 10 requests per second per API key',
		);
	}
	if (faults.failNext.count > 0) {
		faults.failNext.count -= 1;
		const status = faults.failNext.status;
		const code =
			status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalServerError' : 'BadRequest';
		return new ApiError(status, code, `Injected sandbox fault (${status})`);
	}
	return null;
}

/**
 * Takes a token from the bucket of `apiKey` (a full one for a key not seen
 * since the last reset or limit change); the 429 to answer when none is left,
 * else null. Counts the 429s.
 * @param {import('./state').LeverContext} ctx
 * @param {string} apiKey the authenticated key (Basic auth username)
 * @returns {ApiError | null}
 */
function takeRateLimitToken(ctx, apiKey) {
	const { state } = ctx;
	const limit = state.rateLimit;
	if (!limit) return null;
	const now = ctx.opts.clock();
	let bucket = state.buckets.get(apiKey);
	if (!bucket) {
		bucket = fullBucket(limit, now);
		state.buckets.set(apiKey, bucket);
	}
	if (takeToken(bucket, limit, now) === 0) return null;
	state.rateLimited += 1;
	return new ApiError(
		429,
		'TooManyRequests',
		`Rate limit exceeded: ${limit.perSecond} requests per second per API key, bursts up to ${limit.burst}. Wait and retry with backoff.`,
	);
}

/**
 * Validates a rate limit: `false`, `null` or `{enabled: false}` turn it off;
 * `{perSecond?, burst?}` sets it, a missing field keeping its current value
 * (Lever's when the limit is off).
 * @param {RateLimitInput | false | null | undefined} input
 * @param {RateLimit | null} current
 * @returns {RateLimit | null} null: off
 */
function readRateLimit(input, current) {
	if (input === false || input === null) return null;
	const shape =
		'give {"perSecond": n, "burst": n} to set the limit, or {"enabled": false} to switch it off';
	if (typeof input !== 'object' || Array.isArray(input))
		throw badRequest(`The rate limit must be an object: ${shape}`);
	const unknown = Object.keys(input).filter((k) => !RATE_LIMIT_FIELDS.includes(k));
	if (unknown.length) throw badRequest(`Unknown rate limit field ${unknown.join(', ')}: ${shape}`);
	const { perSecond, burst, enabled } = input;
	if (enabled !== undefined && typeof enabled !== 'boolean')
		throw badRequest(`enabled must be true or false (got ${JSON.stringify(enabled)})`);
	if (enabled === false) {
		if (perSecond !== undefined || burst !== undefined)
			throw badRequest('Give either {"enabled": false} or perSecond and burst, not both');
		return null;
	}
	if (perSecond === undefined && burst === undefined && enabled === undefined)
		throw badRequest(`Nothing to set: ${shape}`);
	const base = current ?? DEFAULT_RATE_LIMIT;
	const limit = { perSecond: perSecond ?? base.perSecond, burst: burst ?? base.burst };
	if (
		typeof limit.perSecond !== 'number' ||
		!Number.isFinite(limit.perSecond) ||
		limit.perSecond <= 0
	)
		throw badRequest(
			`perSecond must be a positive number (requests per second per API key), got ${JSON.stringify(perSecond)}`,
		);
	if (typeof limit.burst !== 'number' || !Number.isFinite(limit.burst) || limit.burst < 1)
		throw badRequest(
			`burst must be a number of at least 1 (requests a full bucket lets through at once), got ${JSON.stringify(burst)}`,
		);
	return limit;
}

/**
 * Sets or switches off the limit, as POST /__sandbox/rate-limit does. Every
 * key starts again from a full bucket; the count of 429s stays.
 * @param {import('./state').LeverState} state
 * @param {RateLimitInput | false | null} input
 * @returns {import('./server').LeverRateLimitState | null} as state().rateLimit shows it
 */
function setRateLimit(state, input) {
	state.rateLimit = readRateLimit(input, state.rateLimit);
	state.buckets = new Map();
	return state.rateLimitState();
}

module.exports = {
	takeDelay,
	DEFAULT_RATE_LIMIT,
	setFaults,
	takeFault,
	takeRateLimitToken,
	readRateLimit,
	setRateLimit,
};
