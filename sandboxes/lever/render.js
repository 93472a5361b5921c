/**
 * Stored records in the shape Lever's API answers them: an opportunity with
 * its contact's fields folded in, ids swapped for objects where `expand` asks,
 * and fields cut down to `include`.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { clone } = require('../shared/json');

/** @typedef {import('./state').LeverDb} LeverDb */
/** @typedef {import('./state').Opportunity} Opportunity */
/** @typedef {Record<string, unknown> & { id: string }} RenderedOpportunity */

/**
 * An opportunity as GET /v1/opportunities[/:id] answers it.
 * @param {LeverDb} db
 * @param {Opportunity} opp
 * @param {Set<string>} [expand] ids to replace by their objects
 * @param {string[]} [include] when not empty, the only fields kept (with `id`
 *   and the expanded ones: expand takes precedence over include)
 * @returns {RenderedOpportunity}
 */
function renderOpportunity(db, opp, expand = new Set(), include = []) {
	// Expanded fields replace plain ones in place, so the field order stays Lever's.
	const out = { ...plainOpportunity(db, opp), ...expandedFields(db, opp, expand) };
	if (include.length === 0) return out;
	const keep = new Set(['id', ...include, ...expand]);
	const kept = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
	return /** @type {RenderedOpportunity} */ (kept);
}

/**
 * The opportunity with no expansion (also what GET /__sandbox/state lists).
 * @param {LeverDb} db
 * @param {Opportunity} opp
 */
function plainOpportunity(db, opp) {
	const contact = /** @type {import('./state').Contact} */ (
		db.contacts.find((c) => c.id === opp.contact)
	);
	return {
		id: opp.id,
		name: opp.name,
		headline: opp.headline,
		contact: opp.contact,
		emails: [...contact.emails],
		phones: clone(contact.phones),
		confidentiality: opp.confidentiality,
		location: contact.location ? contact.location.name : null,
		links: [...opp.links],
		createdAt: opp.createdAt,
		updatedAt: opp.updatedAt,
		lastInteractionAt: opp.lastInteractionAt,
		lastAdvancedAt: opp.lastAdvancedAt,
		snoozedUntil: opp.snoozedUntil,
		archivedAt: opp.archived ? opp.archived.archivedAt : null,
		archiveReason: opp.archived ? opp.archived.reason : null,
		stage: opp.stage,
		stageChanges: clone(opp.stageChanges),
		owner: opp.owner,
		tags: [...opp.tags],
		sources: [...opp.sources],
		origin: opp.origin,
		sourcedBy: opp.sourcedBy,
		applications: [...opp.applications],
		resume: null,
		followers: [...opp.followers],
		urls: {
			list: 'https://hire.lever.co/candidates',
			show: `https://hire.lever.co/candidates/${opp.id}`,
		},
		archived: opp.archived ? clone(opp.archived) : null,
		dataProtection: opp.dataProtection,
		isAnonymized: opp.isAnonymized,
		opportunityLocation: opp.opportunityLocation,
	};
}

/**
 * The fields `expand` names, as objects. An id with no record stays an id.
 * @param {LeverDb} db
 * @param {Opportunity} opp
 * @param {Set<string>} expand
 * @returns {Record<string, unknown>}
 */
function expandedFields(db, opp, expand) {
	/** @param {string | null} id */
	const userObj = (id) => (id ? clone(db.users.find((u) => u.id === id) ?? id) : null);
	/** @type {Record<string, () => unknown>} */
	const expanders = {
		contact: () => clone(db.contacts.find((c) => c.id === opp.contact)),
		stage: () => clone(db.stages.find((s) => s.id === opp.stage) ?? opp.stage),
		owner: () => userObj(opp.owner),
		sourcedBy: () => userObj(opp.sourcedBy),
		applications: () =>
			opp.applications.map((id) => clone(db.applications.find((a) => a.id === id))).filter(Boolean),
		followers: () => opp.followers.map(userObj),
	};
	return Object.fromEntries(
		Object.keys(expanders)
			.filter((field) => expand.has(field))
			.map((field) => [field, expanders[field]()]),
	);
}

/**
 * A note as the API shows it: without the sandbox's `opportunityId`.
 * @param {import('./state').Note} note
 */
function renderNote(note) {
	const { opportunityId, ...rest } = note;
	return clone(rest);
}

module.exports = { renderOpportunity, plainOpportunity, renderNote };
