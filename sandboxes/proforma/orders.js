/**
 * Orders and their lifecycle: validation, creation, invitations, and the
 * status steps on the compressed clock. The candidate email's `+tag` picks the
 * outcome (clear, review, adverse, expire, action; bounce is refused).
 * Every status change emits an event (callbacks.js).
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');

const { PACKAGES } = require('./seed');
const { HttpError } = require('./errors');
const { reportUrl } = require('./report');
const { emit } = require('./callbacks');
const { OUTCOMES, RESULTS } = require('./state');
const { newId, iso, isObject, isBlank, validCallbackUrl } = require('./util');
const { clone } = require('../shared/json');

/** @typedef {import('./state').OrderRecord} OrderRecord */
/** @typedef {import('./state').OrderStatus} OrderStatus */
/** @typedef {import('./state').ProformaOrder} ProformaOrder */
/** @typedef {import('./server').SandboxInvitationEmail['kind']} InvitationKind */

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * The `+tag` of an email's local part, lower-cased, or null.
 * @param {unknown} email
 */
function emailTag(email) {
	const m = /^[^@+]*\+([^@]+)@/.exec(String(email || ''));
	return m ? m[1].toLowerCase() : null;
}

/**
 * @param {string} email
 * @returns {import('./state').Outcome}
 */
function outcomeOf(email) {
	const tag = emailTag(email);
	const outcome = OUTCOMES.find((o) => o === tag);
	return outcome ?? 'clear';
}

/**
 * The step the clock (or a manual advance) takes from the order's status;
 * null when the order no longer moves by itself.
 * @param {OrderRecord} rec
 * @returns {OrderStatus | null}
 */
function nextStatus(rec) {
	switch (rec.order.status) {
		case 'invited':
			return rec.outcome === 'expire' && !rec.reissued ? 'expired' : 'submitted';
		case 'submitted':
			return 'in_progress';
		case 'in_progress':
			return rec.outcome === 'action' && !rec.actionDone ? 'action_required' : 'completed';
		case 'action_required':
			return 'in_progress';
		default:
			return null;
	}
}

/**
 * Checks a POST /v1/orders body: 422 with every problem in `details`, or 404
 * for an unknown package (after the body is otherwise valid, as a well-formed
 * order naming a missing resource).
 * @param {Record<string, any>} body
 */
function validateOrder(body) {
	/** @type {import('./errors').ErrorDetail[]} */
	const details = [];
	/** @param {string} field @param {string} issue */
	const add = (field, issue) => details.push({ field, issue });
	if (isBlank(body.package)) add('package', 'required');
	else if (typeof body.package !== 'string') add('package', 'invalid');
	if (body.candidate !== undefined && body.candidate !== null && !isObject(body.candidate))
		add('candidate', 'invalid');
	const c = isObject(body.candidate) ? body.candidate : {};
	checkCandidate(c, add);
	if (!isBlank(body.clientReference) && typeof body.clientReference !== 'string')
		add('clientReference', 'invalid');
	if (!isBlank(body.callbackUrl) && !validCallbackUrl(body.callbackUrl))
		add('callbackUrl', 'invalid');
	if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata))
		add('metadata', 'invalid');
	if (details.length) {
		const undeliverable = details.some((d) => d.issue === 'undeliverable');
		const message = undeliverable
			? `The invitation email to ${c.email} bounced: the address is undeliverable. Correct the candidate's email and retry.`
			: `The order is invalid: ${details.map((d) => `${d.field} ${d.issue.replace('_', ' ')}`).join(', ')}.`;
		throw new HttpError(422, 'validation_failed', message, { details });
	}
	if (typeof body.package === 'string' && !PACKAGES.some((p) => p.code === body.package)) {
		throw new HttpError(
			404,
			'not_found',
			`Package ${body.package} was not found. Known packages: ${PACKAGES.map((p) => p.code).join(', ')}.`,
			{ details: [{ field: 'package', issue: 'not_found' }] },
		);
	}
}

/**
 * @param {Record<string, any>} c the candidate object of an order body
 * @param {(field: string, issue: string) => void} add
 */
function checkCandidate(c, add) {
	for (const f of ['firstName', 'lastName', 'email']) {
		if (isBlank(c[f])) add(`candidate.${f}`, 'required');
		else if (typeof c[f] !== 'string') add(`candidate.${f}`, 'invalid');
	}
	if (typeof c.email === 'string' && !isBlank(c.email)) {
		if (!EMAIL_RE.test(c.email.trim())) add('candidate.email', 'invalid');
		// The sandbox's stand-in for an invitation email that bounces.
		else if (emailTag(c.email) === 'bounce') add('candidate.email', 'undeliverable');
	}
	for (const f of ['phone', 'location']) {
		if (!isBlank(c[f]) && typeof c[f] !== 'string') add(`candidate.${f}`, 'invalid');
	}
}

/**
 * The order as the API shows it, from a validated body.
 * @param {Record<string, any>} body
 * @param {string} now
 * @returns {ProformaOrder}
 */
function newOrder(body, now) {
	const c = body.candidate;
	return {
		id: newId('ord'),
		package: body.package,
		clientReference: isBlank(body.clientReference) ? null : String(body.clientReference),
		status: 'invited',
		result: null,
		candidate: {
			firstName: c.firstName.trim(),
			lastName: c.lastName.trim(),
			email: c.email.trim(),
			phone: isBlank(c.phone) ? null : String(c.phone),
			location: isBlank(c.location) ? null : String(c.location),
		},
		invitation: null,
		report: null,
		createdAt: now,
		updatedAt: now,
		completedAt: null,
		metadata: isObject(body.metadata) ? clone(body.metadata) : {},
	};
}

/**
 * @param {import('./state').SandboxContext} ctx
 * @param {string} id
 * @returns {OrderRecord}
 */
function getRecord(ctx, id) {
	const rec = ctx.state.orders.get(id);
	if (!rec) throw new HttpError(404, 'not_found', `Order ${id} was not found.`);
	return rec;
}

/**
 * Sends the candidate an invitation email with the order's link. A reissue
 * (after expiry) makes a new link and retires the old one; a resend reuses it.
 * @param {import('./state').SandboxContext} ctx
 * @param {OrderRecord} rec
 * @param {InvitationKind} kind
 * @param {number} [now]
 */
function newInvitation(ctx, rec, kind, now = Date.now()) {
	const { state } = ctx;
	if (rec.token) {
		const old = state.tokens.get(rec.token);
		if (old && kind === 'reissue') old.active = false;
	}
	if (!rec.token || kind === 'reissue') {
		rec.token = crypto.randomBytes(12).toString('hex');
		state.tokens.set(rec.token, { orderId: rec.order.id, active: true });
	}
	// An order whose candidate will let the link lapse (+expire) expires after one step.
	const lapses = rec.outcome === 'expire' && !rec.reissued && state.stepMs > 0;
	const invitation = {
		url: `${ctx.baseUrl}/portal/invite/${rec.token}`,
		sentAt: iso(now),
		expiresAt: iso(now + (lapses ? state.stepMs : INVITATION_TTL_MS)),
	};
	rec.order.invitation = invitation;
	const pkg = PACKAGES.find((p) => p.code === rec.order.package);
	state.invitations.push({
		id: newId('eml'),
		orderId: rec.order.id,
		kind,
		to: rec.order.candidate.email,
		subject: `Action needed: complete your ${pkg ? pkg.name : rec.order.package} background screening`,
		url: invitation.url,
		sentAt: invitation.sentAt,
		expiresAt: invitation.expiresAt,
	});
	return invitation;
}

/**
 * (Re)arms the order's next automatic step on the compressed clock.
 * @param {import('./state').SandboxContext} ctx
 * @param {OrderRecord} rec
 */
function schedule(ctx, rec) {
	ctx.work.cancel(rec.timer);
	rec.timer = null;
	rec.nextStepAt = null;
	if (!ctx.state.stepMs || ctx.closed) return;
	const next = nextStatus(rec);
	if (!next) return;
	rec.nextStepAt = iso(Date.now() + ctx.state.stepMs);
	rec.timer = ctx.work.later(() => {
		rec.timer = null;
		transition(ctx, rec, next);
	}, ctx.state.stepMs);
}

/**
 * Moves the order to `status`, emits the event and schedules the next step.
 * @param {import('./state').SandboxContext} ctx
 * @param {OrderRecord} rec
 * @param {OrderStatus} status
 * @param {{ result?: import('./state').Result }} [options] result: forced on completion (manual advance)
 */
function transition(ctx, rec, status, { result } = {}) {
	const order = rec.order;
	const from = order.status;
	const now = iso();
	order.status = status;
	order.updatedAt = now;
	if (status === 'completed') {
		order.result = result || (RESULTS.find((r) => r === rec.outcome) ?? 'clear');
		order.completedAt = now;
		order.report = { url: reportUrl(ctx.baseUrl, order.id), completedAt: now };
	}
	if (status === 'in_progress' && from === 'action_required') rec.actionDone = true;
	rec.history.push({ status, at: now });
	emit(ctx, rec, status === 'completed' ? 'order.completed' : 'order.status_changed');
	schedule(ctx, rec);
}

/**
 * Creates a validated order: invited, with its invitation sent.
 * @param {import('./state').SandboxContext} ctx
 * @param {Record<string, any>} body
 * @param {string} idempotencyKey
 */
function createOrder(ctx, body, idempotencyKey) {
	const nowMs = Date.now();
	const now = iso(nowMs);
	const order = newOrder(body, now);
	/** @type {OrderRecord} */
	const rec = {
		seq: ++ctx.state.seq,
		order,
		outcome: outcomeOf(order.candidate.email),
		actionDone: false,
		reissued: false,
		callbackUrl: isBlank(body.callbackUrl) ? null : body.callbackUrl,
		idempotencyKey,
		token: null,
		timer: null,
		nextStepAt: null,
		history: [{ status: 'invited', at: now }],
		held: [],
	};
	newInvitation(ctx, rec, 'initial', nowMs);
	ctx.state.orders.set(order.id, rec);
	emit(ctx, rec, 'order.created');
	schedule(ctx, rec);
	return rec;
}

module.exports = {
	getRecord,
	newInvitation,
	schedule,
	transition,
	createOrder,
	validateOrder,
	nextStatus,
};
