#!/usr/bin/env node
'use strict';
/**
 * A bulk move in n8n's queue mode (issue 11): N candidates moved to the screening stage
 * in ONE Lever bulk action, the template running on main + one webhook processor + two
 * workers, Postgres and Redis, against both sandboxes with their rate limits on.
 *
 *   npm run bench:scale                      # builds, then N = 1000
 *   node benchmarks/scale.js [N] [--faults] [--lifecycle-off | --lifecycle-on]  # expects dist/
 *
 * N: argument or BENCH_SCALE_N (default 1000, 1..5000). Knobs (environment):
 *   BENCH_SCALE_WORKERS      n8n workers (default 2)
 *   BENCH_SCALE_CONCURRENCY  each worker's --concurrency (default 5: 2 × 5 = 10
 *                            executions calling Lever at once, docs/scaling.md)
 *   BENCH_BULK_CONCURRENCY   Lever's deliveries in flight during the bulk move (default 10)
 *   BENCH_STEP_MS            Proforma sandbox clock step (default 500 ms)
 *   BENCH_TIMEOUT_S          bound on the run once the n8n runtime is present (default 1800)
 *   BENCH_KEEP=1             keep the temp folder (n8n logs) also after a good run
 *   BENCH_N8N_ENV            n8n settings (lib/n8n-settings.js; default the recommended ones)
 *
 * --faults: during the run (times from the start of the move, printed): 10 % of
 * Proforma's callbacks never sent; one worker SIGKILLed and started again 20 s later;
 * Lever's API answers 503 for 30 s; Proforma's API answers 500 for 15 s, then holds its
 * answers past the node's 30 s timeout for 15 s; the webhook processor restarted. The
 * template's scheduled check runs every 5 minutes instead of every 15 (every minute
 * made checks overlap during the bulk move: each took minutes at its share of Lever's limit).
 *
 * --lifecycle-off: the template without progress and result tags (settings
 * progressTags: false, resultTags: false), the journey issue 11's call budget is about;
 * --lifecycle-on: with both (progressTags: true). By default the template runs as
 * imported (result and progress tags on since 2026-11-29, so the same as --lifecycle-on).
 *
 * Waits (bounded) until every candidate has `Background Check:Completed` and its report
 * note, or `Background Check:Error`; then prints the figures of issue 11 item 4.
 * Everything started is stopped at the end, on timeout and on Ctrl-C.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { ensureRuntime } = require('../scripts/n8n-runtime');
const { packPackage } = require('../scripts/lib/n8n-instance');
const { startN8nQueue } = require('../scripts/lib/n8n-queue');
const { prepareTemplate } = require('../scripts/lib/template');
const { startPostgres, startRedis } = require('../test/e2e-queue/support/infra');
const { startLeverSandbox, SEED } = require('../sandboxes/lever/server');
const { startProformaSandbox } = require('../sandboxes/proforma/server');
const kit = require('./lib/bench-kit');
const journey = require('./lib/journey');
const { benchN8nSettings } = require('./lib/n8n-settings');
const { startRssSampler, postmasterPid } = require('./lib/rss');

const { say, sleep, envInt, stats, mapLine, BenchTimeout } = kit;
const LEVER_PER_SECOND = 10;
const POLL_MS = 1000;
const SCHEDULE_CRON = '*/5 * * * *';
const SCREENING = SEED.stages.backgroundScreening;

const SETTINGS = {
	workers: envInt('BENCH_SCALE_WORKERS', 2, 1, 8),
	concurrency: envInt('BENCH_SCALE_CONCURRENCY', 5, 1, 50),
	bulkConcurrency: envInt('BENCH_BULK_CONCURRENCY', 10, 1, 100),
	stepMs: envInt('BENCH_STEP_MS', 500, 50, 60000),
	timeoutS: envInt('BENCH_TIMEOUT_S', 1800, 60, 7200),
	keep: process.env.BENCH_KEEP === '1',
};

const FLAGS = ['--faults', '--lifecycle-off', '--lifecycle-on'];

/** N, --faults and --lifecycle-off from the command line, or a clear error. */
function parseArgs(argv) {
	const unknown = argv.filter((a) => a.startsWith('-') && !FLAGS.includes(a));
	const positional = argv.filter((a) => !a.startsWith('-'));
	const raw = positional[0] ?? process.env.BENCH_SCALE_N ?? '1000';
	const n = Number(raw);
	if (unknown.length || positional.length > 1 || !Number.isInteger(n) || n < 1 || n > 5000) {
		say(
			'Usage: node benchmarks/scale.js [N] [--faults] [--lifecycle-off | --lifecycle-on]   (N: 1 to 5000, default 1000 or BENCH_SCALE_N)',
		);
		say(
			`Got: ${argv.join(' ') || '(nothing)'}${process.env.BENCH_SCALE_N ? `, BENCH_SCALE_N=${process.env.BENCH_SCALE_N}` : ''}`,
		);
		process.exit(2);
	}
	const lifecycle = argv.includes('--lifecycle-off')
		? { progressTags: false, resultTags: false }
		: argv.includes('--lifecycle-on')
			? { progressTags: true }
			: undefined;
	return { n, faults: argv.includes('--faults'), lifecycle };
}

const sec = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'n/a');
const fmtStats = (s) =>
	s.n === 0 ? 'no data' : `p50 ${sec(s.p50)}  p95 ${sec(s.p95)}  max ${sec(s.max)}  (n=${s.n})`;
const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');

// ---------------------------------------------------------------------------
// Starting and stopping
// ---------------------------------------------------------------------------

/** Postgres, Redis, n8n in queue mode, both sandboxes and the published template. */
async function startEnvironment({ harness, tmp, calls, args }) {
	const stack = harness.stack();
	const log = (line) => say(`  ${line}`);
	const postgres = await startPostgres({ log });
	stack.add(() => postgres.stop());
	const redis = await startRedis({ root: tmp.dir, log });
	stack.add(() => redis.stop());
	const packageTarball = await packPackage(ROOT, path.join(tmp.dir, 'pack'), { log });
	const { settings, label } = benchN8nSettings();
	say(`n8n settings: ${label}`);
	const q = await startN8nQueue({
		...{ root: tmp.dir, packageTarball, postgres, redis, log, env: settings },
		...{ workers: SETTINGS.workers, concurrency: SETTINGS.concurrency },
		startTimeoutMs: Math.max(30000, Math.min(180000, harness.remaining())),
	});
	stack.add(() => q.stop());
	harness.checkDeadline('starting n8n');
	const lever = await startLeverSandbox({ port: 0, log: calls.leverLine });
	stack.add(() => lever.close());
	const proforma = await startProformaSandbox({
		port: 0,
		stepMs: SETTINGS.stepMs,
		log: calls.proformaLine,
	});
	stack.add(() => proforma.close());
	const { workflowId } = await prepareTemplate(q.client, {
		leverUrl: lever.url,
		proforma,
		screeningStageId: SCREENING,
		name: 'Lever → Proforma background check (bench:scale)',
		scheduleCron: args.faults ? SCHEDULE_CRON : undefined,
		settings: args.lifecycle,
	});
	return { postgres, redis, q, lever, proforma, workflowId };
}

/** The processes whose peak memory is reported (looked up at each sample: restarts change pids). */
function rssTargets({ q, postgres }) {
	return () => [
		{ label: 'n8n main', pid: q.main.pid },
		...q.workers.map((w) => ({ label: `n8n ${w.name}`, pid: w.pid })),
		{ label: 'n8n webhook', pid: q.webhook.pid },
		{ label: 'Postgres', pid: postmasterPid(path.join(postgres.dir, 'data')) },
	];
}

// ---------------------------------------------------------------------------
// Faults (--faults)
// ---------------------------------------------------------------------------

/** [seconds after the move, what, action] */
function faultSteps({ q, lever, proforma }) {
	const worker = q.workers[q.workers.length - 1];
	return [
		[
			0,
			'Proforma: 10 % of callbacks never sent (dropCallbacks ratio 0.1, all event types)',
			() => proforma.setFaults({ dropCallbacks: { ratio: 0.1 } }),
		],
		[15, `SIGKILL the n8n ${worker.name}`, () => worker.kill()],
		[35, `the n8n ${worker.name} started again`, () => worker.start()],
		[
			30,
			'Lever API: every call answers 503',
			() => lever.setFaults({ failNext: { count: 1e9, status: 503 } }),
		],
		[60, 'Lever API: 503s off', () => lever.setFaults({ failNext: { count: 0 } })],
		[
			60,
			'Proforma API: every call answers 500',
			() => proforma.setFaults({ failNext: { count: 1000, status: 500 } }),
		],
		[
			75,
			'Proforma API: 500s off; every answer held 35 s (the node times out at 30 s)',
			() => proforma.setFaults({ failNext: { count: 0 }, delayNext: { count: 1000, ms: 35000 } }),
		],
		[90, 'Proforma API: held answers off', () => proforma.setFaults({ delayNext: { count: 0 } })],
		[100, 'the n8n webhook processor restarted', () => q.webhook.restart()],
	];
}

/** Runs the steps at their times from `moveStart`; `done` resolves when all have run. */
function startFaults(steps, moveStart) {
	const record = [];
	const timers = [];
	const done = Promise.all(
		steps.map(
			([atS, what, action]) =>
				new Promise((resolve) => {
					const timer = setTimeout(
						async () => {
							const entry = { atS, what, startedMs: Date.now() - moveStart };
							record.push(entry);
							try {
								await action();
							} catch (error) {
								entry.error = error.message.split('\n')[0];
							}
							entry.doneMs = Date.now() - moveStart;
							resolve();
						},
						Math.max(0, moveStart + atS * 1000 - Date.now()),
					);
					timers.push(timer);
				}),
		),
	);
	return { record, done, cancel: () => timers.forEach(clearTimeout) };
}

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/** Polls until every candidate is Completed or Error and the faults have run, or the deadline. */
async function waitForEndStates({ env, watch, n, moveStart, faults, harness, calls }) {
	let faultsDone = !faults;
	if (faults) faults.done.then(() => (faultsDone = true));
	let lastProgress = 0;
	for (;;) {
		const now = Date.now();
		watch.observe(env.lever.state(), now);
		const c = watch.counts();
		if (now - lastProgress >= 10000) {
			lastProgress = now;
			const lv429 = calls.lever.run.byStatus.get(429) || 0;
			say(
				`  +${sec(now - moveStart)}: ordered ${c.ordered}/${n}, completed ${c.completed}/${n}, error ${c.error}; Lever 429s ${lv429}`,
			);
		}
		if (c.terminal === n && faultsDone) return { allTerminalAt: now, timedOut: null };
		if (now > harness.deadline()) {
			const why = `TIMEOUT: after ${SETTINGS.timeoutS} s, ${n - c.terminal} of ${n} candidates had neither "${journey.TAG_COMPLETED}" + report note nor "${journey.TAG_ERROR}"${faultsDone ? '' : ' (faults still running)'}. Partial figures follow.`;
			return { allTerminalAt: now, timedOut: new BenchTimeout(why) };
		}
		await sleep(POLL_MS);
	}
}

/** Bounded: no delivery pending in either sandbox and no execution unfinished. */
async function settle({ q, lever, proforma, workflowId }, harness) {
	const proformaPending = () =>
		proforma.state().deliveries.filter((d) => ['pending', 'retrying'].includes(d.status)).length;
	const pending = () => lever.deliverySummary().pending + proformaPending();
	const deadline = Math.min(harness.deadline(), Date.now() + 90000);
	const busy = await kit.waitIdle(q.main, workflowId, { deadline, pending });
	if (busy) say(`  (settling stopped at its bound: ${busy} executions or deliveries still busy)`);
}

async function runBulkMove({ env, args, harness, calls }) {
	const ids = journey.createCandidates(env.lever, args.n);
	const rss = startRssSampler(rssTargets(env));
	calls.phase = 'run';
	const moveStart = Date.now();
	const moved = env.lever.bulkMoveToStage(ids, SCREENING, {
		concurrency: SETTINGS.bulkConcurrency,
	});
	const movedAt = new Map(ids.map((id) => [id, moveStart]));
	say(
		`Moved ${moved.moved} candidates to "Background Screening" in one bulk action (${moved.deliveryIds.length} deliveries, ${SETTINGS.bulkConcurrency} in flight). Waiting…`,
	);
	const faults = args.faults ? startFaults(faultSteps(env), moveStart) : null;
	const watch = journey.watchCandidates(ids);
	try {
		const outcome = await waitForEndStates({
			env,
			watch,
			n: args.n,
			moveStart,
			faults,
			harness,
			calls,
		});
		if (!outcome.timedOut) await settle(env, harness);
		return { ids, moveStart, movedAt, watch, faults, ...outcome };
	} finally {
		if (faults) faults.cancel();
		rss.stop();
		Object.assign(env, { rss });
	}
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

/** An error message with the candidates' and notes' ids left out, so that alike reasons group. */
const withoutIds = (text) =>
	text.replace(/opp-[0-9a-f-]{8,}/g, 'opp-…').replace(/notes\/[0-9a-f-]{8,}/g, 'notes/…');

/** Executions by status, and the failed ones by reason (bounded: the first 200 read). */
async function executionFigures(n8n, workflowId) {
	const executions = await n8n.listExecutions({ workflowId });
	const failed = executions.filter((e) => e.status === 'error' || e.status === 'crashed');
	const reasons = new Map();
	let rateLimited = 0;
	for (const e of failed.slice(0, 200)) {
		let full = null;
		try {
			full = await n8n.getExecution(e.id);
		} catch {
			/* counted as unknown */
		}
		const why =
			journey.executionError(full) || 'no error recorded (crashed, e.g. its worker was killed)';
		const key = `${e.status}: ${withoutIds(why)}`;
		reasons.set(key, (reasons.get(key) || 0) + 1);
		if (journey.isRateLimitError(full)) rateLimited++;
	}
	return {
		executions,
		byStatus: journey.distribution(executions.map((e) => e.status)),
		failed,
		reasons,
		rateLimited,
	};
}

async function collect(env, run, calls) {
	const leverState = env.lever.state();
	const proformaState = env.proforma.state();
	const end = journey.endStates(leverState, proformaState, run.ids);
	const lever = calls.lever.run;
	const leverBudgetCalls = lever.total - (lever.byStatus.get(429) || 0);
	return {
		n: run.ids.length,
		run,
		times: journey.candidateTimes(run.watch, calls, run.movedAt),
		end,
		hooks: journey.leverDeliveryFigures(leverState, run.ids),
		callbacks: journey.proformaCallbackFigures(proformaState, end.orders),
		executions: await executionFigures(env.q.main, env.workflowId),
		lever,
		proforma: calls.proforma.run,
		leverBoundMs: (leverBudgetCalls / LEVER_PER_SECOND) * 1000,
		rss: env.rss.peaks,
		n8nVersion: env.q.main.info.n8nVersion,
		proformaLimit: proformaState.rateLimit,
		leverLimit: leverState.rateLimit,
	};
}

function printSettings(r, args) {
	const cpu = os.cpus()[0];
	say(
		`n8n ${r.n8nVersion || '?'} in queue mode: main + 1 webhook processor + ${SETTINGS.workers} workers × --concurrency=${SETTINGS.concurrency} (${SETTINGS.workers * SETTINGS.concurrency} executions at once in all), Postgres, Redis`,
	);
	say(
		`Lever sandbox limit: ${r.leverLimit ? `${r.leverLimit.perSecond}/s, bursts of ${r.leverLimit.burst}` : 'off'}; bulk move: ${SETTINGS.bulkConcurrency} deliveries in flight, 10 s answer timeout, Lever's retry schedule`,
	);
	say(
		`Proforma sandbox limit: ${r.proformaLimit ? `${r.proformaLimit.perSecond}/s, bursts of ${r.proformaLimit.burst}` : 'off'}; clock step ${SETTINGS.stepMs} ms`,
	);
	say(
		`Lifecycle: ${args.lifecycle ? JSON.stringify(args.lifecycle) : 'as imported (result and progress tags on)'}`,
	);
	say(
		`Scheduled check: ${args.faults ? `every 5 minutes (cron "${SCHEDULE_CRON}", for the fault run)` : "the template's (every 15 minutes)"}`,
	);
	say(
		`Machine: ${os.cpus().length} cores (${cpu ? cpu.model.trim() : '?'}), load average now ${kit.loadavg()}`,
	);
}

function printTimes(r) {
	const { ordered, completed, orderedStats, completedStats } = r.times;
	const last = (map) => (map.size ? Math.max(...map.values()) : NaN);
	const bound = r.leverBoundMs;
	say(`Lever bound (Lever calls not answered 429 ÷ ${LEVER_PER_SECOND}/s): ${sec(bound)}`);
	say(
		`All Ordered:   ${ordered.size}/${r.n} at ${sec(last(ordered))} = ${kit.fixed(last(ordered) / bound)} × the Lever bound`,
	);
	say(
		`All Completed: ${completed.size}/${r.n} at ${sec(last(completed))} = ${kit.fixed(last(completed) / bound)} × the Lever bound`,
	);
	say(`Move → Ordered per candidate:   ${fmtStats(orderedStats)}`);
	say(`Move → Completed per candidate: ${fmtStats(completedStats)}`);
}

function printDeliveries(r) {
	const { hooks, callbacks } = r;
	say(
		`Lever → n8n: ${hooks.deliveries.length} deliveries; acknowledged at the first attempt ${hooks.firstAttemptOk} (${pct(hooks.firstAttemptOk, hooks.deliveries.length)}); re-sent by Lever ${hooks.resent} times (${hooks.retriedDeliveries} deliveries); final ${mapLine(hooks.final)}`,
	);
	say(
		`  webhook answer per attempt: p50 ${sec(hooks.answerMs.p50)}  p99 ${sec(hooks.answerMs.p99)}  max ${sec(hooks.answerMs.max)}; failed attempts ${mapLine(hooks.failed)}`,
	);
	say(
		`Proforma → n8n: ${callbacks.deliveries.length} callbacks (${mapLine(callbacks.byType)}); retried ${callbacks.retried}; failed attempts ${mapLine(callbacks.failed)}; final ${mapLine(callbacks.final)}; never sent (dropCallbacks) ${mapLine(callbacks.dropped)}`,
	);
}

function printCalls(r) {
	const per = (v) => (v / r.n).toFixed(2);
	for (const [name, c] of [
		['Lever', r.lever],
		['Proforma', r.proforma],
	]) {
		const answered = c.total - (c.byStatus.get(429) || 0);
		say(
			`${name} API calls: ${c.total} = ${per(c.total)} per candidate (${per(answered)} not answered 429); peak ${journey.peakPerSecond(c.times)} per second; statuses ${mapLine(c.byStatus)}`,
		);
		say(`  by endpoint: ${mapLine(c.byEndpoint)}`);
	}
	say(
		`429s seen: Lever ${r.lever.byStatus.get(429) || 0}, Proforma ${r.proforma.byStatus.get(429) || 0}`,
	);
	const ex = r.executions;
	say(
		`Executions: ${ex.executions.length} = ${per(ex.executions.length)} per candidate; ${mapLine(ex.byStatus)}`,
	);
	say(
		`  failed or crashed: ${ex.failed.length}, of which failed by a 429: ${ex.rateLimited}${ex.failed.length > 200 ? ' (first 200 read)' : ''}`,
	);
	for (const [reason, count] of ex.reasons) say(`    ${count} × ${reason}`);
}

function printEndState(r) {
	const { end } = r;
	say(`Orders per candidate: ${mapLine(end.ordersPerCandidate)}  (value: candidates)`);
	say(`Report notes per candidate: ${mapLine(end.notesPerCandidate)}`);
	say(`Status tags per candidate: ${mapLine(end.statusTagsPerCandidate)}`);
	say(
		`Duplicates: ${end.duplicateOrders.length} candidates with more than one order, ${end.duplicateNotes.length} with more than one report note`,
	);
	say(
		`Error: ${end.errors.length}${end.errors.length ? ` (${mapLine(journey.distribution(end.errors.map((c) => c.otherNotes.join(' | ').slice(0, 120))))})` : ''}`,
	);
	say(
		`Lost (neither Completed + note nor Error): ${end.lost.length}${
			end.lost.length
				? ` e.g. ${end.lost
						.slice(0, 5)
						.map(
							(c) => `${c.id} [${c.statusTags.join(', ') || 'no status tag'}; ${c.orders} orders]`,
						)
						.join(', ')}`
				: ''
		}`,
	);
}

function printMemory(r) {
	say('Peak memory (process and its children, sampled every second):');
	for (const [label, p] of r.rss)
		say(
			`  ${label.padEnd(16)} Σ VmRSS ${(p.rssKb / 1024).toFixed(0)} MB  (Σ RssAnon ${(p.anonKb / 1024).toFixed(0)} MB, ${p.processes} processes)`,
		);
}

function printFaults(run) {
	say('Faults (seconds after the start of the move: planned → ran, done):');
	for (const f of run.faults.record.sort((a, b) => a.startedMs - b.startedMs))
		say(
			`  ${String(f.atS).padStart(4)} s → ${sec(f.startedMs)}, done ${sec(f.doneMs)}: ${f.what}${f.error ? `  (FAILED: ${f.error})` : ''}`,
		);
}

function printReport(r, args, failure) {
	const line = '─'.repeat(78);
	say(
		`\n${line}\nbench:scale — N = ${r.n}${args.faults ? ', with faults' : ''} — ${new Date().toISOString()}${failure ? '   (INCOMPLETE RUN)' : ''}\n${line}`,
	);
	printSettings(r, args);
	say('');
	if (r.run.faults) {
		printFaults(r.run);
		say('');
	}
	for (const part of [printTimes, printDeliveries, printCalls, printEndState, printMemory]) {
		part(r);
		say('');
	}
	say(line);
}

// ---------------------------------------------------------------------------

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		say('dist/ is missing: run `npm run build` first (or `npm run bench:scale`, which builds).');
		process.exit(2);
	}
	const harness = kit.createHarness();
	say(
		`bench:scale: ${args.n} candidates in one bulk move, queue mode${args.faults ? ', with faults' : ''}`,
	);
	say('n8n runtime (first run installs it; not counted in the time bound)…');
	await ensureRuntime({ log: (line) => say(`  ${line}`) });
	harness.arm(SETTINGS.timeoutS * 1000);
	const tmp = kit.tempFolder(harness, 'n8n-bench-scale-', { keep: SETTINGS.keep });
	const calls = new journey.JourneyCalls();
	let failure = null;
	let report = null;
	try {
		const env = await startEnvironment({ harness, tmp, calls, args });
		const run = await runBulkMove({ env, args, harness, calls });
		failure = run.timedOut;
		report = await collect(env, run, calls);
	} catch (error) {
		failure = error;
	}
	if (report) printReport(report, args, failure);
	if (failure) {
		tmp.keep = true;
		say(
			`\n✖ ${failure instanceof BenchTimeout ? failure.message : `bench:scale failed: ${failure.stack || failure.message}`}`,
		);
	}
	await harness.stopAll();
	process.exit(failure ? 1 : 0);
}

main().catch((error) => {
	say(`\n✖ ${error.stack || error.message}`);
	process.exit(1);
});
