#!/usr/bin/env node
'use strict';
/**
 * Throughput of the template workflow in a real n8n, against the local Lever and
 * Proforma sandboxes: N candidates reach the screening stage in one burst.
 *
 *   npm run build && node benchmarks/template-throughput.js [N]
 *
 * N: argument or BENCH_N (default 30, 1..200). Other knobs (environment):
 *   BENCH_STEP_MS     Proforma sandbox clock step (default 500 ms; 3 steps from
 *                     invited to completed)
 *   BENCH_TIMEOUT_S   bound on the whole run after the n8n runtime is present
 *                     (default 300 s)
 *   BENCH_KEEP=1      keep the temp folder (n8n log, SQLite database, bench-state.json)
 *   BENCH_LEVER_RATE_LIMIT=1  put Lever's documented API limit (token bucket,
 *                     10 req/s, bursts of 20, 429 without Retry-After) in front of
 *                     the Lever sandbox, started here with its own limit off (default off)
 *
 * What it does: packs the built package (expects dist/, builds nothing), starts the
 * Lever sandbox and the Proforma sandbox (its contract rate limiter on: 10 req/s,
 * bursts of 20), starts a fresh n8n (temp user folder, free port) with the package
 * installed as a community package, imports and publishes the template with
 * `prepareTemplate` (automatic webhook registration in Lever), creates N candidates
 * on the `Proforma_standard` posting (emails `bench-<i>+clear@example.com`), moves
 * them all to the screening stage at once, and waits until every candidate carries
 * `Background Check:Completed` plus the report note (or `Background Check:Error`).
 *
 * Figures: stage change → `Ordered` tag (p50/p95/max), stage change → `Completed`
 * tag + note, orders created (must equal N), executions/s, webhook delivery
 * statuses and retries (Lever → n8n, Proforma → n8n), API calls per candidate.
 * Timings come from the sandboxes' own request logging (the moment each API call
 * was answered), classified by polling the sandbox state.
 *
 * Everything started is stopped at the end, on timeout and on Ctrl-C.
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { ensureRuntime } = require('../scripts/n8n-runtime');
const { startN8n, packPackage } = require('../scripts/lib/n8n-instance');
const { forwardRequest, stats } = require('./lib/bench-kit');
const { stopInOrder } = require('../scripts/lib/stop');
const { prepareTemplate } = require('../scripts/lib/template');
const { startLeverSandbox, SEED } = require('../sandboxes/lever/server');
const { startProformaSandbox } = require('../sandboxes/proforma/server');

const TAG_ORDERED = 'Background Check:Ordered';
const TAG_ERROR = 'Background Check:Error';
const TAG_COMPLETED = 'Background Check:Completed';
const REPORT_NOTE = /Proforma background check completed/;
const MAX_N = 200;
const POLL_MS = 500;
const SETTLE_MS = 3000;

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function parseN() {
	const raw = process.argv[2] ?? process.env.BENCH_N ?? '30';
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > MAX_N) {
		say(`N must be an integer from 1 to ${MAX_N} (got "${raw}").`);
		process.exit(2);
	}
	return n;
}

const N = parseN();
const STEP_MS = Math.max(50, Number(process.env.BENCH_STEP_MS) || 500);
const TIMEOUT_MS = Math.max(30, Number(process.env.BENCH_TIMEOUT_S) || 300) * 1000;
const KEEP = process.env.BENCH_KEEP === '1';
const LEVER_LIMIT =
	process.env.BENCH_LEVER_RATE_LIMIT === '1' ? { perSecond: 10, burst: 20 } : null;

class BenchTimeout extends Error {}

// ---------------------------------------------------------------------------
// Counting API calls from the sandboxes' request log lines (their in-memory
// request logs keep only the last 500/1000 entries, too few for N = 200).
// ---------------------------------------------------------------------------

function endpointOf(method, rawPath) {
	const p = rawPath.split('?')[0];
	const normalised = p
		.replace(/\/opportunities\/[^/]+/, '/opportunities/:id')
		.replace(/\/orders\/[^/]+/, '/orders/:id')
		.replace(/\/webhooks\/[^/]+/, '/webhooks/:id')
		.replace(/\/postings\/[^/]+/, '/postings/:id')
		.replace(/\/notes\/[^/]+/, '/notes/:id');
	return `${method} ${normalised}`;
}

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

const calls = {
	phase: 'setup',
	lever: { setup: newCounter(), run: newCounter() },
	proforma: { setup: newCounter(), run: newCounter() },
	/** opportunityId -> [ms] of answered addTags / notes calls */
	addTags: new Map(),
	notes: new Map(),
	gets: new Map(),
};

function pushTime(map, key, at) {
	if (!map.has(key)) map.set(key, []);
	map.get(key).push(at);
}

function onLeverLine(line) {
	const m = /^\[lever-sandbox\] (\d{3}) ([A-Z]+) (\/v1\/\S*) /.exec(line);
	if (!m) return;
	const [, statusText, method, rawPath] = m;
	const status = Number(statusText);
	count(calls.lever[calls.phase], method, rawPath, status);
	const opp = /^\/v1\/opportunities\/([^/?]+)\/(addTags|notes)(?:\?|$)/.exec(rawPath);
	if (opp && method === 'POST' && status >= 200 && status < 300) {
		pushTime(
			opp[2] === 'addTags' ? calls.addTags : calls.notes,
			decodeURIComponent(opp[1]),
			Date.now(),
		);
	}
	const get = /^\/v1\/opportunities\/([^/?]+)(?:\?|$)/.exec(rawPath);
	if (get && method === 'GET') pushTime(calls.gets, decodeURIComponent(get[1]), Date.now());
}

function onProformaLine(line) {
	const m = /^\[proforma-sandbox\] ([A-Z]+) (\/v1\S*) (\d{3})/.exec(line);
	if (!m) return;
	count(calls.proforma[calls.phase], m[1], m[2], Number(m[3]));
}

// ---------------------------------------------------------------------------
// Optional: Lever's documented rate limit, as a proxy in front of the sandbox.
// ---------------------------------------------------------------------------

/** Token-bucket proxy on 127.0.0.1 that forwards to `target` (origin) or answers 429. */
async function startLeverLimiter(target, { perSecond, burst }) {
	let tokens = burst;
	let last = Date.now();
	const limited = [];
	const upstream = new URL(target);
	const server = http.createServer((req, res) => {
		const now = Date.now();
		tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
		last = now;
		if (req.url.startsWith('/v1/') && tokens < 1) {
			limited.push({ at: now, method: req.method, path: req.url });
			req.resume();
			res.writeHead(429, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Rate limit exceeded' }));
			return;
		}
		if (req.url.startsWith('/v1/')) tokens -= 1;
		req.pipe(forwardRequest(upstream, req, res));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const origin = `http://127.0.0.1:${server.address().port}`;
	return {
		url: `${origin}/v1`,
		limited,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

// ---------------------------------------------------------------------------
// Statistics and formatting
// ---------------------------------------------------------------------------

const sec = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
const fmtStats = (s) =>
	s.n === 0
		? 'no data'
		: `p50 ${sec(s.p50)}   p95 ${sec(s.p95)}   max ${sec(s.max)}   (min ${sec(s.min)}, n=${s.n})`;
const perCandidate = (total) => (total / N).toFixed(2);
const mapLine = (map) =>
	[...map.entries()]
		.sort((a, b) => b[1] - a[1])
		.map(([k, v]) => `${k}: ${v}`)
		.join(', ') || 'none';

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
// Main
// ---------------------------------------------------------------------------

async function main() {
	const stopping = [];
	let stopped = false;
	let tmp = null;
	let keepTmp = KEEP;
	let n8nLog = null;

	const stopAll = async () => {
		if (stopped) return;
		stopped = true;
		say('\nStopping everything the benchmark started…');
		await stopInOrder(
			stopping.reverse().map((stop, index) => [`step ${stopping.length - index}`, stop, 90000]),
			(line) => say(`  (${line})`),
		);
		if (tmp && !keepTmp) fs.rmSync(tmp, { recursive: true, force: true });
		else if (tmp) say(`Kept ${tmp}${n8nLog ? ` (n8n log: ${n8nLog})` : ''}`);
		say('Stopped.');
	};

	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			say(`\n${signal}: interrupted.`);
			// Hard bound on the stop itself.
			setTimeout(() => process.exit(130), 30000).unref();
			stopAll().then(() => process.exit(130));
		});
	}

	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		say('dist/ is missing: run `npm run build` first (this benchmark builds nothing).');
		process.exit(2);
	}

	say(`Template throughput benchmark: N=${N} candidates in one burst`);
	say('n8n runtime (first run installs it, ~7 minutes; not counted in the time bound)…');
	const runtime = await ensureRuntime({ log: (line) => say(`  ${line}`) });

	const startedAt = Date.now();
	const deadline = startedAt + TIMEOUT_MS;
	const remaining = () => deadline - Date.now();
	const checkDeadline = (what) => {
		if (Date.now() > deadline)
			throw new BenchTimeout(`TIMEOUT: the run exceeded ${TIMEOUT_MS / 1000} s while ${what}.`);
	};
	// Last resort if an await hangs past the bound: stop and exit.
	const hardStop = setTimeout(() => {
		say(`\nTIMEOUT: still running ${TIMEOUT_MS / 1000 + 60} s after start; stopping everything.`);
		keepTmp = true;
		stopAll().then(() => process.exit(1));
	}, TIMEOUT_MS + 60000);
	hardStop.unref();

	let failure = null;
	let report = null;
	let limiter = null;
	try {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));
		say(`Packing the package into ${tmp}…`);
		const tarball = await packPackage(ROOT, tmp);

		// Lever's limit comes from the BENCH_LEVER_RATE_LIMIT proxy here, as before.
		const lever = await startLeverSandbox({ port: 0, rateLimit: false, log: onLeverLine });
		stopping.push(() => lever.close());
		let leverUrl = lever.url;
		if (LEVER_LIMIT) {
			limiter = await startLeverLimiter(lever.origin, LEVER_LIMIT);
			stopping.push(() => limiter.close());
			leverUrl = limiter.url;
			say(
				`Lever API limit on: ${LEVER_LIMIT.perSecond}/s, bursts of ${LEVER_LIMIT.burst} (proxy ${limiter.url})`,
			);
		}
		const proforma = await startProformaSandbox({ port: 0, stepMs: STEP_MS, log: onProformaLine });
		stopping.push(() => proforma.close());
		const rateLimit = proforma.state().rateLimit;
		say(
			`Lever sandbox ${lever.url}; Proforma sandbox ${proforma.url} (step ${STEP_MS} ms, rate limit ${rateLimit ? `${rateLimit.perSecond}/s burst ${rateLimit.burst}` : 'off'})`,
		);

		checkDeadline('starting the sandboxes');
		const n8n = await startN8n({
			userFolder: path.join(tmp, 'n8n'),
			port: 0,
			packageTarball: tarball,
			log: (line) => say(`  ${line}`),
			startTimeoutMs: Math.max(10000, Math.min(180000, remaining())),
		});
		stopping.push(() => n8n.stop());
		n8nLog = n8n.logFile;
		checkDeadline('starting n8n');

		const { workflowId } = await prepareTemplate(n8n, {
			leverUrl,
			proforma,
			screeningStageId: SEED.stages.backgroundScreening,
			name: 'Lever → Proforma background check (benchmark)',
		});
		const hooks = lever.state().webhooks.filter((w) => w.event === 'candidateStageChange');
		if (hooks.length !== 1)
			throw new Error(
				`expected the Lever Trigger to register 1 candidateStageChange webhook, found ${hooks.length}`,
			);
		say(
			`Template published (workflow ${workflowId}); Lever webhook ${hooks[0].id} registered by the trigger.`,
		);

		const ids = [];
		for (let i = 1; i <= N; i++) {
			const opp = lever.createOpportunity({
				name: `Bench Candidate${String(i).padStart(3, '0')}`,
				email: `bench-${i}+clear@example.com`,
				postingId: SEED.postings.standard,
				stageId: SEED.stages.onsiteInterview,
			});
			if (!opp.tags.includes('Proforma_standard'))
				throw new Error(`candidate ${opp.id} did not inherit Proforma_standard`);
			ids.push(opp.id);
		}
		const idSet = new Set(ids);
		checkDeadline('creating candidates');

		// ---- the burst
		calls.phase = 'run';
		const movedAt = new Map();
		const burstStart = Date.now();
		for (const id of ids) {
			movedAt.set(id, Date.now());
			lever.moveToStage(id, SEED.stages.backgroundScreening);
		}
		say(
			`Moved ${N} candidates to "Background Screening" in ${Date.now() - burstStart} ms. Waiting…`,
		);

		const seen = new Map(ids.map((id) => [id, {}]));
		let lastProgress = 0;
		const terminal = (s) =>
			(s.completed !== undefined && s.note !== undefined) || s.error !== undefined;
		for (;;) {
			const now = Date.now();
			const st = lever.state();
			for (const opp of st.opportunities) {
				if (!idSet.has(opp.id)) continue;
				const s = seen.get(opp.id);
				if (s.ordered === undefined && opp.tags.includes(TAG_ORDERED)) s.ordered = now;
				if (s.error === undefined && opp.tags.includes(TAG_ERROR)) s.error = now;
				if (s.completed === undefined && opp.tags.includes(TAG_COMPLETED)) s.completed = now;
			}
			for (const note of st.notes) {
				if (!idSet.has(note.opportunityId)) continue;
				const text = note.value ?? (note.fields && note.fields[0] && note.fields[0].value) ?? '';
				const s = seen.get(note.opportunityId);
				if (s.note === undefined && REPORT_NOTE.test(text)) s.note = now;
			}
			const done = [...seen.values()].filter(terminal).length;
			if (now - lastProgress > 5000) {
				lastProgress = now;
				const vals = [...seen.values()];
				say(
					`  +${((now - burstStart) / 1000).toFixed(0)} s: ordered ${vals.filter((s) => s.ordered).length}/${N}, completed ${vals.filter((s) => s.completed && s.note).length}/${N}, error ${vals.filter((s) => s.error).length}; Proforma 429s so far ${calls.proforma.run.byStatus.get(429) || 0}`,
				);
			}
			if (done === N) break;
			if (Date.now() > deadline) {
				failure = new BenchTimeout(
					`TIMEOUT: after ${TIMEOUT_MS / 1000} s, ${N - done} of ${N} candidates had neither "${TAG_COMPLETED}" + report note nor "${TAG_ERROR}". Partial figures follow.`,
				);
				break;
			}
			await sleep(POLL_MS);
		}
		const allTerminalAt = Date.now();

		// ---- settle: executions finished, no delivery pending, then a quiet period
		if (!failure) {
			const settleDeadline = Math.min(deadline, Date.now() + 45000);
			for (;;) {
				const execs = await n8n.listExecutions({ workflowId });
				const busy = execs.filter((e) => ['running', 'new', 'waiting'].includes(e.status)).length;
				const leverPending = lever
					.state()
					.deliveries.filter((d) => d.status === 'pending' || d.status === 'retrying').length;
				const proformaPending = proforma
					.state()
					.deliveries.filter((d) => ['pending', 'retrying', 'held'].includes(d.status)).length;
				if (busy === 0 && leverPending === 0 && proformaPending === 0) break;
				if (Date.now() > settleDeadline) {
					say(
						`  (settling stopped at its bound: ${busy} executions running, ${leverPending} Lever and ${proformaPending} Proforma deliveries pending)`,
					);
					break;
				}
				await sleep(500);
			}
			await sleep(SETTLE_MS);
		}

		// ---- collect
		report = await collect({
			n8n,
			lever,
			proforma,
			workflowId,
			ids,
			idSet,
			movedAt,
			seen,
			burstStart,
			allTerminalAt,
			runtime,
			dumpDir: tmp,
		});
		report.leverLimited = limiter ? limiter.limited.filter((l) => l.at >= burstStart) : null;
	} catch (error) {
		failure = error;
	} finally {
		clearTimeout(hardStop);
	}

	if (report) printReport(report, failure);
	if (failure) {
		keepTmp = true;
		say(
			`\n✖ ${failure instanceof BenchTimeout ? failure.message : `benchmark failed: ${failure.stack || failure.message}`}`,
		);
	}
	await stopAll();
	process.exit(failure ? 1 : 0);
}

async function collect({
	n8n,
	lever,
	proforma,
	workflowId,
	ids,
	idSet,
	movedAt,
	seen,
	burstStart,
	allTerminalAt,
	runtime,
	dumpDir,
}) {
	const leverState = lever.state();
	const proformaState = proforma.state();

	// Per-candidate timings (answer time of the addTags/notes call that the poll saw land).
	const orderedMs = [];
	const completedMs = [];
	const candidates = [];
	for (const id of ids) {
		const s = seen.get(id);
		const t0 = movedAt.get(id);
		const orderedAt =
			s.ordered !== undefined
				? (lastAtOrBefore(calls.addTags.get(id), s.ordered) ?? s.ordered)
				: undefined;
		const completedTagAt =
			s.completed !== undefined
				? (lastAtOrBefore(calls.addTags.get(id), s.completed) ?? s.completed)
				: undefined;
		const noteAt =
			s.note !== undefined ? (lastAtOrBefore(calls.notes.get(id), s.note) ?? s.note) : undefined;
		if (orderedAt !== undefined) orderedMs.push(orderedAt - t0);
		if (completedTagAt !== undefined && noteAt !== undefined)
			completedMs.push(Math.max(completedTagAt, noteAt) - t0);
		const opp = leverState.opportunities.find((o) => o.id === id);
		const notes = leverState.notes.filter((n) => n.opportunityId === id);
		const noteText = (n) => n.value ?? (n.fields && n.fields[0] && n.fields[0].value) ?? '';
		candidates.push({
			id,
			tags: opp ? opp.tags : [],
			reportNotes: notes.filter((n) => REPORT_NOTE.test(noteText(n))).length,
			otherNotes: notes.filter((n) => !REPORT_NOTE.test(noteText(n))).map(noteText),
		});
	}

	// Orders
	const orders = proformaState.orders.filter((o) => idSet.has(o.clientReference));
	const ordersPer = new Map();
	for (const o of orders)
		ordersPer.set(o.clientReference, (ordersPer.get(o.clientReference) || 0) + 1);
	const orderStatuses = new Map();
	for (const o of orders) orderStatuses.set(o.status, (orderStatuses.get(o.status) || 0) + 1);

	// Lever → n8n deliveries (the trigger's webhook, this run only)
	const leverDeliveries = leverState.deliveries.filter(
		(d) =>
			d.kind === 'event' &&
			d.event === 'candidateStageChange' &&
			idSet.has(d.payload && d.payload.data && d.payload.data.opportunityId),
	);
	const leverAttempts = leverDeliveries.flatMap((d) => d.attempts);
	const leverNon2xx = new Map();
	for (const a of leverAttempts) {
		if (typeof a.status === 'number' && a.status >= 200 && a.status < 300) continue;
		const key = a.status ?? a.error ?? 'no answer';
		leverNon2xx.set(String(key), (leverNon2xx.get(String(key)) || 0) + 1);
	}
	const leverFinal = new Map();
	for (const d of leverDeliveries) leverFinal.set(d.status, (leverFinal.get(d.status) || 0) + 1);
	const leverDurations = stats(leverAttempts.map((a) => a.durationMs));
	// Proforma → n8n callbacks
	const orderIds = new Set(orders.map((o) => o.id));
	const pfDeliveries = proformaState.deliveries.filter((d) => orderIds.has(d.orderId));
	const pfAttempts = pfDeliveries.flatMap((d) => d.attempts);
	const pfNon2xx = new Map();
	for (const a of pfAttempts) {
		if (typeof a.status === 'number' && a.status >= 200 && a.status < 300) continue;
		const key = a.status ?? a.error ?? 'no answer';
		pfNon2xx.set(String(key), (pfNon2xx.get(String(key)) || 0) + 1);
	}
	const pfFinal = new Map();
	for (const d of pfDeliveries) pfFinal.set(d.status, (pfFinal.get(d.status) || 0) + 1);
	const pfByType = new Map();
	for (const d of pfDeliveries) pfByType.set(d.type, (pfByType.get(d.type) || 0) + 1);

	// n8n executions of the workflow, classified by the path they took.
	const executions = await n8n.listExecutions({ workflowId, includeData: true });
	const paths = new Map();
	for (const e of executions) {
		const ran = new Set(
			Object.keys((e.data && e.data.resultData && e.data.resultData.runData) || {}),
		);
		let key;
		if (ran.has('Lever Trigger')) {
			key = ran.has('Order screening')
				? 'Lever Trigger → Order screening'
				: ran.has('Nothing to order')
					? 'Lever Trigger → already ordered, skipped'
					: 'Lever Trigger → other';
		} else if (ran.has('Proforma Trigger')) {
			// Note: report runs for every callback; a repeated one finds its note and posts nothing.
			key = ran.has('Note: report') ? 'Proforma Trigger → report note' : 'Proforma Trigger → other';
		} else if (ran.has('Every 15 minutes')) key = 'schedule';
		else key = ran.size ? 'other' : 'no run data';
		paths.set(key, (paths.get(key) || 0) + 1);
		delete e.data;
	}
	const execStatus = new Map();
	for (const e of executions) execStatus.set(e.status, (execStatus.get(e.status) || 0) + 1);
	const starts = executions.map((e) => Date.parse(e.startedAt)).filter(Number.isFinite);
	const stops = executions.map((e) => Date.parse(e.stoppedAt)).filter(Number.isFinite);
	const windowMs = starts.length && stops.length ? Math.max(...stops) - Math.min(...starts) : NaN;
	const execDurations = stats(
		executions
			.map((e) => Date.parse(e.stoppedAt) - Date.parse(e.startedAt))
			.filter((v) => Number.isFinite(v)),
	);
	// Busiest 1-second window (completions per second).
	const peak = peakPerSecond(stops);
	// Which node failed, for failed executions (bounded: first 20).
	const failed = executions
		.filter((e) => e.status === 'error' || e.status === 'crashed')
		.slice(0, 20);
	const failures = new Map();
	for (const e of failed) {
		try {
			const full = await n8n.getExecution(e.id);
			const err = full.data && full.data.resultData && full.data.resultData.error;
			const key = err
				? `${err.node && err.node.name ? `${err.node.name}: ` : ''}${String(err.message).slice(0, 160)}`
				: 'unknown';
			failures.set(key, (failures.get(key) || 0) + 1);
		} catch (error) {
			failures.set(`(could not read execution ${e.id}: ${error.message})`, 1);
		}
	}

	// Raw material for a closer look (kept with BENCH_KEEP=1 or after a failure).
	try {
		fs.writeFileSync(
			path.join(dumpDir, 'bench-state.json'),
			JSON.stringify(
				{
					burstStart,
					movedAt: Object.fromEntries(movedAt),
					leverDeliveries,
					proformaDeliveries: pfDeliveries,
					orders,
					executions,
					calls: {
						addTags: Object.fromEntries(calls.addTags),
						notes: Object.fromEntries(calls.notes),
						gets: Object.fromEntries(calls.gets),
					},
				},
				null,
				1,
			),
		);
	} catch {
		/* diagnostics only */
	}

	return {
		n8nVersion: n8n.info.n8nVersion || runtime.n8nVersion,
		packageVersion: n8n.info.package && n8n.info.package.version,
		proformaRateLimit: proformaState.rateLimit,
		stepMs: proformaState.stepMs,
		burstStart,
		allTerminalAt,
		orderedMs: stats(orderedMs),
		completedMs: stats(completedMs),
		candidates,
		orders,
		ordersPer,
		orderStatuses,
		leverDeliveries,
		leverAttempts,
		leverNon2xx,
		leverFinal,
		leverDurations,
		pfDeliveries,
		pfAttempts,
		pfNon2xx,
		pfFinal,
		pfByType,
		executions,
		execStatus,
		paths,
		windowMs,
		execDurations,
		peak,
		failures,
	};
}

function printReport(r, failure) {
	const line = '─'.repeat(78);
	const cpu = os.cpus()[0];
	const warnings = [];
	say(`\n${line}`);
	say(`Template throughput — ${new Date().toISOString()}${failure ? '   (INCOMPLETE RUN)' : ''}`);
	say(line);
	say(
		`n8n ${r.n8nVersion} (regular mode, SQLite), package ${r.packageVersion}, Node ${process.version} for the harness`,
	);
	say(
		`machine: ${os.cpus().length} cores (${cpu ? cpu.model.trim() : 'unknown'}), load average now ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}`,
	);
	say(
		`N = ${N} candidates moved in one burst; Proforma sandbox step ${r.stepMs} ms, rate limit ${r.proformaRateLimit ? `${r.proformaRateLimit.perSecond}/s burst ${r.proformaRateLimit.burst}` : 'off'}`,
	);
	say('');

	say(`Stage change → "${TAG_ORDERED}":        ${fmtStats(r.orderedMs)}`);
	say(`Stage change → "${TAG_COMPLETED}" + note: ${fmtStats(r.completedMs)}`);
	say(
		`Burst → last candidate done: ${sec(r.allTerminalAt - r.burstStart)} (poll resolution ${POLL_MS} ms)`,
	);
	say('');

	const created = r.orders.length;
	say(
		`Proforma orders created: ${created} for ${N} candidates; statuses: ${mapLine(r.orderStatuses)}`,
	);
	if (created !== N) {
		const missing = r.candidates.filter((c) => !r.ordersPer.has(c.id)).map((c) => c.id);
		const dupes = [...r.ordersPer.entries()].filter(([, v]) => v > 1);
		const msg = `MISMATCH: ${created} orders for ${N} candidates (${missing.length} candidates without an order, ${dupes.length} with more than one)${failure ? ' — run incomplete, some may still be queued in n8n' : ''}`;
		say(`!!!!! ${msg} !!!!!`);
		warnings.push(msg);
	}
	const noStatus = r.candidates.filter(
		(c) => !c.tags.includes(TAG_ORDERED) && !c.tags.includes(TAG_ERROR),
	);
	const errors = r.candidates.filter((c) => c.tags.includes(TAG_ERROR));
	const notCompleted = r.candidates.filter((c) => !c.tags.includes(TAG_COMPLETED));
	const dupNotes = r.candidates.filter((c) => c.reportNotes > 1);
	say(
		`Candidates: ${r.candidates.filter((c) => c.tags.includes(TAG_ORDERED)).length} Ordered, ${r.candidates.filter((c) => c.tags.includes(TAG_COMPLETED)).length} Completed, ${errors.length} Error, ${noStatus.length} without a status tag; report notes: ${r.candidates.reduce((a, c) => a + c.reportNotes, 0)} (${dupNotes.length} candidates with more than one)`,
	);
	if (noStatus.length)
		warnings.push(
			`${noStatus.length} candidates without Ordered or Error tag: ${noStatus
				.slice(0, 5)
				.map((c) => c.id)
				.join(', ')}`,
		);
	if (errors.length) {
		const why = new Map();
		for (const c of errors)
			for (const t of c.otherNotes) why.set(t.slice(0, 200), (why.get(t.slice(0, 200)) || 0) + 1);
		warnings.push(`${errors.length} candidates tagged ${TAG_ERROR}; notes: ${mapLine(why)}`);
	}
	if (notCompleted.length && !failure)
		warnings.push(`${notCompleted.length} candidates without ${TAG_COMPLETED}`);
	if (dupNotes.length) warnings.push(`${dupNotes.length} candidates got more than one report note`);
	say('');

	const execWindow = r.windowMs;
	say(
		`n8n executions: ${r.executions.length} (${mapLine(r.execStatus)}); ${Number.isFinite(execWindow) ? (r.executions.length / (execWindow / 1000)).toFixed(2) : 'n/a'} executions/s sustained over ${sec(execWindow)} (first start → last stop), busiest second ${r.peak}`,
	);
	say(
		`  per candidate: ${(r.executions.length / N).toFixed(2)} (2 expected: one stage change, one order.completed)`,
	);
	say(`  paths: ${mapLine(r.paths)}`);
	say(`  execution duration: ${fmtStats(r.execDurations)}`);
	if (r.failures.size) {
		say(`  failed executions: ${mapLine(r.failures)}`);
		warnings.push(`failed executions: ${mapLine(r.failures)}`);
	}
	say('');

	const leverRetried = r.leverDeliveries.filter((d) => d.attempts.length > 1).length;
	say(
		`Lever → n8n webhooks: ${r.leverDeliveries.length} deliveries, ${r.leverAttempts.length} attempts; non-2xx/failed attempts ${r.leverAttempts.length - r.leverAttempts.filter((a) => a.status >= 200 && a.status < 300).length} (${mapLine(r.leverNon2xx)}); deliveries retried ${leverRetried}; final: ${mapLine(r.leverFinal)}`,
	);
	say(`  n8n answer time per attempt: ${fmtStats(r.leverDurations)}`);
	const pfRetried = r.pfDeliveries.filter((d) => d.attempts.length > 1).length;
	say(
		`Proforma → n8n callbacks: ${r.pfDeliveries.length} (${mapLine(r.pfByType)}), ${r.pfAttempts.length} attempts; non-2xx/failed attempts ${r.pfAttempts.length - r.pfAttempts.filter((a) => a.status >= 200 && a.status < 300).length} (${mapLine(r.pfNon2xx)}); retried ${pfRetried}; final: ${mapLine(r.pfFinal)}`,
	);
	if (leverRetried)
		warnings.push(`${leverRetried} Lever deliveries needed a retry (${mapLine(r.leverNon2xx)})`);
	if (pfRetried)
		warnings.push(`${pfRetried} Proforma callbacks needed a retry (${mapLine(r.pfNon2xx)})`);
	say('');

	const lv = calls.lever.run;
	const pf = calls.proforma.run;
	say(
		`Lever API calls: ${lv.total} = ${perCandidate(lv.total)} per candidate; statuses ${mapLine(lv.byStatus)}; busiest second ${peakPerSecond(lv.times)} calls (Lever's documented limit: 10/s, bursts to 20; off in this run's sandbox unless BENCH_LEVER_RATE_LIMIT=1)`,
	);
	say(`  by endpoint: ${mapLine(lv.byEndpoint)}`);
	say(
		`  (setup, not counted above: ${calls.lever.setup.total} — ${mapLine(calls.lever.setup.byEndpoint)})`,
	);
	say(
		`Proforma API calls: ${pf.total} = ${perCandidate(pf.total)} per candidate; statuses ${mapLine(pf.byStatus)}; busiest second ${peakPerSecond(pf.times)} calls`,
	);
	say(`  by endpoint: ${mapLine(pf.byEndpoint)}`);
	const pf429 = pf.byStatus.get(429) || 0;
	if (pf429)
		say(
			`  429 (rate limited, retried by the nodes): ${pf429} = ${perCandidate(pf429)} per candidate`,
		);
	if (r.leverLimited) {
		const byEndpoint = new Map();
		for (const l of r.leverLimited) {
			const key = endpointOf(l.method, l.path);
			byEndpoint.set(key, (byEndpoint.get(key) || 0) + 1);
		}
		say(
			`  Lever rate limit (proxy, 10/s burst 20): ${r.leverLimited.length} requests answered 429 = ${perCandidate(r.leverLimited.length)} per candidate (${mapLine(byEndpoint)}); not in the counts above`,
		);
		if (r.leverLimited.length)
			warnings.push(`Lever's rate limit answered 429 ${r.leverLimited.length} times`);
	}
	const lv429 = lv.byStatus.get(429) || 0;
	if (lv429) warnings.push(`Lever answered 429 ${lv429} times`);
	say('');
	if (warnings.length) {
		say('Problems seen:');
		for (const w of warnings) say(`  ! ${w}`);
	} else {
		say('Problems seen: none (every candidate ordered once, completed once, no retries).');
	}
	say(line);
}

main().catch(async (error) => {
	say(`\n✖ ${error.stack || error.message}`);
	process.exit(1);
});
