/**
 * Fault injection and the rate limiter. The switches act like a flaky
 * gateway in front of the API, before authentication: the next N requests are
 * delayed, answered 429 with Retry-After, or answered 5xx. The token bucket
 * (10 requests/second, bursts to 20 by default) is the contract's own limit.
 * The callback switches (duplicate, out of order, dropped) act in callbacks.js.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { HttpError, intIn } = require('./errors');
const { DEFAULT_RATE_LIMIT, defaultFaults } = require('./state');
const { isObject } = require('./util');
const { fullBucket, takeToken } = require('../shared/token-bucket');

/** @typedef {import('./state').Faults} Faults */
/** @typedef {import('./state').ProformaState} ProformaState */

/**
 * The pending waits of the delayNext fault. Not on the sandbox's timer list:
 * reset releases them at once (the request then goes on), close drops them.
 */
function createDelays() {
	/** @type {Set<{ resolve: () => void, timer: NodeJS.Timeout }>} */
	const delays = new Set();
	return {
		/** @param {number} ms @returns {Promise<void>} */
		delay(ms) {
			return new Promise((resolve) => {
				const timer = setTimeout(() => {
					delays.delete(entry);
					resolve();
				}, ms);
				const entry = { resolve, timer };
				timer.unref();
				delays.add(entry);
			});
		},
		/** @param {boolean} run true: the delayed requests go on now; false: they never do */
		release(run) {
			for (const entry of delays) {
				clearTimeout(entry.timer);
				if (run) entry.resolve();
			}
			delays.clear();
		},
	};
}

/**
 * Applies the gateway faults to one API request, using up their counters.
 * @param {Faults} faults the switches as they were when the request arrived
 * @param {ReturnType<typeof createDelays>} delays
 * @param {() => boolean} isClosed
 * @returns {Promise<boolean>} false when the sandbox closed during a delay: no answer at all
 */
async function gatewayFaults(faults, delays, isClosed) {
	if (faults.delayNext.count > 0) {
		faults.delayNext.count--;
		await delays.delay(faults.delayNext.ms);
		if (isClosed()) return false;
	}
	if (faults.rateLimitNext.count > 0) {
		faults.rateLimitNext.count--;
		const s = faults.rateLimitNext.retryAfterSeconds;
		throw new HttpError(429, 'rate_limited', `Too many requests: retry after ${s} s.`, {
			headers: { 'Retry-After': String(s) },
		});
	}
	if (faults.failNext.count > 0) {
		faults.failNext.count--;
		const status = faults.failNext.status;
		throw new HttpError(
			status,
			status === 503 ? 'service_unavailable' : 'internal_error',
			status === 503
				? 'The service is temporarily unavailable; retry shortly.'
				: 'An internal error occurred; retry shortly.',
		);
	}
	return true;
}

/**
 * Takes one token from the bucket (shared/token-bucket.js), or answers 429 with
 * the seconds until one is back.
 * @param {ProformaState} state
 */
function takeRateLimitToken(state) {
	if (!state.rateLimit) return;
	const { perSecond, burst } = state.rateLimit;
	const wait = takeToken(state.bucket, state.rateLimit);
	if (wait > 0) {
		const s = Math.max(1, Math.ceil(wait));
		throw new HttpError(
			429,
			'rate_limited',
			`Rate limit of ${perSecond} requests/second (bursts to ${burst}) exceeded: retry after ${s} s.`,
			{ headers: { 'Retry-After': String(s) } },
		);
	}
}

/**
 * POST /__sandbox/faults: sets the switches given, in order (an invalid one
 * fails with 422 after the ones before it were set). A switch may be a count
 * or an object. Turning outOfOrderCallbacks off sends what is held.
 * @param {ProformaState} state
 * @param {import('./server').SandboxFaultsInput} body
 * @param {(rec: import('./state').OrderRecord) => void} flushHeld
 * @returns {Faults}
 */
function applyFaults(state, body, flushHeld) {
	if (body.clear === true) state.faults = defaultFaults();
	const g = state.faults;
	if (body.failNext !== undefined) {
		const v = counted(body.failNext);
		g.failNext = {
			count: intIn(v.count ?? 1, 'failNext.count', 0, 1000),
			status: intIn(v.status ?? 500, 'failNext.status', 500, 599),
		};
	}
	if (body.rateLimitNext !== undefined) {
		const v = counted(body.rateLimitNext);
		g.rateLimitNext = {
			count: intIn(v.count ?? 1, 'rateLimitNext.count', 0, 1000),
			retryAfterSeconds: intIn(
				v.retryAfterSeconds ?? 1,
				'rateLimitNext.retryAfterSeconds',
				0,
				86400,
			),
		};
	}
	if (body.delayNext !== undefined) {
		const v = counted(body.delayNext);
		g.delayNext = {
			count: intIn(v.count ?? 1, 'delayNext.count', 0, 1000),
			ms: intIn(v.ms ?? 15000, 'delayNext.ms', 0, 600000),
		};
	}
	if (body.duplicateCallbacks !== undefined)
		g.duplicateCallbacks = body.duplicateCallbacks === true;
	if (body.outOfOrderCallbacks !== undefined) {
		g.outOfOrderCallbacks = body.outOfOrderCallbacks === true;
		if (!g.outOfOrderCallbacks)
			for (const rec of state.orders.values()) if (rec.held.length) flushHeld(rec);
	}
	if (body.dropCallbacks !== undefined) g.dropCallbacks = dropCallbacksFrom(body.dropCallbacks);
	if (body.rateLimit !== undefined) setRateLimit(state, body.rateLimit);
	return state.faults;
}

/** @type {unknown[]} */
const EVENT_TYPES = ['order.created', 'order.status_changed', 'order.completed'];

/**
 * The dropCallbacks switch: `{ratio, types?}`, a bare ratio, or false (off).
 * Its counters start again from 0.
 * @param {unknown} value
 * @returns {Faults['dropCallbacks']}
 */
function dropCallbacksFrom(value) {
	if (value === false || value === null) return { ratio: 0, types: [], seen: 0, dropped: 0 };
	const v = isObject(value) ? value : { ratio: value };
	const ratio = Number(v.ratio);
	if (typeof v.ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
		throw new HttpError(
			422,
			'validation_failed',
			'dropCallbacks.ratio must be a number from 0 to 1 (0.1 drops every 10th callback; 0 or false turns it off).',
			{ details: [{ field: 'dropCallbacks.ratio', issue: 'invalid' }] },
		);
	}
	const types = v.types ?? [];
	if (!Array.isArray(types) || types.some((t) => !EVENT_TYPES.includes(t))) {
		throw new HttpError(
			422,
			'validation_failed',
			`dropCallbacks.types must be a list of event types (${EVENT_TYPES.join(', ')}); leave it out to drop from every type.`,
			{ details: [{ field: 'dropCallbacks.types', issue: 'invalid' }] },
		);
	}
	return { ratio, types: [...new Set(types)], seen: 0, dropped: 0 };
}

/**
 * Whether the dropCallbacks switch drops this event's callback (every copy of it).
 * Deterministic: of the events it applies to, the k-th is dropped whenever
 * floor(k × ratio) goes up, so 0.1 drops the 10th, 20th, 30th…
 * @param {Faults} faults
 * @param {import('./state').EventType} type
 */
function dropsCallback(faults, type) {
	const drop = faults.dropCallbacks;
	if (!drop || drop.ratio <= 0) return false;
	if (drop.types.length > 0 && !drop.types.includes(type)) return false;
	const perMillion = Math.round(drop.ratio * 1e6);
	drop.seen++;
	const dropped =
		Math.floor((drop.seen * perMillion) / 1e6) > Math.floor(((drop.seen - 1) * perMillion) / 1e6);
	if (dropped) drop.dropped++;
	return dropped;
}

/**
 * A switch given as a bare count means `{count}`.
 * @param {unknown} value
 * @returns {Record<string, any>}
 */
const counted = (value) => (isObject(value) ? value : { count: value });

/**
 * false or null turns the limiter off; an object sets it, with a full bucket.
 * Anything else leaves it as it is.
 * @param {ProformaState} state
 * @param {unknown} rateLimit
 */
function setRateLimit(state, rateLimit) {
	if (rateLimit === false || rateLimit === null) {
		state.rateLimit = false;
		return;
	}
	if (!isObject(rateLimit)) return;
	state.rateLimit = {
		perSecond: intIn(
			rateLimit.perSecond ?? DEFAULT_RATE_LIMIT.perSecond,
			'rateLimit.perSecond',
			1,
			100000,
		),
		burst: intIn(rateLimit.burst ?? DEFAULT_RATE_LIMIT.burst, 'rateLimit.burst', 1, 100000),
	};
	state.bucket = fullBucket(state.rateLimit);
}

module.exports = { createDelays, gatewayFaults, takeRateLimitToken, applyFaults, dropsCallback };
