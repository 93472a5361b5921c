/**
 * Issue 3, done-when: a published workflow "Lever Trigger -> No Operation" in a real
 * n8n runs exactly once for a correctly signed Lever delivery (200), and a forged
 * delivery (wrong signature) is answered 401 and starts nothing.
 */
import { createHmac, randomBytes, randomUUID } from 'crypto';
import { describe, it, expect, beforeAll } from '@jest/globals';
import { getE2E, pause, postJson } from './support/env';
import type { N8nExecution } from './support/env';

const e2e = getE2E();
const n8n = e2e.n8n;

/** Lever's signature: hex HMAC-SHA256 of token + triggeredAt, keyed by the webhook's signature token. */
function leverSignature(signingToken: string, token: string, triggeredAt: number): string {
	return createHmac('sha256', signingToken)
		.update(token + String(triggeredAt))
		.digest('hex');
}

function stageChange(signingToken: string, overrides: Record<string, unknown> = {}) {
	const triggeredAt = Date.now();
	const token = randomBytes(24).toString('hex'); // 48 characters, like Lever's
	return {
		id: randomUUID(),
		event: 'candidateStageChange',
		triggeredAt,
		token,
		signature: leverSignature(signingToken, token, triggeredAt),
		data: {
			opportunityId: 'opp-e2e-1',
			candidateId: 'opp-e2e-1',
			contactId: 'contact-e2e-1',
			toStageId: 'stage-to',
			fromStageId: 'stage-from',
		},
		...overrides,
	};
}

describe('Lever Trigger in a real n8n', () => {
	// Built at runtime: Lever's tokens are random letters and digits.
	const signingToken = randomBytes(24).toString('hex');
	const webhookId = randomUUID();
	let workflowId: string;
	let url: string;

	beforeAll(async () => {
		const credentialId = await n8n.createCredential({
			name: 'Lever signature (e2e)',
			type: 'leverWebhookSigningApi',
			data: { signatureToken: signingToken },
		});
		workflowId = await n8n.createWorkflow({
			name: 'E2E Lever Trigger',
			nodes: [
				{
					id: randomUUID(),
					name: 'Lever Trigger',
					type: 'n8n-nodes-lever-proforma.leverTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: {
						registration: 'manual',
						events: ['candidateStageChange'],
						toStageIds: [],
						fetchOpportunity: false,
					},
					credentials: {
						leverWebhookSigningApi: { id: credentialId, name: 'Lever signature (e2e)' },
					},
				},
				{
					id: randomUUID(),
					name: 'No Operation',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [220, 0],
					parameters: {},
				},
			],
			connections: {
				'Lever Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] },
			},
		});
		url = n8n.webhookUrl(webhookId, 'webhook');
		const published = await n8n.publishWorkflow(workflowId);
		expect(await n8n.webhooksOf(published)).toEqual([
			{ node: 'Lever Trigger', method: 'POST', url },
		]);
	});

	it('runs the workflow exactly once for a correctly signed delivery', async () => {
		const delivery = stageChange(signingToken);
		const response = await postJson(url, delivery);
		expect(response.status).toBe(200);

		const executions = await n8n.waitForExecutions({ workflowId, count: 1, includeData: true });
		expect(executions).toHaveLength(1);
		const [execution] = executions as N8nExecution[];
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');

		const runData = execution.data?.resultData.runData ?? {};
		const triggerItem = runData['Lever Trigger']?.[0]?.data?.main[0]?.[0]?.json;
		expect(triggerItem).toEqual(
			expect.objectContaining({
				event: 'candidateStageChange',
				id: delivery.id,
				triggeredAtMs: delivery.triggeredAt,
				opportunityId: 'opp-e2e-1',
				toStageId: 'stage-to',
				fromStageId: 'stage-from',
			}),
		);
		// The item went through the workflow.
		expect(runData['No Operation']?.[0]?.data?.main[0]?.[0]?.json).toEqual(triggerItem);

		// Exactly one: nothing else shows up a little later.
		await pause(1000);
		expect(await n8n.listExecutions({ workflowId })).toHaveLength(1);
	});

	it('answers 401 to a forged delivery and starts no execution', async () => {
		const before = (await n8n.listExecutions({ workflowId })).length;
		const genuine = stageChange(signingToken);
		const forged = {
			...genuine,
			signature: leverSignature('not-the-signing-token', genuine.token, genuine.triggeredAt),
		};

		const response = await postJson(url, forged);
		expect(response.status).toBe(401);
		expect(response.body).toEqual({ error: 'Invalid signature' });

		// Give a (wrongly) started execution time to show up before counting.
		await pause(2000);
		expect(await n8n.listExecutions({ workflowId })).toHaveLength(before);
	});

	it('answers 401 to a delivery signed with the right token over different values', async () => {
		const before = (await n8n.listExecutions({ workflowId })).length;
		const genuine = stageChange(signingToken);
		const replayedToken = { ...genuine, triggeredAt: genuine.triggeredAt + 1 };

		const response = await postJson(url, replayedToken);
		expect(response.status).toBe(401);

		await pause(1000);
		expect(await n8n.listExecutions({ workflowId })).toHaveLength(before);
	});
});
