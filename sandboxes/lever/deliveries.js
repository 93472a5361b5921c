/**
 * Signed webhook deliveries: one per matching webhook and event, POSTed as
 * JSON, retried on Lever's schedule when the receiver fails, plus the test
 * ping and the manual rerun of Lever's delivery history. The deliveries of a
 * bulk stage move share a gate: at most its concurrency of their attempts are
 * on the wire at once. The summary condenses the history.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { URL } = require('node:url');

const { randomHex, signPayload } = require('./webhooks');
const { clone } = require('../shared/json');

/** @typedef {import('./server').LeverDelivery} Delivery */
/** @typedef {import('./server').LeverDeliveryAttempt} DeliveryAttempt */
/** @typedef {import('./server').LeverWebhookPayload} Payload */
/** @typedef {import('./server').LeverSandboxWebhook} Webhook */
/** @typedef {{ status: number | null, error: string | null, responseBody: string | null, durationMs: number }} PostResult */

/**
 * At most `limit` holders at once; the others wait in line.
 * @typedef {object} Gate
 * @property {() => Promise<void>} acquire resolves when the caller holds a place
 * @property {() => void} release hands the place to the next in line
 */

/** Lever keeps a delivery history; so does the sandbox, bounded. */
const MAX_DELIVERIES = 1000;

/**
 * The generation of the state each delivery belongs to: after a reset,
 * its answers and retries are dropped. Not a field: it must not show in
 * the delivery history.
 * @type {WeakMap<Delivery, number>}
 */
const generations = new WeakMap();

/**
 * The gate of each delivery of a bulk move (none for the others). Not a
 * field either.
 * @type {WeakMap<Delivery, Gate>}
 */
const gates = new WeakMap();

/**
 * A gate for `limit` concurrent holders, served in arrival order.
 * @param {number} limit
 * @returns {Gate}
 */
function createGate(limit) {
	let holders = 0;
	/** @type {Array<() => void>} */
	const line = [];
	return {
		acquire() {
			if (holders < limit) {
				holders += 1;
				return Promise.resolve();
			}
			return new Promise((resolve) => line.push(resolve));
		},
		release() {
			const next = line.shift();
			if (next) next();
			else holders -= 1;
		},
	};
}

/**
 * True when the delivery's sandbox was reset (or closed) since it was made.
 * @param {import('./state').LeverContext} ctx
 * @param {Delivery} delivery
 */
const stale = (ctx, delivery) => ctx.closed || generations.get(delivery) !== ctx.state.generation;

/**
 * One POST of the delivery's payload, recorded in its attempts (`durationMs`:
 * the answer time). A bulk move's delivery first waits for a place in its
 * gate and keeps it until the attempt is recorded; a manual rerun does not wait.
 * @param {import('./state').LeverContext} ctx
 * @param {Delivery} delivery
 * @param {{ manual?: boolean }} [options] manual: a rerun from the history
 * @returns {Promise<DeliveryAttempt | null>} null when the sandbox was reset or closed meanwhile
 */
async function attempt(ctx, delivery, { manual = false } = {}) {
	const gate = manual ? undefined : gates.get(delivery);
	if (gate) {
		await gate.acquire();
		// Reset or closed while in line: nothing from before goes out.
		if (stale(ctx, delivery)) {
			gate.release();
			return null;
		}
	}
	try {
		const number = delivery.attempts.length + 1;
		const result = await postOnce(
			ctx.work,
			delivery.url,
			JSON.stringify(delivery.payload),
			ctx.opts.webhookTimeoutMs,
		);
		if (stale(ctx, delivery)) return null;
		/** @type {DeliveryAttempt} */
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
		ctx.log(
			`[lever-sandbox] webhook ${delivery.event} -> ${delivery.url} ${result.status ?? result.error} (attempt ${number}${manual ? ', manual rerun' : ''})`,
		);
		return record;
	} finally {
		if (gate) gate.release();
	}
}

/**
 * Attempts, then schedules the next retry of a failed event delivery (pings
 * are not retried) until the schedule runs out.
 * @param {import('./state').LeverContext} ctx
 * @param {Delivery} delivery
 */
async function runDelivery(ctx, delivery) {
	const record = await attempt(ctx, delivery);
	if (!record) return;
	if (isOk(record.status)) {
		delivery.status = 'succeeded';
		delivery.nextAttemptAt = null;
		return;
	}
	// Reruns are extra attempts: they do not use up retries.
	const retriesDone = delivery.attempts.filter((a) => !a.manual).length - 1;
	if (delivery.kind === 'event' && retriesDone < ctx.opts.webhookRetryScheduleMs.length) {
		const wait = ctx.opts.webhookRetryScheduleMs[retriesDone];
		delivery.status = 'retrying';
		delivery.nextAttemptAt = Date.now() + wait;
		ctx.work.later(() => {
			void runDelivery(ctx, delivery);
		}, wait);
	} else {
		delivery.status = 'failed';
		delivery.nextAttemptAt = null;
	}
}

/**
 * Records a delivery in the history (it starts pending).
 * @param {import('./state').LeverContext} ctx
 * @param {Webhook} webhook
 * @param {Payload} payload
 * @param {Delivery['kind']} kind
 */
function newDelivery(ctx, webhook, payload, kind) {
	/** @type {Delivery} */
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
	generations.set(delivery, ctx.state.generation);
	const { deliveries } = ctx.state;
	deliveries.push(delivery);
	if (deliveries.length > MAX_DELIVERIES) deliveries.splice(0, deliveries.length - MAX_DELIVERIES);
	return delivery;
}

/**
 * Sends `event` to every matching webhook, each with its own token and
 * signature; the deliveries start right after the change that fired them.
 * @param {import('./state').LeverContext} ctx
 * @param {string} event
 * @param {Record<string, unknown>} data
 * @param {import('./state').Opportunity} [opp] filters webhooks with origin conditions
 * @param {{ gate?: Gate }} [options] gate: a bulk move's, shared by its deliveries
 * @returns {string[]} the ids of the deliveries started
 */
function fireEvent(ctx, event, data, opp, { gate } = {}) {
	const ids = [];
	for (const webhook of ctx.state.webhooks) {
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
		const delivery = newDelivery(ctx, webhook, payload, 'event');
		if (gate) gates.set(delivery, gate);
		ids.push(delivery.id);
		ctx.work.later(() => {
			void runDelivery(ctx, delivery);
		}, 0);
	}
	return ids;
}

/**
 * Lever's "verify connection": a signed payload with no `id` and empty
 * `data`, attempted once; resolves when the attempt is done.
 * @param {import('./state').LeverContext} ctx
 * @param {string} id the webhook's
 */
async function pingWebhook(ctx, id) {
	const webhook = ctx.state.find(ctx.state.webhooks, id, 'webhooks');
	const triggeredAt = Date.now();
	const token = randomHex(48);
	const payload = {
		triggeredAt,
		event: webhook.event,
		data: {},
		signature: signPayload(webhook.signatureToken, token, triggeredAt),
		token,
	};
	const delivery = newDelivery(ctx, webhook, payload, 'ping');
	await runDelivery(ctx, delivery);
	return delivery;
}

/**
 * Lever's manual Rerun: one more attempt with the very same payload. It
 * marks a failed delivery succeeded, but leaves a retrying one on its schedule.
 * @param {import('./state').LeverContext} ctx
 * @param {string} id the delivery's
 */
async function rerunDelivery(ctx, id) {
	const delivery = ctx.state.find(ctx.state.deliveries, id, 'deliveries');
	const record = await attempt(ctx, delivery, { manual: true });
	if (record && isOk(record.status) && delivery.status !== 'retrying')
		delivery.status = 'succeeded';
	return { delivery, record };
}

/**
 * The delivery history in figures, as GET /__sandbox/deliveries/summary
 * answers it. `pending` counts the deliveries not settled yet (pending or
 * retrying); `answerMs` spans every attempt's durationMs (nearest rank), null
 * when there is no attempt.
 * @param {Delivery[]} deliveries
 * @returns {import('./server').LeverDeliverySummary}
 */
function summarizeDeliveries(deliveries) {
	/** @type {number[]} */
	const times = [];
	let pending = 0;
	let succeeded = 0;
	let failed = 0;
	let firstAttemptOk = 0;
	for (const d of deliveries) {
		if (d.status === 'succeeded') succeeded += 1;
		else if (d.status === 'failed') failed += 1;
		else pending += 1;
		if (d.attempts.length && isOk(d.attempts[0].status)) firstAttemptOk += 1;
		for (const a of d.attempts) times.push(a.durationMs);
	}
	times.sort((a, b) => a - b);
	/** @param {number} q */
	const rank = (q) => (times.length ? times[Math.max(0, Math.ceil(q * times.length) - 1)] : null);
	return {
		total: deliveries.length,
		pending,
		succeeded,
		failed,
		firstAttemptOk,
		attempts: times.length,
		answerMs: {
			p50: rank(0.5),
			p99: rank(0.99),
			max: times.length ? times[times.length - 1] : null,
		},
	};
}

/** @param {number | null} status */
const isOk = (status) => typeof status === 'number' && status >= 200 && status < 300;

/**
 * POSTs `bodyText` once. Never rejects: a failure is a result with
 * `status: null` and the error, as the delivery history records it.
 * @param {import('../shared/async-work').AsyncWork} work tracks the request and its timeout
 * @param {string} url
 * @param {string} bodyText
 * @param {number} timeoutMs
 * @returns {Promise<PostResult>}
 */
function postOnce(work, url, bodyText, timeoutMs) {
	let target;
	try {
		target = new URL(url);
	} catch {
		return Promise.resolve({
			status: null,
			error: 'Invalid URL',
			responseBody: null,
			durationMs: 0,
		});
	}
	const transport = target.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		const started = Date.now();
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		let settled = false;
		/** @param {Omit<PostResult, 'durationMs'>} result */
		const finish = (result) => {
			if (settled) return;
			settled = true;
			work.cancel(timer);
			work.untrack(req);
			resolve({ ...result, durationMs: Date.now() - started });
		};
		const headers = {
			'User-Agent': 'Lever-Webhooks',
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(bodyText),
		};
		const req = transport.request(target, { method: 'POST', headers }, (res) =>
			readAnswer(res, finish),
		);
		work.track(req);
		timer = work.later(() => {
			timer = undefined;
			req.destroy(new Error(`No answer within ${timeoutMs} ms`));
		}, timeoutMs);
		req.on('error', (/** @type {NodeJS.ErrnoException} */ err) =>
			finish({
				status: null,
				error: err.code ? `${err.code}: ${err.message}` : err.message,
				responseBody: null,
			}),
		);
		req.end(bodyText);
	});
}

/**
 * Reads the receiver's answer: the history keeps its first 2000 characters
 * (only the first 4 KB are buffered, whatever the receiver sends).
 * @param {import('node:http').IncomingMessage} res
 * @param {(result: Omit<PostResult, 'durationMs'>) => void} finish
 */
function readAnswer(res, finish) {
	/** @type {Buffer[]} */
	const chunks = [];
	let size = 0;
	const status = res.statusCode ?? null;
	res.on('data', (/** @type {Buffer} */ c) => {
		size += c.length;
		if (size <= 4096) chunks.push(c);
	});
	res.on('end', () =>
		finish({
			status,
			error: null,
			responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
		}),
	);
	res.on('error', (err) => finish({ status, error: err.message, responseBody: null }));
}

module.exports = { createGate, fireEvent, pingWebhook, rerunDelivery, summarizeDeliveries };
