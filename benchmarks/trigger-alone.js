#!/usr/bin/env node
'use strict';
/**
 * What a trigger alone costs in n8n: N signed Lever deliveries, 20 in flight,
 * POSTed to a one-trigger workflow `<trigger> → No Operation`, each variant in
 * its own fresh n8n 2.40.7 (regular mode, SQLite):
 *   (i)   n8n's built-in Webhook (POST, On Received): verifies nothing;
 *   (ii)  a minimal community trigger (benchmarks/fixtures/minimal-trigger/):
 *         raw body → JSON.parse → HMAC-SHA256 of token + triggeredAt, token from
 *         the workflow's static data, timingSafeEqual; 401 when wrong;
 *   (iii) the package's Lever Trigger, Automatic registration (it registers its
 *         webhook in the Lever sandbox; Fetch Opportunity off);
 *   (iv)  the package's Lever Trigger, Manual registration (token in a
 *         Lever Webhook Signature Token credential; Fetch Opportunity off).
 *
 *   npm run build && node benchmarks/trigger-alone.js
 *
 * Environment: BENCH_TRIGGER_N (deliveries per variant, default 1000),
 * BENCH_TRIGGER_ROUNDS (interleaved rounds they are sent in, default 8),
 * BENCH_TIMEOUT_S (bound on the whole run once the n8n runtime is present,
 * default 1200), BENCH_KEEP=1 (keep the temp folder with the n8n logs), BENCH_N8N_ENV
 * (benchmarks/lib/n8n-settings.js).
 *
 * Prints req/s, the n8n's CPU per delivery (its process group's user + system
 * time over the rounds, until its executions finished; less sensitive to
 * other load on the machine than req/s), answer p50/p95 per variant, and the
 * ratios (iii)/(ii),
 * (iv)/(ii), (ii)/(i); checks that every variant started exactly N executions
 * (public API) and that a forged delivery is refused (401, no execution) by
 * (ii)–(iv). Everything started is stopped at the end, on error, on timeout
 * and on Ctrl-C.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'minimal-trigger');
const { ensureRuntime } = require('../scripts/n8n-runtime');
const { startN8n, packPackage } = require('../scripts/lib/n8n-instance');
const { benchN8nSettings } = require('./lib/n8n-settings');
const { startLeverSandbox, SEED } = require('../sandboxes/lever/server');
const kit = require('./lib/bench-kit');
const { groupCpuSeconds } = require('./lib/rss');

const { say, sec, fixed, ratio } = kit;

const N = kit.envInt('BENCH_TRIGGER_N', 1000, 1, 20000);
const ROUNDS = kit.envInt('BENCH_TRIGGER_ROUNDS', 8, 1, 50);
const IN_FLIGHT = 20;
const TIMEOUT_MS = kit.envInt('BENCH_TIMEOUT_S', 1200, 60, 86400) * 1000;
const KEEP = process.env.BENCH_KEEP === '1';
/** n8n settings for every n8n of the run (benchmarks/lib/n8n-settings.js, BENCH_N8N_ENV). */
const N8N = benchN8nSettings();
const STAGE = SEED.stages.backgroundScreening;

// ---------------------------------------------------------------------------
// The four variants: how each workflow is built and which package it needs.
// ---------------------------------------------------------------------------

const VARIANTS = [
	{ key: 'i', label: '(i) n8n Webhook', pkg: null, verifies: false, setup: setupBuiltinWebhook },
	{ key: 'ii', label: '(ii) minimal trigger', pkg: 'minimal', verifies: true, setup: setupMinimal },
	{
		key: 'iii',
		label: '(iii) Lever Trigger, Automatic',
		pkg: 'ours',
		verifies: true,
		setup: setupLeverAutomatic,
	},
	{
		key: 'iv',
		label: '(iv) Lever Trigger, Manual',
		pkg: 'ours',
		verifies: true,
		setup: setupLeverManual,
	},
];

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

async function setupBuiltinWebhook(n8n) {
	const signingToken = crypto.randomBytes(24).toString('hex');
	const { workflowId, url } = await kit.publishWithWebhook(
		n8n,
		kit.webhookNoOpWorkflow('Trigger alone: n8n Webhook'),
	);
	return { workflowId, url, signingToken };
}

async function setupMinimal(n8n) {
	const signingToken = crypto.randomBytes(24).toString('hex');
	const workflow = triggerWorkflow('Trigger alone: minimal trigger', {
		name: 'Minimal Trigger',
		type: 'n8n-nodes-bench-minimal-trigger.minimalTrigger',
		typeVersion: 2,
		parameters: {},
	});
	// The node reads its token from the workflow's static data (node scope).
	workflow.staticData = { 'node:Minimal Trigger': { token: signingToken } };
	const { workflowId, url } = await kit.publishWithWebhook(n8n, workflow);
	return { workflowId, url, signingToken };
}

const leverTriggerParameters = (registration) => ({
	registration,
	...(registration === 'automatic' ? { authentication: 'apiKey' } : {}),
	events: ['candidateStageChange'],
	toStageIds: [STAGE],
	fetchOpportunity: false,
	options: {},
});

async function setupLeverAutomatic(n8n, { lever }) {
	const credentialId = await n8n.createCredential({
		name: 'Lever sandbox',
		type: 'leverApi',
		data: { apiKey: lever.apiKey, environment: 'custom', baseUrl: lever.url },
	});
	const workflow = triggerWorkflow('Trigger alone: Lever Trigger, Automatic', {
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

async function setupLeverManual(n8n) {
	const signingToken = crypto.randomBytes(24).toString('hex');
	const credentialId = await n8n.createCredential({
		name: 'Lever webhook token',
		type: 'leverWebhookSigningApi',
		data: { signatureToken: signingToken },
	});
	const workflow = triggerWorkflow('Trigger alone: Lever Trigger, Manual', {
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

/** A fresh n8n with the variant's workflow published; measured later, in rounds. */
async function startVariant(variant, { harness, tmp, tarballs, lever }) {
	const stack = harness.stack();
	const run = { variant, stack, answers: [], busyMs: 0, cpuS: 0, problems: [] };
	const n8n = await startN8n({
		userFolder: path.join(tmp, `n8n-${variant.key}`),
		port: 0,
		packageTarball: variant.pkg ? tarballs[variant.pkg] : undefined,
		// BENCH_CPU_PROF=<folder>: a V8 CPU profile of each n8n process, written when it stops.
		env: {
			...N8N.settings,
			...(process.env.BENCH_CPU_PROF
				? {
						NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF, variant.key)}`,
					}
				: {}),
		},
		log: (line) => say(`  ${line}`),
		startTimeoutMs: Math.max(10000, Math.min(180000, harness.remaining())),
	});
	stack.add(() => n8n.stop());
	harness.checkDeadline(`starting n8n for ${variant.label}`);
	Object.assign(run, { n8n }, await variant.setup(n8n, { lever }));
	say(`  ${variant.label}: workflow ${run.workflowId} published at ${run.url}`);
	return run;
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
	run.busyMs += last - first;
	run.answers.push(...answers);
	// The executions this round started finish before the next variant's round
	// (not timed), so no variant is measured while another's backlog runs.
	await kit.waitIdle(run.n8n, run.workflowId, { deadline });
	run.cpuS += groupCpuSeconds(run.n8n.pid) - cpuBefore;
}

/** After the rounds: the figures, the forged delivery, and the executions counted. */
async function finishVariant(run, harness) {
	const { variant, n8n, workflowId, url, signingToken, answers } = run;
	const result = { variant, problems: run.problems };
	try {
		const ok = answers.filter((a) => kit.is2xx(a.status));
		result.sent = answers.length;
		result.ok = ok.length;
		result.reqPerS = answers.length / (run.busyMs / 1000);
		result.cpuMsPerDelivery = (run.cpuS * 1000) / answers.length;
		result.answer = kit.stats(answers.map((a) => a.ms));
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
		if (executions.length !== ok.length) {
			result.problems.push(`${executions.length} executions for ${ok.length} accepted deliveries`);
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

function printReport(results, loadStart) {
	const line = '─'.repeat(100);
	const cpu = os.cpus()[0];
	say(`\n${line}`);
	say(
		`Trigger alone — ${new Date().toISOString()}: ${N} signed deliveries per variant, ${IN_FLIGHT} in flight`,
	);
	say(
		`n8n ${results.find((r) => r.n8nVersion)?.n8nVersion ?? '?'} regular mode, SQLite; each variant in its own fresh n8n, measured in ${ROUNDS} interleaved rounds`,
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
	const ratioRows = [['Ratio', 'req/s', 'deliveries per CPU s', 'answer p50', 'answer p95']];
	for (const [a, b] of [
		['iii', 'ii'],
		['iv', 'ii'],
		['ii', 'i'],
	]) {
		const x = by[a];
		const y = by[b];
		ratioRows.push([
			`(${a}) / (${b})`,
			fixed(ratio(x?.reqPerS, y?.reqPerS)),
			fixed(ratio(y?.cpuMsPerDelivery, x?.cpuMsPerDelivery)),
			fixed(ratio(x?.answer?.p50, y?.answer?.p50)),
			fixed(ratio(x?.answer?.p95, y?.answer?.p95)),
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
			`Checks: every variant started exactly ${N} executions; (ii)–(iv) refused the forged delivery with 401.`,
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
		const sandbox = harness.stack();
		// Lever's API limit off: only webhook registration calls Lever here.
		const lever = await startLeverSandbox({ port: 0, rateLimit: false });
		sandbox.add(() => lever.close());
		// Every variant's n8n is up before any is measured; the deliveries then go in
		// ROUNDS rounds, the order reversed every other round, so that load from
		// elsewhere on the machine falls on all variants alike; each round waits
		// until its n8n is idle again.
		const runs = [];
		for (const variant of VARIANTS) {
			harness.checkDeadline(`before ${variant.label}`);
			say(`\n${variant.label}: fresh n8n…`);
			runs.push(await startVariant(variant, { harness, tmp, tarballs, lever }));
		}
		say(`\n${N} deliveries per variant, ${IN_FLIGHT} in flight, in ${ROUNDS} interleaved rounds…`);
		for (let round = 0; round < ROUNDS; round++) {
			const offset = Math.floor((round * N) / ROUNDS);
			const count = Math.floor(((round + 1) * N) / ROUNDS) - offset;
			for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
				harness.checkDeadline(`round ${round + 1}, ${run.variant.label}`);
				await measureRound(run, { count, offset, deadline: harness.deadline() });
			}
		}
		for (const run of runs) {
			results.push(await finishVariant(run, harness));
			await run.stack.stop();
		}
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
