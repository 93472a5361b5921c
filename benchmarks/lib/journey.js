'use strict';
/**
 * The candidate's journey through the template, measured from the outside: shared by
 * benchmarks/template-throughput.js (one n8n) and benchmarks/scale.js (queue mode).
 *
 *   const calls = new JourneyCalls();                 // log callbacks of both sandboxes
 *   startLeverSandbox({ log: calls.leverLine });  startProformaSandbox({ log: calls.proformaLine });
 *   const ids = createCandidates(lever, N);
 *   calls.phase = 'run';                              // counts from here on are the run's
 *   const watch = watchCandidates(ids);  watch.observe(lever.state());   // in a bounded poll loop
 *   endStates(lever.state(), proforma.state(), ids)   // orders, notes, tags per candidate
 *   candidateTimes(watch, calls, movedAt)             // → Ordered, → Completed per candidate
 *   leverDeliveryFigures(lever.state(), ids) / proformaCallbackFigures(proforma.state(), orders)
 *   executionPaths(executions)                        // which branch each execution took
 *
 * Timings come from the sandboxes' own request logging (the moment the addTags / notes
 * call was answered), matched with what the poll saw; the sandboxes' in-memory request
 * logs keep only their last entries, too few for a bulk move, hence the log lines.
 */
const { endpointOf, stats } = require('./bench-kit');
const { SEED } = require('../../sandboxes/lever/server');

const TAG_ORDERED = 'Background Check:Ordered';
const TAG_ERROR = 'Background Check:Error';
const TAG_COMPLETED = 'Background Check:Completed';
// Not terminal: the template's scheduled check orders a Retrying candidate again.
const TAG_RETRYING = 'Background Check:Retrying';
const STATUS_TAGS = [TAG_ORDERED, TAG_COMPLETED, TAG_ERROR, TAG_RETRYING];
const REPORT_NOTE = /Proforma background check completed/;

// ---------------------------------------------------------------------------
// API calls, from the sandboxes' log lines
// ---------------------------------------------------------------------------

function newCounter() {
	return { total: 0, byStatus: new Map(), byEndpoint: new Map(), times: [] };
}

function count(counter, method, rawPath, status) {
	counter.total++;
	counter.times.push(Date.now());
	counter.byStatus.set(status, (counter.byStatus.get(status) || 0) + 1);
	const key = endpointOf(method, rawPath);
	counter.byEndpoint.set(key, (counter.byEndpoint.get(key) || 0) + 1);
}

function pushTime(map, key, at) {
	if (!map.has(key)) map.set(key, []);
	map.get(key).push(at);
}

/**
 * Lever and Proforma API calls per phase ('setup' until `phase = 'run'`), with their
 * times, and per candidate the answer times of its addTags and notes calls.
 */
class JourneyCalls {
	constructor() {
		this.phase = 'setup';
		this.lever = { setup: newCounter(), run: newCounter() };
		this.proforma = { setup: newCounter(), run: newCounter() };
		this.addTags = new Map();
		this.notes = new Map();
		this.gets = new Map();
		this.leverLine = (line) => this.onLeverLine(line);
		this.proformaLine = (line) => this.onProformaLine(line);
	}

	onLeverLine(line) {
		const m = /^\[lever-sandbox\] (\d{3}) ([A-Z]+) (\/v1\/\S*) /.exec(line);
		if (!m) return;
		const [, statusText, method, rawPath] = m;
		const status = Number(statusText);
		count(this.lever[this.phase], method, rawPath, status);
		const opp = /^\/v1\/opportunities\/([^/?]+)\/(addTags|notes)(?:\?|$)/.exec(rawPath);
		if (opp && method === 'POST' && status >= 200 && status < 300) {
			const id = decodeURIComponent(opp[1]);
			pushTime(opp[2] === 'addTags' ? this.addTags : this.notes, id, Date.now());
		}
		const get = /^\/v1\/opportunities\/([^/?]+)(?:\?|$)/.exec(rawPath);
		if (get && method === 'GET') pushTime(this.gets, decodeURIComponent(get[1]), Date.now());
	}

	onProformaLine(line) {
		const m = /^\[proforma-sandbox\] ([A-Z]+) (\/v1\S*) (\d{3})/.exec(line);
		if (m) count(this.proforma[this.phase], m[1], m[2], Number(m[3]));
	}
}

/** Most events inside any 1-second window. */
function peakPerSecond(times) {
	const sorted = times.slice().sort((a, b) => a - b);
	let peak = 0;
	for (let i = 0, j = 0; i < sorted.length; i++) {
		while (sorted[i] - sorted[j] >= 1000) j++;
		peak = Math.max(peak, i - j + 1);
	}
	return peak;
}

function lastAtOrBefore(times, limit) {
	let found;
	for (const t of times || []) if (t <= limit && (found === undefined || t > found)) found = t;
	return found;
}

// ---------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------

/**
 * N candidates on the Proforma_standard posting at the on-site stage, emails
 * `bench-<i>+clear@example.com` (the Proforma sandbox completes them clear).
 */
function createCandidates(lever, n, { name = 'Bench Candidate' } = {}) {
	const ids = [];
	for (let i = 1; i <= n; i++) {
		const opp = lever.createOpportunity({
			name: `${name}${String(i).padStart(4, '0')}`,
			email: `bench-${i}+clear@example.com`,
			postingId: SEED.postings.standard,
			stageId: SEED.stages.onsiteInterview,
		});
		if (!opp.tags.includes('Proforma_standard'))
			throw new Error(`candidate ${opp.id} did not inherit Proforma_standard`);
		ids.push(opp.id);
	}
	return ids;
}

const noteText = (n) => n.value ?? (n.fields && n.fields[0] && n.fields[0].value) ?? n.text ?? '';

/**
 * When the poll first saw each candidate Ordered, Completed, Error and with its report
 * note. `observe(leverState)` records; `terminal` counts the candidates done
 * (Completed + note, or Error).
 */
function watchCandidates(ids) {
	const idSet = new Set(ids);
	const seen = new Map(ids.map((id) => [id, {}]));
	const isTerminal = (s) =>
		(s.completed !== undefined && s.note !== undefined) || s.error !== undefined;
	return {
		seen,
		observe(st, now = Date.now()) {
			for (const opp of st.opportunities) {
				const s = idSet.has(opp.id) && seen.get(opp.id);
				if (!s) continue;
				if (s.ordered === undefined && opp.tags.includes(TAG_ORDERED)) s.ordered = now;
				if (s.error === undefined && opp.tags.includes(TAG_ERROR)) s.error = now;
				if (s.completed === undefined && opp.tags.includes(TAG_COMPLETED)) s.completed = now;
			}
			for (const note of st.notes) {
				const s = idSet.has(note.opportunityId) && seen.get(note.opportunityId);
				if (s && s.note === undefined && REPORT_NOTE.test(noteText(note))) s.note = now;
			}
		},
		counts() {
			const vals = [...seen.values()];
			return {
				ordered: vals.filter((s) => s.ordered !== undefined).length,
				completed: vals.filter((s) => s.completed !== undefined && s.note !== undefined).length,
				error: vals.filter((s) => s.error !== undefined).length,
				terminal: vals.filter(isTerminal).length,
			};
		},
	};
}

/**
 * Per candidate, ms from its move to Ordered and to Completed + note (the answer time
 * of the addTags / notes call the poll saw land); `movedAt` maps id → ms.
 */
function candidateTimes(watch, calls, movedAt) {
	const ordered = new Map();
	const completed = new Map();
	for (const [id, s] of watch.seen) {
		const t0 = movedAt.get(id);
		const answered = (map, seenAt) =>
			seenAt === undefined ? undefined : (lastAtOrBefore(map.get(id), seenAt) ?? seenAt);
		const orderedAt = answered(calls.addTags, s.ordered);
		const completedAt = answered(calls.addTags, s.completed);
		const noteAt = answered(calls.notes, s.note);
		if (orderedAt !== undefined) ordered.set(id, orderedAt - t0);
		if (completedAt !== undefined && noteAt !== undefined)
			completed.set(id, Math.max(completedAt, noteAt) - t0);
	}
	return {
		ordered,
		completed,
		orderedStats: stats([...ordered.values()]),
		completedStats: stats([...completed.values()]),
	};
}

/** How many of each value: Map value → number of items. */
function distribution(values) {
	const d = new Map();
	for (const v of values) d.set(v, (d.get(v) || 0) + 1);
	return d;
}

/**
 * The end state of every candidate: its tags, report notes, other notes (the Error
 * reason), Proforma orders (by clientReference); `lost` are the candidates with neither
 * Completed + one note nor Error.
 */
function endStates(leverState, proformaState, ids) {
	const idSet = new Set(ids);
	const orders = proformaState.orders.filter((o) => idSet.has(o.clientReference));
	const ordersPer = distribution(orders.map((o) => o.clientReference));
	const opps = new Map(leverState.opportunities.map((o) => [o.id, o]));
	const notesPer = new Map();
	for (const n of leverState.notes)
		if (idSet.has(n.opportunityId)) pushTime(notesPer, n.opportunityId, n);
	const candidates = ids.map((id) => {
		const tags = opps.get(id) ? opps.get(id).tags : [];
		const notes = (notesPer.get(id) || []).map(noteText);
		return {
			id,
			tags,
			statusTags: STATUS_TAGS.filter((t) => tags.includes(t)),
			reportNotes: notes.filter((t) => REPORT_NOTE.test(t)).length,
			otherNotes: notes.filter((t) => !REPORT_NOTE.test(t)),
			orders: ordersPer.get(id) || 0,
		};
	});
	const completed = (c) => c.statusTags.includes(TAG_COMPLETED) && c.reportNotes >= 1;
	return {
		candidates,
		orders,
		ordersPerCandidate: distribution(candidates.map((c) => c.orders)),
		notesPerCandidate: distribution(candidates.map((c) => c.reportNotes)),
		statusTagsPerCandidate: distribution(candidates.map((c) => c.statusTags.join(' + ') || 'none')),
		orderStatuses: distribution(orders.map((o) => o.status)),
		lost: candidates.filter((c) => !completed(c) && !c.statusTags.includes(TAG_ERROR)),
		errors: candidates.filter((c) => c.statusTags.includes(TAG_ERROR)),
		duplicateOrders: candidates.filter((c) => c.orders > 1),
		duplicateNotes: candidates.filter((c) => c.reportNotes > 1),
	};
}

// ---------------------------------------------------------------------------
// Deliveries
// ---------------------------------------------------------------------------

const is2xx = (status) => typeof status === 'number' && status >= 200 && status < 300;

/** Non-2xx or failed attempts by status or error. */
function failedAttempts(attempts) {
	return distribution(
		attempts.filter((a) => !is2xx(a.status)).map((a) => String(a.status ?? a.error ?? 'no answer')),
	);
}

/** Lever → n8n: the candidateStageChange deliveries of these candidates. */
function leverDeliveryFigures(leverState, ids) {
	const idSet = new Set(ids);
	const deliveries = leverState.deliveries.filter(
		(d) =>
			d.kind === 'event' &&
			d.event === 'candidateStageChange' &&
			idSet.has(d.payload?.data?.opportunityId),
	);
	const attempts = deliveries.flatMap((d) => d.attempts.filter((a) => !a.manual));
	return {
		deliveries,
		attempts,
		resent: attempts.length - deliveries.length,
		retriedDeliveries: deliveries.filter((d) => d.attempts.length > 1).length,
		firstAttemptOk: deliveries.filter((d) => d.attempts[0] && is2xx(d.attempts[0].status)).length,
		failed: failedAttempts(attempts),
		final: distribution(deliveries.map((d) => d.status)),
		answerMs: stats(attempts.map((a) => a.durationMs)),
	};
}

/** Proforma → n8n: the callbacks of these orders, and the events the dropCallbacks fault kept. */
function proformaCallbackFigures(proformaState, orders) {
	const orderIds = new Set(orders.map((o) => o.id));
	const deliveries = proformaState.deliveries.filter((d) => orderIds.has(d.orderId));
	const attempts = deliveries.flatMap((d) => d.attempts);
	const dropped = proformaState.events.filter((e) => e.dropped && orderIds.has(e.orderId));
	return {
		deliveries,
		attempts,
		retried: deliveries.filter((d) => d.attempts.length > 1).length,
		failed: failedAttempts(attempts),
		final: distribution(deliveries.map((d) => d.status)),
		byType: distribution(deliveries.map((d) => d.type)),
		dropped: distribution(dropped.map((e) => e.type)),
	};
}

// ---------------------------------------------------------------------------
// n8n executions
// ---------------------------------------------------------------------------

/** The branch an execution (with data) took, by the nodes that ran. */
function executionPath(e) {
	const ran = new Set(Object.keys(e.data?.resultData?.runData || {}));
	if (ran.has('Lever Trigger')) {
		if (ran.has('Order screening')) return 'Lever Trigger → Order screening';
		// Get opportunity outputs nothing for a candidate not in the stage or already ordered.
		return ran.has('Get opportunity')
			? 'Lever Trigger → already ordered, skipped'
			: 'Lever Trigger → other';
	}
	if (ran.has('Proforma Trigger'))
		return ran.has('Note: report') ? 'Proforma Trigger → report note' : 'Proforma Trigger → other';
	if (ran.has('Every 15 minutes')) return 'schedule';
	return ran.size ? 'other' : 'no run data';
}

/** "Node: message" of a failed execution (read with its data), or null. */
function executionError(full) {
	const err = full?.data?.resultData?.error;
	if (!err) return null;
	const where = err.node && err.node.name ? `${err.node.name}: ` : '';
	return `${where}${String(err.message).slice(0, 160)}`;
}

/** Whether a failed execution's error is a 429 (rate limited) answer. */
function isRateLimitError(full) {
	const err = full?.data?.resultData?.error;
	if (!err) return false;
	const text = `${err.httpCode ?? ''} ${err.message ?? ''} ${err.description ?? ''}`;
	return /\b429\b|rate limit|too many requests/i.test(text);
}

module.exports = {
	TAG_ORDERED,
	TAG_ERROR,
	TAG_COMPLETED,
	REPORT_NOTE,
	JourneyCalls,
	peakPerSecond,
	createCandidates,
	watchCandidates,
	candidateTimes,
	distribution,
	endStates,
	leverDeliveryFigures,
	proformaCallbackFigures,
	executionPath,
	executionError,
	isRateLimitError,
	noteText,
};
