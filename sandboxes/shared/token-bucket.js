/**
 * The token bucket both sandboxes limit their APIs with (Proforma's contract
 * limit, Lever's documented limit per API key): a full bucket holds `burst`
 * tokens, it refills at `perSecond` tokens a second, and every request takes
 * one token. The bucket is a plain record the caller keeps (one per API key,
 * or one for the whole API); the time is passed in, so a test can step it.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

/**
 * @typedef {object} RateLimit
 * @property {number} perSecond tokens added per second
 * @property {number} burst the most tokens the bucket holds
 */

/**
 * @typedef {object} Bucket
 * @property {number} tokens what is left, fractions included
 * @property {number} at when `tokens` was last brought up to date (ms)
 */

/**
 * A bucket that lets a whole burst through.
 * @param {RateLimit} limit
 * @param {number} [now] ms
 * @returns {Bucket}
 */
function fullBucket(limit, now = Date.now()) {
	return { tokens: limit.burst, at: now };
}

/**
 * Refills `bucket` for the time since it was last used, then takes one token.
 * @param {Bucket} bucket updated in place
 * @param {RateLimit} limit
 * @param {number} [now] ms
 * @returns {number} 0 when a token was taken; else the seconds until one is
 *   back (the request is over the limit and nothing was taken)
 */
function takeToken(bucket, limit, now = Date.now()) {
	const { perSecond, burst } = limit;
	// A clock that steps back (a test's, or the system's) never removes tokens.
	const elapsed = Math.max(0, now - bucket.at);
	bucket.tokens = Math.min(burst, bucket.tokens + (elapsed / 1000) * perSecond);
	bucket.at = now;
	if (bucket.tokens < 1) return (1 - bucket.tokens) / perSecond;
	bucket.tokens -= 1;
	return 0;
}

module.exports = { fullBucket, takeToken };
