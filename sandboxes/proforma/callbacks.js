/**
 * Events and their callbacks: every order event is recorded and, when the
 * order or the account has a callback URL, POSTed there, signed
 * (Proforma-Signature, signature.js) and retried on the compressed schedule.
 * The duplicate, out-of-order and dropped-callbacks fault switches act here.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const http = require('node:http');
const https = require('node:https');
const { URL } = require('node:url');

const { signPayload } = require('./signature');
const { newId, iso } = require('./util');
const { clone } = require('../shared/json');
const { dropsCallback } = require('./faults');

/** @typedef {import('./state').OrderRecord} OrderRecord */
/** @typedef {import('./state').Delivery} Delivery */
/** @typedef {import('./state').EventType} EventType */

/** After these, an order emits nothing more: held callbacks can go. */
const FINAL_STATUSES = ['completed', 'expired', 'cancelled'];

/** @param {import('./state').SandboxContext} ctx */
/**
 * Records the event and sends its callback (twice with the duplicate
 * fault; held back with the out-of-order fault until the order is final;
 * never, with the event marked `dropped`, when the dropCallbacks fault picks it).
 * @param {import('./state').SandboxContext} ctx
 * @param {OrderRecord} rec
 * @param {EventType} type
 */
function emit(ctx, rec, type) {
	const { state } = ctx;
	const event = { id: newId('evt'), type, createdAt: iso(), data: { order: clone(rec.order) } };
	const raw = JSON.stringify(event);
	const url = rec.callbackUrl || state.account.callbackUrl;
	const dropped = Boolean(url) && dropsCallback(state.faults, type);
	state.events.push({
		id: event.id,
		type,
		orderId: rec.order.id,
		status: rec.order.status,
		createdAt: event.createdAt,
		callbackUrl: url,
		...(dropped ? { dropped: true } : {}),
	});
	if (!url || dropped) return;
	const copies = state.faults.duplicateCallbacks ? 2 : 1;
	for (let i = 0; i < copies; i++) {
		/** @type {Delivery} */
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
			attemptDelivery(ctx, d);
		}
	}
	if (rec.held.length && FINAL_STATUSES.includes(rec.order.status)) flushHeld(ctx, rec);
}

/**
 * Sends an order's held callbacks newest first (the out-of-order fault), one
 * after the other: each first attempt waits for the previous one's answer.
 * @param {import('./state').SandboxContext} ctx
 * @param {OrderRecord} rec
 */
function flushHeld(ctx, rec) {
	const batch = rec.held.splice(0).reverse();
	for (const d of batch) d.status = 'pending';
	const gen = ctx.generation;
	const next = () => {
		const d = batch.shift();
		if (d && gen === ctx.generation) attemptDelivery(ctx, d, next);
	};
	next();
}

/**
 * One attempt of the callback, recorded in its attempts; then a retry is
 * scheduled if it failed (see settle).
 * @param {import('./state').SandboxContext} ctx
 * @param {Delivery} d
 * @param {() => void} [afterFirstAnswer] called once this attempt has its answer
 */
function attemptDelivery(ctx, d, afterFirstAnswer) {
	if (ctx.closed) return;
	const gen = ctx.generation;
	d.status = 'pending';
	d.nextAttemptAt = null;
	/** @type {import('./state').DeliveryAttempt} */
	const attempt = {
		attempt: d.attempts.length + 1,
		at: iso(),
		status: null,
		error: null,
		ms: null,
	};
	d.attempts.push(attempt);
	const started = Date.now();
	/** @param {number | null} status @param {string | null} error */
	const onAnswer = (status, error) => {
		// A reset or close since the attempt started: its answer no longer matters.
		if (gen !== ctx.generation) return;
		if (afterFirstAnswer) setImmediate(afterFirstAnswer);
		attempt.status = status;
		attempt.error = error;
		attempt.ms = Date.now() - started;
		ctx.log(
			`callback ${d.type} ${d.eventId}${d.duplicate ? ' (duplicate)' : ''} -> ${d.url} attempt ${attempt.attempt}: ${status ?? error} ${attempt.ms}ms`,
		);
		settle(ctx, d, status);
	};
	const target = httpUrl(d.url);
	if (!target) {
		onAnswer(null, 'invalid callback URL');
		return;
	}
	// Each attempt is signed with a fresh `t` (the body stays byte-identical), so
	// a receiver's timestamp tolerance still accepts late retries.
	attempt.t = Math.floor(Date.now() / 1000);
	sendCallback(ctx, signedRequest(ctx, target, d, attempt.attempt, attempt.t), d.raw, onAnswer);
}

/**
 * Sends the body; `onAnswer` gets, once, the receiver's status or the error
 * (no answer within the callback timeout included). Only the status matters:
 * the answer's body is discarded.
 * @param {import('./state').SandboxContext} ctx
 * @param {http.ClientRequest} req
 * @param {string} raw
 * @param {(status: number | null, error: string | null) => void} onAnswer
 */
function sendCallback(ctx, req, raw, onAnswer) {
	const { work, config } = ctx;
	let done = false;
	/** @type {NodeJS.Timeout | null} */
	let timeout = null;
	/** @param {number | null} status @param {string | null} error */
	const finish = (status, error) => {
		if (done) return;
		done = true;
		work.cancel(timeout);
		work.untrack(req);
		onAnswer(status, error);
	};
	work.track(req);
	timeout = work.later(() => {
		req.destroy(new Error(`no answer within ${config.callbackTimeoutMs} ms`));
	}, config.callbackTimeoutMs);
	req.on('response', (res) => {
		res.resume();
		finish(/** @type {number} */ (res.statusCode), null);
	});
	req.on('error', (/** @type {NodeJS.ErrnoException} */ err) =>
		finish(null, err.code ? `${err.code}: ${err.message}` : err.message),
	);
	req.end(Buffer.from(raw, 'utf8'));
}

/**
 * After an attempt: delivered on a 2xx; else the next retry, until the
 * schedule runs out.
 * @param {import('./state').SandboxContext} ctx
 * @param {Delivery} d
 * @param {number | null} status
 */
function settle(ctx, d, status) {
	if (status !== null && status >= 200 && status < 300) {
		d.status = 'delivered';
		return;
	}
	const { retrySchedule } = ctx.config;
	const retryIndex = d.attempts.length - 1;
	if (retryIndex < retrySchedule.length) {
		const wait = retrySchedule[retryIndex];
		d.status = 'retrying';
		d.nextAttemptAt = iso(Date.now() + wait);
		d.timer = ctx.work.later(() => attemptDelivery(ctx, d), wait);
	} else {
		d.status = 'failed';
	}
}

/**
 * The POST of one attempt, with the Proforma-* headers.
 * @param {import('./state').SandboxContext} ctx
 * @param {URL} target
 * @param {Delivery} d
 * @param {number} attempt
 * @param {number} t the signature's unix seconds
 */
function signedRequest(ctx, target, d, attempt, t) {
	return (target.protocol === 'https:' ? https : http).request(target, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(d.raw, 'utf8'),
			'User-Agent': 'Proforma-Sandbox-Webhooks/1.0',
			'Proforma-Signature': signPayload(ctx.config.signingSecret, d.raw, t),
			'Proforma-Event-Id': d.eventId,
			'Proforma-Event-Type': d.type,
			'Proforma-Delivery-Attempt': String(attempt),
		},
	});
}

/**
 * @param {string} url
 * @returns {URL | null} null unless an http(s) URL
 */
function httpUrl(url) {
	try {
		const target = new URL(url);
		return target.protocol === 'http:' || target.protocol === 'https:' ? target : null;
	} catch {
		return null;
	}
}

module.exports = { emit, flushHeld };
