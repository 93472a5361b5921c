import { createHmac, timingSafeEqual } from 'crypto';

/**
 * One small verifier used by every trigger in this package, in the spirit of
 * n8n's own webhook-signature helper: fail closed, constant-time comparison,
 * optional age window. It never throws; callers answer 401 on `false`.
 */

/** Lowercase hex HMAC-SHA256 of `message` keyed with `secret`. */
export function hmacSha256Hex(secret: string, message: string | Buffer): string {
	return createHmac('sha256', secret).update(message).digest('hex');
}

/**
 * Constant-time equality of two hex digests. Different lengths or non-hex
 * input compare unequal without leaking where they differ.
 */
export function safeEqualHex(expected: string, actual: unknown): boolean {
	if (typeof actual !== 'string' || !/^[0-9a-fA-F]+$/.test(actual)) return false;
	const a = Buffer.from(expected.toLowerCase(), 'utf8');
	const b = Buffer.from(actual.toLowerCase(), 'utf8');
	if (a.length !== b.length) return false;
	return timingSafeEqual(a, b);
}

/**
 * True when `timestampMs` is within `maxAgeSeconds` of `now`, in either
 * direction (a clock a little ahead is as suspicious as one behind). A max age
 * of 0 or less disables the window. Milliseconds only: guessing the unit from
 * the size of the number let a signed value be read 1000 times too recent.
 */
export function isWithinAge(
	timestampMs: number,
	maxAgeSeconds: number,
	now: number = Date.now(),
): boolean {
	if (!(maxAgeSeconds > 0)) return true;
	if (!Number.isFinite(timestampMs)) return false;
	return Math.abs(now - timestampMs) <= maxAgeSeconds * 1000;
}
