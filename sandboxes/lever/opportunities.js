/**
 * Changes to candidates (opportunities) and the webhook events they fire:
 * stage moves (one, or many at once as Lever's bulk action does), archiving,
 * tags, notes, and a new candidate applying. Both the
 * API routes (/v1) and the control API (a recruiter in Lever's UI) use them.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');

const { ApiError, badRequest, notFound } = require('./errors');
const { ORIGINS } = require('./webhooks');
const { createGate, fireEvent } = require('./deliveries');
const { clone } = require('../shared/json');

/** @typedef {import('./state').Opportunity} Opportunity */
/** @typedef {import('./state').Posting} Posting */

/**
 * How many deliveries of a bulk move are on the wire at once unless told.
 * The sandbox's assumption: Lever does not document its delivery concurrency.
 */
const DEFAULT_BULK_CONCURRENCY = 10;

/**
 * What POST /__sandbox/opportunities takes.
 * @typedef {object} NewOpportunity
 * @property {string} name
 * @property {string} [headline]
 * @property {string} [email]
 * @property {string} [phone]
 * @property {string} [location]
 * @property {string} [postingId]
 * @property {string} [stageId]
 * @property {string[]} [tags]
 * @property {string} [origin]
 * @property {string} [id]
 */

/**
 * Moves the candidate; fires candidateStageChange unless it is already there.
 * @param {import('./state').LeverContext} ctx
 * @param {Opportunity} opp
 * @param {string} stageId
 * @param {string | null} userId who moved it (perform_as)
 * @param {{ gate?: import('./deliveries').Gate }} [options] gate: a bulk move's
 * @returns {string[]} the ids of the deliveries started
 */
function changeStage(ctx, opp, stageId, userId, options = {}) {
	const stageIndex = ctx.state.db.stages.findIndex((s) => s.id === stageId);
	if (stageIndex < 0) throw notFound('stages', stageId);
	if (opp.stage === stageId) return [];
	const now = Date.now();
	const fromStageId = opp.stage;
	opp.stage = stageId;
	opp.stageChanges.push({
		toStageId: stageId,
		toStageIndex: stageIndex,
		userId: userId ?? null,
		updatedAt: now,
	});
	opp.updatedAt = now;
	opp.lastAdvancedAt = now;
	opp.lastInteractionAt = now;
	return fireEvent(
		ctx,
		'candidateStageChange',
		{
			opportunityId: opp.id,
			candidateId: opp.id,
			contactId: opp.contact,
			toStageId: stageId,
			fromStageId,
		},
		opp,
		options,
	);
}

/**
 * Lever's bulk action: many candidates moved to one stage at once. Everything
 * is checked before anything moves. Each candidate moved fires the same
 * candidateStageChange as a single move; the deliveries of the whole move go
 * out at most `concurrency` at a time. Candidates already at the stage stay
 * as they are and fire nothing (as a single move).
 * @param {import('./state').LeverContext} ctx
 * @param {unknown} opportunityIds
 * @param {unknown} stageId
 * @param {{ concurrency?: unknown, performAs?: unknown }} [options]
 * @returns {{ moved: number, deliveryIds: string[] }}
 */
function bulkMoveToStage(ctx, opportunityIds, stageId, options = {}) {
	if (!Array.isArray(opportunityIds) || opportunityIds.length === 0)
		throw badRequest('opportunityIds must be a non-empty array of opportunity ids');
	const notText = opportunityIds.filter((id) => typeof id !== 'string' || id === '');
	if (notText.length)
		throw badRequest(
			`opportunityIds must hold non-empty strings only (got ${notText.map((v) => JSON.stringify(v)).join(', ')})`,
		);
	const ids = /** @type {string[]} */ (opportunityIds);
	const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
	if (twice.length) throw badRequest(`opportunityIds lists ${twice.join(', ')} more than once`);
	if (typeof stageId !== 'string' || stageId === '')
		throw badRequest('Missing required field: stageId');
	const { db } = ctx.state;
	if (!db.stages.some((s) => s.id === stageId))
		throw badRequest(
			`Unknown stage ${stageId}: use one of ${db.stages.map((s) => s.id).join(', ')}`,
		);
	const unknown = ids.filter((id) => !db.opportunities.some((o) => o.id === id));
	if (unknown.length)
		throw badRequest(
			`Unknown opportunities: ${unknown.join(', ')}. Nothing was moved; remove them and send the move again`,
		);
	const concurrency = options.concurrency ?? DEFAULT_BULK_CONCURRENCY;
	if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1)
		throw badRequest(
			`concurrency must be a positive integer (the most deliveries in flight at once), got ${JSON.stringify(options.concurrency)}`,
		);
	const performAs = options.performAs ?? 'user-riley';
	if (typeof performAs !== 'string' || performAs === '')
		throw badRequest('performAs must be a user id');
	const gate = createGate(concurrency);
	let moved = 0;
	/** @type {string[]} */
	const deliveryIds = [];
	for (const id of ids) {
		const opp = ctx.state.opportunity(id);
		if (opp.stage === stageId) continue;
		deliveryIds.push(...changeStage(ctx, opp, stageId, performAs, { gate }));
		moved += 1;
	}
	return { moved, deliveryIds };
}

/**
 * Archives with `reason`, or unarchives with null. Fires
 * candidateArchiveChange, and candidateHired for a reason of type 'hired'.
 * @param {import('./state').LeverContext} ctx
 * @param {Opportunity} opp
 * @param {string | null} reason an archive reason id
 * @returns {string[]} the ids of the deliveries started
 */
function changeArchived(ctx, opp, reason) {
	if (reason !== null) ctx.state.find(ctx.state.db.archiveReasons, reason, 'archive_reasons');
	const from = opp.archived ? clone(opp.archived) : null;
	if ((from && from.reason) === (reason ?? null) || (!from && reason === null)) return [];
	const now = Date.now();
	opp.archived = reason === null ? null : { archivedAt: now, reason };
	opp.updatedAt = now;
	opp.lastInteractionAt = now;
	const ids = fireEvent(
		ctx,
		'candidateArchiveChange',
		{
			opportunityId: opp.id,
			candidateId: opp.id,
			contactId: opp.contact,
			fromArchived: from,
			toArchived: clone(opp.archived),
		},
		opp,
	);
	const reasonObj = reason && ctx.state.db.archiveReasons.find((r) => r.id === reason);
	if (reasonObj && reasonObj.type === 'hired') {
		ids.push(
			...fireEvent(
				ctx,
				'candidateHired',
				{ opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact },
				opp,
			),
		);
	}
	return ids;
}

/**
 * Deletes the candidate, as Lever's "Delete candidate" or a data-retention purge
 * does: the API answers 404 for it from now on and lists it under
 * /opportunities/deleted; fires candidateDeleted.
 * @param {import('./state').LeverContext} ctx
 * @param {Opportunity} opp
 * @returns {string[]} the ids of the deliveries started
 */
function deleteOpportunity(ctx, opp) {
	const { db } = ctx.state;
	db.opportunities.splice(db.opportunities.indexOf(opp), 1);
	db.deletedOpportunities.push({ id: opp.id, deletedAt: Date.now() });
	return fireEvent(
		ctx,
		'candidateDeleted',
		{ opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact },
		opp,
	);
}

/**
 * A new candidate: contact, application (when a posting is given, firing
 * applicationCreated) and opportunity.
 * @param {import('./state').LeverContext} ctx
 * @param {NewOpportunity} input
 * @returns {{ opp: Opportunity, deliveryIds: string[] }}
 */
function createOpportunity(ctx, input) {
	if (!input || typeof input.name !== 'string' || input.name.trim() === '')
		throw badRequest('Missing required field: name');
	const posting = input.postingId
		? ctx.state.find(ctx.state.db.postings, input.postingId, 'postings')
		: null;
	const stageId = input.stageId ?? 'stage-new-applicant';
	ctx.state.find(ctx.state.db.stages, stageId, 'stages');
	const origin = input.origin ?? 'applied';
	if (!ORIGINS.includes(origin)) throw badRequest(`origin must be one of: ${ORIGINS.join(', ')}`);
	const now = Date.now();
	const suffix = crypto.randomUUID();
	const oppId = input.id ?? `opp-${suffix}`;
	if (ctx.state.db.opportunities.some((o) => o.id === oppId)) {
		throw new ApiError(409, 'Conflict', `opportunities ${oppId} already exists`);
	}
	const contactId = `contact-${suffix}`;
	ctx.state.db.contacts.push(newContact(contactId, input));
	const appIds = posting ? [`app-${suffix}`] : [];
	if (posting)
		ctx.state.db.applications.push(newApplication(appIds[0], oppId, posting, input, now));
	const opp = newOpportunity(ctx, oppId, contactId, appIds, posting, input, {
		stageId,
		origin,
		now,
	});
	ctx.state.db.opportunities.push(opp);
	const deliveryIds = posting
		? fireEvent(
				ctx,
				'applicationCreated',
				{
					opportunityId: opp.id,
					candidateId: opp.id,
					contactId,
					applicationId: appIds[0],
					postingId: posting.id,
				},
				opp,
			)
		: [];
	return { opp, deliveryIds };
}

/**
 * @param {import('./state').LeverContext} ctx
 * @param {string} id
 * @param {string} contactId
 * @param {string[]} appIds
 * @param {Posting | null} posting
 * @param {NewOpportunity} input
 * @param {{ stageId: string, origin: string, now: number }} at
 * @returns {Opportunity}
 */
function newOpportunity(ctx, id, contactId, appIds, posting, input, { stageId, origin, now }) {
	const stageIndex = ctx.state.db.stages.findIndex((s) => s.id === stageId);
	return {
		id,
		name: input.name,
		headline: input.headline ?? '',
		contact: contactId,
		confidentiality: 'non-confidential',
		links: [],
		createdAt: now,
		updatedAt: now,
		lastInteractionAt: now,
		lastAdvancedAt: now,
		snoozedUntil: null,
		stage: stageId,
		stageChanges: [{ toStageId: stageId, toStageIndex: stageIndex, userId: null, updatedAt: now }],
		owner: 'user-riley',
		followers: ['user-riley'],
		// Tag inheritance: the posting's tags are copied when the application is created.
		tags: [
			...new Set([
				...(posting ? posting.tags : []),
				...(Array.isArray(input.tags) ? input.tags : []),
			]),
		],
		sources: ['Company website'],
		origin,
		sourcedBy: null,
		applications: appIds,
		archived: null,
		dataProtection: null,
		isAnonymized: false,
		opportunityLocation: null,
	};
}

/**
 * POST /opportunities/:id/notes: a new note, or with `note_id` one more
 * field on an existing note (how Lever threads replies).
 * @param {import('./state').LeverContext} ctx
 * @param {Opportunity} opp
 * @param {string | null} userId perform_as
 * @param {string | null} noteId the note_id query parameter
 * @param {any} body
 * @returns {{ noteId: string }}
 */
function createNote(ctx, opp, userId, noteId, body) {
	const { field, createdAt, now } = readNoteField(body, userId, opp.stage);
	if (noteId) {
		const parent = ctx.state.db.notes.find((n) => n.id === noteId && n.opportunityId === opp.id);
		if (!parent) throw notFound('notes', noteId);
		parent.fields.push(field);
		opp.updatedAt = now;
		return { noteId: parent.id };
	}
	const note = {
		id: crypto.randomUUID(),
		opportunityId: opp.id,
		text: 'Note',
		fields: [field],
		user: userId,
		secret: body.secret === true,
		notifyFollowers: body.notifyFollowers === true,
		createdAt,
		completedAt: createdAt,
		deletedAt: null,
	};
	ctx.state.db.notes.push(note);
	opp.updatedAt = now;
	opp.lastInteractionAt = now;
	return { noteId: note.id };
}

/**
 * @param {string} id
 * @param {NewOpportunity} input
 * @returns {import('./state').Contact}
 */
function newContact(id, input) {
	return {
		id,
		name: input.name,
		headline: input.headline ?? '',
		isAnonymized: false,
		location: input.location ? { name: input.location } : null,
		emails: input.email ? [input.email] : [],
		phones: input.phone ? [{ type: 'mobile', value: input.phone }] : [],
	};
}

/**
 * @param {string} id
 * @param {string} oppId
 * @param {Posting} posting
 * @param {NewOpportunity} input
 * @param {number} now
 * @returns {import('./state').Application}
 */
function newApplication(id, oppId, posting, input, now) {
	return {
		id,
		type: 'posting',
		opportunityId: oppId,
		candidateId: oppId,
		posting: posting.id,
		postingHiringManager: posting.hiringManager,
		postingOwner: posting.owner,
		name: input.name,
		company: null,
		phone: input.phone ? { type: 'mobile', value: input.phone } : null,
		email: input.email ?? null,
		links: [],
		comments: null,
		user: null,
		customQuestions: [],
		createdAt: now,
		archived: null,
		requisitionForHire: null,
	};
}

/**
 * The body of add/remove tags: a non-empty array of non-empty strings.
 * @param {any} body
 * @returns {string[]}
 */
function readTags(body) {
	if (!body || !Array.isArray(body.tags) || body.tags.length === 0) {
		throw badRequest('Missing required field: tags (a non-empty array of strings)');
	}
	for (const t of body.tags) {
		if (typeof t !== 'string' || t.length === 0) throw badRequest('tags must be non-empty strings');
	}
	return body.tags;
}

/**
 * Validates a note body into its field. `createdAt` may backdate a note
 * (imports), never date it in the future. `now` is also the candidate's new
 * updatedAt.
 * @param {any} body
 * @param {string | null} userId
 * @param {string} stage the candidate's stage when the note is written
 */
function readNoteField(body, userId, stage) {
	if (!body || typeof body.value !== 'string' || body.value.trim() === '') {
		throw badRequest('Missing required field: value (the note text)');
	}
	if (body.secret !== undefined && typeof body.secret !== 'boolean')
		throw badRequest('secret must be a boolean');
	if (body.notifyFollowers !== undefined && typeof body.notifyFollowers !== 'boolean') {
		throw badRequest('notifyFollowers must be a boolean');
	}
	/** @type {number | null} */
	const score = body.score ?? null;
	if (score !== null && (!Number.isInteger(score) || score < 1 || score > 4)) {
		throw badRequest('score must be an integer from 1 (Strong No) to 4 (Strong Yes)');
	}
	const now = Date.now();
	let createdAt = now;
	if (body.createdAt !== undefined && body.createdAt !== null) {
		if (!Number.isInteger(body.createdAt))
			throw badRequest('createdAt must be a timestamp in milliseconds');
		if (body.createdAt > now) throw badRequest('You cannot create a note in the future');
		createdAt = body.createdAt;
	}
	const field = {
		type: 'note',
		text: 'Note',
		value: body.value,
		createdAt,
		user: userId,
		score,
		stage,
	};
	return { field, createdAt, now };
}

module.exports = {
	DEFAULT_BULK_CONCURRENCY,
	changeStage,
	bulkMoveToStage,
	changeArchived,
	deleteOpportunity,
	createOpportunity,
	createNote,
	readTags,
};
