#!/usr/bin/env node
/**
 * Local Proforma sandbox: an in-memory simulator of the Proforma screening API
 * contract (/work/shared/proforma-api.md, documented in docs/proforma-sandbox.md).
 *
 * - /v1/...          the contract (Bearer auth, packages, orders, reports, PDF)
 * - /portal/...      HTML pages a human reaches from the invitation and report links
 * - /__sandbox/...   control API (no auth, loopback only): state, reset, account
 *                    callback URL, fault switches, manual advance, clock
 *
 * Orders advance on a compressed clock; the candidate email's `+tag` picks the
 * outcome; callbacks are HMAC-signed and retried on a compressed schedule.
 *
 * Use from code:  const { startProformaSandbox } = require('./sandboxes/proforma/server');
 * Use as CLI:     node sandboxes/proforma/server.js [--port 4020] [--step-ms 2000] [--quiet]
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { URL } = require('node:url');

const { PACKAGES } = require('./seed');
const { buildPdf } = require('./pdf');
const { signPayload, verifySignature } = require('./signature');

const DEFAULT_API_KEY = 'sandbox-proforma-key';
const DEFAULT_SIGNING_SECRET = 'sandbox-signing-secret';
const DEFAULT_STEP_MS = 2000;
/** The contract's retry schedule: 1 min, 5 min, 30 min, 2 h, 6 h, 24 h. */
const CONTRACT_RETRY_SCHEDULE_MS = [60e3, 300e3, 1800e3, 7200e3, 21600e3, 86400e3];
/** One contract hour = one sandbox second: [17, 83, 500, 2000, 6000, 24000] ms, 32.6 s in all. */
const RETRY_SCALE = 3600;
const DEFAULT_CALLBACK_RETRY_SCHEDULE_MS = CONTRACT_RETRY_SCHEDULE_MS.map((ms) =>
	Math.round(ms / RETRY_SCALE),
);
const DEFAULT_CALLBACK_TIMEOUT_MS = 10000;
const DEFAULT_RATE_LIMIT = { perSecond: 10, burst: 20 };
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_LOG_LIMIT = 500;

const STATUSES = [
	'invited',
	'submitted',
	'in_progress',
	'action_required',
	'completed',
	'expired',
	'cancelled',
];
const RESULTS = ['clear', 'review', 'adverse'];
const OUTCOMES = ['clear', 'review', 'adverse', 'expire', 'action', 'bounce'];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ---------------------------------------------------------------- helpers

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** ULID-like id with a prefix: `ord_01J...` (time-ordered, 26 Crockford chars). */
function newId(prefix) {
	let time = Date.now();
	let ts = '';
	for (let i = 0; i < 10; i++) {
		ts = CROCKFORD[time % 32] + ts;
		time = Math.floor(time / 32);
	}
	const bytes = crypto.randomBytes(16);
	let rnd = '';
	for (let i = 0; i < 16; i++) rnd += CROCKFORD[bytes[i] % 32];
	return `${prefix}_${ts}${rnd}`;
}

const iso = (ms = Date.now()) => new Date(ms).toISOString();
const clone = (v) => JSON.parse(JSON.stringify(v));
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isBlank = (v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function canonicalJson(value) {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isObject(value)) {
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value === undefined ? null : value);
}

function escapeHtml(s) {
	return String(s ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);
}

function safeEqual(a, b) {
	const ha = crypto.createHash('sha256').update(String(a)).digest();
	const hb = crypto.createHash('sha256').update(String(b)).digest();
	return crypto.timingSafeEqual(ha, hb) && String(a) === String(b);
}

/** The `+tag` of an email's local part, lower-cased, or null. */
function emailTag(email) {
	const m = /^[^@+]*\+([^@]+)@/.exec(String(email || ''));
	return m ? m[1].toLowerCase() : null;
}

function outcomeOf(email) {
	const tag = emailTag(email);
	return tag && OUTCOMES.includes(tag) ? tag : 'clear';
}

function isLoopback(address) {
	if (!address) return false;
	return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function validCallbackUrl(value) {
	if (typeof value !== 'string') return false;
	try {
		const u = new URL(value);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

class HttpError extends Error {
	constructor(status, code, message, extra = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.details = extra.details || [];
		this.orderId = extra.orderId;
		this.headers = extra.headers || {};
	}
}

// ---------------------------------------------------------------- the sandbox

/**
 * Starts the sandbox. Resolves once it listens.
 * @param {object} [options] see docs/proforma-sandbox.md
 */
async function startProformaSandbox(options = {}) {
	const host = options.host || '127.0.0.1';
	const apiKey = options.apiKey || DEFAULT_API_KEY;
	const signingSecret = options.signingSecret || DEFAULT_SIGNING_SECRET;
	const initialStepMs = options.stepMs === undefined ? DEFAULT_STEP_MS : Number(options.stepMs);
	if (!Number.isFinite(initialStepMs) || initialStepMs < 0)
		throw new Error('stepMs must be a number >= 0');
	const retrySchedule = (options.callbackRetryScheduleMs || DEFAULT_CALLBACK_RETRY_SCHEDULE_MS).map(
		Number,
	);
	const callbackTimeoutMs = Number(options.callbackTimeoutMs || DEFAULT_CALLBACK_TIMEOUT_MS);
	const initialRateLimit =
		options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMIT, ...(options.rateLimit || {}) };
	let emitLine;
	if (typeof options.log === 'function') emitLine = options.log;
	else if (options.log === true) emitLine = (line) => console.log(line);
	else emitLine = () => {};
	const log = (line) => {
		try {
			emitLine(`[proforma-sandbox] ${line}`);
		} catch {
			/* a broken logger must not break the sandbox */
		}
	};

	let baseUrl = '';
	let closed = false;
	/** Bumped by reset/close: async work of an older generation is dropped. */
	let generation = 0;
	const timers = new Set();
	const inflight = new Set();
	let state;

	function freshState() {
		return {
			stepMs: initialStepMs,
			rateLimit: initialRateLimit ? { ...initialRateLimit } : false,
			bucket: { tokens: initialRateLimit ? initialRateLimit.burst : 0, at: Date.now() },
			account: { callbackUrl: null },
			faults: defaultFaults(),
			seq: 0,
			orders: new Map(), // id -> record
			idempotency: new Map(), // key -> { fingerprint, orderId, at }
			tokens: new Map(), // invitation token -> { orderId, active }
			invitations: [],
			events: [],
			deliveries: [],
			requests: [],
		};
	}
	function defaultFaults() {
		return {
			failNext: { count: 0, status: 500 },
			rateLimitNext: { count: 0, retryAfterSeconds: 1 },
			delayNext: { count: 0, ms: 0 },
			duplicateCallbacks: false,
			outOfOrderCallbacks: false,
		};
	}
	state = freshState();

	function addTimer(fn, ms) {
		const t = setTimeout(
			() => {
				timers.delete(t);
				fn();
			},
			Math.max(0, ms),
		);
		t.unref();
		timers.add(t);
		return t;
	}
	function dropTimer(t) {
		if (!t) return;
		clearTimeout(t);
		timers.delete(t);
	}
	function stopAllAsyncWork() {
		generation++;
		for (const t of timers) clearTimeout(t);
		timers.clear();
		for (const req of inflight) req.destroy();
		inflight.clear();
	}

	// ------------------------------------------------------------ orders & lifecycle

	const reportUrl = (id) => `${baseUrl}/portal/reports/${encodeURIComponent(id)}`;

	function newInvitation(rec, kind, now = Date.now()) {
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
			url: `${baseUrl}/portal/invite/${rec.token}`,
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
	}

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

	function schedule(rec) {
		dropTimer(rec.timer);
		rec.timer = null;
		rec.nextStepAt = null;
		if (!state.stepMs || closed) return;
		const next = nextStatus(rec);
		if (!next) return;
		rec.nextStepAt = iso(Date.now() + state.stepMs);
		rec.timer = addTimer(() => {
			rec.timer = null;
			transition(rec, next);
		}, state.stepMs);
	}

	function transition(rec, status, { result } = {}) {
		const order = rec.order;
		const from = order.status;
		const now = iso();
		order.status = status;
		order.updatedAt = now;
		if (status === 'completed') {
			order.result = result || (RESULTS.includes(rec.outcome) ? rec.outcome : 'clear');
			order.completedAt = now;
			order.report = { url: reportUrl(order.id), completedAt: now };
		}
		if (status === 'in_progress' && from === 'action_required') rec.actionDone = true;
		rec.history.push({ status, at: now });
		emit(rec, status === 'completed' ? 'order.completed' : 'order.status_changed');
		schedule(rec);
	}

	function createOrder(body, idempotencyKey) {
		const nowMs = Date.now();
		const now = iso(nowMs);
		const c = body.candidate;
		const order = {
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
		const rec = {
			seq: ++state.seq,
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
		newInvitation(rec, 'initial', nowMs);
		state.orders.set(order.id, rec);
		emit(rec, 'order.created');
		schedule(rec);
		return rec;
	}

	function validateOrder(body) {
		const details = [];
		const add = (field, issue) => details.push({ field, issue });
		if (isBlank(body.package)) add('package', 'required');
		else if (typeof body.package !== 'string') add('package', 'invalid');
		const unknownPackage =
			typeof body.package === 'string' &&
			!isBlank(body.package) &&
			!PACKAGES.some((p) => p.code === body.package);
		if (body.candidate !== undefined && body.candidate !== null && !isObject(body.candidate))
			add('candidate', 'invalid');
		const c = isObject(body.candidate) ? body.candidate : {};
		for (const f of ['firstName', 'lastName', 'email']) {
			if (isBlank(c[f])) add(`candidate.${f}`, 'required');
			else if (typeof c[f] !== 'string') add(`candidate.${f}`, 'invalid');
		}
		if (typeof c.email === 'string' && !isBlank(c.email)) {
			if (!EMAIL_RE.test(c.email.trim())) add('candidate.email', 'invalid');
			else if (emailTag(c.email) === 'bounce') add('candidate.email', 'undeliverable');
		}
		for (const f of ['phone', 'location']) {
			if (!isBlank(c[f]) && typeof c[f] !== 'string') add(`candidate.${f}`, 'invalid');
		}
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
		// The contract: 404 not_found for an unknown package (after the body is
		// otherwise valid, as a well-formed order naming a missing resource).
		if (unknownPackage) {
			throw new HttpError(
				404,
				'not_found',
				`Package ${body.package} was not found. Known packages: ${PACKAGES.map((p) => p.code).join(', ')}.`,
				{ details: [{ field: 'package', issue: 'not_found' }] },
			);
		}
	}

	// ------------------------------------------------------------ callbacks

	function emit(rec, type) {
		const event = { id: newId('evt'), type, createdAt: iso(), data: { order: clone(rec.order) } };
		const raw = JSON.stringify(event);
		const url = rec.callbackUrl || state.account.callbackUrl;
		state.events.push({
			id: event.id,
			type,
			orderId: rec.order.id,
			status: rec.order.status,
			createdAt: event.createdAt,
			callbackUrl: url,
		});
		if (!url) return;
		const copies = state.faults.duplicateCallbacks ? 2 : 1;
		for (let i = 0; i < copies; i++) {
			const d = {
				id: newId('dlv'),
				eventId: event.id,
				type,
				orderId: rec.order.id,
				url,
				duplicate: i > 0,
				status: 'pending',
				attempts: [],
				nextAttemptAt: null,
				raw,
				timer: null,
			};
			state.deliveries.push(d);
			if (state.faults.outOfOrderCallbacks) {
				d.status = 'held';
				rec.held.push(d);
			} else {
				attemptDelivery(d);
			}
		}
		if (rec.held.length && ['completed', 'expired', 'cancelled'].includes(rec.order.status))
			flushHeld(rec);
	}

	/**
	 * Sends an order's held callbacks newest first (the out-of-order fault), one
	 * after the other: each first attempt waits for the previous one's answer.
	 */
	function flushHeld(rec) {
		const batch = rec.held.splice(0).reverse();
		for (const d of batch) d.status = 'pending';
		const gen = generation;
		const next = () => {
			const d = batch.shift();
			if (d && gen === generation) attemptDelivery(d, next);
		};
		next();
	}

	function attemptDelivery(d, afterFirstAnswer) {
		if (closed) return;
		const gen = generation;
		d.status = 'pending';
		d.nextAttemptAt = null;
		const attempt = {
			attempt: d.attempts.length + 1,
			at: iso(),
			status: null,
			error: null,
			ms: null,
		};
		d.attempts.push(attempt);
		const started = Date.now();
		let done = false;
		let req = null;
		let timeout = null;
		const finish = (status, error) => {
			if (done) return;
			done = true;
			dropTimer(timeout);
			if (req) inflight.delete(req);
			if (gen !== generation) return;
			if (afterFirstAnswer) setImmediate(afterFirstAnswer);
			attempt.status = status;
			attempt.error = error;
			attempt.ms = Date.now() - started;
			log(
				`callback ${d.type} ${d.eventId}${d.duplicate ? ' (duplicate)' : ''} -> ${d.url} attempt ${attempt.attempt}: ${status ?? error} ${attempt.ms}ms`,
			);
			if (status !== null && status >= 200 && status < 300) {
				d.status = 'delivered';
				return;
			}
			const retryIndex = d.attempts.length - 1;
			if (retryIndex < retrySchedule.length) {
				const wait = retrySchedule[retryIndex];
				d.status = 'retrying';
				d.nextAttemptAt = iso(Date.now() + wait);
				d.timer = addTimer(() => attemptDelivery(d), wait);
			} else {
				d.status = 'failed';
			}
		};
		let target;
		try {
			target = new URL(d.url);
			if (target.protocol !== 'http:' && target.protocol !== 'https:')
				throw new Error('unsupported protocol');
		} catch {
			finish(null, 'invalid callback URL');
			return;
		}
		const body = Buffer.from(d.raw, 'utf8');
		const t = Math.floor(Date.now() / 1000);
		attempt.t = t;
		req = (target.protocol === 'https:' ? https : http).request(target, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				'Content-Length': body.length,
				'User-Agent': 'Proforma-Sandbox-Webhooks/1.0',
				'Proforma-Signature': signPayload(signingSecret, d.raw, t),
				'Proforma-Event-Id': d.eventId,
				'Proforma-Event-Type': d.type,
				'Proforma-Delivery-Attempt': String(attempt.attempt),
			},
		});
		inflight.add(req);
		timeout = addTimer(() => {
			req.destroy(new Error(`no answer within ${callbackTimeoutMs} ms`));
		}, callbackTimeoutMs);
		req.on('response', (res) => {
			res.resume();
			finish(res.statusCode, null);
		});
		req.on('error', (err) => finish(null, err.code ? `${err.code}: ${err.message}` : err.message));
		req.end(body);
	}

	// ------------------------------------------------------------ HTTP plumbing

	function send(res, status, payload, headers = {}) {
		if (res.headersSent || res.destroyed) return;
		const body = JSON.stringify(payload, null, 2);
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
		res.end(body);
	}

	function sendError(res, err) {
		const error = { code: err.code, message: err.message, details: err.details || [] };
		if (err.orderId) error.orderId = err.orderId;
		send(res, err.status, { error }, err.headers);
	}

	function readBody(req) {
		if (req.sandboxBody !== undefined) return Promise.resolve(req.sandboxBody);
		return new Promise((resolve, reject) => {
			const chunks = [];
			let size = 0;
			req.on('data', (chunk) => {
				size += chunk.length;
				if (size > MAX_BODY_BYTES) {
					reject(new HttpError(400, 'malformed_request', 'The request body is larger than 1 MB.'));
					req.destroy();
					return;
				}
				chunks.push(chunk);
			});
			req.on('end', () => {
				req.sandboxBody = Buffer.concat(chunks).toString('utf8');
				resolve(req.sandboxBody);
			});
			req.on('error', reject);
		});
	}

	async function readJson(req, { required }) {
		const raw = await readBody(req);
		if (raw.trim() === '') {
			if (required)
				throw new HttpError(400, 'malformed_request', 'The request body must be a JSON object.');
			return {};
		}
		let parsed;
		try {
			parsed = JSON.parse(raw);
		} catch (e) {
			throw new HttpError(
				400,
				'malformed_request',
				`The request body is not valid JSON: ${e.message}`,
			);
		}
		if (!isObject(parsed))
			throw new HttpError(400, 'malformed_request', 'The request body must be a JSON object.');
		return parsed;
	}

	function notFound(method, path) {
		return new HttpError(404, 'not_found', `No route ${method} ${path}.`);
	}

	function getRecord(id) {
		const rec = state.orders.get(id);
		if (!rec) throw new HttpError(404, 'not_found', `Order ${id} was not found.`);
		return rec;
	}

	/** Delays of the delayNext fault; reset releases them at once, close drops them. */
	const delays = new Set();
	function delay(ms) {
		return new Promise((resolve) => {
			const entry = { resolve };
			entry.timer = setTimeout(() => {
				delays.delete(entry);
				resolve();
			}, ms);
			entry.timer.unref();
			delays.add(entry);
		});
	}
	function releaseDelays(run) {
		for (const entry of delays) {
			clearTimeout(entry.timer);
			if (run) entry.resolve();
		}
		delays.clear();
	}

	// ------------------------------------------------------------ /v1

	async function handleApi(req, res, url) {
		const method = req.method;
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const faults = state.faults;

		// The whole request is read first, so a delayed request is still processed
		// after its client gave up (like a real server).
		await readBody(req);
		// Fault switches act like a flaky gateway in front of the API: before auth.
		if (faults.delayNext.count > 0) {
			faults.delayNext.count--;
			await delay(faults.delayNext.ms);
			if (closed) return;
		}
		if (faults.rateLimitNext.count > 0) {
			faults.rateLimitNext.count--;
			const s = faults.rateLimitNext.retryAfterSeconds;
			throw new HttpError(429, 'rate_limited', `Too many requests: retry after ${s} s.`, {
				headers: { 'Retry-After': String(s) },
			});
		}
		if (faults.failNext.count > 0) {
			faults.failNext.count--;
			const status = faults.failNext.status;
			throw new HttpError(
				status,
				status === 503 ? 'service_unavailable' : 'internal_error',
				status === 503
					? 'The service is temporarily unavailable; retry shortly.'
					: 'An internal error occurred; retry shortly.',
			);
		}

		const auth = req.headers.authorization || '';
		const m = /^Bearer\s+(.+)$/i.exec(auth);
		if (!m || !safeEqual(m[1].trim(), apiKey)) {
			throw new HttpError(
				401,
				'unauthorized',
				m
					? 'The API key is not valid.'
					: 'Missing API key: send "Authorization: Bearer <API key>".',
				{ headers: { 'WWW-Authenticate': 'Bearer realm="proforma"' } },
			);
		}

		if (state.rateLimit) {
			const { perSecond, burst } = state.rateLimit;
			const b = state.bucket;
			const now = Date.now();
			b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
			b.at = now;
			if (b.tokens < 1) {
				const s = Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
				throw new HttpError(
					429,
					'rate_limited',
					`Rate limit of ${perSecond} requests/second (bursts to ${burst}) exceeded: retry after ${s} s.`,
					{
						headers: { 'Retry-After': String(s) },
					},
				);
			}
			b.tokens -= 1;
		}

		let parts;
		try {
			parts = path
				.split('/')
				.slice(2)
				.map((p) => decodeURIComponent(p)); // after /v1
		} catch {
			throw notFound(method, path);
		}
		const route = `${method} /${parts.map((p, i) => (i === 1 && parts[0] === 'orders' ? ':id' : i === 1 && parts[0] === 'packages' ? ':code' : p)).join('/')}`;

		switch (route) {
			case 'GET /packages':
				return send(res, 200, { data: clone(PACKAGES) });
			case 'GET /packages/:code': {
				const pkg = PACKAGES.find((p) => p.code === parts[1]);
				if (!pkg) throw new HttpError(404, 'not_found', `Package ${parts[1]} was not found.`);
				return send(res, 200, clone(pkg));
			}
			case 'POST /orders':
				return postOrder(req, res);
			case 'GET /orders':
				return listOrders(res, url);
			case 'GET /orders/:id':
				return send(res, 200, clone(getRecord(parts[1]).order));
			case 'POST /orders/:id/cancel': {
				await readJson(req, { required: false });
				const rec = getRecord(parts[1]);
				if (rec.order.status === 'completed') {
					throw new HttpError(
						409,
						'conflict',
						`Order ${rec.order.id} is already completed and cannot be cancelled.`,
						{ orderId: rec.order.id },
					);
				}
				if (rec.order.status !== 'cancelled') transition(rec, 'cancelled');
				return send(res, 200, clone(rec.order));
			}
			case 'POST /orders/:id/invitation/resend': {
				await readJson(req, { required: false });
				const rec = getRecord(parts[1]);
				const status = rec.order.status;
				if (status === 'invited') {
					newInvitation(rec, 'resend');
					rec.order.updatedAt = rec.order.invitation.sentAt;
					schedule(rec);
				} else if (status === 'expired') {
					rec.reissued = true;
					newInvitation(rec, 'reissue');
					transition(rec, 'invited');
				} else {
					throw new HttpError(
						409,
						'conflict',
						`Order ${rec.order.id} is ${status}: only an invited or expired order's invitation can be resent.`,
						{
							orderId: rec.order.id,
						},
					);
				}
				return send(res, 200, clone(rec.order));
			}
			case 'GET /orders/:id/report': {
				const rec = getRecord(parts[1]);
				requireCompleted(rec);
				const o = rec.order;
				return send(res, 200, {
					orderId: o.id,
					status: o.status,
					result: o.result,
					url: o.report.url,
					completedAt: o.completedAt,
				});
			}
			case 'GET /orders/:id/report.pdf': {
				const rec = getRecord(parts[1]);
				requireCompleted(rec);
				const pdf = reportPdf(rec);
				res.writeHead(200, {
					'Content-Type': 'application/pdf',
					'Content-Length': pdf.length,
					'Content-Disposition': `inline; filename="proforma-report-${rec.order.id}.pdf"`,
				});
				return res.end(pdf);
			}
			default:
				throw notFound(method, path);
		}
	}

	function requireCompleted(rec) {
		if (rec.order.status !== 'completed') {
			throw new HttpError(
				409,
				'report_not_ready',
				`The report of order ${rec.order.id} is not ready: the order is ${rec.order.status}.`,
				{
					orderId: rec.order.id,
				},
			);
		}
	}

	async function postOrder(req, res) {
		const keyHeader = req.headers['idempotency-key'];
		const body = await readJson(req, { required: true });
		// Everything below is synchronous: check-and-insert cannot interleave.
		const key = typeof keyHeader === 'string' ? keyHeader.trim() : '';
		if (!key) {
			throw new HttpError(
				400,
				'malformed_request',
				'The Idempotency-Key header is required on POST /v1/orders.',
				{
					details: [{ field: 'Idempotency-Key', issue: 'required' }],
				},
			);
		}
		if (key.length > 255) {
			throw new HttpError(
				400,
				'malformed_request',
				'The Idempotency-Key header is longer than 255 characters.',
				{
					details: [{ field: 'Idempotency-Key', issue: 'invalid' }],
				},
			);
		}
		const fingerprint = crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
		const seen = state.idempotency.get(key);
		if (seen && Date.now() - seen.at > IDEMPOTENCY_TTL_MS) state.idempotency.delete(key);
		else if (seen) {
			if (seen.fingerprint !== fingerprint) {
				throw new HttpError(
					409,
					'conflict',
					`Idempotency-Key ${key} was already used with a different request body.`,
					{
						orderId: seen.orderId,
					},
				);
			}
			return send(res, 200, clone(state.orders.get(seen.orderId).order), {
				'Idempotent-Replayed': 'true',
			});
		}
		validateOrder(body);
		if (!isBlank(body.clientReference)) {
			for (const rec of state.orders.values()) {
				const o = rec.order;
				if (
					o.clientReference === String(body.clientReference) &&
					o.package === body.package &&
					o.status !== 'cancelled' &&
					o.status !== 'expired'
				) {
					throw new HttpError(
						409,
						'conflict',
						`Order ${o.id} (${o.status}) already exists for clientReference ${o.clientReference} and package ${o.package}. Use a new clientReference for a deliberate re-screen.`,
						{ orderId: o.id },
					);
				}
			}
		}
		const rec = createOrder(body, key);
		state.idempotency.set(key, { fingerprint, orderId: rec.order.id, at: Date.now() });
		return send(res, 201, clone(rec.order), { Location: `/v1/orders/${rec.order.id}` });
	}

	function listOrders(res, url) {
		const q = url.searchParams;
		const bad = (field, message) => {
			throw new HttpError(400, 'malformed_request', message, {
				details: [{ field, issue: 'invalid' }],
			});
		};
		let limit = 50;
		if (q.has('limit')) {
			const raw = q.get('limit');
			if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100)
				bad('limit', 'limit must be an integer from 1 to 100.');
			limit = Number(raw);
		}
		let statuses = null;
		if (q.get('status')) {
			statuses = q
				.get('status')
				.split(',')
				.map((s) => s.trim());
			const unknown = statuses.filter((s) => !STATUSES.includes(s));
			if (unknown.length)
				bad(
					'status',
					`Unknown status ${unknown.join(', ')}: use one of ${STATUSES.join(', ')} (comma-separated for several).`,
				);
		}
		let since = null;
		if (q.get('updatedSince')) {
			since = Date.parse(q.get('updatedSince'));
			if (!/^\d{4}-\d{2}-\d{2}T/.test(q.get('updatedSince')) || Number.isNaN(since)) {
				bad(
					'updatedSince',
					'updatedSince must be an ISO-8601 timestamp such as 2025-01-06T09:00:00Z.',
				);
			}
		}
		let afterSeq = 0;
		if (q.get('cursor')) {
			const m = /^c1:(\d+)$/.exec(Buffer.from(q.get('cursor'), 'base64url').toString('utf8'));
			if (!m)
				bad('cursor', 'cursor is not valid: pass the nextCursor of the previous page unchanged.');
			afterSeq = Number(m[1]);
		}
		const clientReference = q.get('clientReference');
		const matches = [...state.orders.values()]
			.filter((r) => r.seq > afterSeq)
			.filter((r) => !clientReference || r.order.clientReference === clientReference)
			.filter((r) => !statuses || statuses.includes(r.order.status))
			.filter((r) => since === null || Date.parse(r.order.updatedAt) >= since)
			.sort((a, b) => a.seq - b.seq);
		const page = matches.slice(0, limit);
		const nextCursor =
			matches.length > limit
				? Buffer.from(`c1:${page[page.length - 1].seq}`).toString('base64url')
				: null;
		return send(res, 200, { data: page.map((r) => clone(r.order)), nextCursor });
	}

	function reportPdf(rec) {
		const o = rec.order;
		const pkg = PACKAGES.find((p) => p.code === o.package);
		return buildPdf('Proforma Screening Report (sandbox)', [
			`Order: ${o.id}`,
			`Candidate: ${o.candidate.firstName} ${o.candidate.lastName} <${o.candidate.email}>`,
			`Package: ${pkg ? pkg.name : o.package} (${o.package})`,
			`Screenings: ${pkg ? pkg.screenings.join(', ') : ''}`,
			`Client reference: ${o.clientReference ?? '-'}`,
			`Result: ${String(o.result).toUpperCase()}`,
			`Completed: ${o.completedAt}`,
			'',
			'Simulated data from the local Proforma sandbox. Not a consumer report.',
		]);
	}

	// ------------------------------------------------------------ /portal (HTML)

	function sendHtml(res, status, title, bodyHtml) {
		res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(
			`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
				'<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}' +
				'.badge{display:inline-block;padding:.2rem .6rem;border-radius:1rem;background:#eee}.clear{background:#d4f5dd}' +
				'.review{background:#fff1c2}.adverse{background:#ffd6d6}dt{font-weight:600}footer{margin-top:3rem;color:#777;font-size:.85rem}</style>' +
				`</head><body><h1>${escapeHtml(title)}</h1>${bodyHtml}<footer>Proforma sandbox: simulated data, not a consumer report.</footer></body></html>`,
		);
	}

	async function handlePortal(req, res, url) {
		const path = url.pathname.replace(/\/+$/, '');
		let m = /^\/portal\/reports\/([^/]+?)(\.pdf)?$/.exec(path);
		if (m && req.method === 'GET') {
			const rec = state.orders.get(decodeURIComponent(m[1]));
			if (!rec)
				return sendHtml(
					res,
					404,
					'Report not found',
					'<p>No order has this id. The sandbox may have been reset.</p>',
				);
			const o = rec.order;
			if (o.status !== 'completed') {
				return sendHtml(
					res,
					409,
					'Report not ready',
					`<p>Order <code>${escapeHtml(o.id)}</code> is <b>${escapeHtml(o.status)}</b>; the report appears once it is completed.</p>`,
				);
			}
			if (m[2]) {
				const pdf = reportPdf(rec);
				res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length });
				return res.end(pdf);
			}
			const pkg = PACKAGES.find((p) => p.code === o.package);
			return sendHtml(
				res,
				200,
				`Screening report: ${o.candidate.firstName} ${o.candidate.lastName}`,
				`<p>Result: <span class="badge ${escapeHtml(o.result)}">${escapeHtml(o.result)}</span></p><dl>` +
					`<dt>Order</dt><dd><code>${escapeHtml(o.id)}</code></dd>` +
					`<dt>Package</dt><dd>${escapeHtml(pkg ? pkg.name : o.package)}</dd>` +
					`<dt>Screenings</dt><dd>${escapeHtml(pkg ? pkg.screenings.join(', ') : '')}</dd>` +
					`<dt>Client reference</dt><dd>${escapeHtml(o.clientReference ?? '-')}</dd>` +
					`<dt>Candidate email</dt><dd>${escapeHtml(o.candidate.email)}</dd>` +
					`<dt>Completed</dt><dd>${escapeHtml(o.completedAt)}</dd></dl>` +
					`<p><a href="${escapeHtml(reportUrl(o.id))}.pdf">Download PDF</a></p>`,
			);
		}
		m = /^\/portal\/invite\/([^/]+?)(\/submit)?$/.exec(path);
		if (m) {
			const tok = state.tokens.get(m[1]);
			const rec = tok && state.orders.get(tok.orderId);
			if (!rec)
				return sendHtml(
					res,
					404,
					'Invitation not found',
					'<p>This link is not valid. The sandbox may have been reset.</p>',
				);
			if (m[2] && req.method === 'POST') {
				await readBody(req);
				if (tok.active && rec.order.status === 'invited') transition(rec, 'submitted');
				res.writeHead(303, { Location: `/portal/invite/${m[1]}` });
				return res.end();
			}
			if (!m[2] && req.method === 'GET') {
				const o = rec.order;
				if (!tok.active || o.status === 'expired') {
					return sendHtml(
						res,
						410,
						'Invitation expired',
						'<p>This invitation has expired. Ask the employer to resend it.</p>',
					);
				}
				const form =
					o.status === 'invited'
						? `<form method="post" action="/portal/invite/${escapeHtml(m[1])}/submit"><button type="submit">Give consent and submit</button></form>`
						: `<p>Thank you. Your screening is <b>${escapeHtml(o.status)}</b>.</p>`;
				return sendHtml(
					res,
					200,
					`Background screening for ${o.candidate.firstName} ${o.candidate.lastName}`,
					`<p>Order <code>${escapeHtml(o.id)}</code>, package <b>${escapeHtml(o.package)}</b>.</p>${form}`,
				);
			}
		}
		throw notFound(req.method, url.pathname);
	}

	// ------------------------------------------------------------ /__sandbox (control)

	function snapshot() {
		return clone({
			url: baseUrl,
			stepMs: state.stepMs,
			callbackRetryScheduleMs: retrySchedule,
			callbackTimeoutMs,
			rateLimit: state.rateLimit,
			account: state.account,
			faults: state.faults,
			orders: [...state.orders.values()]
				.sort((a, b) => a.seq - b.seq)
				.map((r) => ({
					...r.order,
					sandbox: {
						outcome: r.outcome,
						callbackUrl: r.callbackUrl,
						idempotencyKey: r.idempotencyKey,
						nextStepAt: r.nextStepAt,
						heldCallbacks: r.held.length,
						history: r.history,
					},
				})),
			invitations: state.invitations,
			events: state.events,
			deliveries: state.deliveries.map((d) => ({
				id: d.id,
				eventId: d.eventId,
				type: d.type,
				orderId: d.orderId,
				url: d.url,
				duplicate: d.duplicate,
				status: d.status,
				attempts: d.attempts,
				nextAttemptAt: d.nextAttemptAt,
				payload: JSON.parse(d.raw),
			})),
			requests: state.requests,
		});
	}

	function reset() {
		stopAllAsyncWork();
		releaseDelays(true);
		state = freshState();
	}

	function intIn(value, field, min, max) {
		const n = Number(value);
		if (!Number.isInteger(n) || n < min || n > max) {
			throw new HttpError(
				422,
				'validation_failed',
				`${field} must be an integer from ${min} to ${max}.`,
				{ details: [{ field, issue: 'invalid' }] },
			);
		}
		return n;
	}

	function applyFaults(body) {
		if (body.clear === true) state.faults = defaultFaults();
		const g = state.faults;
		if (body.failNext !== undefined) {
			const v = isObject(body.failNext) ? body.failNext : { count: body.failNext };
			g.failNext = {
				count: intIn(v.count ?? 1, 'failNext.count', 0, 1000),
				status: intIn(v.status ?? 500, 'failNext.status', 500, 599),
			};
		}
		if (body.rateLimitNext !== undefined) {
			const v = isObject(body.rateLimitNext) ? body.rateLimitNext : { count: body.rateLimitNext };
			g.rateLimitNext = {
				count: intIn(v.count ?? 1, 'rateLimitNext.count', 0, 1000),
				retryAfterSeconds: intIn(
					v.retryAfterSeconds ?? 1,
					'rateLimitNext.retryAfterSeconds',
					0,
					86400,
				),
			};
		}
		if (body.delayNext !== undefined) {
			const v = isObject(body.delayNext) ? body.delayNext : { count: body.delayNext };
			g.delayNext = {
				count: intIn(v.count ?? 1, 'delayNext.count', 0, 1000),
				ms: intIn(v.ms ?? 15000, 'delayNext.ms', 0, 600000),
			};
		}
		if (body.duplicateCallbacks !== undefined)
			g.duplicateCallbacks = body.duplicateCallbacks === true;
		if (body.outOfOrderCallbacks !== undefined) {
			g.outOfOrderCallbacks = body.outOfOrderCallbacks === true;
			if (!g.outOfOrderCallbacks)
				for (const rec of state.orders.values()) if (rec.held.length) flushHeld(rec);
		}
		if (body.rateLimit !== undefined) {
			if (body.rateLimit === false || body.rateLimit === null) state.rateLimit = false;
			else if (isObject(body.rateLimit)) {
				state.rateLimit = {
					perSecond: intIn(
						body.rateLimit.perSecond ?? DEFAULT_RATE_LIMIT.perSecond,
						'rateLimit.perSecond',
						1,
						100000,
					),
					burst: intIn(
						body.rateLimit.burst ?? DEFAULT_RATE_LIMIT.burst,
						'rateLimit.burst',
						1,
						100000,
					),
				};
				state.bucket = { tokens: state.rateLimit.burst, at: Date.now() };
			}
		}
		return state.faults;
	}

	function setStepMs(ms) {
		state.stepMs = ms;
		for (const rec of state.orders.values()) schedule(rec);
	}

	function advance(id, body) {
		const rec = getRecord(id);
		const o = rec.order;
		if (body.to !== undefined && !STATUSES.includes(body.to)) {
			throw new HttpError(422, 'validation_failed', `to must be one of ${STATUSES.join(', ')}.`, {
				details: [{ field: 'to', issue: 'invalid' }],
			});
		}
		if (body.result !== undefined && body.result !== null && !RESULTS.includes(body.result)) {
			throw new HttpError(
				422,
				'validation_failed',
				`result must be one of ${RESULTS.join(', ')}.`,
				{ details: [{ field: 'result', issue: 'invalid' }] },
			);
		}
		if (o.status === 'completed' || o.status === 'cancelled') {
			throw new HttpError(
				409,
				'conflict',
				`Order ${o.id} is ${o.status}: it cannot move any more.`,
				{ orderId: o.id },
			);
		}
		const to = body.to || nextStatus(rec);
		if (!to)
			throw new HttpError(
				409,
				'conflict',
				`Order ${o.id} is ${o.status}: resend the invitation to revive it.`,
				{ orderId: o.id },
			);
		if (to === o.status) return o;
		transition(rec, to, { result: body.result || undefined });
		return o;
	}

	async function handleControl(req, res, url) {
		if (!isLoopback(req.socket.remoteAddress))
			throw new HttpError(
				403,
				'forbidden',
				'The sandbox control API answers loopback clients only.',
			);
		const path = url.pathname.replace(/\/+$/, '');
		const method = req.method;
		let m;
		if (method === 'GET' && path === '/__sandbox/state') return send(res, 200, snapshot());
		if (method === 'POST' && path === '/__sandbox/reset') {
			await readBody(req);
			reset();
			return send(res, 200, { ok: true });
		}
		if (path === '/__sandbox/account' && (method === 'GET' || method === 'POST')) {
			if (method === 'POST') {
				const body = await readJson(req, { required: true });
				if (!isBlank(body.callbackUrl) && !validCallbackUrl(body.callbackUrl)) {
					throw new HttpError(
						422,
						'validation_failed',
						'callbackUrl must be an http(s) URL or null.',
						{ details: [{ field: 'callbackUrl', issue: 'invalid' }] },
					);
				}
				state.account.callbackUrl = isBlank(body.callbackUrl) ? null : body.callbackUrl;
			}
			return send(res, 200, clone(state.account));
		}
		if (path === '/__sandbox/faults' && (method === 'GET' || method === 'POST')) {
			if (method === 'POST') applyFaults(await readJson(req, { required: true }));
			return send(res, 200, clone({ ...state.faults, rateLimit: state.rateLimit }));
		}
		if (path === '/__sandbox/clock' && (method === 'GET' || method === 'POST')) {
			if (method === 'POST') {
				const body = await readJson(req, { required: true });
				setStepMs(intIn(body.stepMs, 'stepMs', 0, 86400000));
			}
			return send(res, 200, { stepMs: state.stepMs });
		}
		if (method === 'POST' && (m = /^\/__sandbox\/orders\/([^/]+)\/advance$/.exec(path))) {
			const body = await readJson(req, { required: false });
			return send(res, 200, clone(advance(decodeURIComponent(m[1]), body)));
		}
		throw notFound(method, url.pathname);
	}

	// ------------------------------------------------------------ server

	async function handle(req, res) {
		const started = Date.now();
		const url = new URL(req.url, 'http://sandbox.local');
		const isControl = url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/');
		const gen = generation;
		res.on('close', () => {
			const ms = Date.now() - started;
			const status = res.writableFinished ? res.statusCode : `${res.statusCode} (aborted)`;
			log(`${req.method} ${req.url} ${status} ${ms}ms`);
			if (!isControl && gen === generation) {
				const entry = {
					at: iso(started),
					method: req.method,
					path: req.url,
					status: res.statusCode,
					ms,
				};
				if (req.headers['idempotency-key'])
					entry.idempotencyKey = String(req.headers['idempotency-key']);
				state.requests.push(entry);
				if (state.requests.length > REQUEST_LOG_LIMIT)
					state.requests.splice(0, state.requests.length - REQUEST_LOG_LIMIT);
			}
		});
		try {
			if (isControl) return await handleControl(req, res, url);
			if (url.pathname === '/v1' || url.pathname.startsWith('/v1/'))
				return await handleApi(req, res, url);
			if (url.pathname.startsWith('/portal/')) return await handlePortal(req, res, url);
			if (req.method === 'GET' && url.pathname === '/') {
				return send(res, 200, {
					name: 'Proforma sandbox',
					baseUrl,
					api: `${baseUrl}/v1`,
					docs: 'docs/proforma-sandbox.md',
					control: `${baseUrl}/__sandbox/state`,
				});
			}
			throw notFound(req.method, url.pathname);
		} catch (err) {
			if (err instanceof HttpError) return sendError(res, err);
			log(`internal error on ${req.method} ${req.url}: ${err && err.stack}`);
			return sendError(
				res,
				new HttpError(500, 'internal_error', 'The sandbox hit an unexpected error; see its log.'),
			);
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port === undefined ? 0 : Number(options.port), host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const addr = server.address();
	baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

	let closing = null;
	return {
		url: baseUrl,
		port: addr.port,
		apiKey,
		signingSecret,
		state: snapshot,
		reset,
		/** Sets the compressed clock (0 pauses automatic progress). */
		setStepMs: (ms) => setStepMs(Number(ms)),
		setAccountCallbackUrl: (u) => {
			state.account.callbackUrl = u || null;
		},
		setFaults: (f) => applyFaults(f || {}),
		advance: (id, body = {}) => clone(advance(id, body)),
		close() {
			if (closing) return closing;
			closed = true;
			stopAllAsyncWork();
			releaseDelays(false);
			closing = new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closing;
		},
	};
}

module.exports = {
	startProformaSandbox,
	signPayload,
	verifySignature,
	PACKAGES,
	DEFAULT_API_KEY,
	DEFAULT_SIGNING_SECRET,
	DEFAULT_STEP_MS,
	CONTRACT_RETRY_SCHEDULE_MS,
	DEFAULT_CALLBACK_RETRY_SCHEDULE_MS,
};

// ---------------------------------------------------------------- CLI

function parseArgs(argv) {
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--port') out.port = Number(value());
		else if (flag === '--step-ms') out.stepMs = Number(value());
		else if (flag === '--api-key') out.apiKey = value();
		else if (flag === '--signing-secret') out.signingSecret = value();
		else if (flag === '--callback-url') out.callbackUrl = value();
		else if (flag === '--no-rate-limit') out.rateLimit = false;
		else if (flag === '--quiet') out.log = false;
		else if (flag === '--help' || flag === '-h') out.help = true;
		else throw new Error(`Unknown option ${a} (try --help)`);
	}
	return out;
}

if (require.main === module) {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (e) {
		console.error(e.message);
		process.exit(2);
	}
	if (args.help) {
		console.log(
			'Usage: node sandboxes/proforma/server.js [--port 4020] [--step-ms 2000] [--api-key K] [--signing-secret S]\n' +
				'       [--callback-url URL] [--no-rate-limit] [--quiet]\nSee docs/proforma-sandbox.md.',
		);
		process.exit(0);
	}
	const port =
		args.port !== undefined ? args.port : Number(process.env.PROFORMA_SANDBOX_PORT || 4020);
	startProformaSandbox({
		port,
		stepMs: args.stepMs,
		apiKey: args.apiKey,
		signingSecret: args.signingSecret,
		rateLimit: args.rateLimit,
		log: args.log === undefined ? true : args.log,
	}).then(
		(sandbox) => {
			if (args.callbackUrl) sandbox.setAccountCallbackUrl(args.callbackUrl);
			console.log(`Proforma sandbox listening on ${sandbox.url}`);
			console.log(`  Base URL (credential):  ${sandbox.url}`);
			console.log(`  API key (Bearer):       ${sandbox.apiKey}`);
			console.log(`  Signing secret:         ${sandbox.signingSecret}`);
			console.log(`  Step:                   ${sandbox.state().stepMs} ms per status`);
			console.log(`  Control API:            ${sandbox.url}/__sandbox/state`);
			let stopping = false;
			const stop = (signal) => {
				if (stopping) return;
				stopping = true;
				console.log(`${signal}: stopping the Proforma sandbox`);
				sandbox.close().then(() => process.exit(0));
			};
			process.on('SIGINT', () => stop('SIGINT'));
			process.on('SIGTERM', () => stop('SIGTERM'));
		},
		(err) => {
			console.error(`Proforma sandbox failed to start: ${err.message}`);
			process.exit(1);
		},
	);
}
