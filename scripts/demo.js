#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: the whole product on this machine, from a fresh clone.
 *
 * 1. provides the pinned n8n runtime (first run ~7 minutes, then seconds);
 * 2. starts the Lever and Proforma sandboxes on 127.0.0.1;
 * 3. starts n8n with this package installed as a community package, an owner,
 *    credentials pointing at the sandboxes, and the template imported and published;
 * 4. moves a sample candidate into the screening stage and prints the journey live;
 * 5. leaves n8n running at http://localhost:5678 until Ctrl-C, then stops everything.
 *
 * The package is built first when dist/ is missing or older than the sources.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureRuntime } = require('./n8n-runtime');
const { buildIfNeeded } = require('./lib/build');
const { startN8n, packPackage } = require('./lib/n8n-instance');
const { prepareTemplate } = require('./lib/template');
const { stopInOrder } = require('./lib/stop');
const { startLeverSandbox, SEED } = require('../sandboxes/lever/server');
const { startProformaSandbox } = require('../sandboxes/proforma/server');

const ROOT = path.resolve(__dirname, '..');
const DEMO_FOLDER = path.join(
	process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
	'n8n-nodes-lever-proforma',
	'demo',
);
const N8N_PORT = Number(process.env.DEMO_N8N_PORT || 5678);
// Fixed sandbox ports: on a re-run n8n starts with the previous demo workflow
// published, and its credentials point at these ports. With the sandboxes back
// on them, n8n's re-activation and the unpublish before the re-import answer at
// once; on other ports every Lever call of the old workflow is retried against
// a closed port first (that cost a re-run 22 s). Busy ports fall back to free ones.
const LEVER_PORT = Number(process.env.DEMO_LEVER_PORT || 5681);
const PROFORMA_PORT = Number(process.env.DEMO_PROFORMA_PORT || 5682);
const CANDIDATE = process.env.DEMO_CANDIDATE || 'opp-ada';

const say = (line) => process.stdout.write(`${line}\n`);
const step = (line) => say(`\n▶ ${line}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
	const stopping = [];
	let stopped = false;
	const stopAll = async () => {
		if (stopped) return;
		stopped = true;
		say('\nStopping everything the demo started…');
		await stopInOrder(stopping.reverse(), (line) => say(`  (${line})`));
		say('Stopped.');
	};
	process.on('SIGINT', () => stopAll().then(() => process.exit(0)));
	process.on('SIGTERM', () => stopAll().then(() => process.exit(0)));

	try {
		step('Package');
		buildIfNeeded({ log: (line) => say(`  ${line}`) });

		step('n8n runtime');
		await ensureRuntime({ log: (line) => say(`  ${line}`) });

		step('Sandboxes');
		const lever = await onPreferredPort(LEVER_PORT, (port) => startLeverSandbox({ port, log: false }));
		stopping.push(['the Lever sandbox', () => lever.close()]);
		const proforma = await onPreferredPort(PROFORMA_PORT, (port) =>
			startProformaSandbox({ port, log: false, stepMs: 1000 }),
		);
		stopping.push(['the Proforma sandbox', () => proforma.close()]);
		say(`  Lever sandbox:    ${lever.url}`);
		say(`  Proforma sandbox: ${proforma.url}/v1`);

		step(`n8n (user folder ${DEMO_FOLDER})`);
		fs.mkdirSync(DEMO_FOLDER, { recursive: true });
		const tarball = await packPackage(ROOT, DEMO_FOLDER);
		const n8n = await startN8n({
			userFolder: DEMO_FOLDER,
			port: N8N_PORT,
			packageTarball: tarball,
			log: (line) => say(`  ${line}`),
		});
		stopping.push(['n8n', () => n8n.stop(), 60000]);

		step('Credentials and the template workflow');
		const { workflowId, webhookUrls } = await prepareTemplate(n8n, {
			leverUrl: lever.url,
			proforma,
			screeningStageId: SEED.stages.backgroundScreening,
			name: 'Lever → Proforma background check (demo)',
			replaceExisting: true,
		});
		say(`  Workflow ${workflowId} published; Proforma callbacks go to ${webhookUrls.proforma}`);

		step(`Moving ${CANDIDATE} to "Background Screening" in Lever`);
		await journey({ lever, proforma, candidate: CANDIDATE });

		say('\n────────────────────────────────────────────────────────');
		say(`n8n is running at http://localhost:${N8N_PORT}`);
		say(`  login: ${n8n.owner.email} / ${n8n.owner.password}`);
		say('  open the workflow "Lever → Proforma background check (demo)" to see the runs.');
		say(`  move another candidate: curl -XPOST ${lever.origin}/__sandbox/opportunities/opp-grace/stage -H 'content-type: application/json' -d '{"stageId":"${SEED.stages.backgroundScreening}"}'`);
		say('Press Ctrl-C to stop n8n and the sandboxes.');
		await new Promise(() => {});
	} catch (error) {
		say(`\n✖ ${error.message}`);
		await stopAll();
		process.exit(1);
	}
}

/** Starts a sandbox on `port`, or on a free port when that one is taken. */
async function onPreferredPort(port, start) {
	try {
		return await start(port);
	} catch (error) {
		if (error.code !== 'EADDRINUSE') throw error;
		say(`  (port ${port} is in use: a free port is used, and a re-run will be slower)`);
		return await start(0);
	}
}

/** Moves the candidate and prints each step of the journey as it happens. */
async function journey({ lever, proforma, candidate }) {
	const seen = new Set();
	const print = (key, line) => {
		if (seen.has(key)) return;
		seen.add(key);
		say(`  ${new Date().toISOString().slice(11, 19)}  ${line}`);
	};
	const res = await fetch(`${lever.origin}/__sandbox/opportunities/${candidate}/stage`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ stageId: SEED.stages.backgroundScreening }),
	});
	if (!res.ok) throw new Error(`Lever sandbox refused the stage change: ${res.status} ${await res.text()}`);

	const deadline = Date.now() + 120000;
	while (Date.now() < deadline) {
		const leverState = lever.state();
		const proformaState = proforma.state();
		for (const delivery of leverState.deliveries ?? []) {
			if (delivery.payload?.data?.opportunityId !== candidate) continue;
			(delivery.attempts ?? []).forEach((attempt, index) => {
				const answer = attempt.status ? `HTTP ${attempt.status}` : attempt.error;
				print(`d-${delivery.id}-${index}`, `Lever webhook ${delivery.event} delivered to n8n → ${answer}`);
			});
		}
		const order = (proformaState.orders ?? []).find((o) => o.clientReference === candidate);
		if (order) {
			print(`o-${order.id}`, `Proforma order ${order.id} created (package ${order.package}); invitation emailed to ${order.candidate.email}`);
			print(`s-${order.status}`, `Proforma status: ${order.status}${order.result ? ` (${order.result})` : ''}`);
		}
		const opportunity = (leverState.opportunities ?? []).find((o) => o.id === candidate);
		for (const tag of opportunity?.tags ?? []) {
			if (tag.startsWith('Background Check:')) print(`t-${tag}`, `Lever tag added: "${tag}"`);
		}
		const notes = (leverState.notes ?? []).filter((n) => n.opportunityId === candidate);
		for (const note of notes) {
			const text = note.value ?? note.fields?.[0]?.value ?? '';
			print(`n-${note.id}`, `Lever note${note.secret ? ' (secret)' : ''}: ${text.replace(/\s+/g, ' ')}`);
		}
		if (opportunity?.tags?.includes('Background Check:Error')) {
			say('  The candidate got "Background Check:Error": see the note above for why.');
			return;
		}
		if (opportunity?.tags?.includes('Background Check:Completed') && notes.length > 0) {
			say('  ✔ Done: the candidate reached "Background Check:Completed" with the report note.');
			return;
		}
		await sleep(300);
	}
	throw new Error('The candidate did not reach "Background Check:Completed" within 2 minutes: see the n8n executions.');
}

main();
