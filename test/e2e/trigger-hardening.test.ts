/**
 * Issue 9 in a real n8n: each doctored delivery found by the attack review is
 * answered by the published trigger without an execution, and nothing reaches
 * the workflow's error workflow. One genuine delivery runs, to show the
 * workflow is listening, and its item carries no replay material.
 */
import { createHmac, randomBytes, randomUUID } from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { fileSize, readFrom } from '../support/built';
import { getE2E, pause, postJson } from './support/env';

const e2e = getE2E();
const n8n = e2e.n8n;
const TRIGGER = 'n8n-nodes-lever-proforma.leverTrigger';

const hmac = (key: string, message: string) =>
	createHmac('sha256', key).update(message).digest('hex');

function noOp(name = 'No Operation') {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [240, 0] as [number, number],
		parameters: {},
	};
}

describe('doctored deliveries in a real n8n (issue 9)', () => {
	const lever = e2e.lever();
	const ada = lever.SEED.opportunities.ada;
	const screening = lever.SEED.stages.backgroundScreening;
	const leverWebhookId = randomUUID();
	const proformaWebhookId = randomUUID();
	const proformaSecret = randomBytes(24).toString('hex');
	let leverWorkflowId: string;
	let proformaWorkflowId: string;
	let errorWorkflowId: string;
	let leverUrl: string;
	let proformaUrl: string;
	let signingToken: string;
	let logStart = 0;

	/** A delivery signed with the token Lever gave the node when it registered. */
	function signed(overrides: Record<string, unknown> = {}, data?: Record<string, unknown>) {
		const token = randomBytes(24).toString('hex');
		const triggeredAt = (overrides.triggeredAt as number | undefined) ?? Date.now();
		return {
			id: randomUUID(),
			event: 'candidateStageChange',
			token,
			triggeredAt,
			signature: hmac(signingToken, token + String(triggeredAt)),
			data: data ?? {
				opportunityId: ada,
				candidateId: ada,
				toStageId: screening,
				fromStageId: lever.SEED.stages.phoneScreen,
			},
			...overrides,
		};
	}

	beforeAll(async () => {
		errorWorkflowId = await n8n.createWorkflow({
			name: 'E2E hardening: error workflow',
			nodes: [
				{
					id: randomUUID(),
					name: 'Error Trigger',
					type: 'n8n-nodes-base.errorTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				noOp(),
			],
			connections: {
				'Error Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] },
			},
		});
		const leverCredential = await n8n.createCredential({
			name: `Lever (hardening) ${Date.now()}`,
			type: 'leverApi',
			data: { apiKey: lever.apiKey, environment: 'custom', baseUrl: lever.url },
		});
		leverWorkflowId = await n8n.createWorkflow({
			name: 'E2E hardening: Lever Trigger',
			settings: { errorWorkflow: errorWorkflowId },
			nodes: [
				{
					id: randomUUID(),
					name: 'Lever Trigger',
					type: TRIGGER,
					typeVersion: 1,
					position: [0, 0],
					webhookId: leverWebhookId,
					// Automatic registration, replay guard on, no To Stages filter, Max Age 300 s.
					parameters: {
						registration: 'automatic',
						authentication: 'apiKey',
						events: ['candidateStageChange'],
						fetchOpportunity: true,
						options: { maxAgeSeconds: 300 },
					},
					credentials: { leverApi: { id: leverCredential, name: 'Lever (hardening)' } },
				},
				noOp(),
			],
			connections: {
				'Lever Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] },
			},
		});
		leverUrl = n8n.webhookUrl(leverWebhookId, 'webhook');
		await n8n.publishWorkflow(leverWorkflowId);
		const hook = lever
			.state()
			.webhooks.find((w) => w.url === leverUrl && w.event === 'candidateStageChange');
		if (!hook) throw new Error('The Lever Trigger registered no webhook in the Lever sandbox');
		signingToken = hook.signatureToken;

		const proformaCredential = await n8n.createCredential({
			name: `Proforma (hardening) ${Date.now()}`,
			type: 'proformaApi',
			data: {
				baseUrl: e2e.proforma().url,
				apiKey: 'sandbox-proforma-key',
				signingSecret: proformaSecret,
			},
		});
		proformaWorkflowId = await n8n.createWorkflow({
			name: 'E2E hardening: Proforma Trigger',
			settings: { errorWorkflow: errorWorkflowId },
			nodes: [
				{
					id: randomUUID(),
					name: 'Proforma Trigger',
					type: 'n8n-nodes-lever-proforma.proformaTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: proformaWebhookId,
					// Events as an expression string, not a list.
					parameters: { events: '={{ "order.completed" }}', options: {} },
					credentials: { proformaApi: { id: proformaCredential, name: 'Proforma (hardening)' } },
				},
				noOp(),
			],
			connections: {
				'Proforma Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] },
			},
		});
		proformaUrl = n8n.webhookUrl(proformaWebhookId, 'webhook');
		await n8n.publishWorkflow(proformaWorkflowId);
		logStart = fileSize(n8n.logFile);
	});

	afterAll(async () => {
		for (const id of [leverWorkflowId, proformaWorkflowId])
			if (id) await n8n.unpublishWorkflow(id).catch(() => undefined);
	});

	it('runs a genuine delivery once; its item has the ids and no token or signature', async () => {
		// A candidate of its own, already in the stage: other suites move the seeded ones around.
		const candidate = lever.createOpportunity({
			name: 'Hardening Check',
			email: 'hardening@example.com',
			stageId: screening,
		});
		const delivery = signed(
			{},
			{
				opportunityId: candidate.id,
				candidateId: candidate.id,
				toStageId: screening,
				fromStageId: lever.SEED.stages.phoneScreen,
			},
		);
		expect((await postJson(leverUrl, delivery)).status).toBe(200);
		const [execution] = await n8n.waitForExecutions({
			workflowId: leverWorkflowId,
			count: 1,
			includeData: true,
		});
		expect(execution.status).toBe('success');
		const item =
			execution.data?.resultData.runData['Lever Trigger']?.[0]?.data?.main[0]?.[0]?.json ?? {};
		expect(item).toMatchObject({
			event: 'candidateStageChange',
			opportunityId: candidate.id,
			toStageId: screening,
		});
		expect(item).not.toHaveProperty('envelope');
		expect(JSON.stringify(execution.data)).not.toContain(delivery.token);
		expect(JSON.stringify(execution.data)).not.toContain(delivery.signature);
	});

	it('1. a signed stage change without a string opportunity id: 200, nothing started, Lever not asked', async () => {
		const before = lever.state().requests.length;
		const bodies = [
			signed({}, { toStageId: screening, applicationId: 'app-x' }),
			...[42, null, '', ['x'], { id: ada }].map((opportunityId) =>
				signed({}, { opportunityId, toStageId: screening }),
			),
		];
		for (const body of bodies) {
			const response = await postJson(leverUrl, body);
			expect(response).toMatchObject({
				status: 200,
				body: { received: true, ignored: 'no opportunity in the delivery' },
			});
		}
		expect(
			lever
				.state()
				.requests.slice(before)
				.filter((r) => r.path.includes('/opportunities/')),
		).toEqual([]);
	});

	it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
		'2. an unsigned "%s" event: 401, not a 500 with a stack trace',
		async (event) => {
			const response = await postJson(leverUrl, { ...signed(), event, signature: '0'.repeat(64) });
			expect(response.status).toBe(401);
			expect(response.body).toEqual({ error: 'Invalid signature' });
		},
	);

	it('3. an unverified event with a fake log line is not written to the log', async () => {
		const marker = `FAKE-${randomUUID()}`;
		const response = await postJson(leverUrl, {
			...signed(),
			event: `x\n2026-01-01 INFO ${marker} ${'y'.repeat(200_000)}`,
			signature: '0'.repeat(64),
		});
		expect(response.status).toBe(401);
		await pause(500);
		expect(readFrom(n8n.logFile, logStart)).not.toContain(marker);
	});

	it('4. digits moved from triggeredAt into the token of a 47-day-old delivery: refused despite a valid signature', async () => {
		const old = signed({ triggeredAt: Date.now() - 47 * 86_400_000 });
		const digits = String(old.triggeredAt);
		const moved = {
			...old,
			token: old.token + digits.slice(0, 3),
			triggeredAt: Number(digits.slice(3)),
		};
		expect(hmac(signingToken, moved.token + String(moved.triggeredAt))).toBe(old.signature);
		expect((await postJson(leverUrl, moved)).status).toBe(400);
		expect((await postJson(leverUrl, old)).status).toBe(401);
	});

	it('5. a stage change whose toStageId is null: 200, nothing started', async () => {
		const response = await postJson(leverUrl, signed({}, { opportunityId: ada, toStageId: null }));
		expect(response).toMatchObject({
			status: 200,
			body: { received: true, ignored: 'no stage in the delivery' },
		});
	});

	it('7. Proforma Trigger with Events as an expression string: a signed callback of another type starts nothing', async () => {
		const callback = (type: string) => {
			const raw = JSON.stringify({
				id: `evt_${randomUUID()}`,
				type,
				createdAt: new Date().toISOString(),
				data: { order: { id: 'ord_x', status: 'completed' } },
			});
			const t = Math.floor(Date.now() / 1000);
			return { raw, header: `t=${t},v1=${hmac(proformaSecret, `${t}.${raw}`)}` };
		};
		for (const type of ['order', 'completed', 'order.complete']) {
			const { raw, header } = callback(type);
			const response = await fetch(proformaUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'proforma-signature': header },
				body: raw,
			});
			expect(response.status).toBe(200);
		}
		const genuine = callback('order.completed');
		const response = await fetch(proformaUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'proforma-signature': genuine.header },
			body: genuine.raw,
		});
		expect(response.status).toBe(200);
		expect(await n8n.waitForExecutions({ workflowId: proformaWorkflowId, count: 1 })).toHaveLength(
			1,
		);
	});

	it('none of the above started an execution or reached the error workflow', async () => {
		await pause(2000);
		expect(await n8n.listExecutions({ workflowId: leverWorkflowId })).toHaveLength(1);
		expect(await n8n.listExecutions({ workflowId: proformaWorkflowId })).toHaveLength(1);
		expect(await n8n.listExecutions({ workflowId: errorWorkflowId })).toEqual([]);
	});
});
