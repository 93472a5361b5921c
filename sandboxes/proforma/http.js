/**
 * The Proforma sandbox's HTTP front: dispatches each request to the API
 * (/v1, routes.js), the candidate and report pages (/portal, portal.js) or
 * the control API (/__sandbox, control.js), answers errors in the contract's
 * shape, and keeps the request log. Also the JSON helpers those use.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const { URL } = require('node:url');

const { HttpError, notFound } = require('./errors');
const { logRequest } = require('./state');
const { iso, isObject } = require('./util');
const { readBody, sendJson } = require('../shared/http');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {(ctx: import('./state').SandboxContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<unknown>} Handler */
/** @typedef {{ api: Handler, portal: Handler, control: Handler }} Handlers */

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Answers JSON, indented; nothing once the answer started or the client left.
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} payload
 * @param {Record<string, string>} [headers]
 */
function send(res, status, payload, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	sendJson(res, status, payload, { indent: 2, headers });
}

/**
 * @param {ServerResponse} res
 * @param {HttpError} err
 */
function sendError(res, err) {
	/** @type {{ code: string, message: string, details: import('./errors').ErrorDetail[], orderId?: string }} */
	const error = { code: err.code, message: err.message, details: err.details || [] };
	if (err.orderId) error.orderId = err.orderId;
	send(res, err.status, { error }, err.headers);
}

/**
 * The request body (read once, see shared/http.js).
 * @param {IncomingMessage} req
 */
function readRawBody(req) {
	return readBody(req, {
		maxBytes: MAX_BODY_BYTES,
		tooLarge: () =>
			new HttpError(400, 'malformed_request', 'The request body is larger than 1 MB.'),
	});
}

/**
 * The body as a JSON object; an empty body is `{}` unless `required`.
 * @param {IncomingMessage} req
 * @param {{ required: boolean }} options
 * @returns {Promise<Record<string, any>>}
 */
async function readJson(req, { required }) {
	const raw = await readRawBody(req);
	if (raw.trim() === '') {
		if (required)
			throw new HttpError(400, 'malformed_request', 'The request body must be a JSON object.');
		return {};
	}
	let parsed;
	try {
		parsed = JSON.parse(raw);
	} catch (e) {
		throw new HttpError(
			400,
			'malformed_request',
			`The request body is not valid JSON: ${e.message}`,
		);
	}
	if (!isObject(parsed))
		throw new HttpError(400, 'malformed_request', 'The request body must be a JSON object.');
	return parsed;
}

/**
 * Answers one request: /__sandbox, /v1, /portal or the root.
 * @param {import('./state').SandboxContext} ctx
 * @param {Handlers} handlers
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 */
async function handle(ctx, handlers, req, res) {
	const url = new URL(/** @type {string} */ (req.url), 'http://sandbox.local');
	const isControl = url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/');
	logWhenDone(ctx, req, res, isControl);
	try {
		if (isControl) return await handlers.control(ctx, req, res, url);
		if (url.pathname === '/v1' || url.pathname.startsWith('/v1/'))
			return await handlers.api(ctx, req, res, url);
		if (url.pathname.startsWith('/portal/')) return await handlers.portal(ctx, req, res, url);
		if (req.method === 'GET' && url.pathname === '/') {
			return send(res, 200, {
				name: 'Proforma sandbox',
				baseUrl: ctx.baseUrl,
				api: `${ctx.baseUrl}/v1`,
				docs: 'docs/proforma-sandbox.md',
				control: `${ctx.baseUrl}/__sandbox/state`,
			});
		}
		throw notFound(req.method, url.pathname);
	} catch (err) {
		if (err instanceof HttpError) return sendError(res, err);
		ctx.log(`internal error on ${req.method} ${req.url}: ${err && err.stack}`);
		return sendError(
			res,
			new HttpError(500, 'internal_error', 'The sandbox hit an unexpected error; see its log.'),
		);
	}
}

/**
 * Logs the request once its answer is done (or the client left), and
 * records API and portal requests, unless a reset came in between.
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {boolean} isControl
 */
function logWhenDone(ctx, req, res, isControl) {
	const started = Date.now();
	const gen = ctx.generation;
	res.on('close', () => {
		const ms = Date.now() - started;
		const status = res.writableFinished ? res.statusCode : `${res.statusCode} (aborted)`;
		ctx.log(`${req.method} ${req.url} ${status} ${ms}ms`);
		if (isControl || gen !== ctx.generation) return;
		/** @type {import('./server').SandboxState['requests'][number]} */
		const entry = {
			at: iso(started),
			method: String(req.method),
			path: String(req.url),
			status: res.statusCode,
			ms,
		};
		if (req.headers['idempotency-key'])
			entry.idempotencyKey = String(req.headers['idempotency-key']);
		logRequest(ctx.state, entry);
	});
}

/**
 * The server's request listener. The handlers are passed in (by server.js)
 * because they use this module's answers and body readers.
 * @param {import('./state').SandboxContext} ctx
 * @param {Handlers} handlers
 * @returns {(req: IncomingMessage, res: ServerResponse) => void}
 */
function createRequestListener(ctx, handlers) {
	return (req, res) => {
		handle(ctx, handlers, req, res);
	};
}

module.exports = { send, sendError, readRawBody, readJson, createRequestListener };
