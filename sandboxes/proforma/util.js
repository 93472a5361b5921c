/**
 * Small helpers of the Proforma sandbox: ids, timestamps, value checks,
 * canonical JSON (for idempotency fingerprints) and HTML escaping.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');
const { URL } = require('node:url');

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULID-like id with a prefix: `ord_01J...` (time-ordered, 26 Crockford chars).
 * @param {string} prefix
 */
function newId(prefix) {
	let time = Date.now();
	let ts = '';
	for (let i = 0; i < 10; i++) {
		ts = CROCKFORD[time % 32] + ts;
		time = Math.floor(time / 32);
	}
	const bytes = crypto.randomBytes(16);
	let rnd = '';
	for (let i = 0; i < 16; i++) rnd += CROCKFORD[bytes[i] % 32];
	return `${prefix}_${ts}${rnd}`;
}

/** ISO-8601 UTC, as the contract's timestamps. */
const iso = (ms = Date.now()) => new Date(ms).toISOString();

/**
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Absent, null or only whitespace: the contract treats all three as "not given". @param {unknown} v */
const isBlank = (v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * JSON with sorted keys: two bodies that differ only in key order are the
 * same request for Idempotency-Key purposes.
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isObject(value)) {
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value === undefined ? null : value);
}

/** @type {Record<string, string>} */
const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** @param {unknown} s */
function escapeHtml(s) {
	return String(s ?? '').replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * Constant-time string comparison (hashes first, so lengths do not leak).
 * @param {unknown} a
 * @param {unknown} b
 */
function safeEqual(a, b) {
	const ha = crypto.createHash('sha256').update(String(a)).digest();
	const hb = crypto.createHash('sha256').update(String(b)).digest();
	return crypto.timingSafeEqual(ha, hb) && String(a) === String(b);
}

/** @param {string | undefined} address */
function isLoopback(address) {
	if (!address) return false;
	return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * @param {unknown} value
 * @returns {value is string}
 */
function validCallbackUrl(value) {
	if (typeof value !== 'string') return false;
	try {
		const u = new URL(value);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

module.exports = {
	newId,
	iso,
	isObject,
	isBlank,
	canonicalJson,
	escapeHtml,
	safeEqual,
	isLoopback,
	validCallbackUrl,
};
