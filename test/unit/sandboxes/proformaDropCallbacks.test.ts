/**
 * The Proforma sandbox's dropCallbacks fault: a deterministic fraction of the events
 * get no callback at all (the missed callbacks a receiver's scheduled check recovers).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import axios, { AxiosInstance } from 'axios';
import { sleep } from 'n8n-workflow';

import { startProformaSandbox, type ProformaSandbox } from '../../../sandboxes/proforma/server';
import { startCallbackReceiver, type CallbackReceiver } from '../../../sandboxes/proforma/receiver';

const API_KEY = 'test-api-key';

let sandbox: ProformaSandbox;
let receiver: CallbackReceiver;
let api: AxiosInstance;
let control: AxiosInstance;

/** Creates an order for candidate `i` (the clock is paused: only order.created is emitted). */
async function createOrder(i: number): Promise<string> {
	const res = await api.post(
		'/v1/orders',
		{
			package: 'standard',
			clientReference: `opp-${i}`,
			candidate: { firstName: 'Ada', lastName: `Candidate${i}`, email: `ada-${i}@example.com` },
		},
		{ headers: { 'Idempotency-Key': `drop-${i}` } },
	);
	expect(res.status).toBe(201);
	return res.data.id as string;
}

/** Order ids whose callbacks reached the receiver, per event type. */
const receivedFor = (type: string) =>
	receiver.received.filter((c) => c.body?.type === type).map((c) => c.body.data.order.id as string);

beforeAll(async () => {
	sandbox = await startProformaSandbox({ port: 0, apiKey: API_KEY, stepMs: 0 });
	receiver = await startCallbackReceiver();
	api = axios.create({
		baseURL: sandbox.url,
		headers: { Authorization: `Bearer ${API_KEY}` },
		validateStatus: () => true,
	});
	control = axios.create({ baseURL: sandbox.url, validateStatus: () => true });
});

afterAll(async () => {
	await sandbox.close();
	await receiver.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.setStepMs(0);
	sandbox.setAccountCallbackUrl(receiver.url);
	receiver.clear();
});

describe('Proforma sandbox: dropCallbacks fault', () => {
	it('drops every 10th callback with ratio 0.1, records the events as dropped and never retries them', async () => {
		const set = await control.post('/__sandbox/faults', { dropCallbacks: { ratio: 0.1 } });
		expect(set.status).toBe(200);
		expect(set.data.dropCallbacks).toEqual({ ratio: 0.1, types: [], seen: 0, dropped: 0 });
		const ids: string[] = [];
		for (let i = 1; i <= 20; i++) ids.push(await createOrder(i));
		await receiver.waitFor((calls) => calls.length === 18);
		await sleep(100);

		const dropped = [ids[9], ids[19]];
		expect(receivedFor('order.created').sort()).toEqual(
			ids.filter((id) => !dropped.includes(id)).sort(),
		);
		const state = sandbox.state();
		expect(state.events.filter((e) => e.dropped).map((e) => e.orderId)).toEqual(dropped);
		expect(state.deliveries.map((d) => d.orderId)).not.toEqual(expect.arrayContaining(dropped));
		expect(state.faults.dropCallbacks).toMatchObject({ seen: 20, dropped: 2 });
	});

	it('drops only the listed event types, every copy of a duplicated callback, until turned off', async () => {
		sandbox.setFaults({
			dropCallbacks: { ratio: 1, types: ['order.completed'] },
			duplicateCallbacks: true,
		});
		const first = await createOrder(1);
		sandbox.advance(first, { to: 'completed' });
		await receiver.waitFor((calls) => calls.length === 2);
		await sleep(100);
		expect(receivedFor('order.created')).toEqual([first, first]);
		expect(receivedFor('order.completed')).toEqual([]);

		sandbox.setFaults({ dropCallbacks: false });
		const second = await createOrder(2);
		sandbox.advance(second, { to: 'completed' });
		await receiver.waitFor(() => receivedFor('order.completed').length === 2);
		expect(receivedFor('order.completed')).toEqual([second, second]);
		expect(sandbox.state().faults.dropCallbacks).toEqual({
			ratio: 0,
			types: [],
			seen: 0,
			dropped: 0,
		});
	});

	it('takes a bare number as the ratio', async () => {
		const set = await control.post('/__sandbox/faults', { dropCallbacks: 0.5 });
		expect(set.data.dropCallbacks).toMatchObject({ ratio: 0.5, types: [] });
		for (let i = 1; i <= 4; i++) await createOrder(i);
		await receiver.waitFor((calls) => calls.length === 2);
		expect(sandbox.state().events.map((e) => Boolean(e.dropped))).toEqual([
			false,
			true,
			false,
			true,
		]);
	});

	it.each([
		[{ ratio: 1.5 }, 'dropCallbacks.ratio', 'must be a number from 0 to 1'],
		[{ ratio: '0.1' }, 'dropCallbacks.ratio', 'must be a number from 0 to 1'],
		[{}, 'dropCallbacks.ratio', 'must be a number from 0 to 1'],
		[{ ratio: 0.1, types: ['order.done'] }, 'dropCallbacks.types', 'order.completed'],
		[{ ratio: 0.1, types: 'order.completed' }, 'dropCallbacks.types', 'must be a list'],
	])('answers 422 saying what to fix for %j', async (dropCallbacks, field, message) => {
		const res = await control.post('/__sandbox/faults', { dropCallbacks });
		expect(res.status).toBe(422);
		expect(res.data.error).toMatchObject({
			code: 'validation_failed',
			message: expect.stringContaining(message),
			details: [{ field, issue: 'invalid' }],
		});
		expect(sandbox.state().faults.dropCallbacks.ratio).toBe(0);
	});
});
