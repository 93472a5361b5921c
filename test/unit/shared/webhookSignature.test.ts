import { afterEach, describe, expect, it, jest } from '@jest/globals';
import crypto from 'crypto';

import { hmacSha256Hex, isWithinAge, safeEqualHex } from '../../../nodes/shared/webhookSignature';

/**
 * The one signature helper both triggers use: HMAC, constant-time comparison
 * and the optional age window.
 */
describe('hmacSha256Hex', () => {
	it('is the lowercase hex HMAC-SHA256 (RFC 4231 test case 2)', () => {
		expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
			'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
		);
	});

	it('hashes raw bytes as given', () => {
		const bytes = Buffer.from([0xe2, 0x82, 0xac]);
		expect(hmacSha256Hex('k', bytes)).toBe(hmacSha256Hex('k', '€'));
		expect(hmacSha256Hex('k', Buffer.from([0xe2, 0x82]))).not.toBe(hmacSha256Hex('k', '€'));
	});
});

describe('safeEqualHex', () => {
	const digest = hmacSha256Hex('test-signing-secret', 'message');

	afterEach(() => {
		jest.restoreAllMocks();
	});

	it('accepts the same digest, in either case', () => {
		expect(safeEqualHex(digest, digest)).toBe(true);
		expect(safeEqualHex(digest, digest.toUpperCase())).toBe(true);
	});

	it.each([
		['another digest', hmacSha256Hex('test-signing-secret', 'other message')],
		['one character changed', `${digest.slice(0, 63)}${digest[63] === '0' ? '1' : '0'}`],
		['a shorter string', digest.slice(0, 62)],
		['a longer string', `${digest}00`],
		['an empty string', ''],
		['non-hex characters', 'g'.repeat(64)],
		['a prefixed digest', `sha256=${digest}`],
		['a number', 42],
		['undefined', undefined],
		['null', null],
		['an object', { v1: digest }],
	])('refuses %s', (_label, actual) => {
		expect(safeEqualHex(digest, actual)).toBe(false);
	});

	it('compares equal-length digests with crypto.timingSafeEqual (constant time)', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		safeEqualHex(digest, hmacSha256Hex('test-signing-secret', 'other message'));
		safeEqualHex(digest, digest);
		expect(spy).toHaveBeenCalledTimes(2);
	});
});

describe('isWithinAge', () => {
	const now = 1_700_000_000_000;

	it('reads milliseconds only: a seconds value is 54 years old, not now', () => {
		expect(isWithinAge(1_700_000_000, 300, now)).toBe(false);
		expect(isWithinAge(now, 300, now)).toBe(true);
	});

	it('is always true when the window is off (0 or negative)', () => {
		expect(isWithinAge(0, 0, now)).toBe(true);
		expect(isWithinAge(now - 10 ** 9, -5, now)).toBe(true);
	});

	it('accepts the edges of the window and refuses beyond, in both directions', () => {
		expect(isWithinAge(now - 300_000, 300, now)).toBe(true);
		expect(isWithinAge(now - 300_001, 300, now)).toBe(false);
		expect(isWithinAge(now + 300_000, 300, now)).toBe(true);
		expect(isWithinAge(now + 300_001, 300, now)).toBe(false);
	});

	it('refuses a timestamp that is not a finite number', () => {
		expect(isWithinAge(Number.NaN, 300, now)).toBe(false);
		expect(isWithinAge(Number.POSITIVE_INFINITY, 300, now)).toBe(false);
	});
});
