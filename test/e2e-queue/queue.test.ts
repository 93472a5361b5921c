/**
 * The template in n8n's queue mode: Postgres + Redis, a main process with production
 * webhooks disabled, a webhook processor receiving Lever's and Proforma's deliveries,
 * and a worker running every execution. Proves the package keeps no state in a
 * process: the webhook() of the triggers runs in the webhook processor, everything
 * else on the worker. Each scenario also checks the worker's log, so it cannot pass
 * in regular mode.
 */
import { describe, expect, it } from '@jest/globals';

import type { ProformaSandbox } from '../../sandboxes/proforma/server';
import { getQueueE2E, pause, postJson } from './support/env';
import {
	forgedStageChange,
	noteText,
	sandboxView,
	useTemplateWorkflow,
	waitUntil as waitFor,
} from '../e2e/support/scenario';

const e2e = getQueueE2E();
const n8n = e2e.n8n;
const lever = e2e.lever();
const proforma = e2e.proforma() as unknown as ProformaSandbox;
const SCREENING = lever.SEED.stages.backgroundScreening;
const ORDERED = 'Background Check:Ordered';
const ERROR = 'Background Check:Error';
const COMPLETED = 'Background Check:Completed';
const IN_PROGRESS = 'Background Check:In Progress';
const CLEAR = 'Background Check:Clear';
const CANCELLED = 'Background Check:Cancelled';

const { tagsOf, notesOf, ordersFor } = sandboxView(lever, proforma);
/** Queue mode is slower to settle: a minute, not the default 45 s. */
const waitUntil = <T>(what: string, check: () => T | undefined | null | false) =>
	waitFor(what, check, 60000);

/** Waits until every execution of the workflow has finished; returns their ids. */
async function settled(workflowId: string): Promise<string[]> {
	const all = await n8n.listExecutions({ workflowId });
	await n8n.waitForExecutions({ workflowId, count: all.length, timeoutMs: 90000 });
	return (await n8n.listExecutions({ workflowId })).map((e) => String(e.id));
}

/**
 * Every given execution was enqueued by the webhook processor (or, for the
 * schedule, by main) and started and finished on the worker, and none ran in main.
 */
async function expectRanOnWorker(ids: string[]) {
	// n8n marks an execution finished in the database before the worker logs it.
	await waitFor(
		'the worker to log every execution finished',
		() => ids.every((id) => e2e.executionIdsIn('worker', 'finished').includes(id)),
		10000,
	).catch(() => undefined);
	const started = new Set(e2e.executionIdsIn('worker', 'started'));
	const finished = new Set(e2e.executionIdsIn('worker', 'finished'));
	const enqueued = new Set([
		...e2e.executionIdsIn('webhook', 'enqueued'),
		...e2e.executionIdsIn('main', 'enqueued'),
	]);
	expect(ids.filter((id) => !started.has(id))).toEqual([]);
	expect(ids.filter((id) => !finished.has(id))).toEqual([]);
	expect(ids.filter((id) => !enqueued.has(id))).toEqual([]);
	expect(e2e.executionIdsIn('main', 'started')).toEqual([]);
	expect(e2e.executionIdsIn('webhook', 'started')).toEqual([]);
}

describe('template in queue mode (webhook processor + worker)', () => {
	const template = useTemplateWorkflow({
		n8n,
		leverUrl: e2e.leverUrl!,
		lever,
		proforma,
		screeningStageId: SCREENING,
		name: 'E2E template (queue mode)',
		settings: { progressTags: true },
	});

	it('Lever and Proforma deliver to the webhook processor; main serves no production webhooks', async () => {
		expect(template.leverUrl.startsWith(`${e2e.webhookBaseUrl}/webhook/`)).toBe(true);
		expect(template.proformaUrl.startsWith(`${e2e.webhookBaseUrl}/webhook/`)).toBe(true);
		const hooks = lever.state().webhooks.filter((w) => w.url === template.leverUrl);
		expect(hooks.map((w) => [w.event, w.source])).toEqual([['candidateStageChange', 'api']]);
		// N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true: the same path on main is not served.
		const onMain = await postJson(
			template.leverUrl.replace(e2e.webhookBaseUrl, n8n.mainBaseUrl),
			{},
		);
		expect(onMain.status).toBe(404);
	});

	it('happy path: Ordered, then Completed with the report note by Proforma callback, all executed on the worker', async () => {
		const before = new Set(await settled(template.workflowId));
		const [deliveryId] = lever.moveToStage('opp-ada', SCREENING);
		expect(deliveryId).toBeDefined();
		await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
		const ids = (await settled(template.workflowId)).filter((id) => !before.has(id));

		const orders = ordersFor('opp-ada');
		expect(orders).toHaveLength(1);
		expect(orders[0]).toMatchObject({ package: 'standard', status: 'completed', result: 'clear' });
		expect(tagsOf('opp-ada')).toEqual(expect.arrayContaining([ORDERED, COMPLETED]));
		expect(tagsOf('opp-ada')).not.toContain(ERROR);
		const notes = notesOf('opp-ada');
		expect(notes).toHaveLength(1);
		expect(noteText(notes[0])).toContain(orders[0].report!.url);
		const callbacks = proforma
			.state()
			.deliveries.filter((d) => d.orderId === orders[0].id && d.type === 'order.completed');
		expect(callbacks.some((d) => d.attempts.some((a) => a.status === 200))).toBe(true);

		// One execution for the Lever delivery, at least one for Proforma's callback(s).
		expect(ids.length).toBeGreaterThanOrEqual(2);
		const executions = await Promise.all(
			ids.map((id) => n8n.getExecution(id, { includeData: false })),
		);
		expect(executions.map((e) => [e.mode, e.status])).toEqual(
			ids.map(() => ['webhook', 'success']),
		);
		await expectRanOnWorker(ids);
	});

	it('lifecycle: each status change tags once on the worker (In Progress, then Completed and Clear); archiving cancels an open order', async () => {
		const before = new Set(await settled(template.workflowId));
		proforma.setStepMs(0);
		lever.moveToStage('opp-ada', SCREENING);
		await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
		const [order] = ordersFor('opp-ada');
		expect(proforma.advance(order.id).status).toBe('submitted');
		await waitUntil('In Progress tag on Ada', () => tagsOf('opp-ada').includes(IN_PROGRESS));
		expect(proforma.advance(order.id).status).toBe('in_progress');
		await settled(template.workflowId);
		expect(proforma.advance(order.id).status).toBe('completed');
		await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));

		lever.moveToStage('opp-grace', SCREENING);
		await waitUntil('Ordered tag on Grace', () => tagsOf('opp-grace').includes(ORDERED));
		lever.archive('opp-grace', lever.SEED.archiveReasons.withdrew);
		await waitUntil('Cancelled tag on Grace', () => tagsOf('opp-grace').includes(CANCELLED));
		const ids = (await settled(template.workflowId)).filter((id) => !before.has(id));

		const tags = tagsOf('opp-ada');
		for (const tag of [ORDERED, IN_PROGRESS, COMPLETED, CLEAR])
			expect(tags.filter((t) => t === tag)).toHaveLength(1);
		expect(tags).not.toContain(ERROR);
		expect(notesOf('opp-ada')).toHaveLength(1);
		expect(ordersFor('opp-grace')).toEqual([expect.objectContaining({ status: 'cancelled' })]);
		expect(notesOf('opp-grace').map(noteText)).toEqual([
			expect.stringMatching(/archived in Lever \(Withdrew\)/),
		]);
		// Stage changes, status changes (submitted, in_progress), completion, archive: all on the worker.
		expect(ids.length).toBeGreaterThanOrEqual(6);
		await expectRanOnWorker(ids);
	});

	it('a forged delivery gets 401 from the webhook processor and starts nothing', async () => {
		const before = await settled(template.workflowId);
		const forged = forgedStageChange('opp-ada', SCREENING, lever.SEED.stages.onsiteInterview);
		const answer = await postJson(template.leverUrl, forged);
		expect(answer.status).toBe(401);
		await pause(1500);
		expect(await settled(template.workflowId)).toEqual(before);
		expect(ordersFor('opp-ada')).toHaveLength(0);
		expect(tagsOf('opp-ada')).not.toContain(ORDERED);
	});

	it('three concurrent duplicates of a delivery, run in parallel on the worker, order once', async () => {
		const before = new Set(await settled(template.workflowId));
		const [deliveryId] = lever.moveToStage('opp-grace', SCREENING);
		await Promise.all([
			lever.rerunDelivery(deliveryId),
			lever.rerunDelivery(deliveryId),
			lever.rerunDelivery(deliveryId),
		]);
		await waitUntil('Ordered tag on Grace', () => tagsOf('opp-grace').includes(ORDERED));
		await pause(1000);
		await settled(template.workflowId);

		expect(ordersFor('opp-grace')).toHaveLength(1);
		expect(tagsOf('opp-grace').filter((t) => t === ORDERED)).toHaveLength(1);
		expect(tagsOf('opp-grace')).not.toContain(ERROR);
		await waitUntil('Completed tag on Grace', () => tagsOf('opp-grace').includes(COMPLETED));
		const ids = (await settled(template.workflowId)).filter((id) => !before.has(id));
		expect(notesOf('opp-grace')).toHaveLength(1);
		const delivery = lever.state().deliveries.find((d) => d.id === deliveryId)!;
		expect(delivery.attempts.map((a) => a.status)).toEqual([200, 200, 200, 200]);
		await expectRanOnWorker(ids);
	});
});
