/**
 * The control API under /__sandbox (no auth, never affected by faults or the
 * rate limit): what tests and demos do in Lever's UI (move one candidate or
 * many, archive or add a candidate, register a webhook in the settings page,
 * ping, rerun a delivery), plus state, reset, faults, the rate limit and a
 * summary of the deliveries. Documented in docs/lever-sandbox.md.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { SEED } = require('./seed');
const { badRequest, notFound } = require('./errors');
const { renderOpportunity } = require('./render');
const { validateWebhookInput, createWebhook, randomHex } = require('./webhooks');
const { setFaults, setRateLimit } = require('./faults');
const {
	changeStage,
	bulkMoveToStage,
	changeArchived,
	createOpportunity,
	deleteOpportunity,
} = require('./opportunities');
const { pingWebhook, rerunDelivery, summarizeDeliveries } = require('./deliveries');
const { reset } = require('./state');
const { clone } = require('../shared/json');

/** @typedef {import('./routes').RouteResult} RouteResult */
/** @typedef {import('./state').LeverContext} LeverContext */

/**
 * A /__sandbox request, split: /__sandbox/<resource>/<id>/<action>.
 * @typedef {object} ControlRequest
 * @property {string} method
 * @property {string | undefined} id
 * @property {string | undefined} action
 * @property {any} body
 */

/**
 * @param {unknown} data
 * @param {number} [status]
 */
const ok = (data, status = 200) => ({ status, body: data });

/**
 * Answers a /__sandbox request, or null when no route matches (a 404).
 * @param {LeverContext} ctx
 * @param {string} method
 * @param {string[]} segments the path after /__sandbox, decoded
 * @param {any} body
 * @returns {Promise<RouteResult>}
 */
async function handleControl(ctx, method, segments, body) {
	const [resource, id, action] = segments;
	/** @type {ControlRequest} */
	const r = { method, id, action, body };
	switch (resource) {
		case 'state':
			return method === 'GET' && !id ? ok(ctx.state.snapshot()) : null;
		case 'reset':
			if (method !== 'POST' || id) return null;
			reset(ctx, { keepWebhooks: Boolean(body && body.keepWebhooks) });
			return ok({ ok: true });
		case 'faults':
			return id ? null : faultsRoute(ctx, r);
		case 'rate-limit':
			return id ? null : rateLimitRoute(ctx, r);
		case 'opportunities':
			return opportunitiesRoute(ctx, r);
		case 'webhooks':
			return webhooksRoute(ctx, r);
		case 'deliveries':
			return deliveriesRoute(ctx, r);
		default:
			return null;
	}
}

/**
 * GET, POST (set) and DELETE (clear) the fault counters.
 * @param {LeverContext} ctx
 * @param {ControlRequest} r
 */
function faultsRoute(ctx, { method, body }) {
	if (method === 'GET') return ok(clone(ctx.state.faults));
	if (method === 'DELETE') {
		setFaults(ctx.state, {
			failNext: { count: 0 },
			rateLimitNext: { count: 0 },
			slowNext: { count: 0 },
		});
		return ok(clone(ctx.state.faults));
	}
	if (method === 'POST') return ok(setFaults(ctx.state, body || {}));
	return null;
}

/**
 * GET the rate limit (null when off); POST `{perSecond, burst}` or `{enabled: false}`.
 * @param {LeverContext} ctx
 * @param {ControlRequest} r
 */
function rateLimitRoute(ctx, { method, body }) {
	if (method === 'GET') return ok(ctx.state.rateLimitState());
	if (method === 'POST') {
		if (!body || typeof body !== 'object' || Array.isArray(body))
			throw badRequest(
				'The body must be a JSON object: {"perSecond": n, "burst": n} to set the limit, or {"enabled": false} to switch it off',
			);
		return ok(setRateLimit(ctx.state, body));
	}
	return null;
}

/**
 * A recruiter in Lever's UI: add a candidate, move one or many (the bulk
 * action), archive or delete one. Each answer lists the deliveries the change started;
 * they go out after the answer.
 * @param {LeverContext} ctx
 * @param {ControlRequest} r
 */
function opportunitiesRoute(ctx, { method, id, action, body }) {
	if (!id && method === 'POST') {
		const { opp, deliveryIds } = createOpportunity(ctx, body);
		return ok({ data: renderOpportunity(ctx.state.db, opp), deliveries: deliveryIds }, 201);
	}
	if (id === 'bulk-stage' && !action && method === 'POST') {
		if (!body || typeof body !== 'object')
			throw badRequest(
				'The body must be {"opportunityIds": [...], "stageId": "...", "concurrency"?: n}',
			);
		return ok(
			bulkMoveToStage(ctx, body.opportunityIds, body.stageId, {
				concurrency: body.concurrency,
				performAs: body.performAs,
			}),
		);
	}
	if (id && action === 'stage' && method === 'POST') {
		const opp = ctx.state.opportunity(id);
		const stageId = body && (body.stageId ?? body.stage);
		if (typeof stageId !== 'string' || !stageId)
			throw badRequest('Missing required field: stageId');
		const deliveryIds = changeStage(
			ctx,
			opp,
			stageId,
			(body && body.performAs) || SEED.users.riley,
		);
		return ok({ data: renderOpportunity(ctx.state.db, opp), deliveries: deliveryIds });
	}
	if (id && !action && method === 'DELETE') {
		const deliveryIds = deleteOpportunity(ctx, ctx.state.opportunity(id));
		return ok({ deleted: id, deliveries: deliveryIds });
	}
	if (id && action === 'archived' && method === 'POST') {
		const opp = ctx.state.opportunity(id);
		if (!body || !('reason' in body)) throw badRequest('Missing required field: reason (or null)');
		const deliveryIds = changeArchived(ctx, opp, body.reason);
		return ok({ data: renderOpportunity(ctx.state.db, opp), deliveries: deliveryIds });
	}
	return null;
}

/**
 * Every webhook, both kinds, with tokens: Lever's settings page.
 * @param {LeverContext} ctx
 * @param {ControlRequest} r
 * @returns {Promise<RouteResult>}
 */
async function webhooksRoute(ctx, { method, id, action, body }) {
	if (!id && method === 'GET') return ok({ data: clone(ctx.state.webhooks) });
	if (!id && method === 'POST') {
		const input = validateWebhookInput(body, { requireConfigurationShape: false });
		const w = createWebhook(ctx.state.webhooks, input, 'settings');
		return ok(
			{
				id: w.id,
				event: w.event,
				url: w.url,
				signatureToken: w.signatureToken,
				conditions: clone(w.conditions),
			},
			201,
		);
	}
	if (id && !action && method === 'DELETE') {
		const index = ctx.state.webhooks.findIndex((w) => w.id === id);
		if (index < 0) throw notFound('webhooks', id);
		ctx.state.webhooks.splice(index, 1);
		return { status: 204 };
	}
	if (id && action === 'regenerate-token' && method === 'POST') {
		const w = ctx.state.find(ctx.state.webhooks, id, 'webhooks');
		w.signatureToken = randomHex(48);
		w.updatedAt = Date.now();
		return ok({ id: w.id, signatureToken: w.signatureToken });
	}
	if (id && action === 'ping' && method === 'POST') return ok(clone(await pingWebhook(ctx, id)));
	return null;
}

/**
 * Lever's delivery history, with its Rerun button, and its summary.
 * @param {LeverContext} ctx
 * @param {ControlRequest} r
 * @returns {Promise<RouteResult>}
 */
async function deliveriesRoute(ctx, { method, id, action }) {
	if (!id && method === 'GET') return ok({ data: clone(ctx.state.deliveries) });
	if (id === 'summary' && !action && method === 'GET')
		return ok(summarizeDeliveries(ctx.state.deliveries));
	if (id && !action && method === 'GET')
		return ok(clone(ctx.state.find(ctx.state.deliveries, id, 'deliveries')));
	if (id && action === 'rerun' && method === 'POST') {
		const { delivery, record } = await rerunDelivery(ctx, id);
		return ok({ delivery: clone(delivery), attempt: clone(record) });
	}
	return null;
}

module.exports = { handleControl };
