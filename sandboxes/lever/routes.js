/**
 * The API under /v1: the parts of Lever's Data API this package uses
 * (opportunities with tags, stage, archive state, applications and notes;
 * contacts, stages, postings, tags, users, archive reasons; webhooks).
 * Authentication and faults are handled before (see http.js).
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { badRequest, notFound } = require('./errors');
const { parseBool, parseExpand, parseMs, paginate } = require('./query');
const { renderOpportunity, renderNote } = require('./render');
const { byCreated } = require('./state');
const {
	validateWebhookInput,
	createWebhook,
	publicWebhook,
	createdWebhook,
} = require('./webhooks');
const { changeStage, changeArchived, createNote, readTags } = require('./opportunities');
const { clone } = require('../shared/json');

/** @typedef {import('./state').LeverContext} LeverContext */
/** @typedef {import('./state').Opportunity} Opportunity */
/** @typedef {import('./query').Query} Query */
/** @typedef {{ status: number, body?: unknown } | null} RouteResult null: no such route (404) */

/**
 * A /v1 request, split: /v1/<resource>/<id>/<sub>/<subId>.
 * @typedef {object} V1Request
 * @property {string} method
 * @property {string | undefined} id
 * @property {string | undefined} sub
 * @property {string | undefined} subId
 * @property {Query} q
 * @property {any} body the parsed JSON body, if any
 */

const OPPORTUNITY_EXPANDS = ['applications', 'stage', 'owner', 'followers', 'sourcedBy', 'contact'];

/** The time filters of GET /opportunities: `<name>_start` / `<name>_end`, inclusive. */
const TIME_WINDOWS = /** @type {Array<[string, (o: Opportunity) => number | null]>} */ ([
	['created_at', (o) => o.createdAt],
	['updated_at', (o) => o.updatedAt],
	['advanced_at', (o) => o.lastAdvancedAt],
	['archived_at', (o) => (o.archived ? o.archived.archivedAt : null)],
]);

/** @param {unknown} data */
const one = (data) => ({ status: 200, body: { data } });

/**
 * Answers a /v1 request, or null when no route matches (a 404).
 * @param {LeverContext} ctx
 * @param {string} method
 * @param {string[]} segments the path after /v1, decoded
 * @param {Query} q
 * @param {any} body
 * @returns {RouteResult}
 */
function handleV1(ctx, method, segments, q, body) {
	const [resource, id, sub, subId, ...extra] = segments;
	if (extra.length) return null;
	/** @type {V1Request} */
	const r = { method, id, sub, subId, q, body };
	switch (resource) {
		case 'opportunities':
			return opportunitiesRoute(ctx, r);
		case 'contacts':
			if (method !== 'GET' || !id || sub) return null;
			return one(clone(ctx.state.find(ctx.state.db.contacts, id, 'contacts')));
		case 'stages':
			if (method !== 'GET' || sub) return null;
			return id
				? one(clone(ctx.state.find(ctx.state.db.stages, id, 'stages')))
				: list(ctx, q, 'stages', clone(ctx.state.db.stages));
		case 'postings':
			return postingsRoute(ctx, r);
		case 'tags':
			return method !== 'GET' || id ? null : tagsRoute(ctx, q);
		case 'users':
			return usersRoute(ctx, r);
		case 'archive_reasons':
			return archiveReasonsRoute(ctx, r);
		case 'webhooks':
			return webhooksRoute(ctx, r);
		default:
			return null;
	}
}

/**
 * A page of `items` (see query.js paginate).
 * @template T
 * @param {LeverContext} ctx
 * @param {Query} q
 * @param {string} scope offsets are valid only within their list
 * @param {T[]} items
 */
function list(ctx, q, scope, items) {
	return { status: 200, body: paginate(q, scope, items, ctx.state.offsets) };
}

/**
 * The candidate as answered after a read or a change: with the request's expand and include.
 * @param {LeverContext} ctx
 * @param {Opportunity} opp
 * @param {Query} q
 */
function rendered(ctx, opp, q) {
	return one(
		renderOpportunity(ctx.state.db, opp, parseExpand(q, OPPORTUNITY_EXPANDS), q.all('include')),
	);
}

/**
 * The user named by perform_as (null when absent); Lever rejects an unknown one.
 * @param {LeverContext} ctx
 * @param {Query} q
 */
function checkPerformAs(ctx, q) {
	const performAs = q.get('perform_as');
	if (performAs === null || performAs === '') return null;
	if (!ctx.state.db.users.some((u) => u.id === performAs))
		throw badRequest(`perform_as: users ${performAs} was not found`);
	return performAs;
}

/**
 * /v1/opportunities: the list, one candidate, and the actions on it.
 * @param {LeverContext} ctx
 * @param {V1Request} r
 * @returns {RouteResult}
 */
function opportunitiesRoute(ctx, r) {
	if (!r.id) return r.method === 'GET' ? listOpportunities(ctx, r.q) : null;
	if (r.id === 'deleted')
		return r.method === 'GET'
			? list(ctx, r.q, 'opportunities/deleted', clone(ctx.state.db.deletedOpportunities))
			: null;
	const opp = ctx.state.opportunity(r.id);
	if (!r.sub) return r.method === 'GET' ? rendered(ctx, opp, r.q) : null;
	return opportunityAction(ctx, opp, r);
}

/**
 * /v1/opportunities/:id/<sub>[/<subId>]
 * @param {LeverContext} ctx
 * @param {Opportunity} opp
 * @param {V1Request} r
 * @returns {RouteResult}
 */
function opportunityAction(ctx, opp, { method, sub, subId, q, body }) {
	if (sub === 'addTags' && method === 'POST' && !subId) {
		checkPerformAs(ctx, q);
		let changed = false;
		for (const t of readTags(body)) {
			if (!opp.tags.includes(t)) {
				opp.tags.push(t);
				changed = true;
			}
		}
		if (changed) touch(opp);
		return rendered(ctx, opp, q);
	}
	if (sub === 'removeTags' && method === 'POST' && !subId) {
		checkPerformAs(ctx, q);
		const removed = readTags(body);
		const before = opp.tags.length;
		opp.tags = opp.tags.filter((t) => !removed.includes(t));
		if (opp.tags.length !== before) touch(opp);
		return rendered(ctx, opp, q);
	}
	if (sub === 'stage' && method === 'PUT' && !subId) return putStage(ctx, opp, q, body);
	if (sub === 'archived' && method === 'PUT' && !subId) return putArchived(ctx, opp, q, body);
	if (sub === 'applications' && method === 'GET') return applicationsRoute(ctx, opp, subId, q);
	if (sub === 'notes') return notesRoute(ctx, opp, { method, subId, q, body });
	return null;
}

/**
 * PUT /opportunities/:id/stage: fires candidateStageChange when the stage changes.
 * @param {LeverContext} ctx
 * @param {Opportunity} opp @param {Query} q @param {any} body
 */
function putStage(ctx, opp, q, body) {
	const userId = checkPerformAs(ctx, q);
	if (!body || typeof body.stage !== 'string' || body.stage === '') {
		throw badRequest('Missing required field: stage (a stage id)');
	}
	changeStage(ctx, opp, body.stage, userId);
	return rendered(ctx, opp, q);
}

/**
 * PUT /opportunities/:id/archived: archive with a reason id, or unarchive with null.
 * @param {LeverContext} ctx
 * @param {Opportunity} opp @param {Query} q @param {any} body
 */
function putArchived(ctx, opp, q, body) {
	checkPerformAs(ctx, q);
	if (!body || !('reason' in body)) {
		throw badRequest('Missing required field: reason (an archive reason id, or null to unarchive)');
	}
	if (body.reason !== null && (typeof body.reason !== 'string' || body.reason === '')) {
		throw badRequest('reason must be an archive reason id or null');
	}
	changeArchived(ctx, opp, body.reason);
	return rendered(ctx, opp, q);
}

/**
 * GET /opportunities/:id/applications[/:appId]
 * @param {LeverContext} ctx
 * @param {Opportunity} opp @param {string | undefined} appId @param {Query} q
 */
function applicationsRoute(ctx, opp, appId, q) {
	const apps = opp.applications
		.map((a) => ctx.state.db.applications.find((x) => x.id === a))
		.filter((a) => a !== undefined);
	if (!appId) return list(ctx, q, `applications:${opp.id}`, clone(apps));
	const app = apps.find((a) => a.id === appId);
	if (!app) throw notFound('applications', appId);
	return one(clone(app));
}

/**
 * /opportunities/:id/notes: list, get, create (see createNote) and delete.
 * @param {LeverContext} ctx
 * @param {Opportunity} opp
 * @param {Pick<V1Request, 'method' | 'subId' | 'q' | 'body'>} r
 * @returns {RouteResult}
 */
function notesRoute(ctx, opp, { method, subId, q, body }) {
	const own = (/** @type {import('./state').Note} */ n) =>
		n.id === subId && n.opportunityId === opp.id;
	if (method === 'GET' && !subId) {
		const page = paginate(
			q,
			`notes:${opp.id}`,
			ctx.state.db.notes.filter((n) => n.opportunityId === opp.id).sort(byCreated),
			ctx.state.offsets,
		);
		return { status: 200, body: { ...page, data: page.data.map(renderNote) } };
	}
	if (method === 'GET' && subId) {
		const note = ctx.state.db.notes.find(own);
		if (!note) throw notFound('notes', subId);
		return one(renderNote(note));
	}
	if (method === 'POST' && !subId) {
		const userId = checkPerformAs(ctx, q);
		return {
			status: 201,
			body: { data: createNote(ctx, opp, userId, q.get('note_id'), body) },
		};
	}
	if (method === 'DELETE' && subId) {
		const index = ctx.state.db.notes.findIndex(own);
		if (index < 0) throw notFound('notes', subId);
		ctx.state.db.notes.splice(index, 1);
		touch(opp);
		return { status: 204 };
	}
	return null;
}

/**
 * GET /opportunities: filtered (see opportunityFilter), oldest first, paged.
 * @param {LeverContext} ctx
 * @param {Query} q
 */
function listOpportunities(ctx, q) {
	const expand = parseExpand(q, OPPORTUNITY_EXPANDS);
	const include = q.all('include');
	const matches = opportunityFilter(ctx, q);
	const items = ctx.state.db.opportunities.filter(matches).sort(byCreated);
	const page = paginate(q, 'opportunities', items, ctx.state.offsets);
	return {
		status: 200,
		body: {
			...page,
			data: page.data.map((o) => renderOpportunity(ctx.state.db, o, expand, include)),
		},
	};
}

/**
 * GET /opportunities's filters: a repeated key matches any of its values;
 * different keys must all match.
 * @param {LeverContext} ctx
 * @param {Query} q
 * @returns {(o: Opportunity) => boolean}
 */
function opportunityFilter(ctx, q) {
	const tags = q.all('tag');
	const stageIds = q.all('stage_id');
	const postingIds = q.all('posting_id');
	const emails = q.all('email').map((e) => e.toLowerCase());
	const origins = q.all('origin');
	const contactIds = q.all('contact_id');
	const archiveReasonIds = q.all('archive_reason_id');
	const archived = parseBool(q, 'archived');
	const windows = TIME_WINDOWS.map(([name, value]) => ({
		start: parseMs(q, `${name}_start`),
		end: parseMs(q, `${name}_end`),
		value,
	}));
	/** @type {Array<(o: Opportunity) => boolean>} */
	const tests = [
		(o) => tags.length === 0 || o.tags.some((t) => tags.includes(t)),
		(o) => stageIds.length === 0 || stageIds.includes(o.stage),
		(o) => postingIds.length === 0 || postingIdsOf(ctx, o).some((p) => postingIds.includes(p)),
		(o) =>
			emails.length === 0 || contactOf(ctx, o).emails.some((e) => emails.includes(e.toLowerCase())),
		(o) => origins.length === 0 || origins.includes(o.origin),
		(o) => contactIds.length === 0 || contactIds.includes(o.contact),
		(o) =>
			archiveReasonIds.length === 0 ||
			Boolean(o.archived && archiveReasonIds.includes(o.archived.reason)),
		(o) => archived === undefined || Boolean(o.archived) === archived,
		(o) =>
			windows.every(({ start, end, value }) => {
				if (start === undefined && end === undefined) return true;
				const v = value(o);
				if (v === null || v === undefined) return false;
				return (start === undefined || v >= start) && (end === undefined || v <= end);
			}),
	];
	return (o) => tests.every((test) => test(o));
}

/**
 * @param {LeverContext} ctx
 * @param {Opportunity} opp
 */
function contactOf(ctx, opp) {
	return /** @type {import('./state').Contact} */ (
		ctx.state.db.contacts.find((c) => c.id === opp.contact)
	);
}

/**
 * @param {LeverContext} ctx
 * @param {Opportunity} opp
 */
function postingIdsOf(ctx, opp) {
	return opp.applications
		.map((a) => ctx.state.db.applications.find((x) => x.id === a))
		.filter((a) => a !== undefined)
		.map((a) => a.posting);
}

/**
 * GET /postings[/:id]: filtered by state, tag and the category keys.
 * @param {LeverContext} ctx
 * @param {V1Request} r
 */
function postingsRoute(ctx, { method, id, sub, q }) {
	if (method !== 'GET' || sub) return null;
	if (id) return one(clone(ctx.state.find(ctx.state.db.postings, id, 'postings')));
	const states = q.all('state');
	const tags = q.all('tag');
	const items = ctx.state.db.postings
		.filter((p) => states.length === 0 || states.includes(p.state))
		.filter((p) => tags.length === 0 || p.tags.some((t) => tags.includes(t)))
		.filter((p) =>
			['team', 'department', 'location', 'commitment', 'level'].every(
				(k) => q.all(k).length === 0 || q.all(k).includes(/** @type {string} */ (p.categories[k])),
			),
		)
		.sort(byCreated);
	return list(ctx, q, 'postings', clone(items));
}

/**
 * Every tag in use, with how many candidates carry it, sorted by text. @param {Query} q
 * @param {LeverContext} ctx
 */
function tagsRoute(ctx, q) {
	/** @type {Map<string, number>} */
	const counts = new Map();
	for (const o of ctx.state.db.opportunities)
		for (const t of o.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
	const items = [...counts.entries()]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([text, count]) => ({ text, count }));
	return list(ctx, q, 'tags', items);
}

/**
 * GET /users[/:id]: deactivated users only with includeDeactivated=true.
 * @param {LeverContext} ctx
 * @param {V1Request} r
 */
function usersRoute(ctx, { method, id, sub, q }) {
	if (method !== 'GET' || sub) return null;
	if (id) return one(clone(ctx.state.find(ctx.state.db.users, id, 'users')));
	const email = q.get('email');
	const includeDeactivated = parseBool(q, 'includeDeactivated') === true;
	const roles = [...q.all('accessRole[]'), ...q.all('accessRole')];
	const items = ctx.state.db.users
		.filter((u) => includeDeactivated || !u.deactivatedAt)
		.filter((u) => !email || u.email.toLowerCase() === email.toLowerCase())
		.filter((u) => roles.length === 0 || roles.includes(u.accessRole))
		.sort(byCreated);
	return list(ctx, q, 'users', clone(items));
}

/**
 * GET /archive_reasons[/:id], optionally of one type (hired, non-hired).
 * @param {LeverContext} ctx
 * @param {V1Request} r
 */
function archiveReasonsRoute(ctx, { method, id, sub, q }) {
	if (method !== 'GET' || sub) return null;
	if (id) return one(clone(ctx.state.find(ctx.state.db.archiveReasons, id, 'archive_reasons')));
	const type = q.get('type');
	if (type && type !== 'hired' && type !== 'non-hired')
		throw badRequest('type must be hired or non-hired');
	return list(
		ctx,
		q,
		'archive_reasons',
		clone(ctx.state.db.archiveReasons.filter((r) => !type || r.type === type)),
	);
}

/**
 * The webhooks API sees only webhooks created through it (Lever: settings
 * page webhooks cannot be changed through the API).
 * @param {LeverContext} ctx
 * @param {V1Request} r
 */
function webhooksRoute(ctx, { method, id, sub, q, body }) {
	if (sub) return null;
	if (method === 'GET' && !id) {
		return list(
			ctx,
			q,
			'webhooks',
			ctx.state.webhooks.filter((w) => w.source === 'api').map(publicWebhook),
		);
	}
	if (method === 'POST' && !id) {
		const w = createWebhook(ctx.state.webhooks, validateWebhookInput(body), 'api');
		return { status: 201, body: { data: createdWebhook(w) } };
	}
	if (method === 'DELETE' && id) {
		const index = ctx.state.webhooks.findIndex((w) => w.id === id && w.source === 'api');
		if (index < 0) throw notFound('webhooks', id);
		ctx.state.webhooks.splice(index, 1);
		return { status: 204 };
	}
	return null;
}

/**
 * A change through the API counts as an interaction with the candidate.
 * @param {Opportunity} opp
 */
function touch(opp) {
	opp.updatedAt = Date.now();
	opp.lastInteractionAt = opp.updatedAt;
}

module.exports = { handleV1 };
