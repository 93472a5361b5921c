/**
 * Everything the Proforma sandbox holds, in memory: orders and the
 * bookkeeping around them (outcome, timers, held callbacks), idempotency
 * keys, invitation links and emails, events, callback deliveries, the request
 * log, fault switches, the clock and the rate limiter. A reset replaces all of
 * it with freshState().
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { clone } = require('../shared/json');

/** @typedef {import('./server').ProformaOrder} ProformaOrder */
/** @typedef {import('./server').ProformaOrderStatus} OrderStatus */
/** @typedef {import('./server').ProformaResult} Result */
/** @typedef {import('./server').SandboxOutcome} Outcome */
/** @typedef {import('./server').ProformaEvent['type']} EventType */
/** @typedef {import('./server').SandboxFaults} Faults */
/** @typedef {import('./server').SandboxState} SandboxState */
/** @typedef {import('./server').SandboxDeliveryAttempt} DeliveryAttempt */
/** @typedef {{ perSecond: number, burst: number }} RateLimit */

/** @type {OrderStatus[]} */
const STATUSES = [
	'invited',
	'submitted',
	'in_progress',
	'action_required',
	'completed',
	'expired',
	'cancelled',
];
/** @type {Result[]} */
const RESULTS = ['clear', 'review', 'adverse'];
/** @type {Outcome[]} */
const OUTCOMES = ['clear', 'review', 'adverse', 'expire', 'action', 'bounce'];
/** The contract's limit: 10 requests a second per API key, bursts to 20. */
const DEFAULT_RATE_LIMIT = { perSecond: 10, burst: 20 };
const REQUEST_LOG_LIMIT = 500;

/**
 * An order and the sandbox's bookkeeping around it.
 * @typedef {object} OrderRecord
 * @property {number} seq creation order: the list order and its cursor
 * @property {ProformaOrder} order what the API answers
 * @property {Outcome} outcome picked by the candidate email's +tag
 * @property {boolean} actionDone an 'action' order went through action_required already
 * @property {boolean} reissued its expired invitation was reissued (it no longer lapses)
 * @property {string | null} callbackUrl the order's own; else the account's applies
 * @property {string} idempotencyKey
 * @property {string | null} token the invitation link's
 * @property {NodeJS.Timeout | null} timer the next automatic step
 * @property {string | null} nextStepAt
 * @property {Array<{ status: OrderStatus, at: string }>} history
 * @property {Delivery[]} held callbacks held back by the out-of-order fault
 */

/**
 * One copy of an event's callback and its attempts.
 * @typedef {object} Delivery
 * @property {string} id
 * @property {string} eventId
 * @property {EventType} type
 * @property {string} orderId
 * @property {string} url
 * @property {boolean} duplicate the second copy of the duplicate-callbacks fault
 * @property {SandboxState['deliveries'][number]['status']} status
 * @property {DeliveryAttempt[]} attempts
 * @property {string | null} nextAttemptAt
 * @property {string} raw the body, byte-identical on every attempt
 * @property {NodeJS.Timeout | null} timer the next retry
 */

/**
 * @typedef {object} ProformaState
 * @property {number} stepMs the compressed clock: ms per status step (0: paused)
 * @property {RateLimit | false} rateLimit
 * @property {{ tokens: number, at: number }} bucket the rate limiter's token bucket
 * @property {{ callbackUrl: string | null }} account
 * @property {Faults} faults
 * @property {number} seq
 * @property {Map<string, OrderRecord>} orders by id
 * @property {Map<string, { fingerprint: string, orderId: string, at: number }>} idempotency by key
 * @property {Map<string, { orderId: string, active: boolean }>} tokens by invitation token
 * @property {SandboxState['invitations']} invitations the emails "sent" to candidates
 * @property {SandboxState['events']} events
 * @property {Delivery[]} deliveries
 * @property {SandboxState['requests']} requests
 */

/**
 * Settings fixed when the sandbox starts.
 * @typedef {object} Config
 * @property {string} host
 * @property {string} apiKey
 * @property {string} signingSecret
 * @property {number} initialStepMs
 * @property {RateLimit | false} initialRateLimit
 * @property {number[]} retrySchedule waits before each callback retry
 * @property {number} callbackTimeoutMs
 */

/**
 * What every part of the sandbox works on. `state` is replaced by a reset,
 * so parts read it from here each time rather than keeping it.
 * @typedef {object} SandboxContext
 * @property {Config} config
 * @property {ProformaState} state
 * @property {import('../shared/async-work').AsyncWork} work the clock's and the callbacks' timers and requests
 * @property {ReturnType<typeof import('./faults').createDelays>} delays requests held by the delayNext fault
 * @property {number} generation bumped by reset and close: async work of an older generation is dropped
 * @property {boolean} closed
 * @property {string} baseUrl http://host:port, known once the server listens
 * @property {(line: string) => void} log
 */

/** @returns {Faults} */
function defaultFaults() {
	return {
		failNext: { count: 0, status: 500 },
		rateLimitNext: { count: 0, retryAfterSeconds: 1 },
		delayNext: { count: 0, ms: 0 },
		duplicateCallbacks: false,
		outOfOrderCallbacks: false,
		dropCallbacks: { ratio: 0, types: [], seen: 0, dropped: 0 },
	};
}

/**
 * @param {Config} config
 * @returns {ProformaState}
 */
function freshState({ initialStepMs, initialRateLimit }) {
	return {
		stepMs: initialStepMs,
		rateLimit: initialRateLimit ? { ...initialRateLimit } : false,
		bucket: { tokens: initialRateLimit ? initialRateLimit.burst : 0, at: Date.now() },
		account: { callbackUrl: null },
		faults: defaultFaults(),
		seq: 0,
		orders: new Map(),
		idempotency: new Map(),
		tokens: new Map(),
		invitations: [],
		events: [],
		deliveries: [],
		requests: [],
	};
}

/**
 * Everything, as GET /__sandbox/state answers it.
 * @param {SandboxContext} ctx
 * @returns {SandboxState}
 */
function snapshot({ state, config, baseUrl }) {
	return clone({
		url: baseUrl,
		stepMs: state.stepMs,
		callbackRetryScheduleMs: config.retrySchedule,
		callbackTimeoutMs: config.callbackTimeoutMs,
		rateLimit: state.rateLimit,
		account: state.account,
		faults: state.faults,
		orders: [...state.orders.values()].sort((a, b) => a.seq - b.seq).map(sandboxOrder),
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

/**
 * The order with the sandbox's bookkeeping under `sandbox`.
 * @param {OrderRecord} r
 */
function sandboxOrder(r) {
	return {
		...r.order,
		sandbox: {
			outcome: r.outcome,
			callbackUrl: r.callbackUrl,
			idempotencyKey: r.idempotencyKey,
			nextStepAt: r.nextStepAt,
			heldCallbacks: r.held.length,
			history: r.history,
		},
	};
}

/**
 * Drops the async work of the current generation: the clock's timers,
 * callback retries and callbacks on the wire.
 * @param {SandboxContext} ctx
 */
function stopAsyncWork(ctx) {
	ctx.generation++;
	ctx.work.stop();
}

/**
 * Back to a fresh state. Requests held by the delayNext fault go on at once
 * (against the fresh state), rather than hang.
 * @param {SandboxContext} ctx
 */
function reset(ctx) {
	stopAsyncWork(ctx);
	ctx.delays.release(true);
	ctx.state = freshState(ctx.config);
}

/**
 * Appends to the request log, keeping the latest entries only.
 * @param {ProformaState} state
 * @param {SandboxState['requests'][number]} entry
 */
function logRequest(state, entry) {
	state.requests.push(entry);
	if (state.requests.length > REQUEST_LOG_LIMIT)
		state.requests.splice(0, state.requests.length - REQUEST_LOG_LIMIT);
}

module.exports = {
	STATUSES,
	RESULTS,
	OUTCOMES,
	DEFAULT_RATE_LIMIT,
	defaultFaults,
	freshState,
	snapshot,
	logRequest,
	stopAsyncWork,
	reset,
};
