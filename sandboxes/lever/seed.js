/**
 * Seed data of the local Lever sandbox (sandboxes/lever/server.js).
 *
 * Every id is fixed so tests, docs and the demo can name records directly.
 * The candidate email's `+tag` (ada+clear@..., grace+review@..., barbara+bounce@...)
 * drives the outcome in the Proforma sandbox. Documented in docs/lever-sandbox.md.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

/** 2025-01-06T09:00:00Z: base of every seed timestamp (ms, like Lever). */
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

const STAGES = [
	{ id: 'stage-new-lead', text: 'New lead' },
	{ id: 'stage-new-applicant', text: 'New applicant' },
	{ id: 'stage-phone-screen', text: 'Phone screen' },
	{ id: 'stage-onsite-interview', text: 'On-site interview' },
	{ id: 'stage-background-screening', text: 'Background Screening' },
	{ id: 'stage-offer', text: 'Offer' },
];

const USERS = [
	{
		id: 'user-riley',
		name: 'Riley Recruiter',
		username: 'riley',
		email: 'riley@example.com',
		accessRole: 'super admin',
		jobTitle: 'Head of Talent',
	},
	{
		id: 'user-morgan',
		name: 'Morgan Manager',
		username: 'morgan',
		email: 'morgan@example.com',
		accessRole: 'team member',
		jobTitle: 'Engineering Manager',
	},
	{
		id: 'user-casey',
		name: 'Casey Coordinator',
		username: 'casey',
		email: 'casey@example.com',
		accessRole: 'limited team member',
		jobTitle: 'Recruiting Coordinator',
		deactivatedAt: T0 - 10 * DAY,
	},
];

const ARCHIVE_REASONS = [
	{ id: 'archive-hired', text: 'Hired', status: 'active', type: 'hired' },
	{ id: 'archive-withdrew', text: 'Withdrew', status: 'active', type: 'non-hired' },
	{ id: 'archive-underqualified', text: 'Underqualified', status: 'active', type: 'non-hired' },
	{ id: 'archive-background-check', text: 'Did not pass background check', status: 'active', type: 'non-hired' },
	{ id: 'archive-position-filled', text: 'Position filled (old)', status: 'inactive', type: 'non-hired' },
];

const POSTINGS = [
	{ id: 'posting-standard', text: 'Software Engineer', team: 'Engineering', location: 'London', tags: ['Proforma_standard', 'Engineering'] },
	{ id: 'posting-executive', text: 'VP of Operations', team: 'Operations', location: 'New York', tags: ['Proforma_Executive Plus'] },
	{ id: 'posting-unknown-pkg', text: 'Data Analyst', team: 'Analytics', location: 'Toronto', tags: ['Proforma_unknown_pkg'] },
	{ id: 'posting-no-pkg', text: 'Office Coordinator', team: 'Workplace', location: 'Remote', tags: ['Remote'] },
];

/**
 * Candidates. `tags` are the opportunity's own tags; the posting's tags are
 * copied in front of them when the seed is built (tag inheritance).
 */
const CANDIDATES = [
	{ key: 'ada', name: 'Ada Lovelace', email: 'ada+clear@example.com', phone: '+44 20 7946 0100', location: 'London, UK', headline: 'Analytical Engines', posting: 'posting-standard', stage: 'stage-onsite-interview', tags: [] },
	{ key: 'grace', name: 'Grace Hopper', email: 'grace+review@example.com', phone: '+1 212 555 0101', location: 'New York, NY', headline: 'Compilers', posting: 'posting-executive', stage: 'stage-onsite-interview', tags: ['Priority: High'] },
	{ key: 'alan', name: 'Alan Turing', email: null, phone: '+44 161 555 0102', location: 'Manchester, UK', headline: 'Computability', posting: 'posting-standard', stage: 'stage-onsite-interview', tags: [] },
	{ key: 'katherine', name: 'Katherine Johnson', email: 'katherine+clear@example.com', phone: '+1 757 555 0103', location: 'Hampton, VA', headline: 'Orbital mechanics', posting: 'posting-unknown-pkg', stage: 'stage-onsite-interview', tags: [] },
	{ key: 'edsger', name: 'Edsger Dijkstra', email: 'edsger+clear@example.com', phone: null, location: 'Austin, TX', headline: 'Structured programming', posting: 'posting-no-pkg', stage: 'stage-onsite-interview', tags: [] },
	{ key: 'barbara', name: 'Barbara Liskov', email: 'barbara+bounce@example.com', phone: '+1 617 555 0105', location: 'Cambridge, MA', headline: 'Abstraction', posting: 'posting-standard', stage: 'stage-onsite-interview', tags: [] },
	{ key: 'margaret', name: 'Margaret Hamilton', email: 'margaret@example.com', phone: null, location: 'Boston, MA', headline: 'Flight software', posting: 'posting-standard', stage: 'stage-new-applicant', tags: ['Referral'] },
	{ key: 'donald', name: 'Donald Knuth', email: 'donald@example.com', phone: null, location: 'Stanford, CA', headline: 'Algorithms', posting: 'posting-no-pkg', stage: 'stage-phone-screen', tags: [] },
	{ key: 'radia', name: 'Radia Perlman', email: 'radia@example.com', phone: null, location: 'Seattle, WA', headline: 'Networking', posting: null, stage: 'stage-new-lead', tags: ['Sourced: Conference'], origin: 'sourced' },
	{ key: 'frances', name: 'Frances Allen', email: 'frances@example.com', phone: null, location: 'New York, NY', headline: 'Optimizing compilers', posting: 'posting-executive', stage: 'stage-phone-screen', tags: [], archived: { reason: 'archive-withdrew' } },
];

/** Ids that tests, docs and the demo refer to. */
const SEED = Object.freeze({
	apiKey: 'sandbox-lever-key',
	stages: Object.freeze({
		newLead: 'stage-new-lead',
		newApplicant: 'stage-new-applicant',
		phoneScreen: 'stage-phone-screen',
		onsiteInterview: 'stage-onsite-interview',
		backgroundScreening: 'stage-background-screening',
		offer: 'stage-offer',
	}),
	users: Object.freeze({ riley: 'user-riley', morgan: 'user-morgan', casey: 'user-casey' }),
	archiveReasons: Object.freeze({
		hired: 'archive-hired',
		withdrew: 'archive-withdrew',
		underqualified: 'archive-underqualified',
		backgroundCheck: 'archive-background-check',
	}),
	postings: Object.freeze({
		standard: 'posting-standard',
		executivePlus: 'posting-executive',
		unknownPackage: 'posting-unknown-pkg',
		noPackage: 'posting-no-pkg',
	}),
	opportunities: Object.freeze(
		Object.fromEntries(CANDIDATES.map((c) => [c.key, `opp-${c.key}`])),
	),
	/** Contact ids: `contact-<key>`; application ids: `app-<key>`. */
	contacts: Object.freeze(Object.fromEntries(CANDIDATES.map((c) => [c.key, `contact-${c.key}`]))),
	applications: Object.freeze(
		Object.fromEntries(CANDIDATES.filter((c) => c.posting).map((c) => [c.key, `app-${c.key}`])),
	),
	opportunityCount: CANDIDATES.length,
});

function uniq(list) {
	return [...new Set(list)];
}

/** A fresh, fully independent copy of the seed state. */
function buildSeedState() {
	const stages = STAGES.map((s) => ({ ...s }));
	const users = USERS.map((u, i) => ({
		id: u.id,
		name: u.name,
		username: u.username,
		email: u.email,
		accessRole: u.accessRole,
		photo: null,
		createdAt: T0 - (400 - i) * DAY,
		deactivatedAt: u.deactivatedAt ?? null,
		externalDirectoryId: null,
		linkedContactIds: [],
		jobTitle: u.jobTitle,
		managerId: null,
	}));
	const archiveReasons = ARCHIVE_REASONS.map((a) => ({ ...a }));
	const postings = POSTINGS.map((p, i) => ({
		id: p.id,
		text: p.text,
		createdAt: T0 - (60 - i) * DAY,
		updatedAt: T0 - (30 - i) * DAY,
		user: 'user-riley',
		owner: 'user-riley',
		hiringManager: 'user-morgan',
		confidentiality: 'non-confidential',
		categories: {
			team: p.team,
			department: p.team,
			location: p.location,
			allLocations: [p.location],
			commitment: 'Full-time',
			level: null,
		},
		content: {
			description: `${p.text} at the sandbox company.`,
			descriptionHtml: `<div>${p.text} at the sandbox company.</div>`,
			lists: [],
			closing: '',
			closingHtml: '',
		},
		country: null,
		followers: ['user-riley'],
		tags: [...p.tags],
		state: 'published',
		distributionChannels: ['public', 'internal'],
		reqCode: null,
		requisitionCodes: [],
		urls: {
			list: 'https://jobs.lever.co/sandbox',
			show: `https://jobs.lever.co/sandbox/${p.id}`,
			apply: `https://jobs.lever.co/sandbox/${p.id}/apply`,
		},
		workplaceType: p.location === 'Remote' ? 'remote' : 'onsite',
	}));
	const postingById = new Map(postings.map((p) => [p.id, p]));

	const contacts = [];
	const applications = [];
	const opportunities = [];
	CANDIDATES.forEach((c, i) => {
		const createdAt = T0 + i * HOUR;
		const advancedAt = createdAt + 2 * DAY;
		const oppId = `opp-${c.key}`;
		const contactId = `contact-${c.key}`;
		contacts.push({
			id: contactId,
			name: c.name,
			headline: c.headline,
			isAnonymized: false,
			location: { name: c.location },
			emails: c.email ? [c.email] : [],
			phones: c.phone ? [{ type: 'mobile', value: c.phone }] : [],
		});
		const appIds = [];
		if (c.posting) {
			const appId = `app-${c.key}`;
			appIds.push(appId);
			applications.push({
				id: appId,
				type: 'posting',
				opportunityId: oppId,
				candidateId: oppId,
				posting: c.posting,
				postingHiringManager: 'user-morgan',
				postingOwner: 'user-riley',
				name: c.name,
				company: null,
				phone: c.phone ? { type: 'mobile', value: c.phone } : null,
				email: c.email,
				links: [],
				comments: null,
				user: null,
				customQuestions: [],
				createdAt,
				archived: null,
				requisitionForHire: null,
			});
		}
		const postingTags = c.posting ? postingById.get(c.posting).tags : [];
		const stageIndex = STAGES.findIndex((s) => s.id === c.stage);
		opportunities.push({
			id: oppId,
			name: c.name,
			headline: c.headline,
			contact: contactId,
			confidentiality: 'non-confidential',
			links: [],
			createdAt,
			updatedAt: advancedAt,
			lastInteractionAt: advancedAt,
			lastAdvancedAt: advancedAt,
			snoozedUntil: null,
			stage: c.stage,
			stageChanges: [
				{ toStageId: STAGES[0].id === c.stage ? c.stage : 'stage-new-applicant', toStageIndex: STAGES[0].id === c.stage ? 0 : 1, userId: null, updatedAt: createdAt },
				...(stageIndex > 1 ? [{ toStageId: c.stage, toStageIndex: stageIndex, userId: 'user-riley', updatedAt: advancedAt }] : []),
			],
			owner: 'user-riley',
			followers: ['user-riley'],
			tags: uniq([...postingTags, ...c.tags]),
			sources: [c.origin === 'sourced' ? 'LinkedIn' : 'Company website'],
			origin: c.origin ?? 'applied',
			sourcedBy: c.origin === 'sourced' ? 'user-riley' : null,
			applications: appIds,
			archived: c.archived ? { archivedAt: advancedAt + DAY, reason: c.archived.reason } : null,
			dataProtection: null,
			isAnonymized: false,
			opportunityLocation: null,
		});
	});

	return {
		stages,
		users,
		archiveReasons,
		postings,
		contacts,
		applications,
		opportunities,
		notes: [],
	};
}

module.exports = { SEED, buildSeedState, SEED_TIME: T0 };
