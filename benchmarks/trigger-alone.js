#!/usr/bin/env node
'use strict';
/**
 * What a trigger alone costs in n8n: N signed Lever deliveries, 20 in flight,
 * POSTed to one-trigger workflows `<trigger> → No Operation`, all published in
 * ONE fresh n8n 2.40.7 (regular mode, SQLite) with both packages installed
 * (by default all but i: issue 10's line compares ii + ii' with iii and iv;
 * ii-c tells how much of the difference is n8n's charge for a credential):
 *   (i)    n8n's built-in Webhook (POST, On Received): verifies nothing;
 *   (ii)   a minimal community trigger (benchmarks/fixtures/minimal-trigger/):
 *          raw body → JSON.parse → HMAC-SHA256 of token + triggeredAt, token
 *          from the workflow's static data, timingSafeEqual; 401 when wrong;
 *   (ii')  the same minimal trigger in a second workflow. Together with (ii)
 *          it is the reference ("the minimal trigger", twice the deliveries);
 *          its ratio to (ii) alone is the control: the method's own noise;
 *   (ii-c) the minimal trigger with a credential attached that it never reads:
 *          what n8n charges per execution for a workflow that holds a
 *          credential (its permission check and dynamic-credential count),
 *          which every trigger that registers webhooks or keeps a secret pays;
 *   (iii)  the package's Lever Trigger, Automatic registration (it registers
 *          its webhook in the Lever sandbox; Fetch Opportunity off);
 *   (iv)   the package's Lever Trigger, Manual registration (token in a
 *          Lever Webhook Signature Token credential; Fetch Opportunity off).
 *
 * One n8n, not one per variant: four identical minimal-trigger variants in four
 * fresh n8n processes measured 49.3, 50.2, 58.3 and 57.2 req/s in one run
 * (2026-11-29), a spread larger than the 5 % the comparison is about. In one
 * process the variants share the JIT, the database and the heap; each round
 * sends one variant's deliveries alone and waits until n8n is idle, so the
 * process's CPU over a round is that variant's.
 *
 *   npm run build && node benchmarks/trigger-alone.js
 *
 * Environment: BENCH_TRIGGER_N (deliveries per variant, default 4000),
 * BENCH_TRIGGER_ROUNDS (interleaved rounds they are sent in, default one per
 * 100 deliveries), BENCH_TRIGGER_VARIANTS (comma-separated keys in the order
 * a round sends them, default ii,ii-c,iii,iv,ii'; `all` adds i),
 * BENCH_TIMEOUT_S (bound on the whole run once the n8n runtime is present,
 * default 1800), BENCH_KEEP=1 (keep the temp folder with the n8n log),
 * BENCH_CPU_PROF=<folder> (a V8 CPU profile of n8n, written when it stops),
 * BENCH_N8N_ENV (benchmarks/lib/n8n-settings.js).
 *
 * Prints req/s, n8n's CPU per delivery (its process group's user + system time
 * over the variant's rounds, until its executions finished; less sensitive to
 * other load on the machine than req/s), answer p50/p95 per variant, and the
 * ratios with their uncertainty (twice the standard error of the mean of the
 * per-round log ratios: a round's share of 100 deliveries varies by 10-20 %
 * on this machine, so the figure says how far another run may land). After a
 * 100-delivery warm-up per variant (not counted), checks that every variant
 * started exactly one execution per accepted delivery (public API) and that a
 * forged delivery is refused (401, no execution) by every verifying variant.
 * Everything started is stopped at the end, on error, on timeout and on Ctrl-C.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'minimal-trigger');
const { ensureRuntime } = require('../scripts/n8n-runtime');
const { startN8n, packPackage, installPackage } = require('../scripts/lib/n8n-instance');
const { benchN8nSettings, n8nEnv } = require('./lib/n8n-settings');
const { startLeverSandbox, SEED } = require('../sandboxes/lever/server');
const kit = require('./lib/bench-kit');
const { groupCpuSeconds } = require('./lib/rss');

const { say, sec, fixed, ratio } = kit;

const N = kit.envInt('BENCH_TRIGGER_N', 4000, 1, 20000);
const ROUNDS = kit.envInt('BENCH_TRIGGER_ROUNDS', Math.max(1, Math.round(N / 100)), 1, 200);
const IN_FLIGHT = 20;
/** Deliveries per variant before the measured rounds (not counted). */
const WARM_UP = Math.min(100, N);
const TIMEOUT_MS = kit.envInt('BENCH_TIMEOUT_S', 1800, 60, 86400) * 1000;
const KEEP = process.env.BENCH_KEEP === '1';
/** n8n settings for every n8n of the run (benchmarks/lib/n8n-settings.js, BENCH_N8N_ENV). */
const N8N = benchN8nSettings();
const STAGE = SEED.stages.backgroundScreening;

// ---------------------------------------------------------------------------
// The four variants: how each workflow is built and which package it needs.
// ---------------------------------------------------------------------------

const ALL_VARIANTS = [
	{ key: 'i', label: '(i) n8n Webhook', verifies: false, setup: setupBuiltinWebhook },
	{ key: 'ii', label: '(ii) minimal trigger', verifies: true, setup: setupMinimal },
	{ key: "ii'", label: "(ii') minimal trigger again", verifies: true, setup: setupMinimal },
	{
		key: 'ii-c',
		label: '(ii-c) minimal trigger + credential',
		verifies: true,
		setup: setupMinimalWithCredential,
	},
	{
		key: 'iii',
		label: '(iii) Lever Trigger, Automatic',
		verifies: true,
		setup: setupLeverAutomatic,
	},
	{ key: 'iv', label: '(iv) Lever Trigger, Manual', verifies: true, setup: setupLeverManual },
];

/**
 * The order a round sends them in (reversed every other round): the minimal
 * trigger first and last, so the others sit between its two halves.
 */
const DEFAULT_KEYS = ['ii', 'ii-c', 'iii', 'iv', "ii'"];
const ALL_KEYS = ['i', 'ii', 'ii-c', 'iii', 'iv', "ii'"];

const VARIANTS = selectVariants(process.env.BENCH_TRIGGER_VARIANTS);

function selectVariants(list) {
	const keys = !list ? DEFAULT_KEYS : list.trim() === 'all' ? ALL_KEYS : list.split(',');
	const selected = keys.map((k) => ALL_VARIANTS.find((v) => v.key === k.trim()));
	if (selected.includes(undefined)) {
		say(
			`BENCH_TRIGGER_VARIANTS: unknown ${keys.filter((_, i) => !selected[i]).join(', ')} (known: ${ALL_KEYS.join(', ')}, or all)`,
		);
		process.exit(2);
	}
	return selected;
}

function triggerWorkflow(name, trigger) {
	return {
		name,
		nodes: [
			{ id: crypto.randomUUID(), position: [0, 0], webhookId: crypto.randomUUID(), ...trigger },
			{
				id: crypto.randomUUID(),
				name: 'No Operation',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [trigger.name]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function setupBuiltinWebhook(n8n, { variant }) {
	const signingToken = crypto.randomBytes(24).toString('hex');
	const { workflowId, url } = await kit.publishWithWebhook(
		n8n,
		kit.webhookNoOpWorkflow(`Trigger alone: ${variant.label}`),
	);
	return { workflowId, url, signingToken };
}

async function setupMinimal(n8n, { variant }, credentials) {
	const signingToken = crypto.randomBytes(24).toString('hex');
	const workflow = triggerWorkflow(`Trigger alone: ${variant.label}`, {
		name: 'Minimal Trigger',
		type: 'n8n-nodes-bench-minimal-trigger.minimalTrigger',
		typeVersion: 2,
		parameters: {},
		...(credentials ? { credentials } : {}),
	});
	// The node reads its token from the workflow's static data (node scope).
	workflow.staticData = { 'node:Minimal Trigger': { token: signingToken } };
	const { workflowId, url } = await kit.publishWithWebhook(n8n, workflow);
	return { workflowId, url, signingToken };
}

/** (ii-c): the same node and token, plus a credential on the node that it never reads. */
async function setupMinimalWithCredential(n8n, context) {
	const name = 'Unused header credential';
	const id = await n8n.createCredential({
		name,
		type: 'httpHeaderAuth',
		data: { name: 'X-Unused', value: crypto.randomBytes(24).toString('hex') },
	});
	return await setupMinimal(n8n, context, { httpHeaderAuth: { id, name } });
}

const leverTriggerParameters = (registration) => ({
	registration,
	...(registration === 'automatic' ? { authentication: 'apiKey' } : {}),
	events: ['candidateStageChange'],
	toStageIds: [STAGE],
	fetchOpportunity: false,
	options: {},
});

async function setupLeverAutomatic(n8n, { variant, lever }) {
	const credentialId = await n8n.createCredential({
		name: 'Lever sandbox',
		type: 'leverApi',
		data: { apiKey: lever.apiKey, environment: 'custom', baseUrl: lever.url },
	});
	const workflow = triggerWorkflow(`Trigger alone: ${variant.label}`, {
		name: 'Lever Trigger',
		type: 'n8n-nodes-lever-proforma.leverTrigger',
		typeVersion: 2,
		parameters: leverTriggerParameters('automatic'),
		credentials: { leverApi: { id: credentialId, name: 'Lever sandbox' } },
	});
	const { workflowId, url } = await kit.publishWithWebhook(n8n, workflow);
	// n8n answers the publish before the trigger's create() has registered in Lever.
	const hook = await lever.waitFor(
		(s) => s.webhooks.find((w) => w.url === url && w.event === 'candidateStageChange'),
		30000,
		100,
	);
	return { workflowId, url, signingToken: hook.signatureToken };
}

async function setupLeverManual(n8n, { variant }) {
	const signingToken = crypto.randomBytes(24).toString('hex');
	const credentialId = await n8n.createCredential({
		name: 'Lever webhook token',
		type: 'leverWebhookSigningApi',
		data: { signatureToken: signingToken },
	});
	const workflow = triggerWorkflow(`Trigger alone: ${variant.label}`, {
		name: 'Lever Trigger',
		type: 'n8n-nodes-lever-proforma.leverTrigger',
		typeVersion: 2,
		parameters: leverTriggerParameters('manual'),
		credentials: { leverWebhookSigningApi: { id: credentialId, name: 'Lever webhook token' } },
	});
	const { workflowId, url } = await kit.publishWithWebhook(n8n, workflow);
	return { workflowId, url, signingToken };
}

// ---------------------------------------------------------------------------
// One variant: fresh n8n, N deliveries 20 in flight, forged check, count.
// ---------------------------------------------------------------------------

/** `count` signed deliveries, IN_FLIGHT at a time, ids from `offset`; resolves with every answer. */
async function deliver(url, signingToken, { count, offset, deadline }) {
	const answers = [];
	let next = 0;
	const worker = async () => {
		while (next < count && Date.now() < deadline) {
			const i = offset + next++;
			const body = kit.stageChangeBody({
				signingToken,
				opportunityId: `opp-bench-trigger-${i + 1}`,
				toStageId: STAGE,
				fromStageId: SEED.stages.onsiteInterview,
			});
			answers.push(
				await kit.postDelivery(url, body, { timeoutMs: Math.max(1000, deadline - Date.now()) }),
			);
		}
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
	return answers;
}

/** One fresh n8n with both packages installed: every variant's workflow runs in it. */
async function startSharedN8n({ harness, tmp, tarballs }) {
	const userFolder = path.join(tmp, 'n8n');
	await installPackage({ userFolder, tarball: tarballs.minimal, log: (line) => say(`  ${line}`) });
	const n8n = await startN8n({
		userFolder,
		port: 0,
		packageTarball: tarballs.ours,
		env: n8nEnv(N8N.settings),
		log: (line) => say(`  ${line}`),
		startTimeoutMs: Math.max(10000, Math.min(180000, harness.remaining())),
	});
	harness.checkDeadline('starting n8n');
	return n8n;
}

/** The variant's workflow, published in the shared n8n; measured later, in rounds. */
async function setupVariant(variant, { n8n, lever }) {
	const run = { variant, n8n, answers: [], rounds: [], warmUpAccepted: 0, problems: [] };
	Object.assign(run, await variant.setup(n8n, { variant, lever }));
	say(`  ${variant.label}: workflow ${run.workflowId} published at ${run.url}`);
	return run;
}

/**
 * Deliveries before the measured rounds, not counted: without them the
 * variant a round starts with pays for n8n's JIT and caches warming up
 * (the first share of a fresh n8n is up to a third slower).
 */
async function warmUp(run, { deadline }) {
	const answers = await deliver(run.url, run.signingToken, {
		count: WARM_UP,
		offset: N,
		deadline,
	});
	run.warmUpAccepted = answers.filter((a) => kit.is2xx(a.status)).length;
	if (run.warmUpAccepted < WARM_UP)
		run.problems.push(`warm-up: ${WARM_UP - run.warmUpAccepted} of ${WARM_UP} not answered 2xx`);
	await kit.waitIdle(run.n8n, run.workflowId, { deadline });
}

/**
 * One round's share of the deliveries: the time to the last answer counts
 * towards req/s, the CPU its n8n used until idle again towards CPU per delivery.
 */
async function measureRound(run, { count, offset, deadline }) {
	const cpuBefore = groupCpuSeconds(run.n8n.pid);
	const answers = await deliver(run.url, run.signingToken, { count, offset, deadline });
	if (!answers.length) return;
	const first = Math.min(...answers.map((a) => a.sentAt));
	const last = Math.max(...answers.map((a) => a.answeredAt));
	run.answers.push(...answers);
	// The executions this round started finish before the next variant's round
	// (not timed), so no variant is measured while another's backlog runs.
	await kit.waitIdle(run.n8n, run.workflowId, { deadline });
	const cpuS = groupCpuSeconds(run.n8n.pid) - cpuBefore;
	const figures = roundFigures([{ count: answers.length, busyMs: last - first, cpuS }]);
	run.rounds.push(figures);
	say(
		`  round ${run.rounds.length}, ${run.variant.label}: ${fixed(figures.reqPerS, 1)} req/s, ${fixed(figures.cpuMsPerDelivery, 1)} CPU ms per delivery`,
	);
}

/** req/s and CPU per delivery of one or more shares (of one round, or pooled). */
function roundFigures(shares) {
	const sum = (key) => shares.reduce((total, share) => total + share[key], 0);
	const [count, busyMs, cpuS] = [sum('count'), sum('busyMs'), sum('cpuS')];
	return {
		count,
		busyMs,
		cpuS,
		reqPerS: count / (busyMs / 1000),
		cpuMsPerDelivery: (cpuS * 1000) / count,
	};
}

/**
 * x's figure ÷ y's in each round, faster = above 1 (`invert` for figures
 * where less is faster): rounds are paired in time.
 */
function roundRatios(x, y, figure, { invert = false } = {}) {
	return x.rounds
		.map((round, i) => (y.rounds[i] ? [round[figure], y.rounds[i][figure]] : null))
		.filter(Boolean)
		.map(([a, b]) => (invert ? ratio(b, a) : ratio(a, b)));
}

/**
 * Twice the standard error of the mean log round ratio, as a factor's
 * distance from 1 (0.03: another run of this length lands within about ±3 %).
 */
function uncertainty(ratios) {
	const logs = ratios.filter((r) => r > 0).map(Math.log);
	if (logs.length < 2) return undefined;
	const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
	const variance = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1);
	return Math.exp(2 * Math.sqrt(variance / logs.length)) - 1;
}

/** After the rounds: the figures, the forged delivery, and the executions counted. */
async function finishVariant(run, harness) {
	const { variant, n8n, workflowId, url, signingToken, answers } = run;
	const result = { variant, problems: run.problems };
	try {
		const ok = answers.filter((a) => kit.is2xx(a.status));
		result.sent = answers.length;
		result.ok = ok.length;
		result.rounds = run.rounds;
		const total = roundFigures(run.rounds);
		result.reqPerS = total.reqPerS;
		result.cpuMsPerDelivery = total.cpuMsPerDelivery;
		result.answerMs = answers.map((a) => a.ms);
		result.answer = kit.stats(result.answerMs);
		result.non2xx = new Map();
		for (const a of answers.filter((x) => !kit.is2xx(x.status))) {
			const key = String(a.status ?? a.error);
			result.non2xx.set(key, (result.non2xx.get(key) || 0) + 1);
		}
		if (answers.length < N)
			result.problems.push(`only ${answers.length} of ${N} deliveries sent before the deadline`);
		if (ok.length < answers.length)
			result.problems.push(`non-2xx answers: ${kit.mapLine(result.non2xx)}`);

		if (variant.verifies) {
			const forged = kit.stageChangeBody({
				signingToken,
				opportunityId: 'opp-bench-forged',
				toStageId: STAGE,
				fromStageId: SEED.stages.onsiteInterview,
				forged: true,
			});
			result.forgedStatus = (await kit.postDelivery(url, forged, { timeoutMs: 30000 })).status;
			if (result.forgedStatus !== 401)
				result.problems.push(`forged delivery answered ${result.forgedStatus}, not 401`);
		}

		// Every accepted delivery must have started exactly one execution, the forged one none.
		const settleBy = Math.min(harness.deadline(), Date.now() + 120000);
		const busy = await kit.waitIdle(n8n, workflowId, { deadline: settleBy });
		if (busy) result.problems.push(`${busy} executions still unfinished when counted`);
		const executions = await n8n.listExecutions({ workflowId });
		result.executions = executions.length;
		const accepted = ok.length + run.warmUpAccepted;
		if (executions.length !== accepted) {
			result.problems.push(
				`${executions.length} executions for ${accepted} accepted deliveries (${run.warmUpAccepted} of them in the warm-up)`,
			);
		}
		result.n8nVersion = n8n.info.n8nVersion;
	} catch (error) {
		result.error = error;
	}
	return result;
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

/**
 * The reference of issue 10's line: the minimal trigger over both of its
 * workflows, (ii) and (ii'), round by round (or the one that ran).
 */
function minimalReference(by) {
	const parts = [by.ii, by["ii'"]].filter((r) => r?.rounds);
	if (parts.length === 0) return undefined;
	if (parts.length === 1) return { ...parts[0], label: `(${parts[0].variant.key})` };
	const [a, b] = parts;
	const total = roundFigures([...a.rounds, ...b.rounds]);
	return {
		label: "minimal (ii + ii')",
		rounds: a.rounds.map((round, i) => (b.rounds[i] ? roundFigures([round, b.rounds[i]]) : round)),
		reqPerS: total.reqPerS,
		cpuMsPerDelivery: total.cpuMsPerDelivery,
		answer: kit.stats([...a.answerMs, ...b.answerMs]),
	};
}

function printReport(results, loadStart) {
	const line = '─'.repeat(100);
	const cpu = os.cpus()[0];
	say(`\n${line}`);
	say(
		`Trigger alone — ${new Date().toISOString()}: ${N} signed deliveries per variant, ${IN_FLIGHT} in flight`,
	);
	say(
		`n8n ${results.find((r) => r.n8nVersion)?.n8nVersion ?? '?'} regular mode, SQLite; every variant in one fresh n8n, measured in ${ROUNDS} interleaved rounds (one variant at a time)`,
	);
	say(
		`machine: ${os.cpus().length} cores (${cpu ? cpu.model.trim() : '?'}); load average at start ${loadStart}, at end ${kit.loadavg()}`,
	);
	say(line);
	const rows = [
		[
			'Variant',
			'req/s',
			'CPU ms/delivery',
			'answer p50 (s)',
			'answer p95 (s)',
			'2xx',
			'executions',
			'forged →',
		],
	];
	for (const r of results) {
		rows.push([
			r.variant.label,
			fixed(r.reqPerS, 1),
			fixed(r.cpuMsPerDelivery, 1),
			sec(r.answer?.p50),
			sec(r.answer?.p95),
			r.error ? 'failed' : `${r.ok}/${r.sent}`,
			r.executions ?? '–',
			r.variant.verifies ? String(r.forgedStatus ?? '–') : 'not checked',
		]);
	}
	say(kit.table(rows));
	say('');
	const by = Object.fromEntries(results.map((r) => [r.variant.key, r]));
	by.minimal = minimalReference(by);
	const name = (key) => (key === 'minimal' ? by.minimal.label : `(${key})`);
	const ratioRows = [
		[
			'Ratio (above 1: faster)',
			'req/s',
			'±',
			'deliveries per CPU s',
			'±',
			'median of round ratios: req/s',
			'per CPU s',
			'answer p50 (below 1: faster)',
			'answer p95',
		],
	];
	for (const [a, b] of [
		['iii', 'minimal'],
		['iv', 'minimal'],
		["ii'", 'ii'],
		['ii-c', 'minimal'],
		['iii', 'ii-c'],
		['iv', 'ii-c'],
		['minimal', 'i'],
	]) {
		const x = by[a];
		const y = by[b];
		if (!x?.rounds || !y?.rounds) continue;
		const reqRatios = roundRatios(x, y, 'reqPerS');
		const cpuRatios = roundRatios(x, y, 'cpuMsPerDelivery', { invert: true });
		ratioRows.push([
			`${name(a)} / ${name(b)}`,
			fixed(ratio(x.reqPerS, y.reqPerS)),
			fixed(uncertainty(reqRatios)),
			fixed(ratio(y.cpuMsPerDelivery, x.cpuMsPerDelivery)),
			fixed(uncertainty(cpuRatios)),
			fixed(kit.stats(reqRatios).p50),
			fixed(kit.stats(cpuRatios).p50),
			fixed(ratio(x.answer?.p50, y.answer?.p50)),
			fixed(ratio(x.answer?.p95, y.answer?.p95)),
		]);
	}
	say(kit.table(ratioRows));
	say('');
	const problems = results.flatMap((r) => [
		...(r.error ? [`${r.variant.label}: ${r.error.stack || r.error.message}`] : []),
		...r.problems.map((p) => `${r.variant.label}: ${p}`),
	]);
	if (problems.length) {
		say('Problems seen:');
		for (const p of problems) say(`  ! ${p}`);
	} else {
		say(
			`Checks: every variant started exactly one execution per delivery (${N} measured, ${WARM_UP} warm-up); every verifying variant refused the forged delivery with 401.`,
		);
	}
	say(line);
	return problems.length === 0;
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
	say(
		`Trigger-alone benchmark: ${N} deliveries per variant, ${IN_FLIGHT} in flight; n8n settings: ${N8N.label}`,
	);
	say('n8n runtime (first run installs it, ~7 minutes; not counted in the time bound)…');
	await ensureRuntime({ log: (line) => say(`  ${line}`) });
	harness.arm(TIMEOUT_MS);
	const loadStart = kit.loadavg();

	const folder = kit.tempFolder(harness, 'n8n-bench-trigger-', { keep: KEEP });
	const tmp = folder.dir;
	const results = [];
	let ok = false;
	try {
		const tarballs = {
			ours: await packPackage(ROOT, path.join(tmp, 'pack-ours')),
			minimal: await packPackage(FIXTURE, path.join(tmp, 'pack-minimal')),
		};
		const started = harness.stack();
		// Lever's API limit off: only webhook registration calls Lever here.
		const lever = await startLeverSandbox({ port: 0, rateLimit: false });
		started.add(() => lever.close());
		say('\nOne fresh n8n with both packages…');
		const n8n = await startSharedN8n({ harness, tmp, tarballs });
		started.add(() => n8n.stop());
		const runs = [];
		for (const variant of VARIANTS) runs.push(await setupVariant(variant, { n8n, lever }));
		say(`\nWarm-up: ${WARM_UP} deliveries per variant, not counted…`);
		for (const run of runs) await warmUp(run, { deadline: harness.deadline() });
		// The deliveries go in ROUNDS rounds, the order reversed every other round,
		// so that load from elsewhere on the machine falls on all variants alike;
		// each round waits until n8n is idle again.
		say(`\n${N} deliveries per variant, ${IN_FLIGHT} in flight, in ${ROUNDS} interleaved rounds…`);
		for (let round = 0; round < ROUNDS; round++) {
			const offset = Math.floor((round * N) / ROUNDS);
			const count = Math.floor(((round + 1) * N) / ROUNDS) - offset;
			for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
				harness.checkDeadline(`round ${round + 1}, ${run.variant.label}`);
				await measureRound(run, { count, offset, deadline: harness.deadline() });
			}
		}
		for (const run of runs) results.push(await finishVariant(run, harness));
		await started.stop();
	} catch (error) {
		say(`\n✖ ${error instanceof kit.BenchTimeout ? error.message : error.stack || error.message}`);
	} finally {
		if (results.length) ok = printReport(results, loadStart) && results.length === VARIANTS.length;
		folder.keep = folder.keep || !ok;
		await harness.stopAll();
	}
	process.exit(ok ? 0 : 1);
}

main().catch((error) => {
	say(`\n✖ ${error.stack || error.message}`);
	process.exit(1);
});
