/**
 * Query strings the way Lever reads them: repeated keys for lists
 * (`tag=a&tag=b`), millisecond timestamps, `expand`, and `limit`/`offset`
 * pagination with opaque offset tokens.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');

const { badRequest } = require('./errors');

/**
 * @typedef {object} Query
 * @property {(key: string) => string[]} all every value of a repeated key
 * @property {(key: string) => string | null} get
 * @property {(key: string) => boolean} has
 */

/** @typedef {Map<string, { scope: string, position: number }>} Offsets offset token -> where it continues */

/**
 * Rejects PHP-style list keys (`tag[]=a`): Lever expects repeated keys, and a
 * client sending brackets would silently get an unfiltered list otherwise.
 * `accessRole[]` is the one bracketed key Lever documents (GET /users).
 * @param {URLSearchParams} searchParams
 * @returns {Query}
 */
function parseQuery(searchParams) {
	for (const key of searchParams.keys()) {
		if (/\[\d*\]$/.test(key) && key !== 'accessRole[]') {
			const base = key.replace(/\[\d*\]$/, '');
			throw badRequest(
				`Unsupported query parameter "${key}": Lever expects repeated keys such as ${base}=a&${base}=b`,
			);
		}
	}
	return {
		all: (key) => searchParams.getAll(key),
		get: (key) => searchParams.get(key),
		has: (key) => searchParams.has(key),
	};
}

/**
 * @param {Query} q
 * @param {string} key
 * @returns {number | undefined} undefined when absent or empty
 */
function parseMs(q, key) {
	const raw = q.get(key);
	if (raw === null || raw === '') return undefined;
	if (!/^\d+$/.test(raw))
		throw badRequest(`${key} must be a timestamp in milliseconds since the epoch`);
	return Number(raw);
}

/**
 * @param {Query} q
 * @param {string} key
 * @returns {boolean | undefined} undefined when absent or empty
 */
function parseBool(q, key) {
	const raw = q.get(key);
	if (raw === null || raw === '') return undefined;
	if (raw === 'true') return true;
	if (raw === 'false') return false;
	throw badRequest(`${key} must be true or false`);
}

/**
 * @param {Query} q
 * @param {string[]} allowed
 * @returns {Set<string>}
 */
function parseExpand(q, allowed) {
	const values = q.all('expand');
	for (const v of values) {
		if (!allowed.includes(v)) {
			throw badRequest(
				`Invalid expand value "${v}". Valid values: ${allowed.join(', ')}; repeat the key to expand several (expand=a&expand=b)`,
			);
		}
	}
	return new Set(values);
}

/**
 * One page of `items`: `{data, hasNext, next?}`. `next` is an opaque token
 * valid only for the same list (`scope`), as Lever's offsets are.
 * @template T
 * @param {Query} q
 * @param {string} scope
 * @param {T[]} items
 * @param {Offsets} offsets the tokens handed out so far
 * @returns {{ data: T[], hasNext: boolean, next?: string }}
 */
function paginate(q, scope, items, offsets) {
	const limit = parseLimit(q);
	const position = offsetPosition(q, scope, offsets);
	const data = items.slice(position, position + limit);
	const hasNext = position + limit < items.length;
	/** @type {{ data: T[], hasNext: boolean, next?: string }} */
	const body = { data, hasNext };
	if (hasNext) {
		const token = `0.${Date.now()}.${crypto.randomUUID()}`;
		offsets.set(token, { scope, position: position + limit });
		// Bounded: a client paging forever must not grow the sandbox's memory.
		if (offsets.size > 10000) offsets.delete(/** @type {string} */ (offsets.keys().next().value));
		body.next = token;
	}
	return body;
}

/** @param {Query} q */
function parseLimit(q) {
	if (!q.has('limit')) return 100;
	const raw = /** @type {string} */ (q.get('limit'));
	if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
		throw badRequest('limit must be an integer between 1 and 100');
	}
	return Number(raw);
}

/**
 * @param {Query} q
 * @param {string} scope
 * @param {Offsets} offsets
 */
function offsetPosition(q, scope, offsets) {
	const offset = q.get('offset');
	if (offset === null || offset === '') return 0;
	const entry = offsets.get(offset);
	if (!entry || entry.scope !== scope) {
		throw badRequest(
			'Invalid offset: pass only an offset returned as "next" by a previous request to this list',
		);
	}
	return entry.position;
}

module.exports = { parseQuery, parseMs, parseBool, parseExpand, paginate };
