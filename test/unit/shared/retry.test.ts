import { describe, expect, it } from '@jest/globals';

import {
	DEFAULT_RETRY_POLICY,
	parseRetryAfter,
	policyForStatus,
	retryDelayMs,
	type RetryPolicy,
} from '../../../nodes/shared/retry';

const high = () => 1;
const low = () => 0;

describe('retryDelayMs', () => {
	it('doubles the step from 500 ms on each retry (random 1 = the whole step)', () => {
		const delays = [0, 1, 2, 3, 4, 5].map((retry) =>
			retryDelayMs(retry, DEFAULT_RETRY_POLICY, undefined, high),
		);
		expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000]);
	});

	it('jitters down to half the step (random 0)', () => {
		const delays = [0, 1, 2, 3, 4, 5].map((retry) =>
			retryDelayMs(retry, DEFAULT_RETRY_POLICY, undefined, low),
		);
		expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000]);
	});

	it('stays between half and the whole step for a random in between', () => {
		expect(retryDelayMs(2, DEFAULT_RETRY_POLICY, undefined, () => 0.5)).toBe(1500);
	});

	it('caps the backoff at maxDelayMs', () => {
		expect(retryDelayMs(6, DEFAULT_RETRY_POLICY, undefined, high)).toBe(30000);
		expect(retryDelayMs(7, DEFAULT_RETRY_POLICY, undefined, high)).toBe(30000);
		expect(retryDelayMs(20, DEFAULT_RETRY_POLICY, undefined, low)).toBe(15000);
		const tight: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 1500 };
		expect([0, 1, 2, 3].map((retry) => retryDelayMs(retry, tight, undefined, high))).toEqual([
			500, 1000, 1500, 1500,
		]);
	});

	it('waits as long as Retry-After asks when that is longer than the backoff', () => {
		expect(retryDelayMs(0, DEFAULT_RETRY_POLICY, 3000, high)).toBe(3000);
		expect(retryDelayMs(2, DEFAULT_RETRY_POLICY, 2001, high)).toBe(2001);
	});

	it('keeps the backoff when Retry-After asks for less', () => {
		expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, 1000, high)).toBe(4000);
		expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, 0, low)).toBe(2000);
	});

	it('honours a Retry-After above maxDelayMs up to maxRetryAfterMs, and caps it there', () => {
		expect(DEFAULT_RETRY_POLICY.maxRetryAfterMs).toBe(120000);
		expect(retryDelayMs(0, DEFAULT_RETRY_POLICY, 90000, high)).toBe(90000);
		expect(retryDelayMs(0, DEFAULT_RETRY_POLICY, 120000, high)).toBe(120000);
		expect(retryDelayMs(0, DEFAULT_RETRY_POLICY, 600000, high)).toBe(120000);
	});

	it('caps Retry-After at maxDelayMs for a policy without maxRetryAfterMs', () => {
		const policy: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30000 };
		expect(retryDelayMs(0, policy, 90000, high)).toBe(30000);
		expect(retryDelayMs(0, policy, 20000, high)).toBe(20000);
	});

	it('never lets maxRetryAfterMs below maxDelayMs shorten a Retry-After under maxDelayMs', () => {
		const policy: RetryPolicy = {
			maxRetries: 4,
			baseDelayMs: 500,
			maxDelayMs: 30000,
			maxRetryAfterMs: 1000,
		};
		expect(retryDelayMs(0, policy, 20000, high)).toBe(20000);
		expect(retryDelayMs(0, policy, 90000, high)).toBe(30000);
	});
});

describe('policyForStatus', () => {
	const rateLimited = policyForStatus(DEFAULT_RETRY_POLICY, 429);

	it('keeps the policy for every status but 429', () => {
		for (const status of [500, 502, 503, 504]) {
			expect(policyForStatus(DEFAULT_RETRY_POLICY, status)).toBe(DEFAULT_RETRY_POLICY);
		}
	});

	it('waits at most 8 s between retries after a 429, so a waiting execution keeps its turn', () => {
		const delays = [0, 1, 2, 3, 4, 5, 20, 39].map((retry) =>
			retryDelayMs(retry, rateLimited, undefined, high),
		);
		expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
		expect(retryDelayMs(39, rateLimited, undefined, low)).toBe(4000);
	});

	it('still honours a longer Retry-After after a 429, up to maxRetryAfterMs', () => {
		expect(retryDelayMs(0, rateLimited, 60000, high)).toBe(60000);
		expect(retryDelayMs(0, rateLimited, 600000, high)).toBe(120000);
		const bare: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: undefined };
		expect(retryDelayMs(0, policyForStatus(bare, 429), 20000, high)).toBe(20000);
	});

	it('gives a rate limit minutes and an outage about half a minute', () => {
		const total = (policy: RetryPolicy, retries: number, random: () => number) =>
			Array.from({ length: retries }, (_, retry) =>
				retryDelayMs(retry, policy, undefined, random),
			).reduce((a, b) => a + b, 0);
		const { maxRetries, maxRateLimitRetries = 0 } = DEFAULT_RETRY_POLICY;
		expect(total(rateLimited, maxRateLimitRetries, low)).toBeGreaterThanOrEqual(140_000);
		expect(total(rateLimited, maxRateLimitRetries, high)).toBeLessThanOrEqual(300_000);
		expect(total(DEFAULT_RETRY_POLICY, maxRetries, low)).toBeGreaterThanOrEqual(15_000);
		expect(total(DEFAULT_RETRY_POLICY, maxRetries, high)).toBeLessThanOrEqual(32_000);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2024-05-01T12:00:00Z');

	it('reads delta-seconds as milliseconds', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0', now)).toBe(0);
		expect(parseRetryAfter(' 120 ', now)).toBe(120000);
		expect(parseRetryAfter(7, now)).toBe(7000);
	});

	it('reads fractional seconds', () => {
		expect(parseRetryAfter('1.5', now)).toBe(1500);
		expect(parseRetryAfter('0.25', now)).toBe(250);
	});

	it('reads an HTTP date as the time left until then (0 when already past)', () => {
		expect(parseRetryAfter('Wed, 01 May 2024 12:00:10 GMT', now)).toBe(10000);
		expect(parseRetryAfter('Wed, 01 May 2024 11:59:00 GMT', now)).toBe(0);
	});

	it('returns undefined for an absent or unreadable header', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter(null, now)).toBeUndefined();
		expect(parseRetryAfter('', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter('later please', now)).toBeUndefined();
	});

	it('uses the first value of a repeated header', () => {
		expect(parseRetryAfter(['4', '9'], now)).toBe(4000);
		expect(parseRetryAfter(['Wed, 01 May 2024 12:00:02 GMT'], now)).toBe(2000);
		expect(parseRetryAfter([], now)).toBeUndefined();
	});
});
