import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import axios, { type AxiosResponse } from 'axios';
import { sleep } from 'n8n-workflow';

import { SEED, startLeverSandbox, type LeverSandbox } from '../../../sandboxes/lever/server';
import { startReceiver, type Receiver } from '../../../sandboxes/lever/receiver';
import {
	DEFAULT_API_KEY,
	startProformaSandbox,
	type ProformaSandbox,
} from '../../../sandboxes/proforma/server';
import { startCallbackReceiver, type CallbackReceiver } from '../../../sandboxes/proforma/receiver';

/**
 * What both sandboxes take from sandboxes/shared/, seen over HTTP: JSON
 * answers in each API's style (shared/http.js), resets that stop pending
 * delivery retries (shared/async-work.js) and the token bucket of their rate
 * limits (shared/token-bucket.js).
 */

const RETRY_MS = 150;

let lever: LeverSandbox;
let proforma: ProformaSandbox;
let leverReceiver: Receiver;
let proformaReceiver: CallbackReceiver;

const leverAuth = { username: SEED.apiKey, password: '' };

/** The raw answer: status, headers and the body text as sent. */
async function raw(
	url: string,
	config: { method?: string; auth?: typeof leverAuth; headers?: Record<string, string> } = {},
): Promise<AxiosResponse<string>> {
	return axios.request<string>({
		url,
		method: config.method ?? 'GET',
		auth: config.auth,
		headers: config.headers,
		responseType: 'text',
		transformResponse: (body: string) => body,
		validateStatus: () => true,
	});
}

async function waitUntil(probe: () => boolean, timeoutMs = 4000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
		await sleep(5);
	}
}

beforeAll(async () => {
	lever = await startLeverSandbox({
		port: 0,
		log: false,
		webhookRetryScheduleMs: [RETRY_MS, RETRY_MS],
	});
	proforma = await startProformaSandbox({
		port: 0,
		log: false,
		stepMs: 0,
		callbackRetryScheduleMs: [RETRY_MS, RETRY_MS],
	});
	leverReceiver = await startReceiver();
	proformaReceiver = await startCallbackReceiver();
});

afterEach(() => {
	lever.reset();
	proforma.reset();
	leverReceiver.clear();
	proformaReceiver.clear();
});

afterAll(async () => {
	await lever.close();
	await proforma.close();
	await leverReceiver.close();
	await proformaReceiver.close();
});

describe('JSON answers', () => {
	it('Lever: compact JSON with a Content-Length, as Lever answers', async () => {
		const res = await raw(`${lever.url}/stages/stage-offer`, { auth: leverAuth });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(res.data).toBe('{"data":{"id":"stage-offer","text":"Offer"}}');
		expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.data));
	});

	it('Lever: a 204 has neither body nor content type', async () => {
		const { id } = lever.registerWebhook({ url: leverReceiver.url, event: 'candidateHired' });
		const res = await raw(`${lever.origin}/__sandbox/webhooks/${id}`, { method: 'DELETE' });
		expect(res.status).toBe(204);
		expect(res.data).toBe('');
		expect(res.headers['content-type']).toBeUndefined();
	});

	it('Proforma: indented JSON, sent chunked', async () => {
		const res = await raw(`${proforma.url}/v1/packages/standard`, {
			headers: { Authorization: `Bearer ${DEFAULT_API_KEY}` },
		});
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(res.headers['transfer-encoding']).toBe('chunked');
		expect(res.data.startsWith('{\n  "code": "standard",\n')).toBe(true);
	});

	it('errors keep each API’s shape', async () => {
		const leverRes = await raw(`${lever.url}/stages/nope`, { auth: leverAuth });
		expect(leverRes.status).toBe(404);
		expect(JSON.parse(leverRes.data)).toEqual({
			code: 'ResourceNotFound',
			message: 'stages nope was not found',
		});
		const proformaRes = await raw(`${proforma.url}/v1/orders/nope`, {
			headers: { Authorization: `Bearer ${DEFAULT_API_KEY}` },
		});
		expect(proformaRes.status).toBe(404);
		expect(JSON.parse(proformaRes.data)).toEqual({
			error: { code: 'not_found', message: 'Order nope was not found.', details: [] },
		});
	});
});

describe('reset stops pending retries', () => {
	it('Lever: no retry of a failed delivery reaches the receiver after a reset', async () => {
		leverReceiver.setStatuses([500], 500);
		lever.registerWebhook({ url: leverReceiver.url, event: 'candidateStageChange' });
		lever.moveToStage(SEED.opportunities.ada, SEED.stages.backgroundScreening);
		// Reset while the retry is scheduled, not merely while the first answer is on its way.
		await lever.waitFor((state) => state.deliveries[0]?.status === 'retrying');
		lever.reset({ keepWebhooks: true });
		await sleep(RETRY_MS * 3);
		expect(leverReceiver.requests).toHaveLength(1);
		expect(lever.state().deliveries).toEqual([]);
	});

	it('Proforma: no retry of a failed callback reaches the receiver after a reset', async () => {
		proformaReceiver.respondWith(() => 500);
		proforma.setAccountCallbackUrl(proformaReceiver.url);
		await axios.post(
			`${proforma.url}/v1/orders`,
			{
				package: 'standard',
				candidate: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
			},
			{ headers: { Authorization: `Bearer ${DEFAULT_API_KEY}`, 'Idempotency-Key': 'reset-1' } },
		);
		await waitUntil(() => proforma.state().deliveries[0]?.status === 'retrying');
		proforma.reset();
		await sleep(RETRY_MS * 3);
		expect(proformaReceiver.received).toHaveLength(1);
		expect(proforma.state().deliveries).toEqual([]);
	});
});

describe('rate limits from one token bucket', () => {
	it('lets the same burst through in both sandboxes, each answering 429 in its API’s way', async () => {
		const proformaAuth = { Authorization: `Bearer ${DEFAULT_API_KEY}` };
		await axios.post(`${proforma.url}/__sandbox/faults`, { rateLimit: { perSecond: 1, burst: 2 } });
		lever.setRateLimit({ perSecond: 1, burst: 2 });
		try {
			const [leverAnswers, proformaAnswers] = await Promise.all([
				Promise.all(
					Array.from({ length: 5 }, () => raw(`${lever.url}/stages`, { auth: leverAuth })),
				),
				Promise.all(
					Array.from({ length: 5 }, () =>
						raw(`${proforma.url}/v1/packages`, { headers: proformaAuth }),
					),
				),
			]);
			for (const answers of [leverAnswers, proformaAnswers]) {
				const statuses = answers.map((r) => r.status);
				expect(statuses.filter((st) => st === 200).length).toBeGreaterThanOrEqual(2);
				expect(statuses.filter((st) => st === 429).length).toBeGreaterThanOrEqual(1);
				expect(statuses.filter((st) => st !== 200 && st !== 429)).toEqual([]);
			}
			// Lever documents no Retry-After; the Proforma contract sends one.
			const leverLimited = leverAnswers.find((r) => r.status === 429);
			expect(leverLimited?.headers['retry-after']).toBeUndefined();
			expect(JSON.parse(leverLimited?.data ?? '{}').code).toBe('TooManyRequests');
			const proformaLimited = proformaAnswers.find((r) => r.status === 429);
			expect(proformaLimited?.headers['retry-after']).toBe('1');
		} finally {
			// A Lever reset keeps the configured limit: back to Lever's own.
			lever.setRateLimit({ perSecond: 10, burst: 20 });
		}
	});
});
