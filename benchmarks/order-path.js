#!/usr/bin/env node
'use strict';
/**
 * The order path (Lever stage change → Proforma order → `Background Check:Ordered`)
 * in a real n8n 2.40.7 (regular mode, SQLite), three workflows compared in one
 * run, each in its own fresh n8n with fresh Lever and Proforma sandboxes:
 *   floor       n8n's Webhook (POST, On Received) → No Operation: what n8n costs
 *               before any work (nothing verified, nothing ordered);
 *   comparator  benchmarks/fixtures/comparator-order-path.json: the same job
 *               hand-built from n8n's built-in nodes (Webhook, Crypto HMAC, If,
 *               HTTP Request GET opportunity, Code, HTTP Request POST order with
 *               Idempotency-Key, If 2xx/409, HTTP Request addTags);
 *   template    the package's workflows/lever-proforma-background-check.json,
 *               imported and published with prepareTemplate (the Lever Trigger
 *               registers its webhook in the Lever sandbox).
 *
 *   npm run build && node benchmarks/order-path.js
 *
 * The benchmark POSTs signed `candidateStageChange` deliveries itself, for
 * candidates it creates already in the screening stage (fresh ones for every
 * phase and workflow). Phases, BENCH_ORDER_N candidates each (default 150):
 *   a  offered 1/s (open loop)          b  offered 5/s (open loop)
 *   c  10 journeys in flight (closed loop; a journey ends when the Lever
 *      sandbox answers the addTags call that adds the Ordered tag)
 *   d  the same with 3 concurrent copies of each delivery
 *   d250  d again with Lever answering after 250 ms (comparator and template)
 *
 * Environment: BENCH_ORDER_N (1..1000, default 150), BENCH_TIMEOUT_S (bound on
 * the whole run once the n8n runtime is present, default 2400). BENCH_KEEP=1
 * (keep the temp folder with the n8n logs). BENCH_N8N_ENV: n8n's settings
 * (benchmarks/lib/n8n-settings.js). On timeout the partial figures are
 * printed and the run exits 1. Everything started is stopped at the end, on
 * error, on timeout and on Ctrl-C. 127.0.0.1 only.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const COMPARATOR = path.join(__dirname, 'fixtures', 'comparator-order-path.json');
const { ensureRuntime } = require('../scripts/n8n-runtime');
const { startN8n, packPackage } = require('../scripts/lib/n8n-instance');
const { prepareTemplate } = require('../scripts/lib/template');
const { startLeverSandbox, SEED } = require('../sandboxes/lever/server');
const { startProformaSandbox } = require('../sandboxes/proforma/server');
const kit = require('./lib/bench-kit');
const { benchN8nSettings, n8nEnv } = require('./lib/n8n-settings');

const { say, sec, fixed, ratio } = kit;

const N = kit.envInt('BENCH_ORDER_N', 150, 1, 1000);
const TIMEOUT_MS = kit.envInt('BENCH_TIMEOUT_S', 2400, 60, 86400) * 1000;
const KEEP = process.env.BENCH_KEEP === '1';
const TAG_ORDERED = 'Background Check:Ordered';
const SCREENING = SEED.stages.backgroundScreening;
/** A journey not over after this long is counted as lost (bounds closed loops). */
const JOURNEY_TIMEOUT_MS = 180000;
/** Bound on waiting for n8n to finish a phase's executions. */
const SETTLE_MAX_MS = 180000;
/** The Proforma clock: one status step a day, so no order moves (no callbacks) during the run. */
const PROFORMA_STEP_MS = 86400000;

const ALL_PHASES = [
	{ key: 'a', label: 'a: 1/s offered', rate: 1, copies: 1 },
	{ key: 'b', label: 'b: 5/s offered', rate: 5, copies: 1 },
	{ key: 'c', label: 'c: 10 in flight', inFlight: 10, copies: 1 },
	{ key: 'd', label: 'd: 3 copies, 10 in flight', inFlight: 10, copies: 3 },
	{ key: 'd250', label: 'd + Lever 250 ms', inFlight: 10, copies: 3, leverDelayMs: 250 },
];
/** BENCH_ORDER_PHASES=c,d and BENCH_ORDER_WORKFLOWS=template narrow a run (for profiling); default: all. */
const pick = (all, env, key) => {
	const wanted = (process.env[env] || '').split(',').filter(Boolean);
	return wanted.length ? all.filter((x) => wanted.includes(key(x))) : all;
};
const PHASES = pick(ALL_PHASES, 'BENCH_ORDER_PHASES', (phase) => phase.key);
const KINDS = pick(['floor', 'comparator', 'template'], 'BENCH_ORDER_WORKFLOWS', (kind) => kind);
/** n8n settings for every n8n of the run (benchmarks/lib/n8n-settings.js, BENCH_N8N_ENV). */
const N8N = benchN8nSettings();

// ---------------------------------------------------------------------------
// One workflow's world: sandboxes, n8n, the published workflow.
// ---------------------------------------------------------------------------

/**
 * Starts the sandboxes (floor: Lever only, for the candidates), the Lever proxy
 * (its delay is the 250 ms phase; it also tells which tag an addTags call adds),
 * a fresh n8n, and publishes the workflow. Returns the run context.
 */
async function startWorld(kind, { harness, stack, tmp, tarball }) {
	const run = {
		kind,
		leverCalls: new kit.CallCounter(),
		proformaCalls: new kit.CallCounter(),
		journeys: new Map(),
		orderedTagRequested: new Set(),
		pendingPosts: 0,
		seenExecutions: new Set(),
	};
	const lever = await startLeverSandbox({
		port: 0,
		// Stand-ins answering at once, as issue 10 measures: Lever's API limit would cap both workflows.
		rateLimit: false,
		log: kit.leverLogReader(run.leverCalls, (id, at) => endJourneyOnTag(run, id, at)),
	});
	stack.add(() => lever.close());
	run.lever = lever;
	if (kind !== 'floor') {
		run.proxy = await kit.startLeverProxy(lever.origin, {
			onAddTags: (id, tags) => tags.includes(TAG_ORDERED) && run.orderedTagRequested.add(id),
		});
		stack.add(() => run.proxy.close());
		run.proforma = await startProformaSandbox({
			port: 0,
			stepMs: PROFORMA_STEP_MS,
			rateLimit: false,
			log: kit.proformaLogReader(run.proformaCalls),
		});
		stack.add(() => run.proforma.close());
	}
	harness.checkDeadline(`starting the sandboxes for ${kind}`);
	run.n8n = await startN8n({
		userFolder: path.join(tmp, `n8n-${kind}`),
		port: 0,
		packageTarball: kind === 'template' ? tarball : undefined,
		env: n8nEnv(N8N.settings, kind),
		log: (line) => say(`  ${line}`),
		startTimeoutMs: Math.max(10000, Math.min(180000, harness.remaining())),
	});
	stack.add(() => run.n8n.stop());
	harness.checkDeadline(`starting n8n for ${kind}`);
	Object.assign(run, await SETUP[kind](run));
	run.leverCalls.current = 'between phases';
	run.proformaCalls.current = 'between phases';
	say(`  ${kind}: workflow ${run.workflowId} published; deliveries go to ${run.url}`);
	return run;
}

const SETUP = {
	async floor({ n8n }) {
		const signingToken = crypto.randomBytes(24).toString('hex');
		const wf = kit.webhookNoOpWorkflow('Order path benchmark: floor (Webhook → No Operation)');
		return { signingToken, ...(await kit.publishWithWebhook(n8n, wf)) };
	},

	/** The fixture with its placeholders filled in; credentials made through n8n's API. */
	async comparator({ n8n, lever, proxy, proforma }) {
		const signingToken = crypto.randomBytes(24).toString('hex');
		const credential = (name, type, data) => n8n.createCredential({ name, type, data });
		const fill = {
			__WEBHOOK_PATH__: kit.newWebhookPath(),
			__LEVER_URL__: proxy.url,
			__PROFORMA_URL__: proforma.url,
			__LEVER_CREDENTIAL_ID__: await credential('Lever API key', 'httpBasicAuth', {
				user: lever.apiKey,
				password: '',
			}),
			__PROFORMA_CREDENTIAL_ID__: await credential('Proforma API key', 'httpBearerAuth', {
				token: proforma.apiKey,
			}),
			__CRYPTO_CREDENTIAL_ID__: await credential('Lever signing token', 'crypto', {
				hmacSecret: signingToken,
			}),
		};
		let text = fs.readFileSync(COMPARATOR, 'utf8');
		for (const [placeholder, value] of Object.entries(fill))
			text = text.replaceAll(placeholder, value);
		return { signingToken, ...(await kit.publishWithWebhook(n8n, JSON.parse(text))) };
	},

	/** As template-throughput.js does; no Proforma callback URL (no callbacks wanted here). */
	async template({ n8n, lever, proxy, proforma }) {
		const { workflowId, webhookUrls } = await prepareTemplate(n8n, {
			leverUrl: proxy.url,
			proforma,
			screeningStageId: SCREENING,
			name: 'Lever → Proforma background check (order-path benchmark)',
			proformaCallbacks: false,
			// The schedule is not on the order path: once a year, so it never runs mid-phase.
			scheduleCron: '0 0 1 1 *',
		});
		const hooks = lever
			.state()
			.webhooks.filter((w) => w.event === 'candidateStageChange' && w.url === webhookUrls.lever);
		if (hooks.length !== 1)
			throw new Error(`expected 1 registered stage-change webhook, found ${hooks.length}`);
		return { workflowId, url: webhookUrls.lever, signingToken: hooks[0].signatureToken };
	},
};

// ---------------------------------------------------------------------------
// Journeys: one candidate's delivery (1 or 3 copies) until its Ordered tag.
// ---------------------------------------------------------------------------

let candidateSeq = 0;

/**
 * A fresh candidate on the Proforma_standard posting, already in the screening
 * stage. Made right before its delivery, not ahead of the phase: the template's
 * 15-minute schedule orders for untagged candidates in the stage, and would take
 * waiting ones before their delivery is sent.
 */
function createCandidate(lever) {
	const k = ++candidateSeq;
	const opp = lever.createOpportunity({
		name: `Bench Candidate${String(k).padStart(4, '0')}`,
		email: `bench-${k}+clear@example.com`,
		postingId: SEED.postings.standard,
		stageId: SCREENING,
	});
	if (!opp.tags.includes('Proforma_standard'))
		throw new Error(`candidate ${opp.id} did not inherit Proforma_standard`);
	return opp;
}

/**
 * The Lever sandbox answered an addTags call for `id` (from its log line): the
 * journey ends there. It is "ordered" when the call carried the Ordered tag (the
 * proxy saw the body before forwarding it); anything else (the template's Error
 * tag) ends it as a failure.
 */
function endJourneyOnTag(run, id, at) {
	const j = run.journeys.get(id);
	if (!j || j.endAt !== null) return;
	j.endAt = at;
	j.outcome = run.orderedTagRequested.has(id) ? 'ordered' : 'other tag';
	j.resolve();
}

/**
 * Creates a candidate, sends its delivery (copies at once) and returns the
 * journey; the floor's ends with the answers.
 */
function startJourney(run, copies) {
	const opp = createCandidate(run.lever);
	const body = kit.stageChangeBody({
		signingToken: run.signingToken,
		opportunityId: opp.id,
		contactId: opp.contact,
		toStageId: SCREENING,
		fromStageId: SEED.stages.onsiteInterview,
	});
	const j = { id: opp.id, sentAt: Date.now(), answers: [], endAt: null, outcome: null };
	j.done = new Promise((resolve) => (j.resolve = resolve));
	run.journeys.set(opp.id, j);
	for (let c = 0; c < copies; c++) {
		run.pendingPosts++;
		kit.postDelivery(run.url, body, { timeoutMs: JOURNEY_TIMEOUT_MS }).then((answer) => {
			run.pendingPosts--;
			j.answers.push(answer);
			if (run.kind === 'floor' && j.answers.length === copies) {
				j.endAt = Math.max(...j.answers.map((a) => a.answeredAt));
				j.outcome = j.answers.every((a) => kit.is2xx(a.status)) ? 'answered' : 'refused';
				j.resolve();
			}
		});
	}
	return j;
}

/** Open loop: one journey every 1/rate s whatever happens, then wait for all (bounded). */
async function openLoop(run, phase, deadline) {
	const journeys = [];
	const t0 = Date.now();
	for (let i = 0; i < N && Date.now() < deadline; i++) {
		await kit.sleep(t0 + (i * 1000) / phase.rate - Date.now());
		journeys.push(startJourney(run, phase.copies));
	}
	const bound = Math.min(deadline, Date.now() + JOURNEY_TIMEOUT_MS);
	await kit.until(Promise.all(journeys.map((j) => j.done)), bound);
	return journeys;
}

/** Closed loop: `inFlight` workers, each starts the next journey when its last one ended. */
async function closedLoop(run, phase, deadline) {
	const journeys = [];
	let started = 0;
	const worker = async () => {
		while (started < N && Date.now() < deadline) {
			started++;
			const j = startJourney(run, phase.copies);
			journeys.push(j);
			await kit.until(j.done, Math.min(deadline, j.sentAt + JOURNEY_TIMEOUT_MS));
		}
	};
	await Promise.all(Array.from({ length: phase.inFlight }, worker));
	return journeys;
}

async function runPhase(run, phase, harness) {
	run.leverCalls.current = phase.key;
	run.proformaCalls.current = phase.key;
	if (run.proxy) run.proxy.setDelay(phase.leverDelayMs || 0);
	say(`  ${run.kind} ${phase.label}: ${N} candidates…`);
	const started = Date.now();
	const loop = phase.rate ? openLoop : closedLoop;
	const journeys = await loop(run, phase, harness.deadline());
	// Duplicates and late executions still count for this phase: wait until n8n is idle.
	const settleBy = Math.min(harness.deadline(), Date.now() + SETTLE_MAX_MS);
	const busy = await kit.waitIdle(run.n8n, run.workflowId, {
		deadline: settleBy,
		pending: () => run.pendingPosts,
	});
	if (run.proxy) run.proxy.setDelay(0);
	run.leverCalls.current = 'between phases';
	run.proformaCalls.current = 'between phases';
	const result = await collectPhase(run, phase, journeys, busy);
	say(
		`    done in ${sec(Date.now() - started)} s: ${fixed(result.cps)} candidates/s, ${result.problems.length} problem(s)`,
	);
	return result;
}

// ---------------------------------------------------------------------------
// Figures of one phase
// ---------------------------------------------------------------------------

/** Calls per candidate by endpoint, from one counter bucket. */
function perCandidate(counter, bucketName, n) {
	const b = counter.buckets.get(bucketName) || {
		total: 0,
		byEndpoint: new Map(),
		byStatus: new Map(),
	};
	return { total: b.total / n, byEndpoint: b.byEndpoint, byStatus: b.byStatus, n };
}

async function collectPhase(run, phase, journeys, busy) {
	const n = Math.max(1, journeys.length);
	const ended = journeys.filter((j) => j.outcome === 'ordered' || j.outcome === 'answered');
	const span = Math.max(...ended.map((j) => j.endAt)) - Math.min(...journeys.map((j) => j.sentAt));
	const answers = journeys.flatMap((j) => j.answers);
	const r = {
		kind: run.kind,
		phase,
		n: journeys.length,
		cps: ended.length / (span / 1000),
		toOrdered: kit.stats(
			journeys.filter((j) => j.outcome === 'ordered').map((j) => j.endAt - j.sentAt),
		),
		answer: kit.stats(answers.map((a) => a.ms)),
		answersOk: answers.filter((a) => kit.is2xx(a.status)).length,
		lever: perCandidate(run.leverCalls, phase.key, n),
		proforma: run.proforma ? perCandidate(run.proformaCalls, phase.key, n) : null,
		problems: [],
		notes: [],
	};
	const lost = journeys.filter((j) => j.outcome === null).length;
	const otherTag = journeys.filter(
		(j) => j.outcome === 'other tag' || j.outcome === 'refused',
	).length;
	if (journeys.length < N)
		r.problems.push(`only ${journeys.length} of ${N} journeys started (deadline)`);
	if (lost)
		r.problems.push(
			`${lost} journeys not over after ${JOURNEY_TIMEOUT_MS / 1000} s or at the deadline`,
		);
	if (otherTag)
		r.problems.push(
			`${otherTag} journeys ended without the Ordered tag (Error tag or refused delivery)`,
		);
	if (r.answersOk < answers.length)
		r.problems.push(`${answers.length - r.answersOk} webhook answers were not 2xx`);
	if (busy) r.problems.push(`${busy} executions/deliveries still unfinished when counted`);
	await countExecutions(run, r, n);
	if (run.kind !== 'floor') checkOrders(run, new Set(journeys.map((j) => j.id)), r);
	return r;
}

/** Executions started in this phase (not seen at the end of earlier phases), from n8n's public API. */
async function countExecutions(run, r, n) {
	const executions = (await run.n8n.listExecutions({ workflowId: run.workflowId })).filter(
		(e) => !run.seenExecutions.has(e.id),
	);
	for (const e of executions) run.seenExecutions.add(e.id);
	const fromDeliveries = executions.filter((e) => e.mode === 'webhook');
	r.execPerCandidate = fromDeliveries.length / n;
	r.execStatus = new Map();
	for (const e of executions) r.execStatus.set(e.status, (r.execStatus.get(e.status) || 0) + 1);
	const failed = (r.execStatus.get('error') || 0) + (r.execStatus.get('crashed') || 0);
	if (failed) r.problems.push(`${failed} executions failed`);
	// The template's 15-minute schedule may fire during a phase (its calls are then in the counts).
	const others = executions.length - fromDeliveries.length;
	if (others)
		r.notes.push(
			`${others} executions not started by a delivery (the template's schedule), their API calls included`,
		);
	if (run.kind !== 'floor') r.profile = await executionProfile(run, fromDeliveries);
	// Every accepted delivery starts one execution in all three workflows.
	if (fromDeliveries.length !== r.answersOk) {
		r.problems.push(`${fromDeliveries.length} executions for ${r.answersOk} accepted deliveries`);
	}
}

/**
 * Where an execution's time goes, from n8n's own saved data (up to 20
 * executions of the phase): wall time, each node's executionTime, and the
 * size of the data n8n stored. Profile before optimising.
 */
async function executionProfile(run, executions) {
	const sample = executions.slice(0, 20);
	const nodes = new Map();
	let wall = 0;
	let bytes = 0;
	for (const e of sample) {
		const full = await run.n8n.getExecution(e.id, { includeData: true });
		wall += new Date(full.stoppedAt) - new Date(full.startedAt);
		bytes += JSON.stringify(full.data ?? {}).length;
		for (const [name, runs] of Object.entries(full.data?.resultData?.runData ?? {})) {
			const ms = runs.reduce((sum, one) => sum + (one.executionTime || 0), 0);
			nodes.set(name, (nodes.get(name) || 0) + ms);
		}
	}
	const n = Math.max(1, sample.length);
	const perNode = [...nodes].map(([name, ms]) => [name, ms / n]).sort((a, b) => b[1] - a[1]);
	return { n: sample.length, wallMs: wall / n, dataBytes: bytes / n, perNode };
}

/** Every candidate must have exactly one Proforma order and the Ordered tag. */
function checkOrders(run, ids, r) {
	const perCand = new Map([...ids].map((id) => [id, 0]));
	for (const o of run.proforma.state().orders) {
		if (perCand.has(o.clientReference))
			perCand.set(o.clientReference, perCand.get(o.clientReference) + 1);
	}
	const counts = [...perCand.values()];
	r.orders = counts.reduce((a, b) => a + b, 0);
	r.ordersExactlyOne = counts.filter((c) => c === 1).length;
	const tagged = run.lever
		.state()
		.opportunities.filter((o) => ids.has(o.id) && o.tags.includes(TAG_ORDERED));
	r.tagged = tagged.length;
	if (r.ordersExactlyOne !== ids.size) {
		const none = counts.filter((c) => c === 0).length;
		const more = counts.filter((c) => c > 1).length;
		r.problems.push(`orders: ${none} candidates without one, ${more} with more than one`);
	}
	if (r.tagged !== ids.size)
		r.problems.push(`${ids.size - r.tagged} candidates without the Ordered tag`);
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

const endpointLine = (calls) =>
	calls ? kit.mapLine(calls.byEndpoint, (v) => fixed(v / calls.n)) : '–';

function printReport(results, { loadStart, n8nVersion, runStart }) {
	const line = '─'.repeat(120);
	const cpu = os.cpus()[0];
	say(`\n${line}`);
	say(
		`Order path — ${new Date().toISOString()}: ${N} new candidates per phase; n8n ${n8nVersion} regular mode, SQLite;`,
	);
	say(
		`each workflow in its own fresh n8n, phases interleaved; n8n settings: ${N8N.label}; Lever and Proforma sandboxes (Proforma rate limit off, clock step 24 h)`,
	);
	say(
		`machine: ${os.cpus().length} cores (${cpu ? cpu.model.trim() : '?'}); load average at start ${loadStart}, at end ${kit.loadavg()}; run took ${sec(Date.now() - runStart)} s`,
	);
	say(line);
	const rows = [
		[
			'Workflow',
			'Phase',
			'cand/s',
			'→ Ordered p50/p95/p99 s',
			'answer p50/p95 s',
			'exec/cand',
			'orders/cand (=1)',
			'tagged',
			'Lever/cand',
			'Proforma/cand',
		],
	];
	for (const r of results) {
		const ordered =
			r.kind === 'floor'
				? '–'
				: `${sec(r.toOrdered.p50)} / ${sec(r.toOrdered.p95)} / ${sec(r.toOrdered.p99)}`;
		rows.push([
			r.kind,
			r.phase.label,
			fixed(r.cps),
			ordered,
			`${sec(r.answer.p50)} / ${sec(r.answer.p95)}`,
			fixed(r.execPerCandidate),
			r.kind === 'floor' ? '–' : `${fixed(r.orders / r.n)} (${r.ordersExactlyOne}/${r.n})`,
			r.kind === 'floor' ? '–' : `${r.tagged}/${r.n}`,
			r.kind === 'floor' ? '–' : fixed(r.lever.total),
			r.proforma ? fixed(r.proforma.total) : '–',
		]);
	}
	say(kit.table(rows));
	say('\nAPI calls per candidate by endpoint (Lever | Proforma):');
	for (const r of results.filter((x) => x.kind !== 'floor')) {
		say(
			`  ${r.kind.padEnd(10)} ${r.phase.label.padEnd(26)} ${endpointLine(r.lever)} | ${endpointLine(r.proforma)}`,
		);
	}
	printRatios(results);
	printProfiles(results);
	const problems = results.flatMap((r) =>
		r.problems.map((p) => `${r.kind} ${r.phase.label}: ${p}`),
	);
	const notes = results.flatMap((r) => r.notes.map((p) => `${r.kind} ${r.phase.label}: ${p}`));
	say('');
	for (const note of notes) say(`  note: ${note}`);
	if (problems.length) {
		say('Problems seen:');
		for (const p of problems) say(`  ! ${p}`);
	} else {
		say(
			'Checks: every candidate of the comparator and the template got exactly one Proforma order and the Ordered tag; no failed execution.',
		);
	}
	say(line);
	return problems.length === 0;
}

/** Per execution: wall time, stored data and the nodes' own times (mean over the sample). */
function printProfiles(results) {
	const profiled = results.filter((r) => r.profile && r.profile.n > 0);
	if (!profiled.length) return;
	say("\nExecution profile (mean of up to 20 executions per phase, from n8n's saved data):");
	for (const r of profiled) {
		const { wallMs, dataBytes, perNode } = r.profile;
		const nodes = perNode.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ');
		say(
			`  ${r.kind.padEnd(10)} ${r.phase.label.padEnd(26)} wall ${wallMs.toFixed(0)} ms, data ${(dataBytes / 1024).toFixed(1)} KB; node ms: ${nodes}`,
		);
	}
}

function printRatios(results) {
	const find = (kind, key) => results.find((r) => r.kind === kind && r.phase.key === key);
	const rows = [['Template ÷ comparator', 'cand/s', '→ Ordered p95', 'answer p95']];
	for (const phase of PHASES) {
		const t = find('template', phase.key);
		const c = find('comparator', phase.key);
		if (!t || !c) continue;
		rows.push([
			phase.label,
			fixed(ratio(t.cps, c.cps)),
			fixed(ratio(t.toOrdered.p95, c.toOrdered.p95)),
			fixed(ratio(t.answer.p95, c.answer.p95)),
		]);
	}
	if (rows.length > 1) say(`\n${kit.table(rows)}`);
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main() {
	const harness = kit.createHarness();
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		say('dist/ is missing: run `npm run build` first (this benchmark builds nothing).');
		process.exit(2);
	}
	say(`Order-path benchmark: floor, comparator, template; ${N} candidates per phase`);
	say('n8n runtime (first run installs it, ~7 minutes; not counted in the time bound)…');
	const runtime = await ensureRuntime({ log: (line) => say(`  ${line}`) });
	harness.arm(TIMEOUT_MS);
	const loadStart = kit.loadavg();
	const runStart = Date.now();

	const folder = kit.tempFolder(harness, 'n8n-bench-order-', { keep: KEEP });
	const tmp = folder.dir;
	const results = [];
	let failure = null;
	try {
		const tarball = await packPackage(ROOT, path.join(tmp, 'pack'));
		// Every workflow's n8n is up before any is measured; each phase then runs on
		// each workflow in turn, the order reversed every other phase, so that load
		// from elsewhere on the machine falls on all of them alike.
		const worlds = [];
		for (const kind of KINDS) {
			say(`\n${kind}: fresh sandboxes and n8n…`);
			const stack = harness.stack();
			worlds.push({ stack, run: await startWorld(kind, { harness, stack, tmp, tarball }) });
		}
		try {
			for (const [index, phase] of PHASES.entries()) {
				for (const { run } of index % 2 === 0 ? worlds : [...worlds].reverse()) {
					if (phase.leverDelayMs && run.kind === 'floor') continue; // the floor never calls Lever
					harness.checkDeadline(`before ${run.kind} ${phase.label}`);
					results.push(await runPhase(run, phase, harness));
				}
			}
		} finally {
			for (const { stack } of worlds) await stack.stop();
		}
		results.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
	} catch (error) {
		failure = error;
	}
	const ok =
		results.length > 0 &&
		printReport(results, { loadStart, n8nVersion: runtime.n8nVersion, runStart });
	if (failure)
		say(
			`\n✖ ${failure instanceof kit.BenchTimeout ? failure.message : failure.stack || failure.message}`,
		);
	folder.keep = folder.keep || Boolean(failure) || !ok;
	await harness.stopAll();
	process.exit(ok && !failure ? 0 : 1);
}

main().catch((error) => {
	say(`\n✖ ${error.stack || error.message}`);
	process.exit(1);
});
