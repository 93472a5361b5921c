#!/usr/bin/env node
/**
 * Local Lever sandbox: a faithful, in-memory stand-in for the parts of Lever's
 * Data API (https://api.lever.co/v1) and webhooks that this package uses.
 *
 *   const { startLeverSandbox, SEED } = require('./sandboxes/lever/server');
 *   const lever = await startLeverSandbox({ port: 0, seed: true, log: false });
 *   lever.url     // http://127.0.0.1:PORT/v1 (the credential's custom Base URL)
 *   await lever.close();
 *
 * CLI: node sandboxes/lever/server.js [--port 4010] [--api-key KEY] [--no-seed] [--quiet]
 *
 * Plain CommonJS, Node 20 built-ins only. Binds 127.0.0.1. Semantics and the
 * control API (/__sandbox/...) are described in docs/lever-sandbox.md.
 */
'use strict';

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { URL } = require('node:url');

const { SEED, buildSeedState } = require('./seed');

const WEBHOOK_EVENTS = [
	'applicationCreated',
	'candidateHired',
	'candidateStageChange',
	'candidateArchiveChange',
	'candidateDeleted',
	'interviewCreated',
	'interviewUpdated',
	'interviewDeleted',
	'contactCreated',
	'contactUpdated',
];
/** Lever allows origin conditions only on these events. */
const CONDITION_EVENTS = new Set(['applicationCreated', 'candidateArchiveChange', 'candidateHired', 'candidateStageChange']);
const ORIGINS = ['applied', 'sourced', 'referred', 'university', 'agency', 'internal'];
const OPPORTUNITY_EXPANDS = ['applications', 'stage', 'owner', 'followers', 'sourcedBy', 'contact'];

const DEFAULT_RETRY_SCHEDULE_MS = [1000, 2000, 4000, 8000, 16000];
const DEFAULT_WEBHOOK_TIMEOUT_MS = 10000;
const MAX_LOG = 1000;
const MAX_BODY_BYTES = 1024 * 1024;

class ApiError extends Error {
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}
const badRequest = (message) => new ApiError(400, 'BadRequest', message);
const notFound = (resource, id) => new ApiError(404, 'ResourceNotFound', `${resource} ${id} was not found`);

function clone(value) {
	return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function randomHex(chars) {
	return crypto.randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars);
}

function signPayload(signatureToken, token, triggeredAt) {
	return crypto.createHmac('sha256', signatureToken).update(token + String(triggeredAt)).digest('hex');
}

/** Query helper over URLSearchParams that knows Lever's repeated-key style. */
function parseQuery(searchParams) {
	for (const key of searchParams.keys()) {
		if (/\[\d*\]$/.test(key) && key !== 'accessRole[]') {
			const base = key.replace(/\[\d*\]$/, '');
			throw badRequest(
				`Unsupported query parameter "${key}": Lever expects repeated keys such as ${base}=a&${base}=b`,
			);
		}
	}
	return {
		all: (key) => searchParams.getAll(key),
		get: (key) => searchParams.get(key),
		has: (key) => searchParams.has(key),
	};
}

function parseMs(q, key) {
	const raw = q.get(key);
	if (raw === null || raw === '') return undefined;
	if (!/^\d+$/.test(raw)) throw badRequest(`${key} must be a timestamp in milliseconds since the epoch`);
	return Number(raw);
}

function parseBool(q, key) {
	const raw = q.get(key);
	if (raw === null || raw === '') return undefined;
	if (raw === 'true') return true;
	if (raw === 'false') return false;
	throw badRequest(`${key} must be true or false`);
}

async function startLeverSandbox(options = {}) {
	const opts = {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		apiKey: options.apiKey ?? SEED.apiKey,
		seed: options.seed !== false,
		webhookRetryScheduleMs: Array.isArray(options.webhookRetryScheduleMs)
			? options.webhookRetryScheduleMs.map(Number)
			: DEFAULT_RETRY_SCHEDULE_MS,
		webhookTimeoutMs: options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
	};
	if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
		throw new Error(`The Lever sandbox binds to loopback only (got host ${opts.host})`);
	}
	const logLine =
		typeof options.log === 'function'
			? options.log
			: options.log
				? (line) => process.stdout.write(`${line}\n`)
				: () => {};

	const timers = new Set();
	const inflight = new Set();
	let closed = false;
	let db;
	let webhooks; // [{id, url, event, conditions, signatureToken, source: 'api'|'settings', createdAt, updatedAt}]
	let deliveries;
	let requestLog;
	let offsets; // token -> {scope, position}
	let faults;
	let generation = 0; // bumped by reset(): stops retries of deliveries from before it

	function later(fn, ms) {
		const timer = setTimeout(() => {
			timers.delete(timer);
			fn();
		}, ms);
		timers.add(timer);
		return timer;
	}

	function clearAsyncWork() {
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
		for (const req of inflight) req.destroy(new Error('Lever sandbox stopped'));
		inflight.clear();
	}

	function loadState({ keepWebhooks = false } = {}) {
		db = opts.seed
			? buildSeedState()
			: { stages: [], users: [], archiveReasons: [], postings: [], contacts: [], applications: [], opportunities: [], notes: [] };
		if (!keepWebhooks || !webhooks) webhooks = [];
		deliveries = [];
		requestLog = [];
		offsets = new Map();
		faults = { failNext: { count: 0, status: 500 }, rateLimitNext: { count: 0 } };
		generation += 1;
	}
	loadState();

	// ---------------------------------------------------------------- lookups
	const find = (list, id, resource) => {
		const item = list.find((x) => x.id === id);
		if (!item) throw notFound(resource, id);
		return item;
	};
	const getOpportunity = (id) => find(db.opportunities, id, 'opportunities');
	const contactOf = (opp) => db.contacts.find((c) => c.id === opp.contact);
	const postingIdsOf = (opp) =>
		opp.applications.map((a) => db.applications.find((x) => x.id === a)).filter(Boolean).map((a) => a.posting);

	function checkPerformAs(q) {
		const performAs = q.get('perform_as');
		if (performAs === null || performAs === '') return null;
		if (!db.users.some((u) => u.id === performAs)) throw badRequest(`perform_as: users ${performAs} was not found`);
		return performAs;
	}

	function parseExpand(q, allowed) {
		const values = q.all('expand');
		for (const v of values) {
			if (!allowed.includes(v)) {
				throw badRequest(
					`Invalid expand value "${v}". Valid values: ${allowed.join(', ')}; repeat the key to expand several (expand=a&expand=b)`,
				);
			}
		}
		return new Set(values);
	}

	// ---------------------------------------------------------------- rendering
	function renderOpportunity(opp, expand = new Set(), include = []) {
		const contact = contactOf(opp);
		const userObj = (id) => (id ? clone(db.users.find((u) => u.id === id) ?? id) : null);
		const out = {
			id: opp.id,
			name: opp.name,
			headline: opp.headline,
			contact: expand.has('contact') ? clone(contact) : opp.contact,
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
			stage: expand.has('stage') ? clone(db.stages.find((s) => s.id === opp.stage) ?? opp.stage) : opp.stage,
			stageChanges: clone(opp.stageChanges),
			owner: expand.has('owner') ? userObj(opp.owner) : opp.owner,
			tags: [...opp.tags],
			sources: [...opp.sources],
			origin: opp.origin,
			sourcedBy: expand.has('sourcedBy') ? userObj(opp.sourcedBy) : opp.sourcedBy,
			applications: expand.has('applications')
				? opp.applications.map((id) => clone(db.applications.find((a) => a.id === id))).filter(Boolean)
				: [...opp.applications],
			resume: null,
			followers: expand.has('followers') ? opp.followers.map(userObj) : [...opp.followers],
			urls: {
				list: 'https://hire.lever.co/candidates',
				show: `https://hire.lever.co/candidates/${opp.id}`,
			},
			archived: opp.archived ? clone(opp.archived) : null,
			dataProtection: opp.dataProtection,
			isAnonymized: opp.isAnonymized,
			opportunityLocation: opp.opportunityLocation,
		};
		if (include.length === 0) return out;
		// `include` restricts the fields; `expand` takes precedence over it.
		const keep = new Set(['id', ...include, ...expand]);
		return Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
	}

	function renderNote(note) {
		const { opportunityId, ...rest } = note;
		return clone(rest);
	}

	// ---------------------------------------------------------------- pagination
	function paginate(q, scope, items) {
		let limit = 100;
		if (q.has('limit')) {
			const raw = q.get('limit');
			if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
				throw badRequest('limit must be an integer between 1 and 100');
			}
			limit = Number(raw);
		}
		let position = 0;
		const offset = q.get('offset');
		if (offset !== null && offset !== '') {
			const entry = offsets.get(offset);
			if (!entry || entry.scope !== scope) {
				throw badRequest('Invalid offset: pass only an offset returned as "next" by a previous request to this list');
			}
			position = entry.position;
		}
		const data = items.slice(position, position + limit);
		const hasNext = position + limit < items.length;
		const body = { data, hasNext };
		if (hasNext) {
			const token = `0.${Date.now()}.${crypto.randomUUID()}`;
			offsets.set(token, { scope, position: position + limit });
			if (offsets.size > 10000) offsets.delete(offsets.keys().next().value);
			body.next = token;
		}
		return body;
	}

	const byCreated = (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

	// ---------------------------------------------------------------- webhooks
	function publicWebhook(w) {
		return {
			id: w.id,
			url: w.url,
			event: w.event,
			createdAt: w.createdAt,
			updatedAt: w.updatedAt,
			configuration: { conditions: clone(w.conditions) },
		};
	}

	function validateWebhookInput(body, { requireConfigurationShape = true } = {}) {
		if (!body || typeof body !== 'object') throw badRequest('Request body must be a JSON object');
		if (typeof body.url !== 'string' || body.url === '') throw badRequest('Missing required field: url');
		let parsed;
		try {
			parsed = new URL(body.url);
		} catch {
			throw badRequest(`Invalid url: ${body.url}`);
		}
		if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
			throw badRequest('url must be an https:// URL (the sandbox also accepts http://)');
		}
		if (typeof body.event !== 'string' || body.event === '') throw badRequest('Missing required field: event');
		if (!WEBHOOK_EVENTS.includes(body.event)) {
			throw badRequest(`Invalid event "${body.event}". Valid events: ${WEBHOOK_EVENTS.join(', ')}`);
		}
		const conditions = requireConfigurationShape
			? body.configuration && body.configuration.conditions
			: body.conditions;
		if (conditions !== undefined && conditions !== null) {
			if (!CONDITION_EVENTS.has(body.event)) {
				throw badRequest(`Conditions are not supported for ${body.event} webhooks`);
			}
			const origins = conditions.origins;
			if (!Array.isArray(origins) || origins.some((o) => !ORIGINS.includes(o))) {
				throw badRequest(`conditions.origins must be a list of: ${ORIGINS.join(', ')}`);
			}
			return { url: body.url, event: body.event, conditions: { origins: [...new Set(origins)] } };
		}
		return {
			url: body.url,
			event: body.event,
			conditions: CONDITION_EVENTS.has(body.event) ? { origins: [...ORIGINS] } : null,
		};
	}

	function createWebhook(input, source) {
		const now = Date.now();
		const webhook = {
			id: crypto.randomUUID(),
			url: input.url,
			event: input.event,
			conditions: input.conditions,
			signatureToken: randomHex(48),
			source,
			createdAt: now,
			updatedAt: now,
		};
		webhooks.push(webhook);
		return webhook;
	}

	function postOnce(url, bodyText) {
		return new Promise((resolve) => {
			const started = Date.now();
			let settled = false;
			let timer;
			const finish = (result) => {
				if (settled) return;
				settled = true;
				if (timer) {
					clearTimeout(timer);
					timers.delete(timer);
				}
				inflight.delete(req);
				resolve({ ...result, durationMs: Date.now() - started });
			};
			let target;
			try {
				target = new URL(url);
			} catch {
				resolve({ status: null, error: 'Invalid URL', responseBody: null, durationMs: 0 });
				return;
			}
			const transport = target.protocol === 'https:' ? https : http;
			const req = transport.request(
				target,
				{
					method: 'POST',
					headers: {
						'User-Agent': 'Lever-Webhooks',
						'Content-Type': 'application/json',
						'Content-Length': Buffer.byteLength(bodyText),
					},
				},
				(res) => {
					const chunks = [];
					let size = 0;
					res.on('data', (c) => {
						size += c.length;
						if (size <= 4096) chunks.push(c);
					});
					res.on('end', () =>
						finish({ status: res.statusCode, error: null, responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }),
					);
					res.on('error', (err) => finish({ status: res.statusCode, error: err.message, responseBody: null }));
				},
			);
			inflight.add(req);
			timer = setTimeout(() => {
				timers.delete(timer);
				timer = undefined;
				req.destroy(new Error(`No answer within ${opts.webhookTimeoutMs} ms`));
			}, opts.webhookTimeoutMs);
			timers.add(timer);
			req.on('error', (err) => finish({ status: null, error: err.code ? `${err.code}: ${err.message}` : err.message, responseBody: null }));
			req.end(bodyText);
		});
	}

	const isOk = (status) => typeof status === 'number' && status >= 200 && status < 300;

	async function attempt(delivery, { manual = false } = {}) {
		const number = delivery.attempts.length + 1;
		const result = await postOnce(delivery.url, JSON.stringify(delivery.payload));
		if (closed || delivery.generation !== generation) return null;
		const record = {
			attempt: number,
			manual,
			at: Date.now(),
			status: result.status,
			error: result.error,
			responseBody: result.responseBody,
			durationMs: result.durationMs,
		};
		delivery.attempts.push(record);
		logLine(
			`[lever-sandbox] webhook ${delivery.event} -> ${delivery.url} ${result.status ?? result.error} (attempt ${number}${manual ? ', manual rerun' : ''})`,
		);
		return record;
	}

	async function runDelivery(delivery) {
		const record = await attempt(delivery);
		if (!record) return;
		if (isOk(record.status)) {
			delivery.status = 'succeeded';
			delivery.nextAttemptAt = null;
			return;
		}
		const retriesDone = delivery.attempts.filter((a) => !a.manual).length - 1;
		if (delivery.kind === 'event' && retriesDone < opts.webhookRetryScheduleMs.length) {
			const wait = opts.webhookRetryScheduleMs[retriesDone];
			delivery.status = 'retrying';
			delivery.nextAttemptAt = Date.now() + wait;
			later(() => {
				void runDelivery(delivery);
			}, wait);
		} else {
			delivery.status = 'failed';
			delivery.nextAttemptAt = null;
		}
	}

	function newDelivery(webhook, payload, kind) {
		const delivery = {
			id: crypto.randomUUID(),
			kind,
			webhookId: webhook.id,
			event: payload.event,
			url: webhook.url,
			payload,
			status: 'pending',
			nextAttemptAt: Date.now(),
			createdAt: Date.now(),
			attempts: [],
		};
		Object.defineProperty(delivery, 'generation', { value: generation, enumerable: false });
		deliveries.push(delivery);
		if (deliveries.length > MAX_LOG) deliveries.splice(0, deliveries.length - MAX_LOG);
		return delivery;
	}

	/** Sends `event` to every matching webhook, each with its own token and signature. */
	function fireEvent(event, data, opp) {
		const ids = [];
		for (const webhook of webhooks) {
			if (webhook.event !== event) continue;
			if (webhook.conditions && opp && !webhook.conditions.origins.includes(opp.origin)) continue;
			const triggeredAt = Date.now();
			const token = randomHex(48);
			const payload = {
				id: crypto.randomUUID(),
				event,
				triggeredAt,
				token,
				signature: signPayload(webhook.signatureToken, token, triggeredAt),
				data: clone(data),
			};
			const delivery = newDelivery(webhook, payload, 'event');
			ids.push(delivery.id);
			later(() => {
				void runDelivery(delivery);
			}, 0);
		}
		return ids;
	}

	async function pingWebhook(id) {
		const webhook = find(webhooks, id, 'webhooks');
		const triggeredAt = Date.now();
		const token = randomHex(48);
		const payload = {
			triggeredAt,
			event: webhook.event,
			data: {},
			signature: signPayload(webhook.signatureToken, token, triggeredAt),
			token,
		};
		const delivery = newDelivery(webhook, payload, 'ping');
		await runDelivery(delivery);
		return delivery;
	}

	async function rerunDelivery(id) {
		const delivery = find(deliveries, id, 'deliveries');
		const record = await attempt(delivery, { manual: true });
		if (record && isOk(record.status) && delivery.status !== 'retrying') delivery.status = 'succeeded';
		return { delivery, record };
	}

	// ---------------------------------------------------------------- mutations
	function changeStage(opp, stageId, userId) {
		const stageIndex = db.stages.findIndex((s) => s.id === stageId);
		if (stageIndex < 0) throw notFound('stages', stageId);
		if (opp.stage === stageId) return [];
		const now = Date.now();
		const fromStageId = opp.stage;
		opp.stage = stageId;
		opp.stageChanges.push({ toStageId: stageId, toStageIndex: stageIndex, userId: userId ?? null, updatedAt: now });
		opp.updatedAt = now;
		opp.lastAdvancedAt = now;
		opp.lastInteractionAt = now;
		return fireEvent(
			'candidateStageChange',
			{ opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact, toStageId: stageId, fromStageId },
			opp,
		);
	}

	function changeArchived(opp, reason) {
		if (reason !== null) find(db.archiveReasons, reason, 'archive_reasons');
		const from = opp.archived ? clone(opp.archived) : null;
		if ((from && from.reason) === (reason ?? null) || (!from && reason === null)) return [];
		const now = Date.now();
		opp.archived = reason === null ? null : { archivedAt: now, reason };
		opp.updatedAt = now;
		opp.lastInteractionAt = now;
		const ids = fireEvent(
			'candidateArchiveChange',
			{ opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact, fromArchived: from, toArchived: clone(opp.archived) },
			opp,
		);
		const reasonObj = reason && db.archiveReasons.find((r) => r.id === reason);
		if (reasonObj && reasonObj.type === 'hired') {
			ids.push(...fireEvent('candidateHired', { opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact }, opp));
		}
		return ids;
	}

	function readTags(body) {
		if (!body || !Array.isArray(body.tags) || body.tags.length === 0) {
			throw badRequest('Missing required field: tags (a non-empty array of strings)');
		}
		for (const t of body.tags) {
			if (typeof t !== 'string' || t.length === 0) throw badRequest('tags must be non-empty strings');
		}
		return body.tags;
	}

	function createOpportunity(input) {
		if (!input || typeof input.name !== 'string' || input.name.trim() === '') throw badRequest('Missing required field: name');
		const posting = input.postingId ? find(db.postings, input.postingId, 'postings') : null;
		const stageId = input.stageId ?? 'stage-new-applicant';
		find(db.stages, stageId, 'stages');
		const origin = input.origin ?? 'applied';
		if (!ORIGINS.includes(origin)) throw badRequest(`origin must be one of: ${ORIGINS.join(', ')}`);
		const now = Date.now();
		const suffix = crypto.randomUUID();
		const oppId = input.id ?? `opp-${suffix}`;
		if (db.opportunities.some((o) => o.id === oppId)) throw new ApiError(409, 'Conflict', `opportunities ${oppId} already exists`);
		const contactId = `contact-${suffix}`;
		db.contacts.push({
			id: contactId,
			name: input.name,
			headline: input.headline ?? '',
			isAnonymized: false,
			location: input.location ? { name: input.location } : null,
			emails: input.email ? [input.email] : [],
			phones: input.phone ? [{ type: 'mobile', value: input.phone }] : [],
		});
		const appIds = [];
		if (posting) {
			const appId = `app-${suffix}`;
			appIds.push(appId);
			db.applications.push({
				id: appId,
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
			});
		}
		const opp = {
			id: oppId,
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
			stageChanges: [{ toStageId: stageId, toStageIndex: db.stages.findIndex((s) => s.id === stageId), userId: null, updatedAt: now }],
			owner: 'user-riley',
			followers: ['user-riley'],
			// Tag inheritance: the posting's tags are copied when the application is created.
			tags: [...new Set([...(posting ? posting.tags : []), ...(Array.isArray(input.tags) ? input.tags : [])])],
			sources: ['Company website'],
			origin,
			sourcedBy: null,
			applications: appIds,
			archived: null,
			dataProtection: null,
			isAnonymized: false,
			opportunityLocation: null,
		};
		db.opportunities.push(opp);
		const deliveryIds = posting
			? fireEvent(
					'applicationCreated',
					{ opportunityId: opp.id, candidateId: opp.id, contactId, applicationId: appIds[0], postingId: posting.id },
					opp,
				)
			: [];
		return { opp, deliveryIds };
	}

	// ---------------------------------------------------------------- /v1 routes
	function listOpportunities(q) {
		const expand = parseExpand(q, OPPORTUNITY_EXPANDS);
		const include = q.all('include');
		const tags = q.all('tag');
		const stageIds = q.all('stage_id');
		const postingIds = q.all('posting_id');
		const emails = q.all('email').map((e) => e.toLowerCase());
		const origins = q.all('origin');
		const contactIds = q.all('contact_id');
		const archiveReasonIds = q.all('archive_reason_id');
		const archived = parseBool(q, 'archived');
		const windows = ['created_at', 'updated_at', 'advanced_at', 'archived_at'].map((name) => ({
			start: parseMs(q, `${name}_start`),
			end: parseMs(q, `${name}_end`),
			value: (o) =>
				name === 'created_at'
					? o.createdAt
					: name === 'updated_at'
						? o.updatedAt
						: name === 'advanced_at'
							? o.lastAdvancedAt
							: o.archived
								? o.archived.archivedAt
								: null,
		}));
		const items = db.opportunities
			.filter((o) => tags.length === 0 || o.tags.some((t) => tags.includes(t)))
			.filter((o) => stageIds.length === 0 || stageIds.includes(o.stage))
			.filter((o) => postingIds.length === 0 || postingIdsOf(o).some((p) => postingIds.includes(p)))
			.filter((o) => emails.length === 0 || contactOf(o).emails.some((e) => emails.includes(e.toLowerCase())))
			.filter((o) => origins.length === 0 || origins.includes(o.origin))
			.filter((o) => contactIds.length === 0 || contactIds.includes(o.contact))
			.filter((o) => archiveReasonIds.length === 0 || (o.archived && archiveReasonIds.includes(o.archived.reason)))
			.filter((o) => archived === undefined || Boolean(o.archived) === archived)
			.filter((o) =>
				windows.every(({ start, end, value }) => {
					if (start === undefined && end === undefined) return true;
					const v = value(o);
					if (v === null || v === undefined) return false;
					return (start === undefined || v >= start) && (end === undefined || v <= end);
				}),
			)
			.sort(byCreated);
		const page = paginate(q, 'opportunities', items);
		page.data = page.data.map((o) => renderOpportunity(o, expand, include));
		return { status: 200, body: page };
	}

	function handleV1(method, segments, q, body) {
		const [resource, id, sub, subId, ...extra] = segments;
		if (extra.length) return null;
		const one = (data) => ({ status: 200, body: { data } });
		const list = (scope, items) => ({ status: 200, body: paginate(q, scope, items) });

		switch (resource) {
			case 'opportunities': {
				if (!id) {
					if (method === 'GET') return listOpportunities(q);
					return null;
				}
				if (id === 'deleted') return method === 'GET' ? list('opportunities/deleted', []) : null;
				const opp = getOpportunity(id);
				if (!sub) {
					if (method !== 'GET') return null;
					return one(renderOpportunity(opp, parseExpand(q, OPPORTUNITY_EXPANDS), q.all('include')));
				}
				const touch = () => {
					opp.updatedAt = Date.now();
					opp.lastInteractionAt = opp.updatedAt;
				};
				const rendered = () => one(renderOpportunity(opp, parseExpand(q, OPPORTUNITY_EXPANDS), q.all('include')));
				if (sub === 'addTags' && method === 'POST' && !subId) {
					checkPerformAs(q);
					const tags = readTags(body);
					let changed = false;
					for (const t of tags) {
						if (!opp.tags.includes(t)) {
							opp.tags.push(t);
							changed = true;
						}
					}
					if (changed) touch();
					return rendered();
				}
				if (sub === 'removeTags' && method === 'POST' && !subId) {
					checkPerformAs(q);
					const tags = readTags(body);
					const before = opp.tags.length;
					opp.tags = opp.tags.filter((t) => !tags.includes(t));
					if (opp.tags.length !== before) touch();
					return rendered();
				}
				if (sub === 'stage' && method === 'PUT' && !subId) {
					const userId = checkPerformAs(q);
					if (!body || typeof body.stage !== 'string' || body.stage === '') {
						throw badRequest('Missing required field: stage (a stage id)');
					}
					changeStage(opp, body.stage, userId);
					return rendered();
				}
				if (sub === 'archived' && method === 'PUT' && !subId) {
					checkPerformAs(q);
					if (!body || !('reason' in body)) {
						throw badRequest('Missing required field: reason (an archive reason id, or null to unarchive)');
					}
					if (body.reason !== null && (typeof body.reason !== 'string' || body.reason === '')) {
						throw badRequest('reason must be an archive reason id or null');
					}
					changeArchived(opp, body.reason);
					return rendered();
				}
				if (sub === 'applications' && method === 'GET') {
					const apps = opp.applications.map((a) => db.applications.find((x) => x.id === a)).filter(Boolean);
					if (!subId) return list(`applications:${opp.id}`, clone(apps));
					const app = apps.find((a) => a.id === subId);
					if (!app) throw notFound('applications', subId);
					return one(clone(app));
				}
				if (sub === 'notes') {
					if (method === 'GET' && !subId) {
						const notes = db.notes.filter((n) => n.opportunityId === opp.id).sort(byCreated);
						const page = paginate(q, `notes:${opp.id}`, notes);
						page.data = page.data.map(renderNote);
						return { status: 200, body: page };
					}
					if (method === 'GET' && subId) {
						const note = db.notes.find((n) => n.id === subId && n.opportunityId === opp.id);
						if (!note) throw notFound('notes', subId);
						return one(renderNote(note));
					}
					if (method === 'POST' && !subId) return createNote(opp, q, body);
					if (method === 'DELETE' && subId) {
						const index = db.notes.findIndex((n) => n.id === subId && n.opportunityId === opp.id);
						if (index < 0) throw notFound('notes', subId);
						db.notes.splice(index, 1);
						touch();
						return { status: 204 };
					}
				}
				return null;
			}
			case 'contacts':
				if (method !== 'GET' || !id || sub) return null;
				return one(clone(find(db.contacts, id, 'contacts')));
			case 'stages':
				if (method !== 'GET' || sub) return null;
				return id ? one(clone(find(db.stages, id, 'stages'))) : list('stages', clone(db.stages));
			case 'postings': {
				if (method !== 'GET' || sub) return null;
				if (id) return one(clone(find(db.postings, id, 'postings')));
				const states = q.all('state');
				const tags = q.all('tag');
				const cat = (key) => q.all(key);
				const items = db.postings
					.filter((p) => states.length === 0 || states.includes(p.state))
					.filter((p) => tags.length === 0 || p.tags.some((t) => tags.includes(t)))
					.filter((p) =>
						['team', 'department', 'location', 'commitment', 'level'].every(
							(k) => cat(k).length === 0 || cat(k).includes(p.categories[k]),
						),
					)
					.sort(byCreated);
				return list('postings', clone(items));
			}
			case 'tags': {
				if (method !== 'GET' || id) return null;
				const counts = new Map();
				for (const o of db.opportunities) for (const t of o.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
				const items = [...counts.entries()]
					.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
					.map(([text, count]) => ({ text, count }));
				return list('tags', items);
			}
			case 'users': {
				if (method !== 'GET' || sub) return null;
				if (id) return one(clone(find(db.users, id, 'users')));
				const email = q.get('email');
				const includeDeactivated = parseBool(q, 'includeDeactivated') === true;
				const roles = [...q.all('accessRole[]'), ...q.all('accessRole')];
				const items = db.users
					.filter((u) => includeDeactivated || !u.deactivatedAt)
					.filter((u) => !email || u.email.toLowerCase() === email.toLowerCase())
					.filter((u) => roles.length === 0 || roles.includes(u.accessRole))
					.sort(byCreated);
				return list('users', clone(items));
			}
			case 'archive_reasons': {
				if (method !== 'GET' || sub) return null;
				if (id) return one(clone(find(db.archiveReasons, id, 'archive_reasons')));
				const type = q.get('type');
				if (type && type !== 'hired' && type !== 'non-hired') throw badRequest('type must be hired or non-hired');
				return list('archive_reasons', clone(db.archiveReasons.filter((r) => !type || r.type === type)));
			}
			case 'webhooks': {
				if (sub) return null;
				const apiWebhooks = webhooks.filter((w) => w.source === 'api');
				if (method === 'GET' && !id) return list('webhooks', apiWebhooks.map(publicWebhook));
				if (method === 'POST' && !id) {
					const input = validateWebhookInput(body);
					const w = createWebhook(input, 'api');
					return {
						status: 201,
						body: {
							data: {
								id: w.id,
								event: w.event,
								url: w.url,
								configuration: { signatureToken: w.signatureToken, conditions: clone(w.conditions) },
								createdAt: w.createdAt,
								updatedAt: w.updatedAt,
							},
						},
					};
				}
				if (method === 'DELETE' && id) {
					const index = webhooks.findIndex((w) => w.id === id && w.source === 'api');
					if (index < 0) throw notFound('webhooks', id);
					webhooks.splice(index, 1);
					return { status: 204 };
				}
				return null;
			}
			default:
				return null;
		}
	}

	function createNote(opp, q, body) {
		const userId = checkPerformAs(q);
		if (!body || typeof body.value !== 'string' || body.value.trim() === '') {
			throw badRequest('Missing required field: value (the note text)');
		}
		if (body.secret !== undefined && typeof body.secret !== 'boolean') throw badRequest('secret must be a boolean');
		if (body.notifyFollowers !== undefined && typeof body.notifyFollowers !== 'boolean') {
			throw badRequest('notifyFollowers must be a boolean');
		}
		const score = body.score ?? null;
		if (score !== null && (!Number.isInteger(score) || score < 1 || score > 4)) {
			throw badRequest('score must be an integer from 1 (Strong No) to 4 (Strong Yes)');
		}
		const now = Date.now();
		let createdAt = now;
		if (body.createdAt !== undefined && body.createdAt !== null) {
			if (!Number.isInteger(body.createdAt)) throw badRequest('createdAt must be a timestamp in milliseconds');
			if (body.createdAt > now) throw badRequest('You cannot create a note in the future');
			createdAt = body.createdAt;
		}
		const field = { type: 'note', text: 'Note', value: body.value, createdAt, user: userId, score, stage: opp.stage };
		const noteId = q.get('note_id');
		if (noteId) {
			const parent = db.notes.find((n) => n.id === noteId && n.opportunityId === opp.id);
			if (!parent) throw notFound('notes', noteId);
			parent.fields.push(field);
			opp.updatedAt = now;
			return { status: 201, body: { data: { noteId: parent.id } } };
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
		db.notes.push(note);
		opp.updatedAt = now;
		opp.lastInteractionAt = now;
		return { status: 201, body: { data: { noteId: note.id } } };
	}

	// ---------------------------------------------------------------- control routes
	async function handleControl(method, segments, body) {
		const [resource, id, action] = segments;
		const ok = (data, status = 200) => ({ status, body: data });
		if (resource === 'state' && method === 'GET' && !id) return ok(snapshot());
		if (resource === 'reset' && method === 'POST' && !id) {
			reset({ keepWebhooks: Boolean(body && body.keepWebhooks) });
			return ok({ ok: true });
		}
		if (resource === 'faults' && !id) {
			if (method === 'GET') return ok(clone(faults));
			if (method === 'DELETE') {
				setFaults({ failNext: { count: 0 }, rateLimitNext: { count: 0 } });
				return ok(clone(faults));
			}
			if (method === 'POST') return ok(setFaults(body || {}));
		}
		if (resource === 'opportunities') {
			if (!id && method === 'POST') {
				const { opp, deliveryIds } = createOpportunity(body);
				return ok({ data: renderOpportunity(opp), deliveries: deliveryIds }, 201);
			}
			if (id && action === 'stage' && method === 'POST') {
				const opp = getOpportunity(id);
				const stageId = body && (body.stageId ?? body.stage);
				if (typeof stageId !== 'string' || !stageId) throw badRequest('Missing required field: stageId');
				const deliveryIds = changeStage(opp, stageId, (body && body.performAs) || SEED.users.riley);
				return ok({ data: renderOpportunity(opp), deliveries: deliveryIds });
			}
			if (id && action === 'archived' && method === 'POST') {
				const opp = getOpportunity(id);
				if (!body || !('reason' in body)) throw badRequest('Missing required field: reason (or null)');
				const deliveryIds = changeArchived(opp, body.reason);
				return ok({ data: renderOpportunity(opp), deliveries: deliveryIds });
			}
		}
		if (resource === 'webhooks') {
			if (!id && method === 'GET') return ok({ data: clone(webhooks) });
			if (!id && method === 'POST') {
				const w = createWebhook(validateWebhookInput(body, { requireConfigurationShape: false }), 'settings');
				return ok({ id: w.id, event: w.event, url: w.url, signatureToken: w.signatureToken, conditions: clone(w.conditions) }, 201);
			}
			if (id && !action && method === 'DELETE') {
				const index = webhooks.findIndex((w) => w.id === id);
				if (index < 0) throw notFound('webhooks', id);
				webhooks.splice(index, 1);
				return { status: 204 };
			}
			if (id && action === 'regenerate-token' && method === 'POST') {
				const w = find(webhooks, id, 'webhooks');
				w.signatureToken = randomHex(48);
				w.updatedAt = Date.now();
				return ok({ id: w.id, signatureToken: w.signatureToken });
			}
			if (id && action === 'ping' && method === 'POST') {
				const d = await pingWebhook(id);
				return ok(clone(d));
			}
		}
		if (resource === 'deliveries') {
			if (!id && method === 'GET') return ok({ data: clone(deliveries) });
			if (id && !action && method === 'GET') return ok(clone(find(deliveries, id, 'deliveries')));
			if (id && action === 'rerun' && method === 'POST') {
				const { delivery, record } = await rerunDelivery(id);
				return ok({ delivery: clone(delivery), attempt: clone(record) });
			}
		}
		return null;
	}

	function setFaults(input) {
		if (input.failNext) {
			const count = Number(input.failNext.count ?? 1);
			const status = Number(input.failNext.status ?? 500);
			if (!Number.isInteger(count) || count < 0) throw badRequest('failNext.count must be a non-negative integer');
			if (!Number.isInteger(status) || status < 400 || status > 599) throw badRequest('failNext.status must be 400-599');
			faults.failNext = { count, status };
		}
		if (input.rateLimitNext) {
			const count = Number(input.rateLimitNext.count ?? 1);
			if (!Number.isInteger(count) || count < 0) throw badRequest('rateLimitNext.count must be a non-negative integer');
			faults.rateLimitNext = { count };
		}
		return clone(faults);
	}

	function takeFault() {
		if (faults.rateLimitNext.count > 0) {
			faults.rateLimitNext.count -= 1;
			return new ApiError(429, 'TooManyRequests', 'Rate limit exceeded: 10 requests per second per API key');
		}
		if (faults.failNext.count > 0) {
			faults.failNext.count -= 1;
			const status = faults.failNext.status;
			const code = status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalServerError' : 'BadRequest';
			return new ApiError(status, code, `Injected sandbox fault (${status})`);
		}
		return null;
	}

	function authorized(header) {
		if (typeof header !== 'string') return false;
		const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
		if (!match) return false;
		const decoded = Buffer.from(match[1], 'base64').toString('utf8');
		const expected = `${opts.apiKey}:`;
		const a = Buffer.from(decoded);
		const b = Buffer.from(expected);
		return a.length === b.length && crypto.timingSafeEqual(a, b);
	}

	// ---------------------------------------------------------------- http server
	function readBody(req) {
		return new Promise((resolve, reject) => {
			const chunks = [];
			let size = 0;
			req.on('data', (c) => {
				size += c.length;
				if (size > MAX_BODY_BYTES) {
					reject(new ApiError(413, 'PayloadTooLarge', 'Request body is too large'));
					req.destroy();
					return;
				}
				chunks.push(c);
			});
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			req.on('error', reject);
		});
	}

	function send(res, status, body) {
		if (status === 204 || body === undefined) {
			res.writeHead(status);
			res.end();
			return;
		}
		const text = JSON.stringify(body);
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
		res.end(text);
	}

	async function handle(req, res) {
		const started = Date.now();
		const url = new URL(req.url, 'http://sandbox.local');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const method = req.method.toUpperCase();
		const entry = { at: started, method, path, query: url.search, status: 0, durationMs: 0, body: undefined };
		let status = 500;
		let payload;
		try {
			const raw = await readBody(req);
			let body;
			if (raw.trim() !== '') {
				try {
					body = JSON.parse(raw);
				} catch {
					throw badRequest('Request body is not valid JSON');
				}
				entry.body = body;
			}
			let segments;
			try {
				segments = path.split('/').filter(Boolean).map(decodeURIComponent);
			} catch {
				throw badRequest('Malformed percent-encoding in the path');
			}
			let result = null;
			if (segments[0] === 'v1') {
				const fault = takeFault();
				if (fault) {
					entry.fault = true;
					throw fault;
				}
				if (!authorized(req.headers.authorization)) {
					res.setHeader('WWW-Authenticate', 'Basic realm="Lever"');
					throw new ApiError(
						401,
						'Unauthorized',
						'Invalid or missing API key: use HTTP Basic auth with the API key as the username and an empty password',
					);
				}
				result = handleV1(method, segments.slice(1), parseQuery(url.searchParams), body);
			} else if (segments[0] === '__sandbox') {
				result = await handleControl(method, segments.slice(1), body);
			} else if (path === '/' && method === 'GET') {
				result = { status: 200, body: { name: 'Lever sandbox', baseUrl: `${origin}/v1`, docs: 'docs/lever-sandbox.md' } };
			}
			if (!result) throw new ApiError(404, 'ResourceNotFound', `Cannot ${method} ${path}`);
			status = result.status;
			payload = result.body;
		} catch (err) {
			if (err instanceof ApiError) {
				status = err.status;
				payload = { code: err.code, message: err.message };
			} else {
				status = 500;
				payload = { code: 'InternalServerError', message: err && err.message ? err.message : 'Unexpected error' };
			}
		}
		if (!res.headersSent && !res.writableEnded) send(res, status, payload);
		entry.status = status;
		entry.durationMs = Date.now() - started;
		// The request log is what API clients sent: /v1 only, not the control API.
		if (path === '/v1' || path.startsWith('/v1/')) {
			requestLog.push(entry);
			if (requestLog.length > MAX_LOG) requestLog.splice(0, requestLog.length - MAX_LOG);
		}
		logLine(`[lever-sandbox] ${status} ${method} ${path}${url.search} ${entry.durationMs}ms${entry.fault ? ' (injected fault)' : ''}`);
	}

	function snapshot() {
		return clone({
			opportunities: db.opportunities.map((o) => renderOpportunity(o)),
			contacts: db.contacts,
			applications: db.applications,
			notes: db.notes,
			stages: db.stages,
			postings: db.postings,
			users: db.users,
			archiveReasons: db.archiveReasons,
			webhooks,
			deliveries,
			requests: requestLog,
			faults,
		});
	}

	function reset({ keepWebhooks = false } = {}) {
		clearAsyncWork();
		loadState({ keepWebhooks });
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			if (!res.headersSent) send(res, 500, { code: 'InternalServerError', message: String(err && err.message) });
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const origin = `http://${hostForUrl}:${address.port}`;

	async function waitFor(predicate, timeoutMs = 5000, intervalMs = 10) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = predicate(snapshot());
			if (value) return value;
			if (closed) throw new Error('Lever sandbox closed while waiting');
			if (Date.now() > deadline) throw new Error(`Lever sandbox: condition not met within ${timeoutMs} ms`);
			// Not tracked in `timers`: reset() must not strand a waiter.
			await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
	}

	return {
		url: `${origin}/v1`,
		origin,
		port: address.port,
		apiKey: opts.apiKey,
		SEED,
		state: snapshot,
		reset: (o) => reset(o),
		/** Same as POST /__sandbox/opportunities/:id/stage (a recruiter moving the candidate in Lever's UI). */
		moveToStage: (opportunityId, stageId, performAs = SEED.users.riley) =>
			changeStage(getOpportunity(opportunityId), stageId, performAs),
		/** Same as POST /__sandbox/webhooks (manual registration in Lever's settings page). */
		registerWebhook: ({ url, event, conditions }) => {
			const w = createWebhook(validateWebhookInput({ url, event, conditions }, { requireConfigurationShape: false }), 'settings');
			return { id: w.id, signatureToken: w.signatureToken };
		},
		createOpportunity: (input) => renderOpportunity(createOpportunity(input).opp),
		rerunDelivery: async (deliveryId) => clone((await rerunDelivery(deliveryId)).record),
		pingWebhook: async (webhookId) => clone(await pingWebhook(webhookId)),
		setFaults: (input) => setFaults(input),
		waitFor,
		close: async () => {
			if (closed) return;
			closed = true;
			clearAsyncWork();
			await new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { startLeverSandbox, SEED, signPayload, WEBHOOK_EVENTS };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (name) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	const port = Number(arg('--port') ?? process.env.LEVER_SANDBOX_PORT ?? 4010);
	const apiKey = arg('--api-key') ?? SEED.apiKey;
	startLeverSandbox({ port, apiKey, seed: !args.includes('--no-seed'), log: !args.includes('--quiet') })
		.then((lever) => {
			const out = (line) => process.stdout.write(`${line}\n`);
			out(`Lever sandbox running`);
			out(`  Base URL (credential "Custom" environment): ${lever.url}`);
			out(`  API key (Basic auth username, empty password): ${apiKey}`);
			out(`  Control API: ${lever.origin}/__sandbox/state`);
			out(`  Stages: ${Object.entries(SEED.stages).map(([k, v]) => `${k}=${v}`).join(', ')}`);
			out(`  Postings: ${Object.entries(SEED.postings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
			out(`  Opportunities: ${Object.values(SEED.opportunities).join(', ')}`);
			out(`  Users: ${Object.values(SEED.users).join(', ')}; archive reasons: ${Object.values(SEED.archiveReasons).join(', ')}`);
			out('Press Ctrl-C to stop.');
			const stop = () => {
				lever.close().then(() => process.exit(0));
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((err) => {
			process.stderr.write(`Could not start the Lever sandbox: ${err.message}\n`);
			process.exit(1);
		});
}
