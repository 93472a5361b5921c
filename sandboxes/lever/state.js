/**
 * Everything the Lever sandbox holds, in memory: the records (seeded from
 * seed.js or empty), registered webhooks, the delivery history, the request
 * log, pagination offsets, fault counters and the rate limit (its setting, a
 * token bucket per API key, the count of 429s). load() replaces all of it but
 * the rate limit's setting, which is what a reset does.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const { buildSeedState } = require('./seed');
const { notFound } = require('./errors');
const { clone } = require('../shared/json');
const { plainOpportunity } = require('./render');

/** @typedef {import('./server').LeverSandboxWebhook} Webhook */
/** @typedef {import('./server').LeverDelivery} Delivery */
/** @typedef {import('./server').LeverRequestLogEntry} RequestLogEntry */
/** @typedef {import('./server').LeverNote} Note */
/** @typedef {import('./server').LeverSandboxState} LeverSandboxState */
/** @typedef {LeverSandboxState['faults']} Faults */
/** @typedef {import('../shared/token-bucket').RateLimit} RateLimit */
/** @typedef {import('../shared/token-bucket').Bucket} Bucket */

/**
 * @typedef {object} Stage
 * @property {string} id
 * @property {string} text
 */

/**
 * @typedef {object} User
 * @property {string} id
 * @property {string} name
 * @property {string} username
 * @property {string} email
 * @property {string} accessRole
 * @property {null} photo
 * @property {number} createdAt
 * @property {number | null} deactivatedAt
 * @property {null} externalDirectoryId
 * @property {string[]} linkedContactIds
 * @property {string} jobTitle
 * @property {null} managerId
 */

/**
 * @typedef {object} ArchiveReason
 * @property {string} id
 * @property {string} text
 * @property {string} status
 * @property {string} type 'hired' or 'non-hired'
 */

/**
 * @typedef {object} Posting
 * @property {string} id
 * @property {string} text
 * @property {number} createdAt
 * @property {number} updatedAt
 * @property {string} owner
 * @property {string} hiringManager
 * @property {Record<string, unknown>} categories team, department, location, commitment, level, ...
 * @property {string[]} tags
 * @property {string} state
 */

/** @typedef {{ type: string, value: string }} Phone */

/**
 * @typedef {object} Contact
 * @property {string} id
 * @property {string} name
 * @property {string} headline
 * @property {boolean} isAnonymized
 * @property {{ name: string } | null} location
 * @property {string[]} emails
 * @property {Phone[]} phones
 */

/**
 * @typedef {object} Application
 * @property {string} id
 * @property {string} type
 * @property {string} opportunityId
 * @property {string} candidateId
 * @property {string} posting
 * @property {string} postingHiringManager
 * @property {string} postingOwner
 * @property {string} name
 * @property {null} company
 * @property {Phone | null} phone
 * @property {string | null} email
 * @property {string[]} links
 * @property {null} comments
 * @property {null} user
 * @property {unknown[]} customQuestions
 * @property {number} createdAt
 * @property {null} archived
 * @property {null} requisitionForHire
 */

/**
 * @typedef {object} StageChange
 * @property {string} toStageId
 * @property {number} toStageIndex
 * @property {string | null} userId
 * @property {number} updatedAt
 */

/** @typedef {{ archivedAt: number, reason: string }} Archived */

/**
 * An opportunity as stored: ids where the API may expand objects.
 * @typedef {object} Opportunity
 * @property {string} id
 * @property {string} name
 * @property {string} headline
 * @property {string} contact
 * @property {string} confidentiality
 * @property {string[]} links
 * @property {number} createdAt
 * @property {number} updatedAt
 * @property {number} lastInteractionAt
 * @property {number} lastAdvancedAt
 * @property {number | null} snoozedUntil
 * @property {string} stage
 * @property {StageChange[]} stageChanges
 * @property {string} owner
 * @property {string[]} followers
 * @property {string[]} tags
 * @property {string[]} sources
 * @property {string} origin
 * @property {string | null} sourcedBy
 * @property {string[]} applications
 * @property {Archived | null} archived
 * @property {null} dataProtection
 * @property {boolean} isAnonymized
 * @property {null} opportunityLocation
 */

/**
 * @typedef {object} LeverDb
 * @property {Stage[]} stages
 * @property {User[]} users
 * @property {ArchiveReason[]} archiveReasons
 * @property {Posting[]} postings
 * @property {Contact[]} contacts
 * @property {Application[]} applications
 * @property {Opportunity[]} opportunities
 * @property {Note[]} notes
 * @property {Array<{id: string, deletedAt: number}>} deletedOpportunities what GET /opportunities/deleted lists
 */

/** @returns {LeverDb} */
function emptyDb() {
	return {
		stages: [],
		users: [],
		archiveReasons: [],
		postings: [],
		contacts: [],
		applications: [],
		opportunities: [],
		notes: [],
		deletedOpportunities: [],
	};
}

/** @returns {Faults} */
function noFaults() {
	return {
		failNext: { count: 0, status: 500 },
		rateLimitNext: { count: 0 },
		slowNext: { count: 0, ms: 0, pathIncludes: '', bodyIncludes: '' },
	};
}

class LeverState {
	/**
	 * @param {{ seed: boolean, rateLimit: RateLimit | null }} options seed: start from
	 *   seed.js's records (else empty); rateLimit: the limit per API key (null: off)
	 */
	constructor({ seed, rateLimit }) {
		this.seed = seed;
		/** Kept by load(): a reset keeps the configured limit. @type {RateLimit | null} */
		this.rateLimit = rateLimit ? { ...rateLimit } : null;
		/** A token bucket per API key, made full on a key's first request. @type {Map<string, Bucket>} */
		this.buckets = new Map();
		/** The 429s the rate limit answered (injected ones not counted). */
		this.rateLimited = 0;
		/** @type {LeverDb} */
		this.db = emptyDb();
		/** Both kinds: registered through the API and in Lever's settings page. @type {Webhook[]} */
		this.webhooks = [];
		/** @type {Delivery[]} */
		this.deliveries = [];
		/** @type {RequestLogEntry[]} */
		this.requestLog = [];
		/** @type {import('./query').Offsets} */
		this.offsets = new Map();
		/** @type {Faults} */
		this.faults = noFaults();
		/** Bumped by load(): retries of deliveries from before it stop. */
		this.generation = 0;
		this.load();
	}

	/**
	 * Back to the seed (or empty): records, deliveries, request log, offsets,
	 * faults, and webhooks unless `keepWebhooks` (a published n8n workflow keeps
	 * the webhook it registered through the API across e2e scenarios). The rate
	 * limit stays as configured, with full buckets and no 429s counted.
	 * @param {{ keepWebhooks?: boolean }} [options]
	 */
	load({ keepWebhooks = false } = {}) {
		this.db = this.seed ? buildSeedState() : emptyDb();
		if (!keepWebhooks) this.webhooks = [];
		this.deliveries = [];
		this.requestLog = [];
		this.offsets = new Map();
		this.faults = noFaults();
		this.buckets = new Map();
		this.rateLimited = 0;
		this.generation += 1;
	}

	/** The limit as state().rateLimit shows it; null when off. */
	rateLimitState() {
		return this.rateLimit ? { ...this.rateLimit, limited: this.rateLimited } : null;
	}

	/**
	 * @template {{ id: string }} T
	 * @param {T[]} list
	 * @param {string} id
	 * @param {string} resource the API's name of the list, for the 404 message
	 * @returns {T}
	 */
	find(list, id, resource) {
		const item = list.find((x) => x.id === id);
		if (!item) throw notFound(resource, id);
		return item;
	}

	/** @param {string} id */
	opportunity(id) {
		return this.find(this.db.opportunities, id, 'opportunities');
	}

	/** Everything, as GET /__sandbox/state answers it. @returns {LeverSandboxState} */
	snapshot() {
		const { db } = this;
		return clone({
			opportunities: db.opportunities.map((o) => plainOpportunity(db, o)),
			contacts: db.contacts,
			applications: db.applications,
			notes: db.notes,
			stages: db.stages,
			postings: db.postings,
			users: db.users,
			archiveReasons: db.archiveReasons,
			deletedOpportunities: db.deletedOpportunities,
			webhooks: this.webhooks,
			deliveries: this.deliveries,
			requests: this.requestLog,
			faults: this.faults,
			rateLimit: this.rateLimitState(),
		});
	}
}

/**
 * Lists come sorted by creation time, ties broken by id (Lever's order).
 * @param {{ createdAt: number, id: string }} a
 * @param {{ createdAt: number, id: string }} b
 */
const byCreated = (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The sandbox's settings, after defaults.
 * @typedef {object} LeverOptions
 * @property {number} port
 * @property {string} host
 * @property {string} apiKey
 * @property {string[]} extraApiKeys more keys accepted besides apiKey, each with its own bucket
 * @property {boolean} seed
 * @property {RateLimit | null} rateLimit the limit per API key at start (null: off)
 * @property {() => number} clock the rate limit's time in ms (Date.now unless a test injects one)
 * @property {number[]} webhookRetryScheduleMs waits before each retry of a failed delivery
 * @property {number} webhookTimeoutMs an attempt with no answer by then fails
 */

/**
 * What every part of the sandbox works on, passed to each function.
 * @typedef {object} LeverContext
 * @property {LeverState} state
 * @property {LeverOptions} opts
 * @property {import('../shared/async-work').AsyncWork} work retries, timeouts and deliveries on the wire
 * @property {(line: string) => void} log
 * @property {boolean} closed
 * @property {string} origin http://host:port, known once the server listens
 */

/**
 * Back to the seed. Pending retries and deliveries on the wire are dropped
 * first: nothing from before a reset reaches a receiver afterwards.
 * @param {LeverContext} ctx
 * @param {{ keepWebhooks?: boolean }} [options]
 */
function reset(ctx, { keepWebhooks = false } = {}) {
	ctx.work.stop('Lever sandbox stopped');
	ctx.state.load({ keepWebhooks });
}

module.exports = { LeverState, byCreated, reset };
