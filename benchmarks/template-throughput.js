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
 *   BENCH_PROGRESS_TAGS=0  the template without progress tags (on as imported; =1 keeps them on)
 *   BENCH_KEEP=1      keep the temp folder (n8n log, SQLite database, bench-state.json)
 *   BENCH_N8N_ENV     n8n settings (benchmarks/lib/n8n-settings.js; default: the
 *                     recommended ones, as for order-path.js and trigger-alone.js)
 *   BENCH_CPU_PROF=<folder>  a V8 CPU profile of n8n, written when it stops
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
const { benchN8nSettings, n8nEnv } = require('./lib/n8n-settings');
const { forwardRequest, endpointOf, stats } = require('./lib/bench-kit');
const journey = require('./lib/journey');
const { stopInOrder } = require('../scripts/lib/stop');
const { prepareTemplate } = require('../scripts/lib/template');
const { startLeverSandbox, SEED } = require('../sandboxes/lever/server');
const { startProformaSandbox } = require('../sandboxes/proforma/server');

const { TAG_ORDERED, TAG_ERROR, TAG_COMPLETED, peakPerSecond } = journey;
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
/** n8n settings (benchmarks/lib/n8n-settings.js, BENCH_N8N_ENV): the recommended ones by default. */
const N8N = benchN8nSettings();
const LEVER_LIMIT =
	process.env.BENCH_LEVER_RATE_LIMIT === '1' ? { perSecond: 10, burst: 20 } : null;

class BenchTimeout extends Error {}

// Lever and Proforma API calls, from the sandboxes' log lines (lib/journey.js).
const calls = new journey.JourneyCalls();

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

	say(`Template throughput benchmark: N=${N} candidates in one burst; n8n settings: ${N8N.label}`);
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
		const lever = await startLeverSandbox({ port: 0, rateLimit: false, log: calls.leverLine });
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
		const proforma = await startProformaSandbox({
			port: 0,
			stepMs: STEP_MS,
			log: calls.proformaLine,
		});
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
			env: n8nEnv(N8N.settings),
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
			// BENCH_PROGRESS_TAGS=0 / =1: without / with progress tags (on as imported).
			settings:
				process.env.BENCH_PROGRESS_TAGS === undefined
					? undefined
					: { progressTags: process.env.BENCH_PROGRESS_TAGS !== '0' },
		});
		const hooks = lever.state().webhooks.filter((w) => w.event === 'candidateStageChange');
		if (hooks.length !== 1)
			throw new Error(
				`expected the Lever Trigger to register 1 candidateStageChange webhook, found ${hooks.length}`,
			);
		say(
			`Template published (workflow ${workflowId}); Lever webhook ${hooks[0].id} registered by the trigger.`,
		);

		const ids = journey.createCandidates(lever, N);
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

		const watch = journey.watchCandidates(ids);
		let lastProgress = 0;
		for (;;) {
			const now = Date.now();
			watch.observe(lever.state(), now);
			const { ordered, completed, error, terminal: done } = watch.counts();
			if (now - lastProgress > 5000) {
				lastProgress = now;
				say(
					`  +${((now - burstStart) / 1000).toFixed(0)} s: ordered ${ordered}/${N}, completed ${completed}/${N}, error ${error}; Proforma 429s so far ${calls.proforma.run.byStatus.get(429) || 0}`,
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
			movedAt,
			watch,
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
	movedAt,
	watch,
	burstStart,
	allTerminalAt,
	runtime,
	dumpDir,
}) {
	const leverState = lever.state();
	const proformaState = proforma.state();
	const times = journey.candidateTimes(watch, calls, movedAt);
	const end = journey.endStates(leverState, proformaState, ids);
	const lv = journey.leverDeliveryFigures(leverState, ids);
	const pf = journey.proformaCallbackFigures(proformaState, end.orders);

	// n8n executions of the workflow, classified by the path they took.
	const executions = await n8n.listExecutions({ workflowId, includeData: true });
	const paths = journey.distribution(executions.map(journey.executionPath));
	for (const e of executions) delete e.data;
	const execStatus = journey.distribution(executions.map((e) => e.status));
	const starts = executions.map((e) => Date.parse(e.startedAt)).filter(Number.isFinite);
	const stops = executions.map((e) => Date.parse(e.stoppedAt)).filter(Number.isFinite);
	const windowMs = starts.length && stops.length ? Math.max(...stops) - Math.min(...starts) : NaN;
	const execDurations = stats(
		executions
			.map((e) => Date.parse(e.stoppedAt) - Date.parse(e.startedAt))
			.filter((v) => Number.isFinite(v)),
	);
	const failures = await failureReasons(n8n, executions);

	// Raw material for a closer look (kept with BENCH_KEEP=1 or after a failure).
	try {
		fs.writeFileSync(
			path.join(dumpDir, 'bench-state.json'),
			JSON.stringify(
				{
					burstStart,
					movedAt: Object.fromEntries(movedAt),
					leverDeliveries: lv.deliveries,
					proformaDeliveries: pf.deliveries,
					orders: end.orders,
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
		orderedMs: times.orderedStats,
		completedMs: times.completedStats,
		end,
		lv,
		pf,
		executions,
		execStatus,
		paths,
		windowMs,
		execDurations,
		peak: peakPerSecond(stops),
		failures,
	};
}

/** Which node failed and why, for failed executions (bounded: the first 20). */
async function failureReasons(n8n, executions) {
	const failed = executions
		.filter((e) => e.status === 'error' || e.status === 'crashed')
		.slice(0, 20);
	const failures = new Map();
	for (const e of failed) {
		let key;
		try {
			key = journey.executionError(await n8n.getExecution(e.id)) || 'unknown';
		} catch (error) {
			key = `(could not read execution ${e.id}: ${error.message})`;
		}
		failures.set(key, (failures.get(key) || 0) + 1);
	}
	return failures;
}

function printReport(r, failure) {
	const line = '─'.repeat(78);
	const cpu = os.cpus()[0];
	const warnings = [];
	say(`\n${line}`);
	say(`Template throughput — ${new Date().toISOString()}${failure ? '   (INCOMPLETE RUN)' : ''}`);
	say(line);
	say(
		`n8n ${r.n8nVersion} (regular mode, SQLite; settings: ${N8N.label}), package ${r.packageVersion}, Node ${process.version} for the harness`,
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

	const { candidates } = r.end;
	const created = r.end.orders.length;
	say(
		`Proforma orders created: ${created} for ${N} candidates; statuses: ${mapLine(r.end.orderStatuses)}`,
	);
	if (created !== N) {
		const missing = candidates.filter((c) => c.orders === 0);
		const dupes = r.end.duplicateOrders;
		const msg = `MISMATCH: ${created} orders for ${N} candidates (${missing.length} candidates without an order, ${dupes.length} with more than one)${failure ? ' — run incomplete, some may still be queued in n8n' : ''}`;
		say(`!!!!! ${msg} !!!!!`);
		warnings.push(msg);
	}
	const noStatus = candidates.filter(
		(c) => !c.tags.includes(TAG_ORDERED) && !c.tags.includes(TAG_ERROR),
	);
	const errors = candidates.filter((c) => c.tags.includes(TAG_ERROR));
	const notCompleted = candidates.filter((c) => !c.tags.includes(TAG_COMPLETED));
	const dupNotes = candidates.filter((c) => c.reportNotes > 1);
	say(
		`Candidates: ${candidates.filter((c) => c.tags.includes(TAG_ORDERED)).length} Ordered, ${candidates.filter((c) => c.tags.includes(TAG_COMPLETED)).length} Completed, ${errors.length} Error, ${noStatus.length} without a status tag; report notes: ${candidates.reduce((a, c) => a + c.reportNotes, 0)} (${dupNotes.length} candidates with more than one)`,
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
		`  per candidate: ${(r.executions.length / N).toFixed(2)} (expected: 2 without progress tags, one stage change and one order.completed; 4 with them, one more for each of submitted and in_progress)`,
	);
	say(`  paths: ${mapLine(r.paths)}`);
	say(`  execution duration: ${fmtStats(r.execDurations)}`);
	if (r.failures.size) {
		say(`  failed executions: ${mapLine(r.failures)}`);
		warnings.push(`failed executions: ${mapLine(r.failures)}`);
	}
	say('');

	const { lv: hooks, pf: callbacks } = r;
	const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0);
	say(
		`Lever → n8n webhooks: ${hooks.deliveries.length} deliveries, ${hooks.attempts.length} attempts; non-2xx/failed attempts ${sum(hooks.failed)} (${mapLine(hooks.failed)}); deliveries retried ${hooks.retriedDeliveries}; final: ${mapLine(hooks.final)}`,
	);
	say(`  n8n answer time per attempt: ${fmtStats(hooks.answerMs)}`);
	say(
		`Proforma → n8n callbacks: ${callbacks.deliveries.length} (${mapLine(callbacks.byType)}), ${callbacks.attempts.length} attempts; non-2xx/failed attempts ${sum(callbacks.failed)} (${mapLine(callbacks.failed)}); retried ${callbacks.retried}; final: ${mapLine(callbacks.final)}`,
	);
	if (hooks.retriedDeliveries)
		warnings.push(
			`${hooks.retriedDeliveries} Lever deliveries needed a retry (${mapLine(hooks.failed)})`,
		);
	if (callbacks.retried)
		warnings.push(
			`${callbacks.retried} Proforma callbacks needed a retry (${mapLine(callbacks.failed)})`,
		);
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
