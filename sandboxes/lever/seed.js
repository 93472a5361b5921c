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
	{
		id: 'archive-background-check',
		text: 'Did not pass background check',
		status: 'active',
		type: 'non-hired',
	},
	{
		id: 'archive-position-filled',
		text: 'Position filled (old)',
		status: 'inactive',
		type: 'non-hired',
	},
];

const POSTINGS = [
	{
		id: 'posting-standard',
		text: 'Software Engineer',
		team: 'Engineering',
		location: 'London',
		tags: ['Proforma_standard', 'Engineering'],
	},
	{
		id: 'posting-executive',
		text: 'VP of Operations',
		team: 'Operations',
		location: 'New York',
		tags: ['Proforma_Executive Plus'],
	},
	{
		id: 'posting-unknown-pkg',
		text: 'Data Analyst',
		team: 'Analytics',
		location: 'Toronto',
		tags: ['Proforma_unknown_pkg'],
	},
	{
		id: 'posting-no-pkg',
		text: 'Office Coordinator',
		team: 'Workplace',
		location: 'Remote',
		tags: ['Remote'],
	},
];

/**
 * @typedef {object} Candidate
 * @property {keyof import('./server').LeverSeedIds['opportunities']} key
 * @property {string} name
 * @property {string | null} email
 * @property {string | null} phone
 * @property {string} location
 * @property {string} headline
 * @property {string | null} posting
 * @property {string} stage
 * @property {string[]} tags
 * @property {string} [origin]
 * @property {{ reason: string }} [archived]
 */

/**
 * Candidates. `tags` are the opportunity's own tags; the posting's tags are
 * copied in front of them when the seed is built (tag inheritance).
 * @type {Candidate[]}
 */
const CANDIDATES = [
	{
		key: 'ada',
		name: 'Ada Lovelace',
		email: 'ada+clear@example.com',
		phone: '+44 20 7946 0100',
		location: 'London, UK',
		headline: 'Analytical Engines',
		posting: 'posting-standard',
		stage: 'stage-onsite-interview',
		tags: [],
	},
	{
		key: 'grace',
		name: 'Grace Hopper',
		email: 'grace+review@example.com',
		phone: '+1 212 555 0101',
		location: 'New York, NY',
		headline: 'Compilers',
		posting: 'posting-executive',
		stage: 'stage-onsite-interview',
		tags: ['Priority: High'],
	},
	{
		key: 'alan',
		name: 'Alan Turing',
		email: null,
		phone: '+44 161 555 0102',
		location: 'Manchester, UK',
		headline: 'Computability',
		posting: 'posting-standard',
		stage: 'stage-onsite-interview',
		tags: [],
	},
	{
		key: 'katherine',
		name: 'Katherine Johnson',
		email: 'katherine+clear@example.com',
		phone: '+1 757 555 0103',
		location: 'Hampton, VA',
		headline: 'Orbital mechanics',
		posting: 'posting-unknown-pkg',
		stage: 'stage-onsite-interview',
		tags: [],
	},
	{
		key: 'edsger',
		name: 'Edsger Dijkstra',
		email: 'edsger+clear@example.com',
		phone: null,
		location: 'Austin, TX',
		headline: 'Structured programming',
		posting: 'posting-no-pkg',
		stage: 'stage-onsite-interview',
		tags: [],
	},
	{
		key: 'barbara',
		name: 'Barbara Liskov',
		email: 'barbara+bounce@example.com',
		phone: '+1 617 555 0105',
		location: 'Cambridge, MA',
		headline: 'Abstraction',
		posting: 'posting-standard',
		stage: 'stage-onsite-interview',
		tags: [],
	},
	{
		key: 'margaret',
		name: 'Margaret Hamilton',
		email: 'margaret@example.com',
		phone: null,
		location: 'Boston, MA',
		headline: 'Flight software',
		posting: 'posting-standard',
		stage: 'stage-new-applicant',
		tags: ['Referral'],
	},
	{
		key: 'donald',
		name: 'Donald Knuth',
		email: 'donald@example.com',
		phone: null,
		location: 'Stanford, CA',
		headline: 'Algorithms',
		posting: 'posting-no-pkg',
		stage: 'stage-phone-screen',
		tags: [],
	},
	{
		key: 'radia',
		name: 'Radia Perlman',
		email: 'radia@example.com',
		phone: null,
		location: 'Seattle, WA',
		headline: 'Networking',
		posting: null,
		stage: 'stage-new-lead',
		tags: ['Sourced: Conference'],
		origin: 'sourced',
	},
	{
		key: 'frances',
		name: 'Frances Allen',
		email: 'frances@example.com',
		phone: null,
		location: 'New York, NY',
		headline: 'Optimizing compilers',
		posting: 'posting-executive',
		stage: 'stage-phone-screen',
		tags: [],
		archived: { reason: 'archive-withdrew' },
	},
];

/**
 * Ids that tests, docs and the demo refer to.
 * @type {import('./server').LeverSeedIds}
 */
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
	// Every candidate's key is one of the declared names (see Candidate).
	opportunities: Object.freeze(
		/** @type {import('./server').LeverSeedIds['opportunities']} */ (
			Object.fromEntries(CANDIDATES.map((c) => [c.key, `opp-${c.key}`]))
		),
	),
	/** Contact ids: `contact-<key>`; application ids: `app-<key>`. */
	contacts: Object.freeze(Object.fromEntries(CANDIDATES.map((c) => [c.key, `contact-${c.key}`]))),
	applications: Object.freeze(
		Object.fromEntries(CANDIDATES.filter((c) => c.posting).map((c) => [c.key, `app-${c.key}`])),
	),
	opportunityCount: CANDIDATES.length,
});

/** @param {string[]} list */
function uniq(list) {
	return [...new Set(list)];
}

/**
 * A fresh, fully independent copy of the seed state.
 * @returns {import('./state').LeverDb}
 */
function buildSeedState() {
	const postings = POSTINGS.map(seedPosting);
	const postingById = new Map(postings.map((p) => [p.id, p]));
	const candidates = CANDIDATES.map((c, i) => seedCandidate(c, i, postingById));
	return {
		stages: STAGES.map((s) => ({ ...s })),
		users: USERS.map(seedUser),
		archiveReasons: ARCHIVE_REASONS.map((a) => ({ ...a })),
		postings,
		contacts: candidates.map((c) => c.contact),
		applications: candidates.flatMap((c) => (c.application ? [c.application] : [])),
		opportunities: candidates.map((c) => c.opportunity),
		notes: [],
		deletedOpportunities: [],
	};
}

/**
 * @param {(typeof USERS)[number]} u
 * @param {number} i
 * @returns {import('./state').User}
 */
function seedUser(u, i) {
	return {
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
	};
}

/**
 * A posting with every field Lever's API shows (state.js's Posting names the ones the sandbox reads).
 * @param {(typeof POSTINGS)[number]} p
 * @param {number} i
 */
function seedPosting(p, i) {
	return {
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
	};
}

/**
 * A candidate's contact, application (when on a posting) and opportunity.
 * The i-th candidate was created i hours after T0 and advanced two days later.
 * @param {Candidate} c
 * @param {number} i
 * @param {Map<string, import('./state').Posting>} postingById
 */
function seedCandidate(c, i, postingById) {
	const createdAt = T0 + i * HOUR;
	const advancedAt = createdAt + 2 * DAY;
	const contact = {
		id: `contact-${c.key}`,
		name: c.name,
		headline: c.headline,
		isAnonymized: false,
		location: { name: c.location },
		emails: c.email ? [c.email] : [],
		phones: c.phone ? [{ type: 'mobile', value: c.phone }] : [],
	};
	const application = c.posting ? seedApplication(c, c.posting, createdAt) : null;
	const postingTags = c.posting
		? /** @type {import('./state').Posting} */ (postingById.get(c.posting)).tags
		: [];
	/** @type {import('./state').Opportunity} */
	const opportunity = {
		id: `opp-${c.key}`,
		name: c.name,
		headline: c.headline,
		contact: contact.id,
		confidentiality: 'non-confidential',
		links: [],
		createdAt,
		updatedAt: advancedAt,
		lastInteractionAt: advancedAt,
		lastAdvancedAt: advancedAt,
		snoozedUntil: null,
		stage: c.stage,
		stageChanges: seedStageChanges(c.stage, createdAt, advancedAt),
		owner: 'user-riley',
		followers: ['user-riley'],
		tags: uniq([...postingTags, ...c.tags]),
		sources: [c.origin === 'sourced' ? 'LinkedIn' : 'Company website'],
		origin: c.origin ?? 'applied',
		sourcedBy: c.origin === 'sourced' ? 'user-riley' : null,
		applications: application ? [application.id] : [],
		archived: c.archived ? { archivedAt: advancedAt + DAY, reason: c.archived.reason } : null,
		dataProtection: null,
		isAnonymized: false,
		opportunityLocation: null,
	};
	return { contact, application, opportunity };
}

/**
 * @param {Candidate} c
 * @param {string} posting
 * @param {number} createdAt
 * @returns {import('./state').Application}
 */
function seedApplication(c, posting, createdAt) {
	const oppId = `opp-${c.key}`;
	return {
		id: `app-${c.key}`,
		type: 'posting',
		opportunityId: oppId,
		candidateId: oppId,
		posting,
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
	};
}

/**
 * Every candidate entered as a new lead (if that is where they still are) or
 * as a new applicant; Riley moved those further along to their stage when
 * they advanced.
 * @param {string} stage
 * @param {number} createdAt
 * @param {number} advancedAt
 * @returns {import('./state').StageChange[]}
 */
function seedStageChanges(stage, createdAt, advancedAt) {
	const stageIndex = STAGES.findIndex((s) => s.id === stage);
	const entered = {
		toStageId: STAGES[0].id === stage ? stage : 'stage-new-applicant',
		toStageIndex: STAGES[0].id === stage ? 0 : 1,
		userId: null,
		updatedAt: createdAt,
	};
	if (stageIndex <= 1) return [entered];
	return [
		entered,
		{ toStageId: stage, toStageIndex: stageIndex, userId: 'user-riley', updatedAt: advancedAt },
	];
}

module.exports = { SEED, buildSeedState, SEED_TIME: T0 };
