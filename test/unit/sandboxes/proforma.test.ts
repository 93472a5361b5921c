import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { createHmac, timingSafeEqual } from 'crypto';
import { sleep } from 'n8n-workflow';

import {
	startProformaSandbox,
	verifySignature,
	DEFAULT_CALLBACK_RETRY_SCHEDULE_MS,
	type ProformaOrder,
	type ProformaSandbox,
} from '../../../sandboxes/proforma/server';
import {
	startCallbackReceiver,
	type CallbackReceiver,
	type ReceivedCallback,
} from '../../../sandboxes/proforma/receiver';

const API_KEY = 'test-api-key';
const SIGNING_SECRET = 'test-signing';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const ORDER_ID = /^ord_[0-9A-Z]{26}$/;
const EVENT_ID = /^evt_[0-9A-Z]{26}$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let sandbox: ProformaSandbox;
let receiver: CallbackReceiver;
let api: AxiosInstance;
let control: AxiosInstance;

async function waitFor<T>(
	probe: () => T | undefined | null | false,
	what: string,
	timeoutMs = 4000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(10);
	}
}

function orderBody(overrides: Json = {}): Json {
	return {
		package: 'standard',
		clientReference: 'opp-1',
		candidate: {
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@example.com',
			...(overrides.candidate ?? {}),
		},
		...Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== 'candidate')),
	};
}

async function create(overrides: Json = {}, key?: string): Promise<AxiosResponse<Json>> {
	const body = orderBody(overrides);
	return api.post('/v1/orders', body, {
		headers: {
			'Idempotency-Key':
				key ?? `key-${body.clientReference}-${body.package}-${body.candidate.email}`,
		},
	});
}

async function createOk(overrides: Json = {}, key?: string): Promise<ProformaOrder> {
	const res = await create(overrides, key);
	expect(res.status).toBe(201);
	return res.data as ProformaOrder;
}

const stateOrder = (id: string) => sandbox.state().orders.find((o) => o.id === id);
const historyOf = (id: string) => stateOrder(id)?.sandbox.history.map((h) => h.status);

function expectSigned(call: ReceivedCallback, secret = SIGNING_SECRET): void {
	const header = String(call.headers['proforma-signature']);
	const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
	expect(match).not.toBeNull();
	const [, t, v1] = match as RegExpExecArray;
	const expected = createHmac('sha256', secret).update(`${t}.${call.rawBody}`).digest();
	expect(timingSafeEqual(Buffer.from(v1, 'hex'), expected)).toBe(true);
	expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
}

beforeAll(async () => {
	sandbox = await startProformaSandbox({
		port: 0,
		apiKey: API_KEY,
		signingSecret: SIGNING_SECRET,
		stepMs: 50,
	});
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
	receiver.clear();
});

describe('Proforma sandbox: auth, routing, errors', () => {
	it('answers 401 unauthorized without or with a wrong Bearer key', async () => {
		const missing = await control.get('/v1/packages');
		expect(missing.status).toBe(401);
		expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
		expect(missing.data).toEqual({
			error: {
				code: 'unauthorized',
				message: 'Missing API key: send "Authorization: Bearer <API key>".',
				details: [],
			},
		});
		const wrong = await control.get('/v1/packages', {
			headers: { Authorization: 'Bearer not-the-key' },
		});
		expect(wrong.status).toBe(401);
		expect(wrong.data.error).toEqual({
			code: 'unauthorized',
			message: 'The API key is not valid.',
			details: [],
		});
		const basic = await control.get('/v1/packages', {
			headers: { Authorization: `Basic ${API_KEY}` },
		});
		expect(basic.status).toBe(401);
	});

	it('answers 404 not_found for unknown routes and orders, 400 for malformed JSON', async () => {
		const route = await api.get('/v1/nothing-here');
		expect(route.status).toBe(404);
		expect(route.data).toEqual({
			error: { code: 'not_found', message: 'No route GET /v1/nothing-here.', details: [] },
		});
		expect((await api.delete('/v1/orders')).status).toBe(404);
		expect((await control.get('/elsewhere')).data.error.code).toBe('not_found');
		const order = await api.get('/v1/orders/ord_missing');
		expect(order.status).toBe(404);
		expect(order.data.error).toEqual({
			code: 'not_found',
			message: 'Order ord_missing was not found.',
			details: [],
		});
		const bad = await api.post('/v1/orders', '{"package": ', {
			headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k-bad-json' },
			transformRequest: [(d: string) => d],
		});
		expect(bad.status).toBe(400);
		expect(bad.data.error.code).toBe('malformed_request');
		expect(bad.data.error.message).toMatch(/^The request body is not valid JSON/);
		const array = await api.post('/v1/orders', [1, 2], {
			headers: { 'Idempotency-Key': 'k-array' },
		});
		expect(array.status).toBe(400);
		expect(sandbox.state().orders).toHaveLength(0);
	});

	it('serves the control API without auth and records /v1 requests in the state', async () => {
		await api.get('/v1/packages');
		const res = await control.get('/__sandbox/state');
		expect(res.status).toBe(200);
		expect(res.data.url).toBe(sandbox.url);
		expect(res.data.stepMs).toBe(50);
		expect(res.data.callbackRetryScheduleMs).toEqual([17, 83, 500, 2000, 6000, 24000]);
		expect(DEFAULT_CALLBACK_RETRY_SCHEDULE_MS).toEqual([17, 83, 500, 2000, 6000, 24000]);
		expect(res.data.requests).toEqual([
			{
				at: expect.stringMatching(ISO),
				method: 'GET',
				path: '/v1/packages',
				status: 200,
				ms: expect.any(Number),
			},
		]);
		expect(sandbox.state()).toEqual(res.data);
	});
});

describe('Proforma sandbox: reset endpoint, binding and request log', () => {
	it('POST /__sandbox/reset over HTTP clears orders, invitations, events, faults and the request log', async () => {
		const o = await createOk();
		sandbox.setFaults({ failNext: { count: 5, status: 503 } });
		expect(sandbox.state().orders.map((x) => x.id)).toEqual([o.id]);

		const res = await control.post('/__sandbox/reset');
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ ok: true });

		const state = (await control.get('/__sandbox/state')).data;
		expect(state.orders).toEqual([]);
		expect(state.invitations).toEqual([]);
		expect(state.events).toEqual([]);
		expect(state.requests).toEqual([]);
		expect(state.faults.failNext.count).toBe(0);
		// The fault switch is gone too: the API answers normally again.
		const orders = await api.get(`/v1/orders/${o.id}`);
		expect(orders.status).toBe(404);
		expect(orders.data.error.code).toBe('not_found');
	});

	it('binds to 127.0.0.1 only (another loopback address is refused)', async () => {
		expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const port = new URL(sandbox.url).port;
		expect(
			(await axios.get(`http://127.0.0.1:${port}/v1/packages`, { validateStatus: () => true }))
				.status,
		).toBe(401);
		// A server bound to 0.0.0.0 would answer on 127.0.0.2 as well.
		const refused = await axios.get(`http://127.0.0.2:${port}/v1/packages`, { timeout: 2000 }).then(
			() => 'answered',
			(error: { code?: string }) => error.code,
		);
		expect(refused).toBe('ECONNREFUSED');
	});

	it('logs one line per request (method, path, status, duration) to the log sink', async () => {
		const lines: string[] = [];
		const logged = await startProformaSandbox({
			port: 0,
			apiKey: API_KEY,
			signingSecret: SIGNING_SECRET,
			stepMs: 0,
			log: (line) => lines.push(line),
		});
		try {
			const client = axios.create({ baseURL: logged.url, validateStatus: () => true });
			await client.get('/v1/packages', { headers: { Authorization: `Bearer ${API_KEY}` } });
			await client.get('/v1/packages');
			await client.post('/__sandbox/reset');
			await waitFor(() => lines.length >= 3, 'three log lines');
			expect(lines).toEqual([
				expect.stringMatching(/^\[proforma-sandbox\] GET \/v1\/packages 200 \d+ms$/),
				expect.stringMatching(/^\[proforma-sandbox\] GET \/v1\/packages 401 \d+ms$/),
				expect.stringMatching(/^\[proforma-sandbox\] POST \/__sandbox\/reset 200 \d+ms$/),
			]);
			// The Bearer key never reaches the log.
			expect(lines.join('\n')).not.toContain(API_KEY);
		} finally {
			await logged.close();
		}
	});
});

describe('Proforma sandbox: packages', () => {
	it('lists the seed packages with description and screenings', async () => {
		const res = await api.get('/v1/packages');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(res.data.data.map((p: Json) => [p.code, p.name])).toEqual([
			['standard', 'Standard'],
			['professional', 'Professional'],
			['executive_plus', 'Executive Plus'],
			['drug_screen_10', 'Drug Screen 10'],
		]);
		for (const p of res.data.data) {
			expect(Object.keys(p).sort()).toEqual(['code', 'description', 'name', 'screenings']);
			expect(p.description.length).toBeGreaterThan(20);
			expect(p.screenings.length).toBeGreaterThan(0);
		}
		const one = await api.get('/v1/packages/drug_screen_10');
		expect(one.data).toEqual(res.data.data[3]);
		const unknown = await api.get('/v1/packages/gold');
		expect(unknown.status).toBe(404);
		expect(unknown.data.error.code).toBe('not_found');
	});
});

describe('Proforma sandbox: creating orders', () => {
	it('creates an invited order (201) with the contract shape, an invitation email and an order.created event', async () => {
		sandbox.setStepMs(0);
		const leverStyle = ['lever', 'opp-1', 'standard'].join('-');
		const res = await create(
			{ candidate: { phone: '+1 555 0100' }, metadata: { leverPostingId: 'post-1' } },
			leverStyle,
		);
		expect(res.status).toBe(201);
		const o = res.data;
		expect(res.headers.location).toBe(`/v1/orders/${o.id}`);
		expect(o).toEqual({
			id: expect.stringMatching(ORDER_ID),
			package: 'standard',
			clientReference: 'opp-1',
			status: 'invited',
			result: null,
			candidate: {
				firstName: 'Ada',
				lastName: 'Lovelace',
				email: 'ada@example.com',
				phone: '+1 555 0100',
				location: null,
			},
			invitation: {
				url: expect.stringMatching(new RegExp(`^${sandbox.url}/portal/invite/[0-9a-f]{24}$`)),
				sentAt: o.createdAt,
				expiresAt: new Date(Date.parse(o.createdAt) + 7 * 24 * 3600 * 1000).toISOString(),
			},
			report: null,
			createdAt: expect.stringMatching(ISO),
			updatedAt: o.createdAt,
			completedAt: null,
			metadata: { leverPostingId: 'post-1' },
		});
		const state = sandbox.state();
		expect(state.invitations).toEqual([
			{
				id: expect.stringMatching(/^eml_/),
				orderId: o.id,
				kind: 'initial',
				to: 'ada@example.com',
				subject: 'Action needed: complete your Standard background screening',
				url: o.invitation.url,
				sentAt: o.invitation.sentAt,
				expiresAt: o.invitation.expiresAt,
			},
		]);
		expect(state.events).toEqual([
			{
				id: expect.stringMatching(EVENT_ID),
				type: 'order.created',
				orderId: o.id,
				status: 'invited',
				createdAt: expect.stringMatching(ISO),
				callbackUrl: null,
			},
		]);
		expect(state.orders[0].sandbox).toMatchObject({
			outcome: 'clear',
			idempotencyKey: leverStyle,
			callbackUrl: null,
		});
		expect((await api.get(`/v1/orders/${o.id}`)).data).toEqual(o);
		const invitePage = await control.get(new URL(o.invitation.url).pathname);
		expect(invitePage.status).toBe(200);
		expect(invitePage.headers['content-type']).toMatch(/^text\/html/);
		expect(invitePage.data).toContain('Background screening for Ada Lovelace');
	});

	it('requires an Idempotency-Key (400) and creates nothing without one', async () => {
		const res = await api.post('/v1/orders', orderBody());
		expect(res.status).toBe(400);
		expect(res.data).toEqual({
			error: {
				code: 'malformed_request',
				message: 'The Idempotency-Key header is required on POST /v1/orders.',
				details: [{ field: 'Idempotency-Key', issue: 'required' }],
			},
		});
		expect(sandbox.state().orders).toHaveLength(0);
	});

	it('replays the same key + body with 200 and rejects the same key with another body (409)', async () => {
		sandbox.setStepMs(0);
		const first = await create({}, 'idem-1');
		expect(first.status).toBe(201);
		// Same body with keys in another order is the same request.
		const again = await api.post(
			'/v1/orders',
			{
				candidate: { email: 'ada@example.com', lastName: 'Lovelace', firstName: 'Ada' },
				clientReference: 'opp-1',
				package: 'standard',
			},
			{ headers: { 'Idempotency-Key': 'idem-1' } },
		);
		expect(again.status).toBe(200);
		expect(again.headers['idempotent-replayed']).toBe('true');
		expect(again.data).toEqual(first.data);
		const other = await create({ package: 'professional' }, 'idem-1');
		expect(other.status).toBe(409);
		expect(other.data.error).toEqual({
			code: 'conflict',
			message: 'Idempotency-Key idem-1 was already used with a different request body.',
			details: [],
			orderId: first.data.id,
		});
		const state = sandbox.state();
		expect(state.orders).toHaveLength(1);
		expect(state.invitations).toHaveLength(1);
		expect(state.events).toHaveLength(1);
	});

	it('rejects a second open order for the same clientReference + package (409 with orderId), completed included', async () => {
		sandbox.setStepMs(0);
		const first = await createOk({}, 'k1');
		const dup = await create({}, 'k2');
		expect(dup.status).toBe(409);
		expect(dup.data.error.code).toBe('conflict');
		expect(dup.data.error.orderId).toBe(first.id);
		expect(dup.data.error.message).toContain(
			`Order ${first.id} (invited) already exists for clientReference opp-1 and package standard`,
		);
		// Another package for the same candidate is a different screen.
		await createOk({ package: 'drug_screen_10' }, 'k3');
		// Cancelled orders do not block a new one.
		expect((await api.post(`/v1/orders/${first.id}/cancel`)).data.status).toBe('cancelled');
		const second = await createOk({}, 'k4');
		// Completed ones do.
		sandbox.advance(second.id, { to: 'completed', result: 'clear' });
		const third = await create({}, 'k5');
		expect(third.status).toBe(409);
		expect(third.data.error.orderId).toBe(second.id);
		expect(third.data.error.message).toContain('(completed)');
		expect(sandbox.state().orders.map((o) => o.status)).toEqual([
			'cancelled',
			'invited',
			'completed',
		]);
	});

	it('answers 422 validation_failed with field details, 404 not_found for an unknown package, and 422 undeliverable for +bounce', async () => {
		const empty = await api.post('/v1/orders', {}, { headers: { 'Idempotency-Key': 'v1' } });
		expect(empty.status).toBe(422);
		expect(empty.data.error.code).toBe('validation_failed');
		expect(empty.data.error.details).toEqual([
			{ field: 'package', issue: 'required' },
			{ field: 'candidate.firstName', issue: 'required' },
			{ field: 'candidate.lastName', issue: 'required' },
			{ field: 'candidate.email', issue: 'required' },
		]);
		const invalid = await create(
			{ package: 'gold', candidate: { email: 'not-an-email' }, callbackUrl: 'ftp://x' },
			'v2',
		);
		expect(invalid.status).toBe(422);
		expect(invalid.data.error.details).toEqual([
			{ field: 'candidate.email', issue: 'invalid' },
			{ field: 'callbackUrl', issue: 'invalid' },
		]);
		// An otherwise valid order for an unknown package: 404 not_found, as the contract says.
		const unknown = await create({ package: 'gold' }, 'v2b');
		expect(unknown.status).toBe(404);
		expect(unknown.data.error).toEqual({
			code: 'not_found',
			message:
				'Package gold was not found. Known packages: standard, professional, executive_plus, drug_screen_10.',
			details: [{ field: 'package', issue: 'not_found' }],
		});
		const bounce = await create({ candidate: { email: 'barbara+bounce@example.com' } }, 'v3');
		expect(bounce.status).toBe(422);
		expect(bounce.data.error).toEqual({
			code: 'validation_failed',
			message:
				"The invitation email to barbara+bounce@example.com bounced: the address is undeliverable. Correct the candidate's email and retry.",
			details: [{ field: 'candidate.email', issue: 'undeliverable' }],
		});
		// A failed request does not burn the key: fixing the body and retrying with it works.
		expect((await create({ candidate: { email: 'barbara@example.com' } }, 'v3')).status).toBe(201);
		expect(sandbox.state().orders).toHaveLength(1);
	});

	it('creates exactly one order from simultaneous requests (same key, or same clientReference + package)', async () => {
		sandbox.setStepMs(0);
		const sameKey = await Promise.all(
			[1, 2, 3].map(() => create({ clientReference: 'opp-c1' }, 'race-key')),
		);
		expect(sameKey.map((r) => r.status).sort()).toEqual([200, 200, 201]);
		expect(new Set(sameKey.map((r) => r.data.id)).size).toBe(1);
		const sameRef = await Promise.all(
			['a', 'b', 'c'].map((k) => create({ clientReference: 'opp-c2' }, `race-${k}`)),
		);
		expect(sameRef.map((r) => r.status).sort()).toEqual([201, 409, 409]);
		const winner = sameRef.find((r) => r.status === 201)?.data.id;
		for (const r of sameRef.filter((x) => x.status === 409))
			expect(r.data.error.orderId).toBe(winner);
		expect(sandbox.state().orders).toHaveLength(2);
	});
});

describe('Proforma sandbox: lifecycle, reports, cancel, resend', () => {
	it('moves each +tag outcome through its statuses on the compressed clock', async () => {
		const tags = ['clear', 'review', 'adverse', 'action', 'expire'];
		const orders: Record<string, ProformaOrder> = {};
		for (const tag of tags)
			orders[tag] = await createOk({
				clientReference: `opp-${tag}`,
				candidate: { email: `ada+${tag}@example.com` },
			});
		const plain = await createOk({ clientReference: 'opp-plain' });
		const final = ['completed', 'expired'];
		await waitFor(
			() =>
				[...tags.map((t) => orders[t].id), plain.id].every((id) =>
					final.includes(String(stateOrder(id)?.status)),
				),
			'all orders to finish',
		);
		const base = ['invited', 'submitted', 'in_progress', 'completed'];
		expect(historyOf(orders.clear.id)).toEqual(base);
		expect(historyOf(orders.review.id)).toEqual(base);
		expect(historyOf(orders.adverse.id)).toEqual(base);
		expect(historyOf(plain.id)).toEqual(base);
		expect(historyOf(orders.action.id)).toEqual([
			'invited',
			'submitted',
			'in_progress',
			'action_required',
			'in_progress',
			'completed',
		]);
		expect(historyOf(orders.expire.id)).toEqual(['invited', 'expired']);
		const results = Object.fromEntries(tags.map((t) => [t, stateOrder(orders[t].id)?.result]));
		expect(results).toEqual({
			clear: 'clear',
			review: 'review',
			adverse: 'adverse',
			action: 'clear',
			expire: null,
		});
		expect(stateOrder(plain.id)?.result).toBe('clear');

		const done = (await api.get(`/v1/orders/${orders.review.id}`)).data;
		expect(done.completedAt).toMatch(ISO);
		expect(done.report).toEqual({
			url: `${sandbox.url}/portal/reports/${done.id}`,
			completedAt: done.completedAt,
		});
		expect(Date.parse(done.updatedAt)).toBe(Date.parse(done.completedAt));
		const expired = (await api.get(`/v1/orders/${orders.expire.id}`)).data;
		expect(expired).toMatchObject({
			status: 'expired',
			result: null,
			report: null,
			completedAt: null,
		});
		// The +expire invitation's expiry is when it lapsed, not 7 days later.
		expect(Date.parse(expired.invitation.expiresAt) - Date.parse(expired.invitation.sentAt)).toBe(
			50,
		);
	});

	it('serves the report and a valid PDF only once completed (409 report_not_ready before)', async () => {
		sandbox.setStepMs(0);
		const o = await createOk({
			candidate: { email: 'grace+review@example.com', firstName: 'Grace', lastName: 'Hopper' },
		});
		const early = await api.get(`/v1/orders/${o.id}/report`);
		expect(early.status).toBe(409);
		expect(early.data.error).toEqual({
			code: 'report_not_ready',
			message: `The report of order ${o.id} is not ready: the order is invited.`,
			details: [],
			orderId: o.id,
		});
		expect((await api.get(`/v1/orders/${o.id}/report.pdf`)).status).toBe(409);
		expect((await control.get(`/portal/reports/${o.id}`)).status).toBe(409);

		for (let i = 0; i < 3; i++)
			expect((await control.post(`/__sandbox/orders/${o.id}/advance`)).status).toBe(200);
		expect(stateOrder(o.id)?.status).toBe('completed');
		const report = await api.get(`/v1/orders/${o.id}/report`);
		expect(report.status).toBe(200);
		expect(report.data).toEqual({
			orderId: o.id,
			status: 'completed',
			result: 'review',
			url: `${sandbox.url}/portal/reports/${o.id}`,
			completedAt: stateOrder(o.id)?.completedAt,
		});

		const pdf = await api.get(`/v1/orders/${o.id}/report.pdf`, { responseType: 'arraybuffer' });
		expect(pdf.status).toBe(200);
		expect(pdf.headers['content-type']).toBe('application/pdf');
		const bytes = Buffer.from(pdf.data as ArrayBuffer);
		const text = bytes.toString('latin1');
		expect(text.startsWith('%PDF-1.4\n')).toBe(true);
		expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
		const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
		expect(text.slice(startxref, startxref + 4)).toBe('xref');
		const offsets = text
			.slice(startxref)
			.split('\n')
			.filter((l) => / 00000 n $/.test(l))
			.map((l) => Number(l.slice(0, 10)));
		expect(offsets).toHaveLength(6);
		offsets.forEach((off, i) =>
			expect(text.slice(off, off + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`),
		);
		const length = Number(/\/Length (\d+) >>\nstream\n/.exec(text)?.[1]);
		const streamStart = text.indexOf('stream\n') + 'stream\n'.length;
		expect(text.slice(streamStart + length, streamStart + length + '\nendstream'.length)).toBe(
			'\nendstream',
		);
		expect(text).toContain(`(Order: ${o.id}) Tj`);
		expect(text).toContain('(Result: REVIEW) Tj');

		const page = await control.get(`/portal/reports/${o.id}`);
		expect(page.status).toBe(200);
		expect(page.headers['content-type']).toMatch(/^text\/html/);
		expect(page.data).toContain('Screening report: Grace Hopper');
		expect(page.data).toContain(o.id);
	});

	it('cancels an open order (status_changed event) and refuses to cancel a completed one (409)', async () => {
		sandbox.setStepMs(0);
		const o = await createOk();
		const res = await api.post(`/v1/orders/${o.id}/cancel`);
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({ id: o.id, status: 'cancelled', result: null });
		expect(sandbox.state().events.map((e) => [e.type, e.status])).toEqual([
			['order.created', 'invited'],
			['order.status_changed', 'cancelled'],
		]);
		// Cancelling again changes nothing.
		expect((await api.post(`/v1/orders/${o.id}/cancel`)).status).toBe(200);
		expect(sandbox.state().events).toHaveLength(2);

		const done = await createOk({ clientReference: 'opp-2' });
		sandbox.advance(done.id, { to: 'completed' });
		const refused = await api.post(`/v1/orders/${done.id}/cancel`);
		expect(refused.status).toBe(409);
		expect(refused.data.error).toMatchObject({ code: 'conflict', orderId: done.id });
		expect((await api.post('/v1/orders/ord_nope/cancel')).status).toBe(404);
	});

	it('backdates every date of an order, by hand or over the control API, and refuses a bad number of days', async () => {
		sandbox.setStepMs(0);
		const o = await createOk({ clientReference: 'opp-old' });
		sandbox.advance(o.id, { to: 'completed', result: 'clear' });
		const before = stateOrder(o.id)!;
		const monthBack = (at: string) => new Date(Date.parse(at) - 31 * 86400000).toISOString();
		const moved = sandbox.backdate(o.id, 31);
		expect(moved).toMatchObject({
			status: 'completed',
			createdAt: monthBack(before.createdAt),
			updatedAt: monthBack(before.updatedAt),
			completedAt: monthBack(before.completedAt!),
			report: { completedAt: monthBack(before.report!.completedAt) },
			invitation: { sentAt: monthBack(before.invitation!.sentAt) },
		});
		const overHttp = await control.post(`/__sandbox/orders/${o.id}/backdate`, { days: 1 });
		expect(overHttp.status).toBe(200);
		expect(overHttp.data.completedAt).toBe(
			new Date(Date.parse(moved.completedAt!) - 86400000).toISOString(),
		);
		const refused = await control.post(`/__sandbox/orders/${o.id}/backdate`, { days: 0 });
		expect(refused.status).toBe(422);
		expect(refused.data.error.message).toBe('days must be an integer from 1 to 3650.');
	});

	it('resends an invited invitation, revives an expired order with a new one, and refuses otherwise (409)', async () => {
		sandbox.setStepMs(0);
		const o = await createOk({ candidate: { email: 'ada+expire@example.com' } });
		const resent = await api.post(`/v1/orders/${o.id}/invitation/resend`);
		expect(resent.status).toBe(200);
		expect(resent.data.status).toBe('invited');
		expect(resent.data.invitation.url).toBe(o.invitation?.url);
		expect(sandbox.state().invitations.map((e) => e.kind)).toEqual(['initial', 'resend']);

		sandbox.advance(o.id);
		expect(stateOrder(o.id)?.status).toBe('expired');
		expect((await control.get(new URL(String(o.invitation?.url)).pathname)).status).toBe(410);
		const revived = await api.post(`/v1/orders/${o.id}/invitation/resend`);
		expect(revived.status).toBe(200);
		expect(revived.data.status).toBe('invited');
		expect(revived.data.invitation.url).not.toBe(o.invitation?.url);
		expect(
			Date.parse(revived.data.invitation.expiresAt) - Date.parse(revived.data.invitation.sentAt),
		).toBe(7 * 24 * 3600 * 1000);
		const emails = sandbox.state().invitations;
		expect(emails.map((e) => [e.kind, e.to])).toEqual([
			['initial', 'ada+expire@example.com'],
			['resend', 'ada+expire@example.com'],
			['reissue', 'ada+expire@example.com'],
		]);
		expect(sandbox.state().events.map((e) => e.status)).toEqual(['invited', 'expired', 'invited']);
		// A revived +expire order goes on to completion.
		sandbox.advance(o.id);
		expect(stateOrder(o.id)?.status).toBe('submitted');
		const refused = await api.post(`/v1/orders/${o.id}/invitation/resend`);
		expect(refused.status).toBe(409);
		expect(refused.data.error.message).toBe(
			`Order ${o.id} is submitted: only an invited or expired order's invitation can be resent.`,
		);
	});

	it('pauses the clock and advances orders through the control API', async () => {
		expect((await control.post('/__sandbox/clock', { stepMs: 0 })).data).toEqual({ stepMs: 0 });
		const o = await createOk({ candidate: { email: 'ada+action@example.com' } });
		await sleep(150);
		expect(stateOrder(o.id)?.status).toBe('invited');
		expect(stateOrder(o.id)?.sandbox.nextStepAt).toBeNull();
		const step = await control.post(`/__sandbox/orders/${o.id}/advance`);
		expect(step.data.status).toBe('submitted');
		const jump = await control.post(`/__sandbox/orders/${o.id}/advance`, {
			to: 'completed',
			result: 'adverse',
		});
		expect(jump.status).toBe(200);
		expect(jump.data).toMatchObject({ status: 'completed', result: 'adverse' });
		const again = await control.post(`/__sandbox/orders/${o.id}/advance`);
		expect(again.status).toBe(409);
		const badTo = await control.post(`/__sandbox/orders/${o.id}/advance`, { to: 'done' });
		expect(badTo.status).toBe(422);
		// Restarting the clock moves waiting orders again.
		const waiting = await createOk({ clientReference: 'opp-2' });
		expect((await control.post('/__sandbox/clock', { stepMs: 20 })).data).toEqual({ stepMs: 20 });
		await waitFor(
			() => stateOrder(waiting.id)?.status === 'completed',
			'the restarted clock to complete the order',
		);
	});
});

describe('Proforma sandbox: listing orders', () => {
	it('filters and paginates with nextCursor in creation order', async () => {
		sandbox.setStepMs(0);
		const ids: string[] = [];
		for (let i = 1; i <= 5; i++) ids.push((await createOk({ clientReference: `opp-${i}` })).id);
		const seen: string[] = [];
		let cursor: string | null = null;
		const sizes: number[] = [];
		do {
			const page: AxiosResponse<Json> = await api.get('/v1/orders', {
				params: { limit: 2, ...(cursor ? { cursor } : {}) },
			});
			expect(page.status).toBe(200);
			sizes.push(page.data.data.length);
			seen.push(...page.data.data.map((o: ProformaOrder) => o.id));
			cursor = page.data.nextCursor;
		} while (cursor);
		expect(sizes).toEqual([2, 2, 1]);
		expect(seen).toEqual(ids);
		const all = await api.get('/v1/orders');
		expect(all.data.nextCursor).toBeNull();
		expect(all.data.data.map((o: ProformaOrder) => o.id)).toEqual(ids);

		const byRef = await api.get('/v1/orders', { params: { clientReference: 'opp-3' } });
		expect(byRef.data).toEqual({
			data: [(await api.get(`/v1/orders/${ids[2]}`)).data],
			nextCursor: null,
		});
		const mark = new Date().toISOString();
		await sleep(5);
		sandbox.advance(ids[0], { to: 'completed' });
		await api.post(`/v1/orders/${ids[1]}/cancel`);
		const byStatus = await api.get('/v1/orders', { params: { status: 'completed,cancelled' } });
		expect(byStatus.data.data.map((o: ProformaOrder) => o.id)).toEqual([ids[0], ids[1]]);
		expect((await api.get('/v1/orders', { params: { status: 'invited' } })).data.data).toHaveLength(
			3,
		);
		const since = await api.get('/v1/orders', { params: { updatedSince: mark } });
		expect(since.data.data.map((o: ProformaOrder) => o.id)).toEqual([ids[0], ids[1]]);
	});

	it('answers 400 for a limit outside 1-100, an unknown status, a bad timestamp or cursor', async () => {
		for (const params of [
			{ limit: 0 },
			{ limit: 101 },
			{ limit: 'ten' },
			{ status: 'done' },
			{ updatedSince: 'yesterday' },
			{ cursor: 'zzz' },
		]) {
			const res = await api.get('/v1/orders', { params });
			expect(res.status).toBe(400);
			expect(res.data.error.code).toBe('malformed_request');
			expect(res.data.error.details).toEqual([{ field: Object.keys(params)[0], issue: 'invalid' }]);
		}
		expect((await api.get('/v1/orders', { params: { limit: 100 } })).status).toBe(200);
		expect((await api.get('/v1/orders', { params: { limit: 1 } })).status).toBe(200);
	});
});

describe('Proforma sandbox: faults and rate limit', () => {
	it('fails the next N /v1 requests with 5xx, then answers normally; the control API is not affected', async () => {
		const set = await control.post('/__sandbox/faults', { failNext: { count: 2, status: 503 } });
		expect(set.data.failNext).toEqual({ count: 2, status: 503 });
		expect((await control.get('/__sandbox/state')).status).toBe(200);
		const first = await api.get('/v1/packages');
		expect(first.status).toBe(503);
		expect(first.data.error.code).toBe('service_unavailable');
		expect((await api.get('/v1/packages')).status).toBe(503);
		expect((await api.get('/v1/packages')).status).toBe(200);

		await control.post('/__sandbox/faults', { failNext: { count: 1 } });
		const fail = await create();
		expect(fail.status).toBe(500);
		expect(fail.data.error).toEqual({
			code: 'internal_error',
			message: 'An internal error occurred; retry shortly.',
			details: [],
		});
		expect(sandbox.state().orders).toHaveLength(0);
		expect((await create()).status).toBe(201);
	});

	it('answers 429 rate_limited with Retry-After for rateLimitNext', async () => {
		await control.post('/__sandbox/faults', { rateLimitNext: { count: 1, retryAfterSeconds: 7 } });
		const limited = await api.get('/v1/packages');
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('7');
		expect(limited.data.error).toEqual({
			code: 'rate_limited',
			message: 'Too many requests: retry after 7 s.',
			details: [],
		});
		expect((await api.get('/v1/packages')).status).toBe(200);
	});

	it('delays an answer past a client timeout; the order is created anyway and the retry replays it', async () => {
		await control.post('/__sandbox/faults', { delayNext: { count: 1, ms: 400 } });
		const timedOut = await create({}, 'slow-key').then(
			() => 'answered',
			(err: Json) => String(err.code),
		);
		expect(timedOut).toBe('answered');
		await control.post('/__sandbox/faults', { delayNext: { count: 1, ms: 400 } });
		const outcome = await api
			.post('/v1/orders', orderBody({ clientReference: 'opp-slow' }), {
				headers: { 'Idempotency-Key': 'slow-key-2' },
				timeout: 100,
			})
			.then(
				() => 'answered',
				(err: Json) => String(err.code),
			);
		// The client gave up (its 100 ms timeout) before the 400 ms answer.
		expect(outcome).toBe('ECONNABORTED');
		const created = await waitFor(
			() => sandbox.state().orders.find((o) => o.clientReference === 'opp-slow'),
			'the delayed order',
		);
		const retry = await api.post('/v1/orders', orderBody({ clientReference: 'opp-slow' }), {
			headers: { 'Idempotency-Key': 'slow-key-2' },
		});
		expect(retry.status).toBe(200);
		expect(retry.data.id).toBe(created.id);
	});

	it('enforces 10 requests/second per key with bursts to 20', async () => {
		expect(sandbox.state().rateLimit).toEqual({ perSecond: 10, burst: 20 });
		const started = Date.now();
		const answers = await Promise.all(Array.from({ length: 40 }, () => api.get('/v1/packages')));
		const elapsedSeconds = (Date.now() - started) / 1000;
		const ok = answers.filter((r) => r.status === 200).length;
		const limited = answers.filter((r) => r.status === 429);
		expect(ok + limited.length).toBe(40);
		// The burst of 20, plus whatever refilled (10/s) while the requests were in flight.
		expect(ok).toBeGreaterThanOrEqual(20);
		expect(ok).toBeLessThanOrEqual(21 + Math.ceil(elapsedSeconds * 10));
		expect(limited.length).toBeGreaterThan(0);
		expect(limited[0].headers['retry-after']).toBe('1');
		expect(limited[0].data.error.code).toBe('rate_limited');
		// With the bucket empty, a request without a key still gets 401: auth comes before the limiter.
		expect((await control.get('/v1/packages')).status).toBe(401);
	});

	it('can reconfigure or switch off the limiter', async () => {
		const set = await control.post('/__sandbox/faults', { rateLimit: { perSecond: 1, burst: 3 } });
		expect(set.data.rateLimit).toEqual({ perSecond: 1, burst: 3 });
		const limited = await Promise.all(Array.from({ length: 6 }, () => api.get('/v1/packages')));
		expect(limited.filter((r) => r.status === 200).length).toBeLessThan(6);
		await control.post('/__sandbox/faults', { rateLimit: false });
		const free = await Promise.all(Array.from({ length: 30 }, () => api.get('/v1/packages')));
		expect(free.every((r) => r.status === 200)).toBe(true);
	});
});

describe('Proforma sandbox: callbacks', () => {
	const typesAndStatuses = (calls: ReceivedCallback[]) =>
		calls.map((c) => [c.body.type, c.body.data.order.status]);

	it('POSTs signed order.created / status_changed / completed events to the account callback URL', async () => {
		expect((await control.post('/__sandbox/account', { callbackUrl: receiver.url })).data).toEqual({
			callbackUrl: receiver.url,
		});
		const o = await createOk({ candidate: { email: 'ada+review@example.com' } });
		await receiver.waitFor((calls) => calls.some((c) => c.body?.type === 'order.completed'), 4000);
		const calls = [...receiver.events()].sort((a, b) =>
			a.body.createdAt.localeCompare(b.body.createdAt),
		);
		expect(typesAndStatuses(calls)).toEqual([
			['order.created', 'invited'],
			['order.status_changed', 'submitted'],
			['order.status_changed', 'in_progress'],
			['order.completed', 'completed'],
		]);
		for (const call of calls) {
			expect(call.method).toBe('POST');
			expect(call.path).toBe('/callbacks/proforma');
			expect(call.headers['content-type']).toBe('application/json');
			expect(call.body).toEqual({
				id: expect.stringMatching(EVENT_ID),
				type: call.body.type,
				createdAt: expect.stringMatching(ISO),
				data: { order: expect.any(Object) },
			});
			expect(call.body.data.order.id).toBe(o.id);
			expectSigned(call);
			expect(
				verifySignature(String(call.headers['proforma-signature']), call.rawBody, SIGNING_SECRET),
			).toBe(true);
			expect(
				verifySignature(String(call.headers['proforma-signature']), call.rawBody, 'another-secret'),
			).toBe(false);
			expect(
				verifySignature(
					String(call.headers['proforma-signature']),
					`${call.rawBody} `,
					SIGNING_SECRET,
				),
			).toBe(false);
		}
		expect(() => expectSigned(calls[0], 'another-secret')).toThrow();
		expect(new Set(calls.map((c) => c.body.id)).size).toBe(4);
		expect(calls[3].body.data.order).toMatchObject({
			result: 'review',
			report: { url: `${sandbox.url}/portal/reports/${o.id}` },
		});
		await waitFor(
			() => sandbox.state().deliveries.every((d) => d.status === 'delivered'),
			'deliveries to be recorded',
		);
		expect(
			sandbox.state().deliveries.map((d) => [d.type, d.attempts.map((a) => a.status)]),
		).toEqual(calls.map(() => [expect.any(String), [200]]));
	});

	it("prefers the order's callbackUrl over the account one and sends nothing when neither is set", async () => {
		sandbox.setStepMs(0);
		await createOk({ clientReference: 'opp-none' });
		await sleep(50);
		expect(receiver.received).toHaveLength(0);
		expect(sandbox.state().events).toHaveLength(1);
		expect(sandbox.state().deliveries).toHaveLength(0);

		sandbox.setAccountCallbackUrl(`${receiver.baseUrl}/account-level`);
		await createOk({ clientReference: 'opp-own', callbackUrl: `${receiver.baseUrl}/order-level` });
		await createOk({ clientReference: 'opp-account' });
		await receiver.waitFor((calls) => calls.length === 2);
		expect(
			receiver.received.map((c) => [c.path, c.body.data.order.clientReference]).sort(),
		).toEqual([
			['/account-level', 'opp-account'],
			['/order-level', 'opp-own'],
		]);
	});

	it('retries a failed callback with the same event id and body, re-signed', async () => {
		sandbox.setStepMs(0);
		sandbox.setAccountCallbackUrl(receiver.url);
		receiver.respondWith([500, 503]);
		const o = await createOk();
		await receiver.waitFor((calls) => calls.length === 3);
		expect(receiver.received.map((c) => c.status)).toEqual([500, 503, 200]);
		expect(new Set(receiver.received.map((c) => c.body.id)).size).toBe(1);
		expect(new Set(receiver.received.map((c) => c.rawBody)).size).toBe(1);
		expect(receiver.received.map((c) => c.headers['proforma-delivery-attempt'])).toEqual([
			'1',
			'2',
			'3',
		]);
		receiver.received.forEach((c) => expectSigned(c));
		await waitFor(
			() => sandbox.state().deliveries[0]?.status === 'delivered',
			'the delivery to be marked delivered',
		);
		const [delivery] = sandbox.state().deliveries;
		expect(delivery).toMatchObject({
			type: 'order.created',
			orderId: o.id,
			url: receiver.url,
			status: 'delivered',
			duplicate: false,
		});
		expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
		expect(delivery.eventId).toBe(receiver.received[0].body.id);
	});

	it('treats no answer within the timeout as a failure and gives up after the schedule', async () => {
		const quick = await startProformaSandbox({
			stepMs: 0,
			signingSecret: SIGNING_SECRET,
			callbackTimeoutMs: 100,
			callbackRetryScheduleMs: [10, 10],
		});
		try {
			quick.setAccountCallbackUrl(receiver.url);
			receiver.respondWith(() => ({ status: 200, delayMs: 400 }));
			await axios.post(`${quick.url}/v1/orders`, orderBody(), {
				headers: { Authorization: 'Bearer sandbox-proforma-key', 'Idempotency-Key': 'timeout-1' },
			});
			const delivery = await waitFor(
				() => quick.state().deliveries.find((d) => d.status === 'failed'),
				'the delivery to fail after its retries',
			);
			expect(delivery.attempts).toHaveLength(3);
			for (const a of delivery.attempts) {
				expect(a.status).toBeNull();
				expect(a.error).toContain('no answer within 100 ms');
			}
			expect(receiver.received).toHaveLength(3);
			expect(new Set(receiver.received.map((c) => c.body.id)).size).toBe(1);
		} finally {
			await quick.close();
		}
	});

	it('sends each callback twice with duplicateCallbacks', async () => {
		sandbox.setStepMs(0);
		sandbox.setAccountCallbackUrl(receiver.url);
		await control.post('/__sandbox/faults', { duplicateCallbacks: true });
		const o = await createOk();
		sandbox.advance(o.id);
		await receiver.waitFor((calls) => calls.length === 4);
		const byId = new Map<string, ReceivedCallback[]>();
		for (const c of receiver.received) byId.set(c.body.id, [...(byId.get(c.body.id) ?? []), c]);
		expect([...byId.values()].map((copies) => copies.length)).toEqual([2, 2]);
		for (const copies of byId.values()) expect(copies[0].rawBody).toBe(copies[1].rawBody);
		expect(sandbox.state().deliveries.map((d) => d.duplicate)).toEqual([false, true, false, true]);
	});

	it('delivers the batch of an order in reverse order with outOfOrderCallbacks', async () => {
		sandbox.setAccountCallbackUrl(receiver.url);
		await control.post('/__sandbox/faults', { outOfOrderCallbacks: true });
		const o = await createOk({ candidate: { email: 'ada+adverse@example.com' } });
		await waitFor(() => stateOrder(o.id)?.status === 'completed', 'the order to complete');
		await receiver.waitFor((calls) => calls.length === 4);
		expect(typesAndStatuses(receiver.received)).toEqual([
			['order.completed', 'completed'],
			['order.status_changed', 'in_progress'],
			['order.status_changed', 'submitted'],
			['order.created', 'invited'],
		]);
		receiver.received.forEach((c) => expectSigned(c));
	});
});
