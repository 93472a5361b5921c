/**
 * Issue 5: the template workflow in a real n8n 2.x, against the Lever and
 * Proforma sandboxes. Each scenario starts from the sandboxes' seed data and
 * asserts their final state: tags and notes in Lever, orders in Proforma.
 *
 * `npm test` runs this file twice: as imported, and with E2E_TEMPLATE_LIFECYCLE=off,
 * which publishes every variant with progress and result tags switched off and the
 * other settings at their defaults, to show that the scenarios from before issue 13
 * pass unchanged in that configuration (issue 13's own scenarios, which switch those
 * settings themselves, run in the first pass only).
 */
import { createHmac, randomBytes } from 'crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import type { ProformaSandbox } from '../../sandboxes/proforma/server';
import { prepareTemplate } from '../../scripts/lib/template';
import { getE2E, pause, postJson, templateLifecycleOff } from './support/env';
import { resetToSeed } from './support/reset';
import {
	expectCompletedClear,
	forgedStageChange,
	noteText,
	sandboxView,
	waitUntil,
} from './support/scenario';

const e2e = getE2E();
const n8n = e2e.n8n;
const lever = e2e.lever();
const proforma = e2e.proforma() as unknown as ProformaSandbox;
const SCREENING = lever.SEED.stages.backgroundScreening;
const ORDERED = 'Background Check:Ordered';
const ERROR = 'Background Check:Error';
const COMPLETED = 'Background Check:Completed';
const CLEAR = 'Background Check:Clear';
const CONSIDER = 'Background Check:Consider';
const RETRYING = 'Background Check:Retrying';
const IN_PROGRESS = 'Background Check:In Progress';
const ACTION_REQUIRED = 'Background Check:Action Required';
const EXPIRED = 'Background Check:Expired';
const CANCELLED = 'Background Check:Cancelled';

/** E2E_TEMPLATE_LIFECYCLE=off: today's journey, without progress and result tags. */
const LIFECYCLE_OFF = templateLifecycleOff();
const BASE_SETTINGS = LIFECYCLE_OFF ? { progressTags: false, resultTags: false } : {};
const describeAsImported = LIFECYCLE_OFF ? describe.skip : describe;

interface Variant {
	workflowId: string;
	leverUrl: string;
	leverArchiveUrl: string;
	proformaUrl: string;
}

const { opportunity, tagsOf, notesOf, ordersFor } = sandboxView(lever, proforma);

/** Waits until every execution of the workflow has finished, and returns how many there are. */
async function settled(workflowId: string): Promise<number> {
	const all = await n8n.listExecutions({ workflowId });
	await n8n.waitForExecutions({ workflowId, count: all.length, timeoutMs: 60000 });
	return all.length;
}

/** Publishes one variant of the template at a time: they share webhook paths, as two imports would. */
let active: Variant | undefined;
async function activate(options: {
	name: string;
	settings?: Record<string, unknown>;
	scheduleSeconds?: number;
	callbacks?: boolean;
}): Promise<Variant> {
	if (active) {
		await n8n.unpublishWorkflow(active.workflowId);
		await settled(active.workflowId);
	}
	const prepared = await prepareTemplate(n8n, {
		leverUrl: e2e.leverUrl!,
		proforma,
		screeningStageId: SCREENING,
		name: options.name,
		settings: { ...BASE_SETTINGS, ...options.settings },
		scheduleSeconds: options.scheduleSeconds,
		// "Every 15 minutes" fires at quarter hours of the clock, so a scenario spanning one
		// met a scheduled check mid-way; the scenarios about the schedule set scheduleSeconds.
		scheduleCron: options.scheduleSeconds ? undefined : '0 0 3 29 2 *',
		proformaCallbacks: options.callbacks !== false,
	});
	active = {
		workflowId: prepared.workflowId,
		leverUrl: prepared.webhookUrls.lever,
		leverArchiveUrl: prepared.webhookUrls.leverArchive,
		proformaUrl: prepared.webhookUrls.proforma,
	};
	return active;
}

/** Back to the seed data (see support/reset.js), then Proforma's callbacks to this variant. */
async function resetSandboxes(variant: Variant, callbacks = true) {
	await resetToSeed({ n8n, lever, proforma, workflowId: variant.workflowId });
	if (callbacks) proforma.setAccountCallbackUrl(variant.proformaUrl);
}

async function moveToScreening(opportunityId: string) {
	const deliveries = lever.moveToStage(opportunityId, SCREENING);
	if (deliveries.length !== 1) {
		const webhooks = lever.state().webhooks.map((w) => `${w.event} ${w.url} (${w.source})`);
		throw new Error(
			`Moving ${opportunityId} started ${deliveries.length} deliveries; Lever webhooks: ${webhooks.join('; ') || 'none'}; stage was ${opportunity(opportunityId).stage}`,
		);
	}
	return deliveries[0];
}

/** A new candidate on the standard posting, moved into the screening stage. */
async function newCandidateInScreening(id: string, name: string, email: string) {
	const candidate = lever.createOpportunity({
		id,
		name,
		email,
		postingId: lever.SEED.postings.standard,
	});
	await moveToScreening(candidate.id);
	return candidate;
}

/** Grace Hopper (her email takes Proforma through action_required), ordered. */
async function orderedHopper() {
	const hopper = await newCandidateInScreening(
		'opp-hopper',
		'Grace Hopper',
		'hopper+action@example.com',
	);
	await waitUntil('Ordered tag', () => tagsOf(hopper.id).includes(ORDERED));
	return { hopper, order: ordersFor(hopper.id)[0] };
}

/** A new candidate whose Proforma invitation will expire (`+expire`), moved into the screening stage. */
const lateCandidateInScreening = () =>
	newCandidateInScreening('opp-late', 'Alan Late', 'late+expire@example.com');

describe('template: order path and report path in a real n8n', () => {
	let main: Variant;

	beforeAll(async () => {
		main = await activate({ name: 'E2E template (public note)' });
	});

	beforeEach(async () => {
		await resetSandboxes(active ?? main);
	});

	afterAll(async () => {
		if (active) await n8n.unpublishWorkflow(active.workflowId).catch(() => undefined);
	});

	it('registered its Lever webhook through the API on publish', () => {
		const hooks = lever.state().webhooks.filter((w) => w.url === main.leverUrl);
		expect(hooks.map((w) => [w.event, w.source])).toEqual([['candidateStageChange', 'api']]);
	});

	it("happy path: orders the posting tag's package, tags Ordered, then Completed with a public report note (by callback)", async () => {
		await moveToScreening('opp-ada');
		await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
		await settled(main.workflowId);

		expectCompletedClear(
			lever,
			proforma,
			'opp-ada',
			{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada+clear@example.com' },
			{ resultTags: !LIFECYCLE_OFF },
		);
	});

	it('a candidate already Completed moved again gets nothing new', async () => {
		await moveToScreening('opp-ada');
		await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
		await settled(main.workflowId);
		const before = {
			orders: ordersFor('opp-ada').length,
			notes: notesOf('opp-ada').length,
			tags: [...tagsOf('opp-ada')],
		};

		lever.moveToStage('opp-ada', lever.SEED.stages.offer);
		await moveToScreening('opp-ada');
		await pause(1500);
		await settled(main.workflowId);

		expect(ordersFor('opp-ada')).toHaveLength(before.orders);
		expect(notesOf('opp-ada')).toHaveLength(before.notes);
		expect(tagsOf('opp-ada')).toEqual(before.tags);
	});

	it.each([
		['opp-edsger', 'no package tag', /No Proforma package tag/i],
		['opp-katherine', 'an unknown package', /unknown_pkg/],
		['opp-alan', 'no email', /email/i],
		['opp-barbara', 'Proforma refusing the order (422)', /Proforma refused the order/i],
	])('%s with %s: tag Error plus a note that says why, no order', async (id, _what, why) => {
		await moveToScreening(id);
		await waitUntil(
			`Error note on ${id}`,
			() => tagsOf(id).includes(ERROR) && notesOf(id).length > 0,
		);
		await settled(main.workflowId);

		expect(tagsOf(id)).toContain(ERROR);
		expect(tagsOf(id)).not.toContain(ORDERED);
		expect(proforma.state().orders.filter((o) => o.clientReference === id)).toHaveLength(0);
		const notes = notesOf(id);
		expect(notes).toHaveLength(1);
		expect(noteText(notes[0])).toMatch(/^Background check was not ordered: /);
		expect(noteText(notes[0])).toMatch(why);
	});

	it('Proforma down, then back: the order goes through after retries', async () => {
		proforma.setFaults({ failNext: { count: 2, status: 503 } });
		await moveToScreening('opp-ada');
		await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
		await settled(main.workflowId);

		expect(ordersFor('opp-ada')).toHaveLength(1);
		const statuses = proforma.state().requests.map((r) => `${r.status} ${r.method} ${r.path}`);
		expect(statuses.filter((s) => s.startsWith('503 '))).toHaveLength(2);
		expect(statuses).toContain('201 POST /v1/orders');
		expect(tagsOf('opp-ada')).not.toContain(ERROR);
	});

	it('a forged webhook is refused with 401 and orders nothing', async () => {
		const executions = await settled(main.workflowId);
		const forged = forgedStageChange('opp-ada', SCREENING, lever.SEED.stages.onsiteInterview);
		const answer = await postJson(main.leverUrl, forged);
		expect(answer.status).toBe(401);
		await pause(1500);
		expect(await settled(main.workflowId)).toBe(executions);
		expect(ordersFor('opp-ada')).toHaveLength(0);
		expect(tagsOf('opp-ada')).not.toContain(ORDERED);
	});

	it('the same delivery three times orders once', async () => {
		const deliveryId = await moveToScreening('opp-grace');
		await waitUntil('Ordered tag on Grace', () => tagsOf('opp-grace').includes(ORDERED));
		await lever.rerunDelivery(deliveryId);
		await lever.rerunDelivery(deliveryId);
		await pause(1000);
		await settled(main.workflowId);

		const delivery = lever.state().deliveries.find((d) => d.id === deliveryId)!;
		expect(delivery.attempts.map((a) => a.status)).toEqual([200, 200, 200]);
		expect(ordersFor('opp-grace')).toHaveLength(1);
		expect(tagsOf('opp-grace')).not.toContain(ERROR);
	});

	it('three concurrent duplicates of a delivery order once', async () => {
		const deliveryId = await moveToScreening('opp-grace');
		await Promise.all([
			lever.rerunDelivery(deliveryId),
			lever.rerunDelivery(deliveryId),
			lever.rerunDelivery(deliveryId),
		]);
		await waitUntil('Ordered tag on Grace', () => tagsOf('opp-grace').includes(ORDERED));
		await pause(1000);
		await settled(main.workflowId);

		expect(ordersFor('opp-grace')).toHaveLength(1);
		expect(tagsOf('opp-grace').filter((t) => t === ORDERED)).toHaveLength(1);
		expect(tagsOf('opp-grace')).not.toContain(ERROR);
		// Proforma replayed the order to the other copies moments after creating it: only one tags.
		const orderedTagging = lever
			.state()
			.requests.filter(
				(r) =>
					r.path.endsWith('/opportunities/opp-grace/addTags') &&
					JSON.stringify((r.body as { tags?: string[] })?.tags) === JSON.stringify([ORDERED]),
			);
		expect(orderedTagging).toHaveLength(1);
		await waitUntil('Completed tag on Grace', () => tagsOf('opp-grace').includes(COMPLETED));
		await settled(main.workflowId);
		expect(notesOf('opp-grace')).toHaveLength(1);
	});

	it("a captured signed delivery replayed with another candidate's id orders nothing for that candidate", async () => {
		const deliveryId = await moveToScreening('opp-ada');
		await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
		await settled(main.workflowId);
		const captured = lever.state().deliveries.find((d) => d.id === deliveryId)!.payload;

		// Lever signs token + triggeredAt only, so the signature still verifies.
		const doctored = {
			...captured,
			data: { ...captured.data, opportunityId: 'opp-grace', candidateId: 'opp-grace' },
		};
		const answer = await postJson(main.leverUrl, doctored);
		// Accepted (the signature is genuine); the execution reads Grace from Lever,
		// finds her outside the screening stage and stops before ordering.
		expect(answer.status).toBe(200);
		// n8n answered after creating the execution: wait for it (and Ada's callback) to end.
		await pause(1500);
		await settled(main.workflowId);

		expect(ordersFor('opp-grace')).toHaveLength(0);
		expect(tagsOf('opp-grace')).not.toContain(ORDERED);
		expect(tagsOf('opp-grace')).not.toContain(ERROR);
	});

	it('secret note: with Secret on in Note: report, the report note is secret', async () => {
		const secret = await activate({
			name: 'E2E template (secret note)',
			settings: { secretNote: true },
		});
		await resetSandboxes(secret);
		await moveToScreening('opp-grace');
		await waitUntil('Completed tag on Grace', () => tagsOf('opp-grace').includes(COMPLETED));
		await settled(secret.workflowId);

		const [order] = ordersFor('opp-grace');
		expect(order).toMatchObject({
			package: 'executive_plus',
			status: 'completed',
			result: 'review',
		});
		expect(tagsOf('opp-grace')).toContain(COMPLETED);
		expect(tagsOf('opp-grace')).not.toContain(CLEAR);
		if (LIFECYCLE_OFF) expect(tagsOf('opp-grace')).not.toContain(CONSIDER);
		else expect(tagsOf('opp-grace')).toContain(CONSIDER);
		const notes = notesOf('opp-grace');
		expect(notes).toHaveLength(1);
		expect(notes[0].secret).toBe(true);
		expect(noteText(notes[0])).toContain(order.report!.url);
	});

	it('advance on clear with result tags off: a clear candidate moves to the stage, a review one stays', async () => {
		const advancing = await activate({
			name: 'E2E template (advance on clear, no result tags)',
			settings: { advanceStageId: lever.SEED.stages.offer, resultTags: false },
		});
		await resetSandboxes(advancing);
		await moveToScreening('opp-ada');
		await moveToScreening('opp-grace');
		await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
		await waitUntil('Completed tag on Grace', () => tagsOf('opp-grace').includes(COMPLETED));
		await waitUntil(
			'Ada in the offer stage',
			() => opportunity('opp-ada').stage === lever.SEED.stages.offer,
		);
		await settled(advancing.workflowId);

		expect(opportunity('opp-grace').stage).toBe(SCREENING);
		for (const id of ['opp-ada', 'opp-grace']) {
			expect(tagsOf(id)).not.toContain(CLEAR);
			expect(tagsOf(id)).not.toContain(CONSIDER);
			expect(notesOf(id)).toHaveLength(1);
		}
	});

	it('Default Package: a candidate without a package tag gets it; two package tags get Error naming both', async () => {
		const withDefault = await activate({
			name: 'E2E template (default package)',
			settings: { defaultPackage: 'standard' },
		});
		await resetSandboxes(withDefault);
		await moveToScreening('opp-edsger');
		const twoTags = lever.createOpportunity({
			id: 'opp-two-tags',
			name: 'Radia Perlman',
			email: 'radia+clear@example.com',
			postingId: lever.SEED.postings.standard,
			stageId: lever.SEED.stages.offer,
			tags: ['Proforma_exec_plus'],
		});
		await moveToScreening(twoTags.id);
		await waitUntil('Ordered tag on Edsger', () => tagsOf('opp-edsger').includes(ORDERED));
		await waitUntil('Error tag on Radia', () => tagsOf(twoTags.id).includes(ERROR));
		await settled(withDefault.workflowId);

		expect(ordersFor('opp-edsger')).toHaveLength(1);
		expect(ordersFor('opp-edsger')[0].package).toBe('standard');
		expect(ordersFor(twoTags.id)).toHaveLength(0);
		const notes = notesOf(twoTags.id);
		expect(notes).toHaveLength(1);
		expect(noteText(notes[0])).toContain('several Proforma package tags');
		expect(noteText(notes[0])).toContain('Proforma_standard');
		expect(noteText(notes[0])).toContain('Proforma_exec_plus');
	});

	it('a stage change Lever never delivered is caught by the schedule: ordered and completed', async () => {
		const poller = await activate({ name: 'E2E template (missed webhook)', scheduleSeconds: 5 });
		await resetSandboxes(poller);
		// A candidate already in the screening stage without any delivery (as if n8n was
		// down for the whole of Lever's retries): only the schedule can find it.
		const hedy = lever.createOpportunity({
			id: 'opp-hedy',
			name: 'Hedy Lamarr',
			email: 'hedy+clear@example.com',
			postingId: lever.SEED.postings.standard,
			stageId: SCREENING,
		});
		expect(lever.state().deliveries.filter((d) => d.event === 'candidateStageChange')).toHaveLength(
			0,
		);

		await waitUntil(
			'Ordered tag on Hedy (from the schedule)',
			() => tagsOf(hedy.id).includes(ORDERED),
			60000,
		);
		await waitUntil('Completed tag on Hedy', () => tagsOf(hedy.id).includes(COMPLETED), 60000);
		expect(ordersFor(hedy.id)).toHaveLength(1);
		expect(ordersFor(hedy.id)[0]).toMatchObject({
			package: 'standard',
			candidate: { firstName: 'Hedy', lastName: 'Lamarr' },
		});
		// Seed candidates outside the screening stage are left alone.
		expect(proforma.state().orders.map((o) => o.clientReference)).toEqual([hedy.id]);
	});

	it('completion by the schedule backstop when the callback never arrives', async () => {
		const backstop = await activate({
			name: 'E2E template (backstop)',
			scheduleSeconds: 5,
			callbacks: false,
		});
		await resetSandboxes(backstop, false);
		await moveToScreening('opp-ada');
		await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
		await waitUntil('a completed order for Ada', () =>
			ordersFor('opp-ada').find((o) => o.status === 'completed'),
		);
		expect(proforma.state().deliveries).toHaveLength(0);

		await waitUntil(
			'Completed tag on Ada (from the schedule)',
			() => tagsOf('opp-ada').includes(COMPLETED),
			60000,
		);
		await n8n.unpublishWorkflow(backstop.workflowId);
		active = undefined;
		await settled(backstop.workflowId);

		const notes = notesOf('opp-ada');
		expect(notes).toHaveLength(1);
		expect(noteText(notes[0])).toContain(ordersFor('opp-ada')[0].report!.url);
		expect(ordersFor('opp-ada')).toHaveLength(1);
		// The schedule lists the orders completed lately, never one order per candidate.
		const listings = proforma
			.state()
			.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/orders?'));
		expect(listings.length).toBeGreaterThan(0);
		// (The completed ones, and with progress tags on also every order changed lately.)
		expect(listings.some((listing) => listing.path.includes('status=completed'))).toBe(true);
		for (const listing of listings) {
			expect(listing.path).toContain('updatedSince=');
			expect(listing.path).not.toContain('clientReference=');
		}
	});

	it('Proforma down for longer than the retries: Retrying (not Error), then the schedule orders once it is back', async () => {
		const poller = await activate({ name: 'E2E template (Proforma outage)', scheduleSeconds: 10 });
		await resetSandboxes(poller);
		proforma.setFaults({ failNext: { count: 1000, status: 500 } });
		await moveToScreening('opp-ada');
		await waitUntil('Retrying tag on Ada', () => tagsOf('opp-ada').includes(RETRYING), 90000);
		expect(tagsOf('opp-ada')).not.toContain(ERROR);
		expect(notesOf('opp-ada')).toHaveLength(0);
		expect(ordersFor('opp-ada')).toHaveLength(0);

		proforma.setFaults({ clear: true });
		await waitUntil(
			'Ordered tag on Ada (from the schedule)',
			() => tagsOf('opp-ada').includes(ORDERED),
			120000,
		);
		await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED), 60000);
		await waitUntil('Retrying tag removed', () => !tagsOf('opp-ada').includes(RETRYING), 60000);
		await n8n.unpublishWorkflow(poller.workflowId);
		active = undefined;
		await settled(poller.workflowId);

		expect(ordersFor('opp-ada')).toHaveLength(1);
		expect(tagsOf('opp-ada')).not.toContain(ERROR);
		const notes = notesOf('opp-ada');
		expect(notes).toHaveLength(1);
		expect(noteText(notes[0])).toContain(ordersFor('opp-ada')[0].report!.url);
	});
	// Issue 13's progress, result and latest-only scenarios switch those settings themselves;
	// with E2E_TEMPLATE_LIFECYCLE=off they ran in the suite's first pass (see the header).
	describeAsImported('progress and result tags', () => {
		it('progress tags in order, with duplicated callbacks: In Progress, Action Required with one note, then Completed', async () => {
			const lifecycle = await activate({
				name: 'E2E template (progress tags)',
				settings: { progressTags: true },
			});
			await resetSandboxes(lifecycle);
			proforma.setStepMs(0); // the test moves the order one status at a time
			proforma.setFaults({ duplicateCallbacks: true });
			const { hopper, order } = await orderedHopper();
			const step = async (status: string, done: () => boolean) => {
				expect(proforma.advance(order.id).status).toBe(status);
				await waitUntil(`after ${status}`, done);
				await settled(lifecycle.workflowId);
			};
			await step('submitted', () => tagsOf(hopper.id).includes(IN_PROGRESS));
			await step('in_progress', () => true);
			await step('action_required', () => tagsOf(hopper.id).includes(ACTION_REQUIRED));
			await waitUntil('the action note', () => notesOf(hopper.id).length === 1);
			await step('in_progress', () => true);
			await step('completed', () => tagsOf(hopper.id).includes(COMPLETED));

			const tags = tagsOf(hopper.id);
			for (const tag of [ORDERED, IN_PROGRESS, ACTION_REQUIRED, COMPLETED, CLEAR]) {
				expect(tags.filter((t) => t === tag)).toHaveLength(1);
			}
			for (const tag of [ERROR, EXPIRED, CANCELLED, RETRYING]) expect(tags).not.toContain(tag);
			const notes = notesOf(hopper.id).map(noteText);
			expect(notes).toHaveLength(2);
			expect(notes.filter((n) => n.startsWith('Proforma needs something more'))).toHaveLength(1);
			expect(notes.filter((n) => n.startsWith('Proforma background check completed'))).toHaveLength(
				1,
			);
			const copies = proforma.state().deliveries.filter((d) => d.orderId === order.id);
			expect(copies.filter((d) => d.duplicate).length).toBeGreaterThan(0);
		});

		it('latest status tag only: each status replaces the one before, and a candidate in progress is not ordered again', async () => {
			const latest = await activate({
				name: 'E2E template (latest status tag only)',
				settings: { latestStatusTagOnly: true },
			});
			await resetSandboxes(latest);
			proforma.setStepMs(0);
			const statusTags = [ORDERED, IN_PROGRESS, ACTION_REQUIRED, EXPIRED, CANCELLED, COMPLETED];
			const statusOf = (id: string) => tagsOf(id).filter((tag) => statusTags.includes(tag));
			// Ordered reaches Lever only after In Progress (a slow request, or a concurrent copy of
			// the delivery that tags late): it must not stay next to the newer status.
			lever.setFaults({
				slowNext: { count: 1, ms: 4000, pathIncludes: '/addTags', bodyIncludes: ORDERED },
			});
			await moveToScreening('opp-ada');
			await waitUntil('an order for Ada', () => ordersFor('opp-ada').length === 1);
			const [order] = ordersFor('opp-ada');
			expect(proforma.advance(order.id).status).toBe('submitted');
			await waitUntil('In Progress on Ada', () => tagsOf('opp-ada').includes(IN_PROGRESS));
			expect(tagsOf('opp-ada')).not.toContain(ORDERED); // still on its way
			await waitUntil('the late Ordered tag handled', () =>
				lever
					.state()
					.requests.some(
						(r) =>
							r.path.endsWith('/addTags') &&
							r.status === 200 &&
							JSON.stringify(r.body).includes(ORDERED),
					),
			);
			await settled(latest.workflowId);
			expect(statusOf('opp-ada')).toEqual([IN_PROGRESS]);

			// Moved out of the screening stage and back while in progress: nothing new.
			lever.moveToStage('opp-ada', lever.SEED.stages.onsiteInterview);
			await moveToScreening('opp-ada');
			await pause(1500);
			await settled(latest.workflowId);
			expect(statusOf('opp-ada')).toEqual([IN_PROGRESS]);

			expect(proforma.advance(order.id).status).toBe('in_progress');
			expect(proforma.advance(order.id).status).toBe('completed');
			await waitUntil('Completed alone', () => statusOf('opp-ada').join() === COMPLETED);
			await settled(latest.workflowId);

			expect(tagsOf('opp-ada')).toContain(CLEAR);
			expect(statusOf('opp-ada')).toEqual([COMPLETED]);
			expect(ordersFor('opp-ada')).toHaveLength(1);
			expect(notesOf('opp-ada')).toHaveLength(1);
		});

		it('callbacks out of order (newest first) never move the status backwards', async () => {
			const lifecycle = await activate({
				name: 'E2E template (out of order)',
				settings: { progressTags: true },
			});
			await resetSandboxes(lifecycle);
			proforma.setFaults({ outOfOrderCallbacks: true, duplicateCallbacks: true });
			await moveToScreening('opp-ada');
			await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
			await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED), 60000);
			await waitUntil('every held callback answered', () =>
				proforma.state().deliveries.every((d) => d.status !== 'held' && d.status !== 'pending'),
			);
			await settled(lifecycle.workflowId);

			// completed arrived first; the later in_progress and submitted ones are stale.
			expect(tagsOf('opp-ada')).not.toContain(IN_PROGRESS);
			expectCompletedClear(lever, proforma, 'opp-ada', {
				firstName: 'Ada',
				lastName: 'Lovelace',
				email: 'ada+clear@example.com',
			});
		});

		it('progress callbacks that never arrive: the schedule adds each missing status tag once, with one note', async () => {
			const poller = await activate({
				name: 'E2E template (missed progress callbacks)',
				settings: { progressTags: true },
				scheduleSeconds: 5,
				callbacks: false,
			});
			await resetSandboxes(poller, false);
			proforma.setStepMs(0);
			const { hopper, order } = await orderedHopper();
			expect(proforma.advance(order.id).status).toBe('submitted');
			await waitUntil(
				'In Progress (schedule)',
				() => tagsOf(hopper.id).includes(IN_PROGRESS),
				30000,
			);
			expect(proforma.advance(order.id).status).toBe('in_progress');
			expect(proforma.advance(order.id).status).toBe('action_required');
			await waitUntil(
				'Action Required and its note (schedule)',
				() => tagsOf(hopper.id).includes(ACTION_REQUIRED) && notesOf(hopper.id).length === 1,
				30000,
			);
			// Two more runs of the schedule find nothing missing: nothing written.
			const writes = () => lever.state().requests.filter((r) => r.method !== 'GET').length;
			await settled(poller.workflowId);
			const before = writes();
			await pause(11000);
			await settled(poller.workflowId);
			expect(writes()).toBe(before);

			expect(proforma.advance(order.id).status).toBe('in_progress');
			expect(proforma.advance(order.id).status).toBe('completed');
			await waitUntil('Completed (schedule)', () => tagsOf(hopper.id).includes(COMPLETED), 30000);
			await n8n.unpublishWorkflow(poller.workflowId);
			active = undefined;
			await settled(poller.workflowId);

			expect(proforma.state().deliveries).toHaveLength(0);
			const tags = tagsOf(hopper.id);
			for (const tag of [ORDERED, IN_PROGRESS, ACTION_REQUIRED, COMPLETED]) {
				expect(tags.filter((t) => t === tag)).toHaveLength(1);
			}
			const notes = notesOf(hopper.id).map(noteText);
			expect(notes).toHaveLength(2);
			expect(notes.filter((n) => n.startsWith('Proforma needs something more'))).toHaveLength(1);
		});

		it('an expired invitation tags Expired with a note; a cancelled order tags Cancelled', async () => {
			const lifecycle = await activate({
				name: 'E2E template (expired, cancelled)',
				settings: { progressTags: true },
			});
			await resetSandboxes(lifecycle);
			const late = await lateCandidateInScreening();
			await waitUntil('Expired tag', () => tagsOf(late.id).includes(EXPIRED), 60000);
			await waitUntil('the expiry note', () => notesOf(late.id).length === 1);

			proforma.setStepMs(0);
			await moveToScreening('opp-ada');
			await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
			proforma.advance(ordersFor('opp-ada')[0].id, { to: 'cancelled' });
			await waitUntil('Cancelled tag on Ada', () => tagsOf('opp-ada').includes(CANCELLED));
			await settled(lifecycle.workflowId);

			expect(noteText(notesOf(late.id)[0])).toMatch(/invitation expired/);
			expect(tagsOf(late.id)).not.toContain(COMPLETED);
			expect(notesOf('opp-ada')).toHaveLength(0);
			expect(tagsOf('opp-ada')).not.toContain(COMPLETED);
		});

		it('Resend invitation on: an expired first invitation is re-sent once with a note; a second expiry is left to the recruiter', async () => {
			const resending = await activate({
				name: 'E2E template (re-send expired)',
				settings: { progressTags: true, resendExpiredInvitation: true },
			});
			await resetSandboxes(resending);
			const late = await lateCandidateInScreening();
			await waitUntil('the re-sent note', () => notesOf(late.id).length === 1, 60000);
			proforma.setStepMs(0);
			const [order] = ordersFor(late.id);
			expect(noteText(notesOf(late.id)[0])).toMatch(/Proforma has sent them a new invitation/);
			expect(proforma.state().invitations.filter((i) => i.orderId === order.id)).toHaveLength(2);

			proforma.advance(order.id, { to: 'expired' });
			await waitUntil('the second expiry note', () => notesOf(late.id).length === 2);
			await settled(resending.workflowId);

			expect(noteText(notesOf(late.id)[1])).toMatch(/re-send the invitation in Proforma/);
			expect(proforma.state().invitations.filter((i) => i.orderId === order.id)).toHaveLength(2);
			expect(ordersFor(late.id)[0].status).toBe('expired');
			expect(tagsOf(late.id)).toEqual(expect.arrayContaining([ORDERED, EXPIRED]));
		});

		it('progress and result tags off: exactly Ordered then Completed, status changes start nothing', async () => {
			const plain = await activate({
				name: 'E2E template (lifecycle off)',
				settings: { progressTags: false, resultTags: false },
			});
			await resetSandboxes(plain);
			const before = lever
				.state()
				.opportunities.find((o) => o.id === 'opp-ada')!
				.tags.slice();
			await moveToScreening('opp-ada');
			await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
			await settled(plain.workflowId);

			expect(tagsOf('opp-ada')).toEqual([...before, ORDERED, COMPLETED]);
			expect(notesOf('opp-ada')).toHaveLength(1);
			// One execution for the stage change, one for order.completed.
			expect(await settled(plain.workflowId)).toBe(2);
		});
	});

	describeAsImported('re-screening', () => {
		let rescreening: Variant;
		beforeAll(async () => {
			rescreening = await activate({
				name: 'E2E template (re-screen after 30 days)',
				settings: { rescreenAfterDays: 30 },
			});
		});

		const moveAgain = async () => {
			lever.moveToStage('opp-ada', lever.SEED.stages.offer);
			await moveToScreening('opp-ada');
			await pause(1500);
			await settled(rescreening.workflowId);
		};

		/** Ada screened, moved again the same day (nothing), then 31 days later (a re-screen, held open). */
		async function adaRescreened() {
			await resetSandboxes(rescreening);
			await moveToScreening('opp-ada');
			await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
			await settled(rescreening.workflowId);
			const [first] = ordersFor('opp-ada');

			await moveAgain(); // the screening completed moments ago
			expect(ordersFor('opp-ada')).toHaveLength(1);
			expect(notesOf('opp-ada')).toHaveLength(1);

			proforma.backdate(first.id, 31);
			proforma.setStepMs(0); // the re-screen stays open until the test moves it
			await moveAgain();
			const orders = ordersFor('opp-ada');
			expect(orders).toHaveLength(2);
			return { first, second: orders.find((o) => o.id !== first.id)! };
		}

		it('re-screen after 30 days: moved again sooner, nothing; later a new order that clears the old tags, then a second report note; moved again right after, nothing', async () => {
			const { first, second } = await adaRescreened();
			expect(second.clientReference).toBe(`opp-ada-after-${first.id}`);
			expect(second.metadata.leverOpportunityId).toBe('opp-ada');
			await waitUntil("Ordered without the first screening's tags", () => {
				const tags = tagsOf('opp-ada');
				return tags.includes(ORDERED) && !tags.includes(COMPLETED);
			});
			for (const tag of [CLEAR, IN_PROGRESS, ERROR]) expect(tagsOf('opp-ada')).not.toContain(tag);

			for (const status of ['submitted', 'in_progress', 'completed'])
				expect(proforma.advance(second.id).status).toBe(status);
			await waitUntil(
				'the re-screen completed, with its own report note',
				() => tagsOf('opp-ada').includes(COMPLETED) && notesOf('opp-ada').length === 2,
			);
			await settled(rescreening.workflowId);
			// (The statuses in between passed faster than their callbacks: no In Progress tag.)
			for (const tag of [ORDERED, COMPLETED, CLEAR])
				expect(tagsOf('opp-ada').filter((t) => t === tag)).toHaveLength(1);
			const reportNotes = notesOf('opp-ada').map(noteText);
			expect(reportNotes.filter((n) => n.includes(`Proforma order ${second.id}`))).toHaveLength(1);
			expect(reportNotes.filter((n) => n.includes(`Proforma order ${first.id}`))).toHaveLength(1);

			await moveAgain(); // the re-screen completed moments ago
			expect(ordersFor('opp-ada')).toHaveLength(2);
			expect(notesOf('opp-ada')).toHaveLength(2);
		});

		it('a re-screen open when the candidate is archived is cancelled, with the Cancelled tag and a note', async () => {
			const { second } = await adaRescreened();
			await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
			lever.archive('opp-ada', lever.SEED.archiveReasons.withdrew);
			await waitUntil('Cancelled tag on Ada', () => tagsOf('opp-ada').includes(CANCELLED));
			await settled(rescreening.workflowId);
			const statuses = ordersFor('opp-ada').map((o) => [o.id, o.status]);
			expect(statuses).toContainEqual([second.id, 'cancelled']);
			expect(statuses.filter(([, status]) => status === 'completed')).toHaveLength(1);
			const notes = notesOf('opp-ada').map(noteText);
			expect(notes.filter((n) => /archived in Lever \(Withdrew\)/.test(n))).toHaveLength(1);
		});
	});

	describe('cancel on archive or deletion', () => {
		let archiving: Variant;
		beforeAll(async () => {
			archiving = await activate({ name: 'E2E template (cancel on archive)' });
		});

		/** Ada ordered, her order held open (the Proforma clock stopped). */
		async function adaOrdered() {
			proforma.setStepMs(0);
			await moveToScreening('opp-ada');
			await waitUntil('Ordered tag on Ada', () => tagsOf('opp-ada').includes(ORDERED));
			await settled(archiving.workflowId);
			return ordersFor('opp-ada')[0];
		}

		it('archived (withdrew): the open order is cancelled, Cancelled tag and one note, also when Lever re-sends', async () => {
			const order = await adaOrdered();
			const [delivery] = lever.archive('opp-ada', lever.SEED.archiveReasons.withdrew);
			await waitUntil('Cancelled tag on Ada', () => tagsOf('opp-ada').includes(CANCELLED));
			await settled(archiving.workflowId);
			await lever.rerunDelivery(delivery);
			await settled(archiving.workflowId);

			expect(ordersFor('opp-ada')).toEqual([
				expect.objectContaining({ id: order.id, status: 'cancelled' }),
			]);
			const notes = notesOf('opp-ada');
			expect(notes).toHaveLength(1);
			expect(noteText(notes[0])).toMatch(
				/archived in Lever \(Withdrew\).*standard package was cancelled/,
			);
			expect(tagsOf('opp-ada')).not.toContain(COMPLETED);
		});

		it('archived as hired keeps the order; a completed order is never cancelled; unarchiving changes nothing', async () => {
			const order = await adaOrdered();
			lever.archive('opp-ada', lever.SEED.archiveReasons.hired);
			await pause(1500);
			await settled(archiving.workflowId);
			expect(ordersFor('opp-ada')[0].status).toBe('invited');

			lever.archive('opp-ada', null);
			proforma.advance(order.id, { to: 'completed' });
			await waitUntil('Completed tag on Ada', () => tagsOf('opp-ada').includes(COMPLETED));
			lever.archive('opp-ada', lever.SEED.archiveReasons.withdrew);
			await pause(1500);
			await settled(archiving.workflowId);

			expect(ordersFor('opp-ada')).toEqual([expect.objectContaining({ status: 'completed' })]);
			expect(tagsOf('opp-ada')).not.toContain(CANCELLED);
			expect(notesOf('opp-ada')).toHaveLength(1); // the report note only
		});

		it('deleted: the open order is cancelled and nothing is written to Lever', async () => {
			const order = await adaOrdered();
			const notesBefore = lever.state().notes.length;
			lever.deleteOpportunity('opp-ada');
			await waitUntil('the order cancelled', () => ordersFor('opp-ada')[0].status === 'cancelled');
			await settled(archiving.workflowId);

			expect(ordersFor('opp-ada')).toEqual([
				expect.objectContaining({ id: order.id, status: 'cancelled' }),
			]);
			expect(lever.state().notes).toHaveLength(notesBefore);
		});

		it('a signed candidateDeleted delivery for a candidate Lever still has cancels nothing', async () => {
			await adaOrdered();
			const hook = lever
				.state()
				.webhooks.find(
					(w) => w.url === archiving.leverArchiveUrl && w.event === 'candidateDeleted',
				)!;
			// Lever signs token + triggeredAt only: whoever holds one signed delivery can change its data.
			const token = randomBytes(24).toString('hex');
			const triggeredAt = Date.now();
			const answer = await postJson(archiving.leverArchiveUrl, {
				id: 'doctored-delete',
				event: 'candidateDeleted',
				triggeredAt,
				token,
				signature: createHmac('sha256', hook.signatureToken)
					.update(token + triggeredAt)
					.digest('hex'),
				data: { opportunityId: 'opp-ada', candidateId: 'opp-ada' },
			});
			expect(answer.status).toBe(200);
			await pause(1500);
			await settled(archiving.workflowId);

			expect(ordersFor('opp-ada')[0].status).toBe('invited');
			expect(tagsOf('opp-ada')).not.toContain(CANCELLED);
		});
	});
});
