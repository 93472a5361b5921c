/**
 * What a template scenario reads and waits on, shared by the e2e suites that run the
 * template against the sandboxes (test/e2e/template.test.ts, test/e2e-v1/template.test.ts, test/e2e-queue/queue.test.ts): the sandboxes' view
 * of a candidate (tags, notes, Proforma orders), a bounded poll, and "every execution
 * of the workflow has finished".
 */
import { randomBytes } from 'crypto';
import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals';

import type { LeverSandbox } from '../../../sandboxes/lever/server';
import type { ProformaSandbox } from '../../../sandboxes/proforma/server';
import type { N8nClient } from './env';
import { prepareTemplate } from '../../../scripts/lib/template';
import { pause } from './env';
import { resetToSeed } from './reset';

/** Polls until `check` returns a truthy value; fails with `what` after the timeout. */
export async function waitUntil<T>(
	what: string,
	check: () => T | undefined | null | false,
	timeoutMs = 45000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await pause(200);
	}
}

/** The text of a Lever note (its fields' values, one per line). */
export const noteText = (note: { fields: Array<{ value: string }> }) =>
	note.fields.map((f) => f.value).join('\n');

/** A candidate as the sandboxes see it: Lever opportunity, tags, live notes, Proforma orders. */
export function sandboxView(lever: LeverSandbox, proforma: ProformaSandbox) {
	const opportunity = (id: string) => lever.state().opportunities.find((o) => o.id === id)!;
	return {
		opportunity,
		tagsOf: (id: string) => opportunity(id).tags,
		notesOf: (id: string) =>
			lever.state().notes.filter((n) => n.opportunityId === id && !n.deletedAt),
		/** The candidate's orders, re-screens included (their own clientReference, the opportunity in metadata). */
		ordersFor: (id: string) =>
			proforma
				.state()
				.orders.filter((o) => (o.metadata?.leverOpportunityId ?? o.clientReference) === id),
	};
}

/** Waits until every execution of the workflow has finished, and returns how many there are. */
export async function settled(
	n8n: N8nClient,
	workflowId: string,
	timeoutMs = 60000,
): Promise<number> {
	const all = await n8n.listExecutions({ workflowId });
	await n8n.waitForExecutions({ workflowId, count: all.length, timeoutMs });
	return (await n8n.listExecutions({ workflowId })).length;
}

export interface TemplateWorkflow {
	workflowId: string;
	leverUrl: string;
	proformaUrl: string;
}

/**
 * Jest hooks for a suite that runs the template: imports and publishes it once
 * (`beforeAll`), resets both sandboxes to the seed and points Proforma's
 * callbacks at it before each test, unpublishes it at the end. The returned
 * object is filled in by `beforeAll`.
 */
export function useTemplateWorkflow(options: {
	n8n: N8nClient;
	leverUrl: string;
	lever: LeverSandbox;
	proforma: ProformaSandbox;
	screeningStageId: string;
	name: string;
	/** Template settings (scripts/lib/template.js SETTINGS); the template as imported when absent. */
	settings?: Record<string, unknown>;
}): TemplateWorkflow {
	const { n8n, lever, proforma } = options;
	const template: TemplateWorkflow = { workflowId: '', leverUrl: '', proformaUrl: '' };
	beforeAll(async () => {
		const prepared = await prepareTemplate(n8n, {
			leverUrl: options.leverUrl,
			proforma,
			screeningStageId: options.screeningStageId,
			name: options.name,
			settings: options.settings,
			// "Every 15 minutes" fires at quarter hours of the clock, mid-scenario at times:
			// these scenarios do not test the schedule, so it gets a cron that never fires here.
			scheduleCron: '0 0 3 29 2 *',
		});
		template.workflowId = prepared.workflowId;
		template.leverUrl = prepared.webhookUrls.lever;
		template.proformaUrl = prepared.webhookUrls.proforma;
	});
	beforeEach(async () => {
		await resetToSeed({ n8n, lever, proforma, workflowId: template.workflowId });
		proforma.setAccountCallbackUrl(template.proformaUrl);
	});
	afterAll(async () => {
		if (template.workflowId)
			await n8n.unpublishWorkflow(template.workflowId).catch(() => undefined);
	});
	return template;
}

/**
 * A stage change for `opportunityId` with a random, wrong signature: what an
 * attacker who knows the ids but not the token can send.
 */
export function forgedStageChange(opportunityId: string, toStageId: string, fromStageId: string) {
	return {
		id: 'forged-event',
		event: 'candidateStageChange',
		triggeredAt: Date.now(),
		token: randomBytes(24).toString('hex'),
		signature: randomBytes(32).toString('hex'),
		data: { opportunityId, candidateId: opportunityId, toStageId, fromStageId },
	};
}

/**
 * The end of the happy path for a `+clear` candidate on the standard package:
 * one completed order, the Ordered and Completed tags and no Error tag, one
 * public report note with the report link and the result, and Proforma's
 * signed completion callback answered 200 (the schedule runs every 15 minutes).
 */
export function expectCompletedClear(
	lever: LeverSandbox,
	proforma: ProformaSandbox,
	id: string,
	candidate: { firstName: string; lastName: string; email: string },
	options: { resultTags?: boolean } = {},
): void {
	const { tagsOf, notesOf, ordersFor } = sandboxView(lever, proforma);
	const orders = ordersFor(id);
	expect(orders).toHaveLength(1);
	expect(orders[0]).toMatchObject({
		package: 'standard',
		status: 'completed',
		result: 'clear',
		candidate,
	});
	expect(tagsOf(id)).toEqual(
		expect.arrayContaining(['Background Check:Ordered', 'Background Check:Completed']),
	);
	if (options.resultTags === false) expect(tagsOf(id)).not.toContain('Background Check:Clear');
	else expect(tagsOf(id)).toContain('Background Check:Clear');
	expect(tagsOf(id)).not.toContain('Background Check:Consider');
	expect(tagsOf(id)).not.toContain('Background Check:Error');
	const notes = notesOf(id);
	expect(notes).toHaveLength(1);
	expect(notes[0].secret).toBe(false);
	expect(noteText(notes[0])).toContain(orders[0].report!.url);
	expect(noteText(notes[0])).toContain('Result: clear');
	const callbacks = proforma
		.state()
		.deliveries.filter((d) => d.orderId === orders[0].id && d.type === 'order.completed');
	expect(callbacks.some((d) => d.attempts.some((a) => a.status === 200))).toBe(true);
}
