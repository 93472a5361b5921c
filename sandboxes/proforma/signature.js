/**
 * Callback signatures of the Proforma contract (docs/proforma-sandbox.md):
 *   Proforma-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * Used by the sandbox to sign callbacks and available to tests and tools that
 * need to produce or check a signature. Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');

/**
 * Returns the Proforma-Signature header value for `rawBody` signed at `t` (unix seconds).
 * @param {string} secret
 * @param {string} rawBody
 * @param {number} [t]
 */
function signPayload(secret, rawBody, t = Math.floor(Date.now() / 1000)) {
	const v1 = crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`, 'utf8').digest('hex');
	return `t=${t},v1=${v1}`;
}

/**
 * Parses `t=...,v1=...[,v1=...]` into { t, v1: [..] } or null.
 * @param {unknown} header
 * @returns {{ t: number, v1: string[] } | null}
 */
function parseSignatureHeader(header) {
	if (typeof header !== 'string' || header.length === 0) return null;
	/** @type {number | null} */
	let t = null;
	/** @type {string[]} */
	const v1 = [];
	for (const part of header.split(',')) {
		const i = part.indexOf('=');
		if (i < 0) continue;
		const k = part.slice(0, i).trim();
		const v = part.slice(i + 1).trim();
		if (k === 't' && /^\d+$/.test(v)) t = Number(v);
		if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) v1.push(v.toLowerCase());
	}
	return t === null || v1.length === 0 ? null : { t, v1 };
}

/**
 * True when `header` is a valid signature of `rawBody` under `secret`, compared in
 * constant time, and its `t` is within `toleranceSeconds` of `nowSeconds`.
 * @param {string | undefined} header
 * @param {string} rawBody
 * @param {string} secret
 * @param {{ toleranceSeconds?: number, nowSeconds?: number }} [options]
 */
function verifySignature(header, rawBody, secret, { toleranceSeconds = 300, nowSeconds } = {}) {
	const parsed = parseSignatureHeader(header);
	if (!parsed) return false;
	const now = nowSeconds === undefined ? Math.floor(Date.now() / 1000) : nowSeconds;
	if (toleranceSeconds > 0 && Math.abs(now - parsed.t) > toleranceSeconds) return false;
	const expected = Buffer.from(signPayload(secret, rawBody, parsed.t).split('v1=')[1], 'hex');
	return parsed.v1.some((candidate) => {
		const given = Buffer.from(candidate, 'hex');
		return given.length === expected.length && crypto.timingSafeEqual(given, expected);
	});
}

module.exports = { signPayload, parseSignatureHeader, verifySignature };
