/**
 * The API under /v1 (the contract, docs/proforma-api.md): packages, orders
 * (create with Idempotency-Key, list, get, cancel, resend the invitation) and
 * reports (JSON and PDF). Gateway faults, Bearer auth and the rate limiter
 * come first, in that order.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');

const { PACKAGES } = require('./seed');
const { HttpError, notFound } = require('./errors');
const { STATUSES } = require('./state');
const {
	validateOrder,
	getRecord,
	newInvitation,
	schedule,
	transition,
	createOrder,
} = require('./orders');
const { gatewayFaults, takeRateLimitToken } = require('./faults');
const { reportPdf } = require('./report');
const { send, readRawBody, readJson } = require('./http');
const { canonicalJson, isBlank, safeEqual } = require('./util');
const { clone } = require('../shared/json');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./state').OrderRecord} OrderRecord */

/** A replay within this window answers the first order again. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * Answers a /v1 request. Fault switches act first (like a gateway), then auth, then the rate limiter.
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {URL} url
 */
async function handleApi(ctx, req, res, url) {
	const method = /** @type {string} */ (req.method);
	const path = url.pathname.replace(/\/+$/, '') || '/';
	const faults = ctx.state.faults;
	// The whole request is read first, so a delayed request is still processed
	// after its client gave up (like a real server).
	await readRawBody(req);
	if (!(await gatewayFaults(faults, ctx.delays, () => ctx.closed))) return;
	authenticate(req, ctx.config.apiKey);
	takeRateLimitToken(ctx.state);
	const parts = pathParts(method, path);
	const route = `${method} /${parts.map((p, i) => (i === 1 && parts[0] === 'orders' ? ':id' : i === 1 && parts[0] === 'packages' ? ':code' : p)).join('/')}`;
	switch (route) {
		case 'GET /packages':
			return send(res, 200, { data: clone(PACKAGES) });
		case 'GET /packages/:code':
			return send(res, 200, clone(packageOf(parts[1])));
		case 'POST /orders':
			return postOrder(ctx, req, res);
		case 'GET /orders':
			return listOrders(ctx, res, url);
		case 'GET /orders/:id':
			return send(res, 200, clone(getRecord(ctx, parts[1]).order));
		case 'POST /orders/:id/cancel':
			return cancelOrder(ctx, req, res, parts[1]);
		case 'POST /orders/:id/invitation/resend':
			return resendInvitation(ctx, req, res, parts[1]);
		case 'GET /orders/:id/report':
			return getReport(ctx, res, parts[1]);
		case 'GET /orders/:id/report.pdf':
			return getReportPdf(ctx, res, parts[1]);
		default:
			throw notFound(method, path);
	}
}

/**
 * POST /v1/orders. The same Idempotency-Key with the same body (compared as canonical JSON) replays the first answer; with another body it is a 409.
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 */
async function postOrder(ctx, req, res) {
	const keyHeader = req.headers['idempotency-key'];
	const body = await readJson(req, { required: true });
	// Everything below is synchronous: check-and-insert cannot interleave.
	const key = idempotencyKey(keyHeader);
	const fingerprint = crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
	const seen = ctx.state.idempotency.get(key);
	if (seen && Date.now() - seen.at > IDEMPOTENCY_TTL_MS) ctx.state.idempotency.delete(key);
	else if (seen) {
		if (seen.fingerprint !== fingerprint) {
			throw new HttpError(
				409,
				'conflict',
				`Idempotency-Key ${key} was already used with a different request body.`,
				{
					orderId: seen.orderId,
				},
			);
		}
		const first = /** @type {OrderRecord} */ (ctx.state.orders.get(seen.orderId));
		return send(res, 200, clone(first.order), { 'Idempotent-Replayed': 'true' });
	}
	validateOrder(body);
	checkNotOrderedYet(ctx, body);
	const rec = createOrder(ctx, body, key);
	ctx.state.idempotency.set(key, { fingerprint, orderId: rec.order.id, at: Date.now() });
	return send(res, 201, clone(rec.order), { Location: `/v1/orders/${rec.order.id}` });
}

/**
 * One live order per clientReference and package: a second is a 409
 * naming the first, unless that one was cancelled or expired.
 * @param {import('./state').SandboxContext} ctx
 * @param {Record<string, any>} body a validated order body
 */
function checkNotOrderedYet(ctx, body) {
	if (isBlank(body.clientReference)) return;
	for (const rec of ctx.state.orders.values()) {
		const o = rec.order;
		if (
			o.clientReference === String(body.clientReference) &&
			o.package === body.package &&
			o.status !== 'cancelled' &&
			o.status !== 'expired'
		) {
			throw new HttpError(
				409,
				'conflict',
				`Order ${o.id} (${o.status}) already exists for clientReference ${o.clientReference} and package ${o.package}. Use a new clientReference for a deliberate re-screen.`,
				{ orderId: o.id },
			);
		}
	}
}

/**
 * GET /v1/orders: oldest first, filtered, paged with an opaque cursor.
 * @param {import('./state').SandboxContext} ctx
 * @param {ServerResponse} res
 * @param {URL} url
 */
function listOrders(ctx, res, url) {
	const { limit, statuses, since, afterSeq, clientReference } = parseListQuery(url.searchParams);
	const matches = [...ctx.state.orders.values()]
		.filter((r) => r.seq > afterSeq)
		.filter((r) => !clientReference || r.order.clientReference === clientReference)
		.filter((r) => !statuses || statuses.includes(r.order.status))
		.filter((r) => since === null || Date.parse(r.order.updatedAt) >= since)
		.sort((a, b) => a.seq - b.seq);
	const page = matches.slice(0, limit);
	const nextCursor =
		matches.length > limit
			? Buffer.from(`c1:${page[page.length - 1].seq}`).toString('base64url')
			: null;
	return send(res, 200, { data: page.map((r) => clone(r.order)), nextCursor });
}

/**
 * POST /v1/orders/:id/cancel: any order but a completed one (cancelling twice is fine).
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} id
 */
async function cancelOrder(ctx, req, res, id) {
	await readJson(req, { required: false });
	const rec = getRecord(ctx, id);
	if (rec.order.status === 'completed') {
		throw new HttpError(
			409,
			'conflict',
			`Order ${rec.order.id} is already completed and cannot be cancelled.`,
			{
				orderId: rec.order.id,
			},
		);
	}
	if (rec.order.status !== 'cancelled') transition(ctx, rec, 'cancelled');
	return send(res, 200, clone(rec.order));
}

/**
 * An invited order gets the same link again; an expired one a new link,
 * and it is invited again.
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} id
 */
async function resendInvitation(ctx, req, res, id) {
	await readJson(req, { required: false });
	const rec = getRecord(ctx, id);
	const status = rec.order.status;
	if (status === 'invited') {
		rec.order.updatedAt = newInvitation(ctx, rec, 'resend').sentAt;
		schedule(ctx, rec);
	} else if (status === 'expired') {
		rec.reissued = true;
		newInvitation(ctx, rec, 'reissue');
		transition(ctx, rec, 'invited');
	} else {
		throw new HttpError(
			409,
			'conflict',
			`Order ${rec.order.id} is ${status}: only an invited or expired order's invitation can be resent.`,
			{ orderId: rec.order.id },
		);
	}
	return send(res, 200, clone(rec.order));
}

/**
 * GET /v1/orders/:id/report: where the report is, once the order is completed.
 * @param {import('./state').SandboxContext} ctx
 * @param {ServerResponse} res
 * @param {string} id
 */
function getReport(ctx, res, id) {
	const o = completedOrder(getRecord(ctx, id));
	return send(res, 200, {
		orderId: o.id,
		status: o.status,
		result: o.result,
		url: /** @type {NonNullable<typeof o.report>} */ (o.report).url,
		completedAt: o.completedAt,
	});
}

/**
 * GET /v1/orders/:id/report.pdf
 * @param {import('./state').SandboxContext} ctx
 * @param {ServerResponse} res
 * @param {string} id
 */
function getReportPdf(ctx, res, id) {
	const o = completedOrder(getRecord(ctx, id));
	const pdf = reportPdf(o);
	res.writeHead(200, {
		'Content-Type': 'application/pdf',
		'Content-Length': pdf.length,
		'Content-Disposition': `inline; filename="proforma-report-${o.id}.pdf"`,
	});
	return res.end(pdf);
}

/**
 * Bearer auth with the API key, compared in constant time.
 * @param {IncomingMessage} req
 * @param {string} apiKey
 */
function authenticate(req, apiKey) {
	const auth = req.headers.authorization || '';
	const m = /^Bearer\s+(.+)$/i.exec(auth);
	if (!m || !safeEqual(m[1].trim(), apiKey)) {
		throw new HttpError(
			401,
			'unauthorized',
			m ? 'The API key is not valid.' : 'Missing API key: send "Authorization: Bearer <API key>".',
			{ headers: { 'WWW-Authenticate': 'Bearer realm="proforma"' } },
		);
	}
}

/**
 * The decoded path segments after /v1; a malformed escape is no route.
 * @param {string} method
 * @param {string} path
 */
function pathParts(method, path) {
	try {
		return path
			.split('/')
			.slice(2)
			.map((p) => decodeURIComponent(p));
	} catch {
		throw notFound(method, path);
	}
}

/** @param {string} code */
function packageOf(code) {
	const pkg = PACKAGES.find((p) => p.code === code);
	if (!pkg) throw new HttpError(404, 'not_found', `Package ${code} was not found.`);
	return pkg;
}

/**
 * @param {string | string[] | undefined} header
 * @returns {string} the trimmed key; 400 when missing or longer than 255
 */
function idempotencyKey(header) {
	const key = typeof header === 'string' ? header.trim() : '';
	if (!key) {
		throw new HttpError(
			400,
			'malformed_request',
			'The Idempotency-Key header is required on POST /v1/orders.',
			{
				details: [{ field: 'Idempotency-Key', issue: 'required' }],
			},
		);
	}
	if (key.length > 255) {
		throw new HttpError(
			400,
			'malformed_request',
			'The Idempotency-Key header is longer than 255 characters.',
			{
				details: [{ field: 'Idempotency-Key', issue: 'invalid' }],
			},
		);
	}
	return key;
}

/**
 * The order, or 409 report_not_ready unless it is completed.
 * @param {OrderRecord} rec
 */
function completedOrder(rec) {
	if (rec.order.status !== 'completed') {
		throw new HttpError(
			409,
			'report_not_ready',
			`The report of order ${rec.order.id} is not ready: the order is ${rec.order.status}.`,
			{ orderId: rec.order.id },
		);
	}
	return rec.order;
}

/**
 * GET /v1/orders's query, checked in this order: limit, status,
 * updatedSince, cursor.
 * @param {URLSearchParams} q
 */
function parseListQuery(q) {
	let limit = 50;
	if (q.has('limit')) {
		const raw = /** @type {string} */ (q.get('limit'));
		if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100)
			badQuery('limit', 'limit must be an integer from 1 to 100.');
		limit = Number(raw);
	}
	return {
		limit,
		statuses: parseStatuses(q),
		since: parseSince(q),
		afterSeq: parseCursor(q),
		clientReference: q.get('clientReference'),
	};
}

/**
 * `status=a,b`: any of these.
 * @param {URLSearchParams} q
 * @returns {string[] | null}
 */
function parseStatuses(q) {
	const raw = q.get('status');
	if (!raw) return null;
	const statuses = raw.split(',').map((s) => s.trim());
	const unknown = statuses.filter((s) => !(/** @type {string[]} */ (STATUSES).includes(s)));
	if (unknown.length) {
		badQuery(
			'status',
			`Unknown status ${unknown.join(', ')}: use one of ${STATUSES.join(', ')} (comma-separated for several).`,
		);
	}
	return statuses;
}

/**
 * @param {URLSearchParams} q
 * @returns {number | null}
 */
function parseSince(q) {
	const raw = q.get('updatedSince');
	if (!raw) return null;
	const since = Date.parse(raw);
	if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(since)) {
		badQuery(
			'updatedSince',
			'updatedSince must be an ISO-8601 timestamp such as 2025-01-06T09:00:00Z.',
		);
	}
	return since;
}

/**
 * The cursor is the last listed order's seq, opaque to clients.
 * @param {URLSearchParams} q
 */
function parseCursor(q) {
	const raw = q.get('cursor');
	if (!raw) return 0;
	const m = /^c1:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
	if (!m)
		badQuery('cursor', 'cursor is not valid: pass the nextCursor of the previous page unchanged.');
	return Number(m[1]);
}

/**
 * @param {string} field
 * @param {string} message
 * @returns {never}
 */
function badQuery(field, message) {
	throw new HttpError(400, 'malformed_request', message, {
		details: [{ field, issue: 'invalid' }],
	});
}

module.exports = { handleApi };
