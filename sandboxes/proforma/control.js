/**
 * The control API under /__sandbox (no auth, loopback clients only): state,
 * reset, the account's callback URL, fault switches, the clock, and moving an
 * order by hand or back in time. Documented in docs/proforma-sandbox.md.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { HttpError, notFound, intIn } = require('./errors');
const { STATUSES, RESULTS, snapshot, reset } = require('./state');
const { nextStatus, getRecord, schedule, transition } = require('./orders');
const { flushHeld } = require('./callbacks');
const { applyFaults } = require('./faults');
const { send, readRawBody, readJson } = require('./http');
const { isBlank, isLoopback, validCallbackUrl } = require('./util');
const { clone } = require('../shared/json');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * Answers a /__sandbox request; anyone but a loopback client gets a 403.
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {URL} url
 */
async function handleControl(ctx, req, res, url) {
	if (!isLoopback(req.socket.remoteAddress)) {
		throw new HttpError(403, 'forbidden', 'The sandbox control API answers loopback clients only.');
	}
	const path = url.pathname.replace(/\/+$/, '');
	const method = req.method;
	if (method === 'GET' && path === '/__sandbox/state') return send(res, 200, snapshot(ctx));
	if (method === 'POST' && path === '/__sandbox/reset') {
		await readRawBody(req);
		reset(ctx);
		return send(res, 200, { ok: true });
	}
	if (method === 'GET' || method === 'POST') {
		const post = method === 'POST';
		if (path === '/__sandbox/account') return send(res, 200, await account(ctx, req, post));
		if (path === '/__sandbox/faults') return send(res, 200, await faults(ctx, req, post));
		if (path === '/__sandbox/clock') return send(res, 200, await clock(ctx, req, post));
	}
	const m = method === 'POST' && /^\/__sandbox\/orders\/([^/]+)\/(advance|backdate)$/.exec(path);
	if (m) {
		const body = await readJson(req, { required: m[2] === 'backdate' });
		const id = decodeURIComponent(m[1]);
		const order = m[2] === 'advance' ? advance(ctx, id, body) : backdate(ctx, id, body.days);
		return send(res, 200, clone(order));
	}
	throw notFound(method, url.pathname);
}

/**
 * The account-level callback URL (orders without their own use it).
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {boolean} post
 */
async function account(ctx, req, post) {
	if (post) {
		const body = await readJson(req, { required: true });
		if (!isBlank(body.callbackUrl) && !validCallbackUrl(body.callbackUrl)) {
			throw new HttpError(422, 'validation_failed', 'callbackUrl must be an http(s) URL or null.', {
				details: [{ field: 'callbackUrl', issue: 'invalid' }],
			});
		}
		ctx.state.account.callbackUrl = isBlank(body.callbackUrl) ? null : body.callbackUrl;
	}
	return clone(ctx.state.account);
}

/**
 * The fault switches and the rate limiter; POST sets them (see faults.js applyFaults).
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {boolean} post
 */
async function faults(ctx, req, post) {
	if (post)
		applyFaults(ctx.state, await readJson(req, { required: true }), (rec) => flushHeld(ctx, rec));
	return clone({ ...ctx.state.faults, rateLimit: ctx.state.rateLimit });
}

/**
 * The compressed clock; POST sets stepMs (0 pauses automatic progress).
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {boolean} post
 */
async function clock(ctx, req, post) {
	if (post) {
		const body = await readJson(req, { required: true });
		setStepMs(ctx, intIn(body.stepMs, 'stepMs', 0, 86400000));
	}
	return { stepMs: ctx.state.stepMs };
}

/**
 * Sets the compressed clock (0 pauses it) and reschedules every order.
 * @param {import('./state').SandboxContext} ctx
 * @param {number} ms
 */
function setStepMs(ctx, ms) {
	ctx.state.stepMs = ms;
	for (const rec of ctx.state.orders.values()) schedule(ctx, rec);
}

/**
 * Moves an order now: to `body.to`, or to its next status; `body.result`
 * forces the result on completion.
 * @param {import('./state').SandboxContext} ctx
 * @param {string} id
 * @param {Record<string, any>} body
 */
function advance(ctx, id, body) {
	const rec = getRecord(ctx, id);
	const o = rec.order;
	checkAdvance(body);
	if (o.status === 'completed' || o.status === 'cancelled') {
		throw new HttpError(409, 'conflict', `Order ${o.id} is ${o.status}: it cannot move any more.`, {
			orderId: o.id,
		});
	}
	const to = body.to || nextStatus(rec);
	if (!to) {
		throw new HttpError(
			409,
			'conflict',
			`Order ${o.id} is ${o.status}: resend the invitation to revive it.`,
			{
				orderId: o.id,
			},
		);
	}
	if (to === o.status) return o;
	transition(ctx, rec, to, { result: body.result || undefined });
	return o;
}

/** @param {Record<string, any>} body */
function checkAdvance(body) {
	if (body.to !== undefined && !STATUSES.includes(body.to)) {
		throw new HttpError(422, 'validation_failed', `to must be one of ${STATUSES.join(', ')}.`, {
			details: [{ field: 'to', issue: 'invalid' }],
		});
	}
	if (body.result !== undefined && body.result !== null && !RESULTS.includes(body.result)) {
		throw new HttpError(422, 'validation_failed', `result must be one of ${RESULTS.join(', ')}.`, {
			details: [{ field: 'result', issue: 'invalid' }],
		});
	}
}

/**
 * Moves every date of an order `days` back, as if it had happened that long
 * ago (for re-screening after N days); its progress and callbacks are unchanged.
 * @param {import('./state').SandboxContext} ctx
 * @param {string} id
 * @param {unknown} days
 */
function backdate(ctx, id, days) {
	const o = getRecord(ctx, id).order;
	const shiftMs = intIn(days, 'days', 1, 3650) * 24 * 60 * 60 * 1000;
	const back = (/** @type {string} */ at) => new Date(Date.parse(at) - shiftMs).toISOString();
	o.createdAt = back(o.createdAt);
	o.updatedAt = back(o.updatedAt);
	if (o.completedAt) o.completedAt = back(o.completedAt);
	if (o.report) o.report.completedAt = back(o.report.completedAt);
	if (o.invitation) {
		o.invitation.sentAt = back(o.invitation.sentAt);
		o.invitation.expiresAt = back(o.invitation.expiresAt);
	}
	return o;
}

module.exports = { handleControl, setStepMs, advance, backdate };
