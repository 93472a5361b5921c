/**
 * A bulk move through faults, in queue mode (issue 11, item 7): 50 candidates moved to
 * the screening stage in one Lever bulk action while the worker is killed and started
 * again, Lever's API answers 503, Proforma's API answers 500 and then times out, 10 % of
 * Proforma's callbacks are never sent and the webhook processor is restarted; both
 * sandboxes' rate limits on, the template's scheduled check every 30 s. Only the end
 * state is asserted (no times): every candidate seeded to pass has exactly one order,
 * exactly one report note and the Completed tag; every one seeded to fail (a posting
 * whose package Proforma does not know) has the Error tag, a note saying why and no
 * order; none is lost, none has a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { ProformaSandbox } from '../../sandboxes/proforma/server';
import { prepareTemplate } from '../../scripts/lib/template';
import { getQueueE2E, pause } from './support/env';
import { noteText, sandboxView, waitUntil } from '../e2e/support/scenario';

const e2e = getQueueE2E();
const n8n = e2e.n8n;
const lever = e2e.lever();
const proforma = e2e.proforma() as unknown as ProformaSandbox;
const { SEED } = lever;
const ERROR = 'Background Check:Error';
const COMPLETED = 'Background Check:Completed';
const REPORT_NOTE = /Proforma background check completed/;
/** 45 candidates that pass, 5 on the posting whose package Proforma does not know. */
const PASSING = 45;
const FAILING = 5;

const { tagsOf, notesOf, ordersFor } = sandboxView(lever, proforma);
const reportNotes = (id: string) => notesOf(id).filter((n) => REPORT_NOTE.test(noteText(n)));

/** Candidates at the on-site stage: `count` on `postingId`, emails `<prefix>-<i>+clear@…`. */
function createCandidates(prefix: string, count: number, postingId: string): string[] {
	const ids: string[] = [];
	for (let i = 1; i <= count; i++) {
		const opp = lever.createOpportunity({
			name: `${prefix} Candidate${String(i).padStart(2, '0')}`,
			email: `${prefix.toLowerCase()}-${i}+clear@example.com`,
			postingId,
			stageId: SEED.stages.onsiteInterview,
		});
		ids.push(opp.id);
	}
	return ids;
}

/** Ids of the workflow's executions with one of the statuses. */
async function executionIds(workflowId: string, statuses: string[]): Promise<string[]> {
	const all = await n8n.listExecutions({ workflowId });
	return all.filter((e) => statuses.includes(String(e.status))).map((e) => String(e.id));
}

/**
 * The faults, at seconds after the move (not awaited one by one: a worker's start takes
 * a while and must not delay the next fault). Resolves when all have run. The executions
 * the killed worker was running stay `running` in n8n for good, and the ones it had
 * taken from the queue but not started yet stay `new`: both are added to `stranded`
 * (a `new` one the restarted worker runs after all simply finishes). The candidates'
 * end state, asserted below, is what shows they were recovered.
 */
async function runFaults(workflowId: string, stranded: Set<string>): Promise<void> {
	const { workers, webhook } = e2e.processes();
	const worker = workers[0];
	const killWorker = async () => {
		await worker.kill();
		for (const id of await executionIds(workflowId, ['new', 'running'])) stranded.add(id);
	};
	const steps: Array<[number, () => unknown]> = [
		[0, () => proforma.setFaults({ dropCallbacks: { ratio: 0.1 } })],
		[2, killWorker],
		[5, () => lever.setFaults({ failNext: { count: 1000000, status: 503 } })],
		[12, () => worker.start()],
		[15, () => lever.setFaults({ failNext: { count: 0 } })],
		[15, () => proforma.setFaults({ failNext: { count: 1000, status: 500 } })],
		[25, () => proforma.setFaults({ failNext: 0, delayNext: { count: 1000, ms: 31000 } })],
		[35, () => proforma.setFaults({ delayNext: 0 })],
		[40, () => webhook.restart()],
	];
	const started = Date.now();
	const running: unknown[] = [];
	for (const [atSeconds, fault] of steps) {
		await pause(Math.max(0, started + atSeconds * 1000 - Date.now()));
		running.push(fault());
	}
	await Promise.all(running);
}

/** Every worker and the webhook processor running again, the sandboxes without faults. */
async function undoFaults(): Promise<void> {
	proforma.setFaults({ clear: true });
	lever.setFaults({ failNext: { count: 0 } });
	const { workers, webhook } = e2e.processes();
	for (const p of [...workers, webhook]) if (p.exited()) await p.start();
}

/** Waits (bounded) until every execution has finished but the stranded ones. */
async function executionsFinished(workflowId: string, stranded: Set<string>): Promise<void> {
	let busy: string[] = [];
	for (let i = 0; i < 90; i++) {
		busy = await executionIds(workflowId, ['new', 'running', 'waiting']);
		busy = busy.filter((id) => !stranded.has(id));
		if (busy.length === 0) return;
		await pause(1000);
	}
	throw new Error(`Executions still unfinished after 90 s: ${busy.join(', ')}`);
}

/** What is wrong with a candidate's end state, or nothing. */
function problemsOf(id: string, passes: boolean): string[] {
	const tags = tagsOf(id);
	const orders = ordersFor(id).length;
	const notes = reportNotes(id).length;
	const problems: string[] = [];
	if (passes) {
		if (!tags.includes(COMPLETED)) problems.push(`no ${COMPLETED} tag (tags: ${tags.join(', ')})`);
		if (tags.includes(ERROR)) problems.push(`${ERROR} tag`);
		if (orders !== 1) problems.push(`${orders} orders`);
		if (notes !== 1) problems.push(`${notes} report notes`);
	} else {
		if (!tags.includes(ERROR)) problems.push(`no ${ERROR} tag (tags: ${tags.join(', ')})`);
		if (!notesOf(id).some((n) => /unknown_pkg/.test(noteText(n))))
			problems.push('no note saying why');
		if (orders !== 0) problems.push(`${orders} orders`);
		if (notes !== 0) problems.push(`${notes} report notes`);
	}
	return problems.map((p) => `${id}: ${p}`);
}

describe('bulk move through faults (queue mode)', () => {
	let workflowId = '';

	beforeAll(async () => {
		const prepared = await prepareTemplate(n8n, {
			leverUrl: e2e.leverUrl!,
			proforma,
			screeningStageId: SEED.stages.backgroundScreening,
			name: 'E2E bulk move through faults (queue mode)',
			scheduleSeconds: 30,
		});
		workflowId = prepared.workflowId;
	});

	afterAll(async () => {
		await undoFaults();
		if (workflowId) await n8n.unpublishWorkflow(workflowId).catch(() => undefined);
	});

	it('50 candidates in one bulk move end Completed once (or Error where the seed fails them), none lost', async () => {
		const passing = createCandidates('Bulk', PASSING, SEED.postings.standard);
		const failing = createCandidates('Unknown', FAILING, SEED.postings.unknownPackage);
		const all = [...passing, ...failing];
		const moved = lever.bulkMoveToStage(all, SEED.stages.backgroundScreening);
		expect(moved.moved).toBe(all.length);
		const stranded = new Set<string>();
		const faults = runFaults(workflowId, stranded);

		const done = (id: string) =>
			tagsOf(id).includes(ERROR) || (tagsOf(id).includes(COMPLETED) && reportNotes(id).length > 0);
		await waitUntil('every candidate Completed or Error', () => all.every(done), 240000);
		await faults;
		await waitUntil(
			'no Lever delivery or Proforma callback pending',
			() =>
				lever.deliverySummary().pending === 0 &&
				proforma.state().deliveries.every((d) => !['pending', 'retrying'].includes(d.status)),
			60000,
		);
		await executionsFinished(workflowId, stranded);

		const problems = [
			...passing.flatMap((id) => problemsOf(id, true)),
			...failing.flatMap((id) => problemsOf(id, false)),
		];
		expect(problems).toEqual([]);
		// The callback fault did happen.
		expect(proforma.state().events.some((e) => e.dropped)).toBe(true);
	}, 300000);
});
