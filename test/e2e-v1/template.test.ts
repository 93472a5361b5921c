/**
 * The template in n8n 1.x (the latest 1.x, pinned in scripts/n8n-runtime.js), against
 * the Lever and Proforma sandboxes: the packed package installed as a community
 * package, the template activated (1.x has no publishing), and the scenarios that
 * prove the order path, the report path, signature checks and idempotency there.
 * test/e2e/template.test.ts runs these and more in n8n 2.x.
 */
import { describe, expect, it } from '@jest/globals';

import type { ProformaSandbox } from '../../sandboxes/proforma/server';
import { getE2E, pause, postJson } from '../e2e/support/env';
import {
	expectCompletedClear,
	forgedStageChange,
	sandboxView,
	settled,
	useTemplateWorkflow,
	waitUntil,
} from '../e2e/support/scenario';

const e2e = getE2E();
const n8n = e2e.n8n;
const lever = e2e.lever();
const proforma = e2e.proforma() as unknown as ProformaSandbox;
const { tagsOf, notesOf, ordersFor } = sandboxView(lever, proforma);
const SCREENING = lever.SEED.stages.backgroundScreening;
const ORDERED = 'Background Check:Ordered';
const ERROR = 'Background Check:Error';
const COMPLETED = 'Background Check:Completed';

/** Moves a candidate to the screening stage; returns the one Lever delivery it starts. */
function moveToScreening(opportunityId: string): string {
	const deliveries = lever.moveToStage(opportunityId, SCREENING);
	expect(deliveries).toHaveLength(1);
	return deliveries[0];
}

describe('the package in n8n 1.x', () => {
	it('runs in an n8n 1.x', async () => {
		expect(n8n.info.n8nVersion).toMatch(/^1\.\d+\.\d+$/);
		const settings = await n8n.rest<{ versionCli: string }>('GET', '/rest/settings');
		expect(settings.versionCli).toBe(n8n.info.n8nVersion);
	});
});

describe('template in n8n 1.x: order path and report path', () => {
	const template = useTemplateWorkflow({
		n8n,
		leverUrl: e2e.leverUrl!,
		lever,
		proforma,
		screeningStageId: SCREENING,
		name: 'E2E template (n8n 1.x)',
	});

	it('is active and registered its Lever webhook through the API', async () => {
		const workflow = await n8n.api<{ active: boolean }>('GET', `/workflows/${template.workflowId}`);
		expect(workflow.active).toBe(true);
		const hooks = lever.state().webhooks.filter((w) => w.url === template.leverUrl);
		expect(hooks.map((w) => [w.event, w.source])).toEqual([['candidateStageChange', 'api']]);
	});

	it("happy path: orders the posting tag's package, tags Ordered, then Completed with the report note (by callback)", async () => {
		const before = new Set(
			(await n8n.listExecutions({ workflowId: template.workflowId })).map((e) => String(e.id)),
		);
		moveToScreening('opp-ada');
		await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
		await settled(n8n, template.workflowId);

		expectCompletedClear(lever, proforma, 'opp-ada', {
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada+clear@example.com',
		});
		// The scenario's executions (the stage change, Proforma's callbacks) all succeeded.
		const executions = (await n8n.listExecutions({ workflowId: template.workflowId })).filter(
			(e) => !before.has(String(e.id)),
		);
		expect(executions.length).toBeGreaterThanOrEqual(2);
		expect(executions.filter((e) => e.status !== 'success')).toEqual([]);
	});

	it('a forged delivery is refused with 401, starts no execution and orders nothing', async () => {
		const executions = await settled(n8n, template.workflowId);
		const forged = forgedStageChange('opp-ada', SCREENING, lever.SEED.stages.onsiteInterview);
		const answer = await postJson(template.leverUrl, forged);
		expect(answer.status).toBe(401);
		await pause(1500);
		expect(await settled(n8n, template.workflowId)).toBe(executions);
		expect(ordersFor('opp-ada')).toHaveLength(0);
		expect(tagsOf('opp-ada')).not.toContain(ORDERED);
	});

	// Grace, as in the 2.x suite: her posting's tag names the package, so the first
	// order attempt gets Proforma's 404 and the package list is read.
	it('three concurrent duplicates of a delivery order once and post one report note', async () => {
		const deliveryId = moveToScreening('opp-grace');
		await Promise.all([
			lever.rerunDelivery(deliveryId),
			lever.rerunDelivery(deliveryId),
			lever.rerunDelivery(deliveryId),
		]);
		await waitUntil('Ordered tag on Grace', () => tagsOf('opp-grace').includes(ORDERED));
		await pause(1000);
		await settled(n8n, template.workflowId);

		const delivery = lever.state().deliveries.find((d) => d.id === deliveryId)!;
		expect(delivery.attempts.map((a) => a.status)).toEqual([200, 200, 200, 200]);
		expect(ordersFor('opp-grace')).toHaveLength(1);
		expect(tagsOf('opp-grace').filter((t) => t === ORDERED)).toHaveLength(1);
		expect(tagsOf('opp-grace')).not.toContain(ERROR);
		await waitUntil('Completed tag on Grace', () => tagsOf('opp-grace').includes(COMPLETED));
		await settled(n8n, template.workflowId);
		expect(ordersFor('opp-grace')).toHaveLength(1);
		expect(notesOf('opp-grace')).toHaveLength(1);
	});
});

/**
 * Answers outside 2xx on n8n 1.x. Its NodeApiError keeps only the status
 * (`httpCode`) and the body (`context.data`) of the HTTP client's error, not
 * the `response` that n8n 2.x keeps in the `cause` chain; nodes/shared/request.ts
 * `responseOf()` reads both shapes. Before it did, every such answer (404, 409,
 * 422, 429, 5xx) was taken for "the request was not sent": neither retried nor
 * mapped. These scenarios pin the 1.x path.
 */
describe('template in n8n 1.x: answers outside 2xx', () => {
	const template = useTemplateWorkflow({
		n8n,
		leverUrl: e2e.leverUrl!,
		lever,
		proforma,
		screeningStageId: SCREENING,
		name: 'E2E template (n8n 1.x, answers outside 2xx)',
	});

	/** The candidate ends Ordered with one order, no Error tag and no note. */
	async function ordered(id: string): Promise<void> {
		await waitUntil(`Ordered or Error tag on ${id}`, () =>
			tagsOf(id).some((t) => t === ORDERED || t === ERROR),
		);
		await settled(n8n, template.workflowId);
		expect(tagsOf(id)).toContain(ORDERED);
		expect(tagsOf(id)).not.toContain(ERROR);
		expect(ordersFor(id)).toHaveLength(1);
	}

	it("a tag naming the package (Proforma_Executive Plus): Proforma's 404 for that code makes the node read the package list and order the package's code", async () => {
		moveToScreening('opp-grace');
		await ordered('opp-grace');
		const calls = proforma.state().requests.map((r) => `${r.status} ${r.method} ${r.path}`);
		expect(calls).toEqual(['404 POST /v1/orders', '200 GET /v1/packages', '201 POST /v1/orders']);
	});

	it('Proforma down (503): retried, and the order goes through once Proforma is back', async () => {
		proforma.setFaults({ failNext: { count: 2, status: 503 } });
		moveToScreening('opp-ada');
		await ordered('opp-ada');
		const statuses = proforma.state().requests.map((r) => `${r.status} ${r.method} ${r.path}`);
		expect(statuses).toEqual(['503 POST /v1/orders', '503 POST /v1/orders', '201 POST /v1/orders']);
	});
});
