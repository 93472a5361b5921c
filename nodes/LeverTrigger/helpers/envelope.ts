import type { IDataObject } from 'n8n-workflow';

import { hasOwn, isPlainObject } from '../../shared/objects';
import { hmacSha256Hex, isWithinAge, safeEqualHex } from '../../shared/webhookSignature';

/**
 * Reading and verifying Lever's webhook envelope.
 *
 * Lever signs `token + String(triggeredAt)` (no separator) with HMAC-SHA256
 * keyed by the webhook's signature token, and sends the lowercase hex digest
 * in the body field `signature`:
 *   { id, event, triggeredAt, token, signature, data }
 * The signature does NOT cover `event`, `id` or `data` (see LeverTrigger.node.ts
 * for what the node does about that).
 */

/** Deliveries larger than this are refused before any parsing or hashing. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Lever sends `triggeredAt` in epoch milliseconds: 13 digits from 2001 to 2286.
 * Requiring exactly that range fixes where `token` ends and `triggeredAt`
 * begins in the signed string `token + triggeredAt` (no separator), so digits
 * cannot be moved from one to the other to make an old delivery look new.
 */
const MIN_TRIGGERED_AT_MS = 1e12;
const MAX_TRIGGERED_AT_MS = 1e13 - 1;

/** Lever's signature: a lowercase hex SHA-256 digest (their own sample compares it with ===). */
const SIGNATURE_FORMAT = /^[0-9a-f]{64}$/;

export interface LeverEnvelope {
	id: string | null;
	event: string;
	/** Milliseconds since the epoch, as Lever sent it. */
	triggeredAt: number;
	token: string;
	signature: string;
	data: IDataObject;
}

export type EnvelopeResult =
	| { ok: true; envelope: LeverEnvelope; raw: IDataObject }
	| { ok: false; error: string };

/** An own field only: an attacker's `event: "constructor"` must never reach Object.prototype. */
export function ownField(object: IDataObject, key: string): unknown {
	return hasOwn(object, key) ? object[key] : undefined;
}

function toBuffer(rawBody: unknown): Buffer | undefined {
	if (Buffer.isBuffer(rawBody)) return rawBody;
	if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
	return undefined;
}

/**
 * Turns the request into an envelope, or says in a few words why it is not one
 * (the caller answers 400 with that text). The raw bytes are preferred: they
 * are exactly what Lever sent, and they tell a non-JSON body apart from an
 * empty one. n8n's parsed `body` is the fallback when no raw body is kept.
 */
export function readEnvelope(body: unknown, rawBody: unknown): EnvelopeResult {
	const parsed = parseBody(body, rawBody);
	if (!parsed.ok) return parsed;
	if (!isPlainObject(parsed.value)) return { ok: false, error: 'Body must be a JSON object' };
	return toEnvelope(parsed.value);
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseJson(text: string): Parsed {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false, error: 'Body is not valid JSON' };
	}
}

/** The body as JSON: from the raw bytes when n8n kept them, else from what n8n parsed. */
function parseBody(body: unknown, rawBody: unknown): Parsed {
	const raw = toBuffer(rawBody);
	if (raw !== undefined) {
		if (raw.length > MAX_BODY_BYTES) return { ok: false, error: 'Body is larger than 1 MB' };
		if (raw.length === 0) return { ok: false, error: 'Body is empty' };
		return parseJson(raw.toString('utf8'));
	}
	if (typeof body === 'string') {
		if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES)
			return { ok: false, error: 'Body is larger than 1 MB' };
		if (body.trim() === '') return { ok: false, error: 'Body is empty' };
		return parseJson(body);
	}
	if (body === undefined || body === null) return { ok: false, error: 'Body is empty' };
	if (Buffer.byteLength(JSON.stringify(body) ?? '', 'utf8') > MAX_BODY_BYTES) {
		return { ok: false, error: 'Body is larger than 1 MB' };
	}
	return { ok: true, value: body };
}

/** Lever's fields, own properties only, each of the type Lever sends. */
function toEnvelope(parsed: IDataObject): EnvelopeResult {
	const field = (key: string) => ownField(parsed, key);
	const [id, event, triggeredAt, token, signature, data] = [
		'id',
		'event',
		'triggeredAt',
		'token',
		'signature',
		'data',
	].map(field);
	if (typeof event !== 'string' || event === '')
		return { ok: false, error: 'Field "event" must be a non-empty string' };
	if (typeof token !== 'string' || token === '')
		return { ok: false, error: 'Field "token" must be a non-empty string' };
	if (!isMillisecondTimestamp(triggeredAt)) {
		return { ok: false, error: 'Field "triggeredAt" must be a timestamp in epoch milliseconds' };
	}
	if (data !== undefined && data !== null && !isPlainObject(data))
		return { ok: false, error: 'Field "data" must be an object' };
	if (id !== undefined && id !== null && typeof id !== 'string')
		return { ok: false, error: 'Field "id" must be a string' };
	return {
		ok: true,
		raw: parsed,
		envelope: {
			id: typeof id === 'string' ? id : null,
			event,
			triggeredAt,
			token,
			// A missing or non-string signature is an unsigned envelope, not a
			// malformed one: it fails verification (401), it is not a 400.
			signature: typeof signature === 'string' ? signature : '',
			data: isPlainObject(data) ? data : {},
		},
	};
}

function isMillisecondTimestamp(value: unknown): value is number {
	return (
		typeof value === 'number' &&
		Number.isSafeInteger(value) &&
		value >= MIN_TRIGGERED_AT_MS &&
		value <= MAX_TRIGGERED_AT_MS
	);
}

/**
 * Signature tokens from the credential: Lever issues one per webhook, so the
 * field takes several separated by commas, spaces or new lines.
 */
export function parseSigningSecrets(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	const secrets = value
		.split(/[\s,]+/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	return [...new Set(secrets)];
}

/**
 * True when `signature` is Lever's HMAC of `token + triggeredAt` under one of
 * `secrets`. Every secret is checked (no early exit) and each comparison is
 * constant-time. Fails closed: no secrets, or a signature that is not 64
 * lowercase hex characters, is never valid.
 */
export function verifyLeverSignature(
	envelope: Pick<LeverEnvelope, 'token' | 'triggeredAt' | 'signature'>,
	secrets: readonly string[],
): boolean {
	if (secrets.length === 0) return false;
	if (typeof envelope.signature !== 'string' || !SIGNATURE_FORMAT.test(envelope.signature))
		return false;
	if (typeof envelope.token !== 'string' || typeof envelope.triggeredAt !== 'number') return false;
	const message = envelope.token + String(envelope.triggeredAt);
	let matched = false;
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret === '') continue;
		if (safeEqualHex(hmacSha256Hex(secret, message), envelope.signature)) matched = true;
	}
	return matched;
}

/**
 * Lever's signature tokens are long random strings of letters and digits
 * (the docs abbreviate one as "733…089"). This only catches obvious mistakes
 * such as a URL or a sentence pasted into the field; a token is really
 * confirmed by the first signed delivery.
 */
const TOKEN_FORMAT = /^[A-Za-z0-9_\-+/=.]{16,256}$/;

export function checkSigningTokens(value: unknown): { ok: boolean; message: string } {
	const tokens = parseSigningSecrets(value);
	if (tokens.length === 0) {
		return {
			ok: false,
			message:
				'Enter the signature token shown in Lever under Settings > Integrations and API > Webhooks (several may be separated by commas)',
		};
	}
	const invalid = tokens.filter((token) => !TOKEN_FORMAT.test(token)).length;
	if (invalid > 0) {
		return {
			ok: false,
			message: `${invalid} of ${tokens.length} value(s) do not look like a Lever signature token (16 or more letters and digits, no spaces)`,
		};
	}
	return {
		ok: true,
		message: `${tokens.length} signature token(s) look valid; the first signed delivery from Lever confirms them`,
	};
}

/**
 * How far ahead of our clock a delivery may say it was triggered: clock skew,
 * not more. Applies whatever Max Age is; Max Age bounds the past.
 */
export const MAX_CLOCK_AHEAD_MS = 60 * 60 * 1000;

/** True when `triggeredAt` (ms) is not too far ahead, and within Max Age when one is set. */
export function isFresh(
	triggeredAt: number,
	maxAgeSeconds: number,
	now: number = Date.now(),
): boolean {
	if (triggeredAt > now + MAX_CLOCK_AHEAD_MS) return false;
	return isWithinAge(triggeredAt, maxAgeSeconds, now);
}

/** Lever's test request: signed like any delivery, with empty `data`. */
export function isPing(envelope: Pick<LeverEnvelope, 'data'>): boolean {
	return Object.keys(envelope.data).length === 0;
}

/**
 * An unverified value as it may appear in a log line: quoted and escaped (no
 * new lines, no fake log entries) and cut to `max` characters.
 */
export function forLog(value: unknown, max = 64): string {
	const text = String(value);
	return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
