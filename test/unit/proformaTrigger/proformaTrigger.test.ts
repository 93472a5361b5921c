import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { ProformaApi } from '../../../credentials/ProformaApi.credentials';
import { ProformaTrigger } from '../../../nodes/ProformaTrigger/ProformaTrigger.node';
import { EVENT_TYPES, parseCallbackEvent } from '../../../nodes/Proforma/shared/callbacks';
import {
	createHookContext,
	createWebhookContext,
	registerCredentialType,
} from '../../helpers/n8nContext';

registerCredentialType(new ProformaApi());

const SECRET = 'test-signing-secret';
const credentials = {
	proformaApi: {
		baseUrl: 'https://api.proforma.test',
		apiKey: 'test-api-key',
		signingSecret: SECRET,
	},
};

const ORDER = {
	id: 'ord_1',
	package: 'standard',
	// A re-screen: its own client reference, the opportunity in metadata.
	clientReference: 'opp-1-after-ord_0',
	metadata: { leverOpportunityId: 'opp-1' },
	status: 'completed',
	result: 'clear',
	report: {
		url: 'https://portal.proforma.test/reports/ord_1',
		completedAt: '2025-01-03T00:00:00Z',
	},
};

const EVENT = {
	id: 'evt_1',
	type: 'order.completed',
	createdAt: '2025-01-03T00:00:01Z',
	data: { order: ORDER },
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The item EVENT (a completed order) becomes. */
const COMPLETED_ITEM = {
	eventId: 'evt_1',
	type: 'order.completed',
	createdAt: '2025-01-03T00:00:01Z',
	order: ORDER,
	orderId: 'ord_1',
	status: 'completed',
	result: 'clear',
	clientReference: 'opp-1-after-ord_0',
	opportunityId: 'opp-1',
	reportUrl: 'https://portal.proforma.test/reports/ord_1',
};

function sign(raw: string, timestamp: number, secret = SECRET): string {
	return createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex');
}

interface Call {
	raw?: string;
	header?: string | null;
	secret?: string;
	events?: string[];
	options?: IDataObject;
}

async function deliver({
	raw = JSON.stringify(EVENT),
	header,
	secret = SECRET,
	events = ['order.completed'],
	options = {},
}: Call = {}) {
	const t = nowSeconds();
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const value = header === undefined ? `t=${t},v1=${sign(raw, t)}` : header;
	if (value !== null) headers['Proforma-Signature'] = value;
	const harness = createWebhookContext({
		request: { rawBody: raw, body: safeParse(raw), headers },
		parameters: { events, options },
		credentials: { proformaApi: { ...credentials.proformaApi, signingSecret: secret } },
	});
	const result = await new ProformaTrigger().webhook.call(harness.context);
	return { result, harness };
}

function safeParse(raw: string): unknown {
	try {
		return JSON.parse(raw);
	} catch {
		return undefined;
	}
}

describe('Proforma Trigger', () => {
	it('matches Events given as an expression string exactly, never as a substring', async () => {
		const typed = (type: string) => JSON.stringify({ ...EVENT, type });
		const asString = { events: 'order.completed' as unknown as string[] };
		expect((await deliver({ ...asString })).result.workflowData).toHaveLength(1);
		for (const type of ['order', 'completed', 'order.complete', 'der.comp']) {
			const { result } = await deliver({ ...asString, raw: typed(type) });
			expect(result).toEqual({ webhookResponse: { received: true, ignored: true } });
		}
		const both = await deliver({ events: 'order.created, order.completed' as unknown as string[] });
		expect(both.result.workflowData).toHaveLength(1);
	});

	it('emits the event for a valid signature', async () => {
		const { result, harness } = await deliver();
		expect(result).toEqual({
			workflowData: [
				[
					{
						json: COMPLETED_ITEM,
						pairedItem: { item: 0 },
					},
				],
			],
		});
		expect(harness.response.statusCode).toBeUndefined();
		expect(harness.bodyReads()).toBe(0);
	});

	it('accepts any matching v1 among several (secret rotation)', async () => {
		const raw = JSON.stringify(EVENT);
		const t = nowSeconds();
		const { result } = await deliver({
			raw,
			header: `t=${t},v1=${sign(raw, t, 'old-secret')},v1=${sign(raw, t)}`,
		});
		expect(result.workflowData).toHaveLength(1);
	});

	it('verifies the raw bytes, not re-serialised JSON', async () => {
		const raw =
			'{ "id": "evt_2",  "type": "order.completed", "createdAt": "2025-01-03T00:00:01Z", "data": {"order": {"id": "ord_2", "status": "completed", "result": "review", "report": null, "clientReference": "x"}} }';
		const { result } = await deliver({ raw });
		expect(result.workflowData?.[0][0].json).toMatchObject({
			eventId: 'evt_2',
			orderId: 'ord_2',
			result: 'review',
			reportUrl: null,
		});
	});

	describe('rejects with 401 and starts nothing', () => {
		const raw = JSON.stringify(EVENT);
		const t = nowSeconds();
		it.each([
			['a forged signature', { header: `t=${t},v1=${'0'.repeat(64)}` }],
			[
				'a signature made with another secret',
				{ header: `t=${t},v1=${sign(raw, t, 'another-secret')}` },
			],
			['no signature header', { header: null }],
			['a malformed header', { header: 'sha256=abc' }],
			['a header without t', { header: `v1=${sign(raw, t)}` }],
			['a non-hex signature', { header: `t=${t},v1=${'z'.repeat(64)}` }],
			[
				'a body changed by one byte',
				{ raw: raw.replace('clear', 'clea2'), header: `t=${t},v1=${sign(raw, t)}` },
			],
			[
				'a signature over the body without the timestamp',
				{ header: `t=${t},v1=${createHmac('sha256', SECRET).update(raw).digest('hex')}` },
			],
		])('%s', async (_label, call) => {
			const { result, harness } = await deliver(call as Call);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(result.workflowData).toBeUndefined();
			expect(harness.response.statusCode).toBe(401);
			expect(harness.bodyReads()).toBe(0);
		});

		// Signed when the test runs, not when the table is built: a slow run must
		// not carry the timestamp back inside the 300 s tolerance.
		it.each([
			['a stale timestamp', -301],
			['a timestamp in the future', 302],
		])('%s (just outside the 300 s tolerance)', async (_label, offset) => {
			const at = nowSeconds() + offset;
			const { result, harness } = await deliver({ header: `t=${at},v1=${sign(raw, at)}` });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(harness.response.statusCode).toBe(401);
			expect(harness.bodyReads()).toBe(0);
		});

		it('no signing secret in the credential (fail closed, logged)', async () => {
			const { result, harness } = await deliver({ secret: '' });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(harness.response.statusCode).toBe(401);
			expect(harness.context.logger.error).toHaveBeenCalledWith(
				expect.stringContaining('has no Webhook Signing Secret'),
			);
		});
	});

	it('honours a custom tolerance, and 0 disables the age check', async () => {
		const raw = JSON.stringify(EVENT);
		const old = nowSeconds() - 3600;
		const header = `t=${old},v1=${sign(raw, old)}`;
		expect(
			(await deliver({ header, options: { toleranceSeconds: 7200 } })).result.workflowData,
		).toHaveLength(1);
		expect(
			(await deliver({ header, options: { toleranceSeconds: 0 } })).result.workflowData,
		).toHaveLength(1);
		expect(
			(await deliver({ header, options: { toleranceSeconds: 60 } })).harness.response.statusCode,
		).toBe(401);
	});

	it('acknowledges an event type that is not selected with 200 and starts nothing', async () => {
		const raw = JSON.stringify({ ...EVENT, type: 'order.status_changed' });
		const { result, harness } = await deliver({ raw });
		expect(result).toEqual({ webhookResponse: { received: true, ignored: true } });
		expect(result.workflowData).toBeUndefined();
		expect(harness.response.statusCode).toBeUndefined();
	});

	it('emits every selected type', async () => {
		for (const type of ['order.created', 'order.status_changed', 'order.completed']) {
			const raw = JSON.stringify({ ...EVENT, type });
			const { result } = await deliver({
				raw,
				events: ['order.created', 'order.status_changed', 'order.completed'],
			});
			expect(result.workflowData?.[0][0].json.type).toBe(type);
		}
	});

	it.each([
		['not JSON', 'not json at all'],
		['a JSON array', '[1,2]'],
		['JSON without data.order', JSON.stringify({ id: 'evt_1', type: 'order.completed', data: {} })],
		['JSON without a type', JSON.stringify({ id: 'evt_1', data: { order: ORDER } })],
	])('answers 400 to a signed body that is %s', async (_label, raw) => {
		const { result, harness } = await deliver({ raw });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(harness.response.statusCode).toBe(400);
	});

	it('has webhook methods that succeed without calling any API (Proforma has no registration API)', async () => {
		const trigger = new ProformaTrigger();
		const { context, requests } = createHookContext({
			credentials,
			parameters: { events: ['order.completed'] },
		});
		await expect(trigger.webhookMethods.default.checkExists.call(context)).resolves.toBe(true);
		await expect(trigger.webhookMethods.default.create.call(context)).resolves.toBe(true);
		await expect(trigger.webhookMethods.default.delete.call(context)).resolves.toBe(true);
		expect(requests).toHaveLength(0);
	});

	it('describes a POST webhook answered on receipt, and is not usable as a tool', () => {
		const { description } = new ProformaTrigger();
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.credentials).toEqual([{ name: 'proformaApi', required: true }]);
	});
});

describe('Proforma callback parsing (transport)', () => {
	it("builds the trigger's Events options from the transport's EVENT_TYPES", () => {
		const events = new ProformaTrigger().description.properties.find((p) => p.name === 'events');
		expect(events?.options).toEqual(EVENT_TYPES.map((e) => ({ ...e })));
		expect(EVENT_TYPES.map((e) => e.value)).toEqual([
			'order.completed',
			'order.created',
			'order.status_changed',
		]);
		expect(events?.default).toEqual(['order.completed']);
	});

	it('flattens an event into the fields a workflow needs', () => {
		expect(parseCallbackEvent(Buffer.from(JSON.stringify(EVENT)))).toEqual({
			ok: true,
			event: COMPLETED_ITEM,
		});
		const invited = { id: 'ord_2', status: 'invited', report: null };
		expect(
			parseCallbackEvent(
				JSON.stringify({ id: 'evt_2', type: 'order.created', data: { order: invited } }),
			),
		).toEqual({
			ok: true,
			event: {
				eventId: 'evt_2',
				type: 'order.created',
				createdAt: null,
				order: invited,
				orderId: 'ord_2',
				status: 'invited',
				result: null,
				clientReference: null,
				opportunityId: null,
				reportUrl: null,
			},
		});
	});

	it.each([
		['not JSON', '{nope', 'The body is not JSON'],
		['an array', '[]', 'The body is not a Proforma event ({id, type, createdAt, data: {order}})'],
		[
			'no id',
			JSON.stringify({ type: 'order.created', data: { order: ORDER } }),
			'The body is not a Proforma event ({id, type, createdAt, data: {order}})',
		],
		[
			'no order',
			JSON.stringify({ id: 'e', type: 'order.created', data: {} }),
			'The body is not a Proforma event ({id, type, createdAt, data: {order}})',
		],
		[
			'an order that is a list',
			JSON.stringify({ id: 'e', type: 'order.created', data: { order: [] } }),
			'The body is not a Proforma event ({id, type, createdAt, data: {order}})',
		],
	])('refuses %s with 400', (_label, raw, message) => {
		expect(parseCallbackEvent(Buffer.from(raw))).toEqual({ ok: false, status: 400, message });
	});
});
