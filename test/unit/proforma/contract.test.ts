/**
 * Contract tests: the Proforma node (execute() through the test context, with
 * the proformaApi credential pointing at the in-process sandbox) against the
 * Proforma sandbox, which implements docs/proforma-api.md. Real HTTP, real
 * retries and waits (kept short by the sandbox's fault switches).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import {
	startProformaSandbox,
	signPayload,
	type ProformaSandbox,
} from '../../../sandboxes/proforma/server';
import { ProformaTrigger } from '../../../nodes/ProformaTrigger/ProformaTrigger.node';
import { startCallbackReceiver, type CallbackReceiver } from '../../../sandboxes/proforma/receiver';
import { createWebhookContext } from '../../helpers/n8nContext';
import { runNode, keyValue } from './helpers';

const SANDBOX_KEY = 'sandbox-proforma-key';
const SANDBOX_SIGNING = 'sandbox-signing-secret';

let sandbox: ProformaSandbox;
let proformaCredentials: Record<string, IDataObject>;

function opportunity(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'opp-contract-1',
		name: 'Ada King Lovelace',
		emails: ['ada@example.com'],
		phones: [{ type: 'mobile', value: '+1 555 0100' }],
		location: 'Toronto, ON',
		tags: ['Proforma_standard'],
		applications: [{ id: 'app-1', posting: 'post-1' }],
		...overrides,
	};
}

async function createForOpportunity(opp: IDataObject, credentials = proformaCredentials) {
	const { output } = await runNode({
		credentials,
		parameters: {
			resource: 'order',
			operation: 'createForOpportunity',
			opportunity: opp,
			packageTagPrefix: 'Proforma_',
			callbackUrl: '',
			metadata: '{}',
		},
	});
	return output[0].json;
}

async function run(parameters: IDataObject, continueOnFail = false) {
	const { output } = await runNode({
		credentials: proformaCredentials,
		parameters,
		continueOnFail,
	});
	return output;
}

beforeAll(async () => {
	sandbox = await startProformaSandbox({
		port: 0,
		apiKey: SANDBOX_KEY,
		signingSecret: SANDBOX_SIGNING,
		stepMs: 0,
		log: false,
	});
	proformaCredentials = {
		proformaApi: { baseUrl: sandbox.url, apiKey: SANDBOX_KEY, signingSecret: SANDBOX_SIGNING },
	};
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(() => {
	sandbox.reset();
});

describe('Proforma node against the sandbox', () => {
	it('lists the packages', async () => {
		const output = await run({ resource: 'package', operation: 'getAll' });
		expect(output.map((o) => o.json.code)).toEqual(
			expect.arrayContaining(['standard', 'professional', 'executive_plus']),
		);
	});

	it('create for opportunity -> invited -> completed -> report link and PDF', async () => {
		const result = await createForOpportunity(opportunity());
		expect(result).toMatchObject({
			outcome: 'ordered',
			problem: null,
			packageCode: 'standard',
			idempotencyKey: keyValue('lever-opp-contract-1-standard'),
			candidate: {
				firstName: 'Ada King',
				lastName: 'Lovelace',
				email: 'ada@example.com',
				phone: '+1 555 0100',
				location: 'Toronto, ON',
			},
			replayed: false,
		});
		const order = result.order as IDataObject;
		expect(order).toMatchObject({
			package: 'standard',
			clientReference: 'opp-contract-1',
			status: 'invited',
			result: null,
			metadata: { leverOpportunityId: 'opp-contract-1', leverPostingId: 'post-1' },
		});
		const state = sandbox.state();
		expect(state.invitations.map((i) => [i.orderId, i.to])).toEqual([
			[order.id, 'ada@example.com'],
		]);
		expect(state.requests.find((r) => r.method === 'POST')?.idempotencyKey).toBe(
			'lever-opp-contract-1-standard',
		);

		// Before completion the report is not ready.
		const early = await run({ resource: 'report', operation: 'getLink', orderId: order.id }, true);
		expect(String(early[0].json.error)).toMatch(
			new RegExp(`^Proforma GET /v1/orders/${order.id}/report failed with 409 report_not_ready`),
		);

		sandbox.advance(String(order.id), { to: 'completed', result: 'clear' });
		const fetched = await run({ resource: 'order', operation: 'get', orderId: order.id });
		expect(fetched[0].json).toMatchObject({ id: order.id, status: 'completed', result: 'clear' });

		const link = await run({ resource: 'report', operation: 'getLink', orderId: order.id });
		expect(link[0].json).toMatchObject({ orderId: order.id, status: 'completed', result: 'clear' });
		expect(String(link[0].json.url)).toMatch(/^http/);
		expect(link[0].json.completedAt).toEqual(expect.any(String));

		const pdf = await run({
			resource: 'report',
			operation: 'downloadPdf',
			orderId: order.id,
			binaryPropertyName: 'data',
		});
		const bytes = Buffer.from(pdf[0].binary!.data.data, 'base64');
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf[0].binary!.data.fileName).toBe(`proforma-report-${order.id}.pdf`);
	});

	it('replays the same order for the same Idempotency-Key and body (200); moments later that is a copy, skipped', async () => {
		const first = await createForOpportunity(opportunity());
		const second = await createForOpportunity(opportunity());
		expect(second).toMatchObject({ outcome: 'skipped', replayed: true });
		expect((second.order as IDataObject).id).toBe((first.order as IDataObject).id);
		expect(sandbox.state().orders).toHaveLength(1);
	});

	it('returns the existing open order on 409 for the same reference and package', async () => {
		const first = await createForOpportunity(opportunity());
		const output = await run({
			resource: 'order',
			operation: 'create',
			package: { __rl: true, mode: 'id', value: 'standard' },
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@example.com',
			clientReference: 'opp-contract-1',
			additionalFields: { idempotencyKey: keyValue('another-key-1') },
		});
		expect(output[0].json).toMatchObject({
			id: (first.order as IDataObject).id,
			existingOrder: true,
			replayed: false,
		});

		// And the Lever step says alreadyOrdered when the body differs (new phone number).
		const again = await createForOpportunity(opportunity({ phones: [{ value: '+1 555 0199' }] }));
		expect(again).toMatchObject({ outcome: 'alreadyOrdered', problem: null });
		expect((again.order as IDataObject).id).toBe((first.order as IDataObject).id);
		expect(sandbox.state().orders).toHaveLength(1);
	});

	it('turns a 422 into a problem a recruiter can act on', async () => {
		const result = await createForOpportunity(opportunity({ emails: ['ada+bounce@example.com'] }));
		expect(result.outcome).toBe('problem');
		expect(String(result.problem)).toMatch(/^Proforma refused the order: candidate\.email: /);
		expect(sandbox.state().orders).toHaveLength(0);
	});

	it('reports a refused API key as a problem', async () => {
		const result = await createForOpportunity(opportunity(), {
			proformaApi: { baseUrl: sandbox.url, apiKey: 'wrong-key', signingSecret: '' },
		});
		expect(result).toMatchObject({ outcome: 'problem' });
		expect(String(result.problem)).toMatch(/^The Proforma API key was refused \(401\)/);
	});

	it('waits out a 429 (Retry-After) and then orders', async () => {
		sandbox.setFaults({ rateLimitNext: { count: 1, retryAfterSeconds: 1 } });
		const started = Date.now();
		const result = await createForOpportunity(opportunity());
		expect(result.outcome).toBe('ordered');
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		// The order itself waited (the tag names the code: no package list is read).
		expect(sandbox.state().requests.map((r) => `${r.method} ${r.status}`)).toEqual([
			'POST 429',
			'POST 201',
		]);
	});

	it('retries 5xx and then succeeds', async () => {
		sandbox.setFaults({ failNext: { count: 2, status: 503 } });
		const output = await run({ resource: 'package', operation: 'getAll' });
		expect(output.length).toBeGreaterThan(0);
		expect(sandbox.state().requests.map((r) => r.status)).toEqual([503, 503, 200]);
	});

	it('cancels an order, and refuses to cancel a completed one', async () => {
		const a = (await createForOpportunity(opportunity())).order as IDataObject;
		const cancelled = await run({ resource: 'order', operation: 'cancel', orderId: a.id });
		expect(cancelled[0].json).toMatchObject({ id: a.id, status: 'cancelled' });

		const b = (await createForOpportunity(opportunity({ id: 'opp-contract-2' })))
			.order as IDataObject;
		sandbox.advance(String(b.id), { to: 'completed', result: 'clear' });
		await expect(run({ resource: 'order', operation: 'cancel', orderId: b.id })).rejects.toThrow(
			`Proforma POST /v1/orders/${b.id}/cancel failed with 409 conflict`,
		);

		// Moving the candidate to the screening stage again orders anew: the
		// replayed order is cancelled, so a follow-up key is used (once).
		const again = await createForOpportunity(opportunity());
		expect(again).toMatchObject({
			outcome: 'ordered',
			replayed: false,
			idempotencyKey: `lever-opp-contract-1-standard-after-${a.id}`,
		});
		expect((again.order as IDataObject).id).not.toBe(a.id);
		const thirdRun = await createForOpportunity(opportunity());
		expect(thirdRun).toMatchObject({ outcome: 'skipped', replayed: true });
		expect((thirdRun.order as IDataObject).id).toBe((again.order as IDataObject).id);
		expect(sandbox.state().orders).toHaveLength(3);
	});

	it('resends the invitation', async () => {
		const order = (await createForOpportunity(opportunity())).order as IDataObject;
		const output = await run({
			resource: 'order',
			operation: 'resendInvitation',
			orderId: order.id,
		});
		expect(output[0].json).toMatchObject({ id: order.id, status: 'invited' });
		expect(sandbox.state().invitations.map((i) => i.kind)).toEqual(['initial', 'resend']);
	});

	it('gets many orders by reference, across pages', async () => {
		for (const id of ['r-1', 'r-2', 'r-3']) await createForOpportunity(opportunity({ id }));
		const all = await run({ resource: 'order', operation: 'getAll', returnAll: true, filters: {} });
		expect(all.map((o) => o.json.clientReference)).toEqual(['r-1', 'r-2', 'r-3']);
		const one = await run({
			resource: 'order',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
			filters: { clientReference: 'r-2', status: 'invited' },
		});
		expect(one.map((o) => o.json.clientReference)).toEqual(['r-2']);
		const limited = await run({
			resource: 'order',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
			filters: {},
		});
		expect(limited).toHaveLength(2);
	});

	it("refuses to return another candidate's order when an Idempotency-Key is reused (409 same key, other body)", async () => {
		const createFor = (clientReference: string, firstName: string, email: string) =>
			run({
				resource: 'order',
				operation: 'create',
				package: { __rl: true, mode: 'id', value: 'standard' },
				firstName,
				lastName: 'Lovelace',
				email,
				clientReference,
				additionalFields: { idempotencyKey: keyValue('one-key-for-everyone') },
			});
		const first = await createFor('cand-a', 'Ada', 'ada@example.com');
		expect(first[0].json).toMatchObject({
			clientReference: 'cand-a',
			existingOrder: false,
			replayed: false,
		});
		await expect(createFor('cand-b', 'Byron', 'byron@example.com')).rejects.toThrow(
			`Proforma POST /v1/orders failed with 409 conflict: Idempotency-Key one-key-for-everyone was already used with a different request body. The Idempotency-Key "one-key-for-everyone" belongs to order ${String(first[0].json.id)} (clientReference cand-a, package standard), not to this request (clientReference cand-b, package standard): use a distinct Idempotency-Key per candidate`,
		);
		expect(sandbox.state().orders.map((o) => o.clientReference)).toEqual(['cand-a']);
	});

	it('answers an unknown package with 404 not_found; the Lever step explains the tag instead', async () => {
		await expect(
			run({
				resource: 'order',
				operation: 'create',
				package: { __rl: true, mode: 'id', value: 'gold' },
				firstName: 'Ada',
				lastName: 'Lovelace',
				email: 'ada@example.com',
				clientReference: 'opp-gold',
				additionalFields: {},
			}),
		).rejects.toThrow(
			'Proforma POST /v1/orders failed with 404 not_found: Package gold was not found. Known packages: standard, professional, executive_plus, drug_screen_10. (package: not_found)',
		);
		const result = await createForOpportunity(opportunity({ tags: ['Proforma_gold'] }));
		expect(result).toMatchObject({ outcome: 'problem', packageTag: 'Proforma_gold' });
		expect(String(result.problem)).toMatch(/^The tag Proforma_gold names no Proforma package\./);
		expect(sandbox.state().orders).toHaveLength(0);
	});

	it('orders with a Candidate Overrides email for an opportunity without one', async () => {
		const { output } = await runNode({
			credentials: proformaCredentials,
			parameters: {
				resource: 'order',
				operation: 'createForOpportunity',
				opportunity: opportunity({ emails: [] }),
				packageTagPrefix: 'Proforma_',
				callbackUrl: '',
				metadata: '{}',
				candidateOverrides: { email: 'ada.work@example.com', lastName: 'King' },
			},
		});
		expect(output[0].json).toMatchObject({ outcome: 'ordered', problem: null });
		expect(sandbox.state().orders[0]).toMatchObject({
			clientReference: 'opp-contract-1',
			candidate: { firstName: 'Ada King', lastName: 'King', email: 'ada.work@example.com' },
		});
	});

	it('delivers real signed callbacks that the Proforma Trigger accepts, ending with the completed event and its report URL', async () => {
		const receiver: CallbackReceiver = await startCallbackReceiver();
		try {
			sandbox.setAccountCallbackUrl(receiver.url);
			sandbox.setStepMs(20);
			const order = (await createForOpportunity(opportunity())).order as IDataObject;
			const received = await receiver.waitFor(
				(calls) => calls.some((c) => c.body?.type === 'order.completed'),
				5000,
			);
			expect(
				[...received]
					.sort((a, b) => String(a.body.createdAt).localeCompare(String(b.body.createdAt)))
					.map((c) => [c.body.type, c.body.data.order.status]),
			).toEqual([
				['order.created', 'invited'],
				['order.status_changed', 'submitted'],
				['order.status_changed', 'in_progress'],
				['order.completed', 'completed'],
			]);

			const outputs: IDataObject[] = [];
			for (const call of received) {
				const harness = createWebhookContext({
					request: {
						rawBody: call.rawBody,
						headers: {
							'content-type': String(call.headers['content-type']),
							'proforma-signature': String(call.headers['proforma-signature']),
						},
					},
					parameters: {
						events: ['order.created', 'order.status_changed', 'order.completed'],
						options: {},
					},
					credentials: proformaCredentials as never,
				});
				const result = await new ProformaTrigger().webhook.call(harness.context);
				expect(harness.response.statusCode).toBeUndefined();
				outputs.push(result.workflowData![0][0].json);
			}
			expect(outputs.map((o) => o.type)).toEqual(received.map((c) => c.body.type));
			expect(outputs.every((o) => o.orderId === order.id)).toBe(true);
			const completed = outputs.find((o) => o.type === 'order.completed');
			expect(completed).toMatchObject({
				orderId: order.id,
				status: 'completed',
				result: 'clear',
				clientReference: 'opp-contract-1',
				reportUrl: `${sandbox.url}/portal/reports/${String(order.id)}`,
			});
			expect(completed?.eventId).toEqual(
				received.find((c) => c.body.type === 'order.completed')?.body.id,
			);

			// The same delivery with a signature made with another secret: 401, no execution.
			const forged = received[received.length - 1];
			const harness = createWebhookContext({
				request: {
					rawBody: forged.rawBody,
					headers: { 'proforma-signature': signPayload('another-secret', forged.rawBody) },
				},
				parameters: { events: ['order.completed'], options: {} },
				credentials: proformaCredentials as never,
			});
			const rejected = await new ProformaTrigger().webhook.call(harness.context);
			expect(rejected.workflowData).toBeUndefined();
			expect(harness.response.statusCode).toBe(401);
		} finally {
			await receiver.close();
		}
	});

	it("verifies a callback signed the sandbox's way in the Proforma Trigger", async () => {
		const order = (await createForOpportunity(opportunity())).order as IDataObject;
		const raw = JSON.stringify({
			id: 'evt_x',
			type: 'order.created',
			createdAt: new Date().toISOString(),
			data: { order },
		});
		const harness = createWebhookContext({
			request: {
				rawBody: raw,
				headers: {
					'content-type': 'application/json',
					'proforma-signature': signPayload(SANDBOX_SIGNING, raw),
				},
			},
			parameters: { events: ['order.created'], options: {} },
			credentials: proformaCredentials as never,
		});
		const result = await new ProformaTrigger().webhook.call(harness.context);
		expect(result.workflowData?.[0][0].json).toMatchObject({
			eventId: 'evt_x',
			orderId: order.id,
			status: 'invited',
		});
	});
});
