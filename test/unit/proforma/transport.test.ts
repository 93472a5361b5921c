import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';

import { createOrder } from '../../../nodes/Proforma/shared/api';
import { parseSignatureHeader } from '../../../nodes/Proforma/shared/callbacks';
import {
	proformaApiRequest,
	proformaApiRequestAllItems,
	proformaErrorInfo,
	REQUEST_TIMEOUT_MS,
} from '../../../nodes/Proforma/shared/transport';
import { createExecuteContext } from '../../helpers/n8nContext';
import {
	API_KEY,
	apiError,
	BASE,
	bearer,
	credentials,
	failNextRequests,
	order,
	orderOut,
	keyValue,
} from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

function context(overrides: Record<string, unknown> = {}) {
	return createExecuteContext({
		credentials: { proformaApi: { ...credentials.proformaApi, ...overrides } } as never,
	});
}

const ORDER_REQUEST = {
	package: 'standard',
	clientReference: 'opp-1',
	candidate: {
		firstName: 'Ada',
		lastName: 'Lovelace',
		email: 'ada@example.com',
		phone: null,
		location: null,
	},
	callbackUrl: null,
	metadata: {},
};

describe('Proforma transport', () => {
	const offline = useOfflineApi();

	it('sends the key as a Bearer token, asks for JSON and sets a bounded timeout', async () => {
		const scope = nock(BASE, {
			reqheaders: { authorization: `Bearer ${API_KEY}`, accept: 'application/json' },
		})
			.get('/v1/packages')
			.reply(200, { data: [] });
		const { context: ctx, requests } = context();
		await expect(proformaApiRequest.call(ctx, 'GET', '/v1/packages')).resolves.toEqual({
			data: [],
		});
		expect(scope.isDone()).toBe(true);
		expect(requests).toHaveLength(1);
		expect(requests[0].credentialType).toBe('proformaApi');
		expect(requests[0].options.timeout).toBe(REQUEST_TIMEOUT_MS);
		expect(REQUEST_TIMEOUT_MS).toBe(30_000);
	});

	it('does not follow a redirect, so the key never travels to another origin', async () => {
		nock(BASE).get('/v1/packages').reply(307, '', { Location: 'https://collector.example/steal' });
		const elsewhere = nock('https://collector.example').get('/steal').reply(200, { data: [] });
		const { context: ctx, requests } = context();
		await expect(proformaApiRequest.call(ctx, 'GET', '/v1/packages')).rejects.toThrow(/307/);
		expect(requests[0].options.disableFollowRedirect).toBe(true);
		expect(elsewhere.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('accepts a base URL with a trailing slash or /v1', async () => {
		const scope = nock(BASE, bearer).get('/v1/packages').twice().reply(200, { data: [] });
		await proformaApiRequest.call(context({ baseUrl: `${BASE}/` }).context, 'GET', '/v1/packages');
		await proformaApiRequest.call(
			context({ baseUrl: `${BASE}/v1/` }).context,
			'GET',
			'/v1/packages',
		);
		expect(scope.isDone()).toBe(true);
	});

	it('refuses a credential without a valid base URL, before any request', async () => {
		const { context: ctx, requests } = context({ baseUrl: 'api.proforma.test' });
		await expect(proformaApiRequest.call(ctx, 'GET', '/v1/packages')).rejects.toThrow(
			'The Proforma API credential has no valid Base URL',
		);
		expect(requests).toHaveLength(0);
	});

	it('sends the Idempotency-Key header and the JSON body on create; 201 is a new order', async () => {
		const scope = nock(BASE, {
			reqheaders: {
				authorization: `Bearer ${API_KEY}`,
				'idempotency-key': keyValue('lever-opp-1-standard'),
				'content-type': /application\/json/,
			},
		})
			.post('/v1/orders', {
				package: 'standard',
				clientReference: 'opp-1',
				candidate: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
			})
			.reply(201, order());
		const result = await createOrder.call(context().context, ORDER_REQUEST, 'lever-opp-1-standard');
		expect(result).toEqual({ order: orderOut(), replayed: false, attempts: 1 });
		expect(scope.isDone()).toBe(true);
	});

	it('reads a 200 answer to create as a replay', async () => {
		nock(BASE, bearer).post('/v1/orders').reply(200, order());
		const result = await createOrder.call(context().context, ORDER_REQUEST, 'lever-opp-1-standard');
		expect(result.replayed).toBe(true);
	});

	it('retries a request that never reached Proforma, even a POST without a key', async () => {
		const scope = nock(BASE, bearer).post('/v1/orders/ord_1/invitation/resend').reply(200, order());
		const harness = context();
		failNextRequests(harness, ['ECONNREFUSED']);
		await expect(
			proformaApiRequest.call(harness.context, 'POST', '/v1/orders/ord_1/invitation/resend'),
		).resolves.toEqual(order());
		expect(scope.isDone()).toBe(true);
	});

	it('retries a 429 honouring Retry-After, then succeeds', async () => {
		nock(BASE, bearer)
			.get('/v1/orders/ord_1')
			.reply(429, apiError('rate_limited', 'Too many requests'), { 'Retry-After': '3' });
		nock(BASE, bearer).get('/v1/orders/ord_1').reply(200, order());
		await expect(
			proformaApiRequest.call(context().context, 'GET', '/v1/orders/ord_1'),
		).resolves.toEqual(order());
		expect(offline.sleep).toHaveBeenCalledTimes(1);
		expect(offline.sleep.mock.calls[0][0]).toBeGreaterThanOrEqual(3000);
	});

	it('retries 5xx a bounded number of times, then names method, path, status and attempts', async () => {
		const scope = nock(BASE, bearer)
			.get('/v1/packages')
			.times(7)
			.reply(503, apiError('unavailable', 'Maintenance'));
		const error = await proformaApiRequest
			.call(context().context, 'GET', '/v1/packages')
			.catch((e: Error) => e);
		expect((error as Error).message).toBe(
			'Proforma GET /v1/packages failed with 503 unavailable after 7 attempts: Maintenance',
		);
		expect(offline.sleep).toHaveBeenCalledTimes(6);
		expect(scope.isDone()).toBe(true);
		expect(proformaErrorInfo(error)).toMatchObject({ kind: 'http', status: 503, attempts: 7 });
	});

	it('retries a POST /v1/orders with an Idempotency-Key after a connection reset', async () => {
		const scope = nock(BASE, { reqheaders: { 'idempotency-key': keyValue('key-1') } })
			.post('/v1/orders')
			.reply(201, order());
		const harness = context();
		const failed = failNextRequests(harness, ['ECONNRESET']);
		const result = await createOrder.call(harness.context, ORDER_REQUEST, 'key-1');
		expect(result.order.id).toBe('ord_1');
		expect(result.attempts).toBe(2);
		expect((failed[0].headers as Record<string, string>)['Idempotency-Key']).toBe('key-1');
		expect(offline.sleep).toHaveBeenCalledTimes(1);
		expect(scope.isDone()).toBe(true);
	});

	it('does not repeat a POST without an Idempotency-Key that may have reached Proforma', async () => {
		const harness = context();
		const failed = failNextRequests(harness, ['ECONNRESET', 'ECONNRESET']);
		const error = await proformaApiRequest
			.call(harness.context, 'POST', '/v1/orders', { body: { package: 'standard' } })
			.catch((e: Error) => e);
		expect(failed).toHaveLength(1);
		expect((error as Error).message).toBe(
			'Proforma POST /v1/orders could not be reached: connection reset',
		);
		expect(offline.sleep).not.toHaveBeenCalled();
	});

	it('gives up on timeouts after the bounded retries, without the key in the error', async () => {
		const harness = context();
		const failed = failNextRequests(harness, Array(8).fill('ECONNABORTED'));
		const error = await proformaApiRequest
			.call(harness.context, 'GET', '/v1/orders/ord_1')
			.catch((e: Error) => e);
		expect(failed).toHaveLength(7);
		expect(offline.sleep).toHaveBeenCalledTimes(6);
		expect((error as Error).message).toBe(
			'Proforma GET /v1/orders/ord_1 could not be reached after 7 attempts: timed out',
		);
		expect(proformaErrorInfo(error)).toMatchObject({
			kind: 'network',
			attempts: 7,
			reason: 'timed out',
			status: null,
		});
		expect(JSON.stringify(error)).not.toContain(API_KEY);
		expect(String((error as Error).stack)).not.toContain(API_KEY);
	});

	it('says to check the API key on 401 and never includes it', async () => {
		nock(BASE).get('/v1/packages').reply(401, apiError('unauthorized', 'Invalid API key'));
		const error = await proformaApiRequest
			.call(context().context, 'GET', '/v1/packages')
			.catch((e: Error) => e);
		expect((error as Error).message).toBe(
			'Proforma GET /v1/packages failed with 401 unauthorized: Invalid API key. Check the API key in the Proforma API credential',
		);
		expect((error as workflow.NodeApiError).description).toContain('check the API key');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
		expect(offline.sleep).not.toHaveBeenCalled();
	});

	it('lists every 422 detail as "field: issue"', async () => {
		nock(BASE)
			.post('/v1/orders')
			.reply(
				422,
				apiError('validation_failed', 'The order is invalid', {
					details: [
						{ field: 'candidate.email', issue: 'required' },
						{ field: 'candidate.lastName', issue: 'too long' },
					],
				}),
			);
		const error = await createOrder
			.call(context().context, ORDER_REQUEST, 'k')
			.catch((e: Error) => e);
		expect((error as Error).message).toBe(
			'Proforma POST /v1/orders failed with 422 validation_failed: The order is invalid (candidate.email: required; candidate.lastName: too long)',
		);
		expect(proformaErrorInfo(error)?.details).toEqual([
			{ field: 'candidate.email', issue: 'required' },
			{ field: 'candidate.lastName', issue: 'too long' },
		]);
		expect(offline.sleep).not.toHaveBeenCalled();
	});

	it('keeps the orderId of a 409 conflict', async () => {
		nock(BASE)
			.post('/v1/orders')
			.reply(409, apiError('conflict', 'An open order exists', { orderId: 'ord_9' }));
		const error = await createOrder
			.call(context().context, ORDER_REQUEST, 'k')
			.catch((e: Error) => e);
		expect(proformaErrorInfo(error)).toMatchObject({
			status: 409,
			code: 'conflict',
			orderId: 'ord_9',
			attempts: 1,
		});
	});

	it('follows nextCursor and stops at maxItems', async () => {
		const scope = nock(BASE, bearer)
			.get('/v1/orders')
			.query({ status: 'invited', limit: '100' })
			.reply(200, { data: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c 2' })
			.get('/v1/orders')
			.query({ status: 'invited', limit: '100', cursor: 'c 2' })
			.reply(200, { data: [{ id: 'c' }], nextCursor: null });
		const all = await proformaApiRequestAllItems.call(context().context, '/v1/orders', {
			status: 'invited',
		});
		expect(all).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
		expect(scope.isDone()).toBe(true);

		const limited = nock(BASE, bearer)
			.get('/v1/orders')
			.query({ limit: '3' })
			.reply(200, { data: [{ id: 'a' }, { id: 'b' }], nextCursor: 'n1' })
			.get('/v1/orders')
			.query({ limit: '1', cursor: 'n1' })
			.reply(200, { data: [{ id: 'c' }], nextCursor: 'n2' });
		await expect(
			proformaApiRequestAllItems.call(context().context, '/v1/orders', {}, 3),
		).resolves.toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
		expect(limited.isDone()).toBe(true);
	});
});

describe('parseSignatureHeader', () => {
	const hex = 'a'.repeat(64);
	it.each([
		[`t=1700000000,v1=${hex}`, { timestamp: 1700000000, signatures: [hex] }],
		[
			` t=1700000000 , v1=${hex}, v1=${'b'.repeat(64)}`,
			{ timestamp: 1700000000, signatures: [hex, 'b'.repeat(64)] },
		],
		[`t=1700000000,v0=${hex},v1=${hex}`, { timestamp: 1700000000, signatures: [hex] }],
	])('parses %s', (header, expected) => {
		expect(parseSignatureHeader(header)).toEqual(expected);
	});
	it.each([
		undefined,
		'',
		'garbage',
		`v1=${hex}`,
		't=1700000000',
		`t=abc,v1=${hex}`,
		`t=1,t=2,v1=${hex}`,
		't=1700000000,v1=xyz',
	])('rejects %p', (header) => {
		expect(parseSignatureHeader(header)).toBeUndefined();
	});
});
