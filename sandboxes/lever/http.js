/**
 * The Lever sandbox's HTTP front: parses each request, applies injected
 * faults, Basic auth and the rate limit per API key to /v1 (in that order),
 * dispatches to the API (routes.js) or the control API (control.js), answers
 * errors in Lever's `{code, message}` shape and keeps the request log.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');
const { URL } = require('node:url');

const { ApiError, badRequest } = require('./errors');
const { parseQuery } = require('./query');
const { takeDelay, takeFault, takeRateLimitToken } = require('./faults');
const { handleV1 } = require('./routes');
const { handleControl } = require('./control');
const { readBody, sendJson } = require('../shared/http');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./routes').RouteResult} RouteResult */
/** @typedef {import('./state').LeverContext} LeverContext */
/** @typedef {import('./server').LeverRequestLogEntry} RequestLogEntry */

const MAX_BODY_BYTES = 1024 * 1024;
/** The request log keeps the latest requests only. */
const MAX_REQUEST_LOG = 1000;

/**
 * Answers one request, then records it in the request log (/v1 only) and the log lines.
 * @param {LeverContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 */
async function handle(ctx, req, res) {
	const started = Date.now();
	const url = new URL(/** @type {string} */ (req.url), 'http://sandbox.local');
	const path = url.pathname.replace(/\/+$/, '') || '/';
	const method = /** @type {string} */ (req.method).toUpperCase();
	/** @type {RequestLogEntry} */
	const entry = {
		at: started,
		method,
		path,
		query: url.search,
		status: 0,
		durationMs: 0,
		body: undefined,
	};
	const { status, payload } = await answer(ctx, req, res, url, entry);
	if (!res.headersSent && !res.writableEnded) send(res, status, payload);
	entry.status = status;
	entry.durationMs = Date.now() - started;
	// The request log is what API clients sent: /v1 only, not the control API.
	if (path === '/v1' || path.startsWith('/v1/')) {
		ctx.state.requestLog.push(entry);
		if (ctx.state.requestLog.length > MAX_REQUEST_LOG)
			ctx.state.requestLog.splice(0, ctx.state.requestLog.length - MAX_REQUEST_LOG);
	}
	ctx.log(
		`[lever-sandbox] ${status} ${method} ${path}${url.search} ${entry.durationMs}ms${entry.fault ? ' (injected fault)' : ''}${entry.rateLimited ? ' (rate limited)' : ''}`,
	);
}

/**
 * The status and body to answer; errors become Lever's error body.
 * @param {LeverContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {URL} url
 * @param {RequestLogEntry} entry gets the parsed body, and `fault` when one was injected
 * @returns {Promise<{ status: number, payload: unknown }>}
 */
async function answer(ctx, req, res, url, entry) {
	const { method, path } = entry;
	try {
		const body = await readJson(req);
		if (body !== undefined) entry.body = body;
		const result = await dispatch(ctx, req, res, url, entry, body);
		if (!result) throw new ApiError(404, 'ResourceNotFound', `Cannot ${method} ${path}`);
		return { status: result.status, payload: result.body };
	} catch (err) {
		if (err instanceof ApiError)
			return { status: err.status, payload: { code: err.code, message: err.message } };
		return {
			status: 500,
			payload: {
				code: 'InternalServerError',
				message: err && err.message ? err.message : 'Unexpected error',
			},
		};
	}
}

/**
 * Routes by the first path segment: /v1 (faults, then auth, then the rate
 * limit), /__sandbox (none of them), or the root.
 * @param {LeverContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {URL} url
 * @param {RequestLogEntry} entry
 * @param {any} body
 * @returns {Promise<RouteResult>}
 */
async function dispatch(ctx, req, res, url, entry, body) {
	const { method, path } = entry;
	const segments = pathSegments(path);
	if (segments[0] === 'v1') {
		// Faults act like a gateway in front of the API: before auth.
		const delayMs = takeDelay(ctx.state, path, entry.body);
		if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
		const fault = takeFault(ctx.state);
		if (fault) {
			entry.fault = true;
			throw fault;
		}
		const apiKey = authorizedKey(req.headers.authorization, [
			ctx.opts.apiKey,
			...ctx.opts.extraApiKeys,
		]);
		if (apiKey === null) {
			res.setHeader('WWW-Authenticate', 'Basic realm="Lever"');
			throw new ApiError(
				401,
				'Unauthorized',
				'Invalid or missing API key: use HTTP Basic auth with the API key as the username and an empty password',
			);
		}
		// Lever's limit counts per API key, and only requests that authenticated.
		const limited = takeRateLimitToken(ctx, apiKey);
		if (limited) {
			entry.rateLimited = true;
			throw limited;
		}
		return handleV1(ctx, method, segments.slice(1), parseQuery(url.searchParams), body);
	}
	if (segments[0] === '__sandbox') return handleControl(ctx, method, segments.slice(1), body);
	if (path === '/' && method === 'GET') {
		return {
			status: 200,
			body: { name: 'Lever sandbox', baseUrl: `${ctx.origin}/v1`, docs: 'docs/lever-sandbox.md' },
		};
	}
	return null;
}

/**
 * The server's request listener. A failure past the error answers (a bug)
 * still gets a 500 rather than a hanging request.
 * @param {LeverContext} ctx
 * @returns {(req: IncomingMessage, res: ServerResponse) => void}
 */
function createRequestListener(ctx) {
	return (req, res) => {
		handle(ctx, req, res).catch((err) => {
			if (!res.headersSent)
				send(res, 500, { code: 'InternalServerError', message: String(err && err.message) });
		});
	};
}

/**
 * The JSON body, or undefined when there is none.
 * @param {IncomingMessage} req
 */
async function readJson(req) {
	const raw = await readBody(req, {
		maxBytes: MAX_BODY_BYTES,
		tooLarge: () => new ApiError(413, 'PayloadTooLarge', 'Request body is too large'),
	});
	if (raw.trim() === '') return undefined;
	try {
		return JSON.parse(raw);
	} catch {
		throw badRequest('Request body is not valid JSON');
	}
}

/** @param {string} path */
function pathSegments(path) {
	try {
		return path.split('/').filter(Boolean).map(decodeURIComponent);
	} catch {
		throw badRequest('Malformed percent-encoding in the path');
	}
}

/**
 * Lever's API-key auth: Basic with the key as username and an empty
 * password, compared in constant time with every accepted key.
 * @param {string | undefined} header
 * @param {string[]} apiKeys
 * @returns {string | null} the key the request authenticated with
 */
function authorizedKey(header, apiKeys) {
	if (typeof header !== 'string') return null;
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
	if (!match) return null;
	const a = Buffer.from(Buffer.from(match[1], 'base64').toString('utf8'));
	/** @type {string | null} */
	let found = null;
	for (const apiKey of apiKeys) {
		const b = Buffer.from(`${apiKey}:`);
		if (a.length === b.length && crypto.timingSafeEqual(a, b)) found = apiKey;
	}
	return found;
}

/**
 * Lever answers compact JSON with a Content-Length.
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function send(res, status, body) {
	sendJson(res, status, body, { contentLength: true });
}

module.exports = { createRequestListener };
