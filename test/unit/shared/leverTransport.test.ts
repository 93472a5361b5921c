import { describe, expect, it } from '@jest/globals';
import nock from 'nock';

import { leverApiRequest, leverApiRequestAllItems } from '../../../nodes/Lever/shared/transport';
import { createExecuteContext } from '../../helpers/n8nContext';
import { useOfflineApi } from '../../support/offlineApi';

const BASE = 'https://api.lever.co/v1';
const credentials = { leverApi: { apiKey: 'test-api-key-value', environment: 'production' } };

describe('Lever transport', () => {
	const offline = useOfflineApi();

	it('sends Basic auth with the key as username and repeats array query keys', async () => {
		const scope = nock(BASE, {
			reqheaders: {
				authorization: `Basic ${Buffer.from('test-api-key-value:').toString('base64')}`,
			},
		})
			.get('/opportunities/opp-1')
			.query((q) => JSON.stringify(q.expand) === JSON.stringify(['applications', 'contact']))
			.reply(200, { data: { id: 'opp-1' } });
		const { context } = createExecuteContext({
			credentials,
			parameters: { authentication: 'apiKey' },
		});
		const result = await leverApiRequest.call(context, 'GET', '/opportunities/opp-1', {
			qs: { expand: ['applications', 'contact'] },
		});
		expect(result).toEqual({ data: { id: 'opp-1' } });
		expect(scope.isDone()).toBe(true);
	});

	it('does not follow a redirect (n8n would carry the credential to the other origin)', async () => {
		nock(BASE)
			.get('/opportunities/opp-1')
			.reply(302, '', { Location: 'https://collector.example/steal' });
		const elsewhere = nock('https://collector.example').get('/steal').reply(200, {});
		const { context, requests } = createExecuteContext({
			credentials,
			parameters: { authentication: 'apiKey' },
		});
		await expect(leverApiRequest.call(context, 'GET', '/opportunities/opp-1')).rejects.toThrow(
			'Lever GET /opportunities/opp-1 failed with 302',
		);
		expect(requests[0].options.disableFollowRedirect).toBe(true);
		expect(elsewhere.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('retries a 429 honouring Retry-After, then succeeds', async () => {
		nock(BASE)
			.get('/stages')
			.reply(429, { code: 'TooManyRequests', message: 'slow down' }, { 'Retry-After': '2' });
		nock(BASE).get('/stages').reply(200, { data: [] });
		const { context } = createExecuteContext({ credentials, parameters: {} });
		await expect(leverApiRequest.call(context, 'GET', '/stages')).resolves.toEqual({ data: [] });
		expect(offline.sleep).toHaveBeenCalledTimes(1);
		expect(offline.sleep.mock.calls[0][0]).toBeGreaterThanOrEqual(2000);
	});

	it('gives up after the bounded retries with an error naming endpoint and status', async () => {
		nock(BASE)
			.get('/stages')
			.times(41)
			.reply(429, { code: 'TooManyRequests', message: 'slow down' });
		const { context } = createExecuteContext({ credentials, parameters: {} });
		await expect(leverApiRequest.call(context, 'GET', '/stages')).rejects.toThrow(
			'Lever GET /stages failed with 429 TooManyRequests after 41 attempts: slow down',
		);
		expect(offline.sleep).toHaveBeenCalledTimes(40);
	});

	it('follows next/hasNext pagination', async () => {
		nock(BASE)
			.get('/tags')
			.query({ limit: '100' })
			.reply(200, { data: [{ text: 'a' }], hasNext: true, next: 'tok 1' });
		nock(BASE)
			.get('/tags')
			.query({ limit: '100', offset: 'tok 1' })
			.reply(200, { data: [{ text: 'b' }], hasNext: false });
		const { context } = createExecuteContext({ credentials, parameters: {} });
		await expect(leverApiRequestAllItems.call(context, '/tags')).resolves.toEqual([
			{ text: 'a' },
			{ text: 'b' },
		]);
	});

	it('gives an outage (503) the shorter budget than a rate limit', async () => {
		nock(BASE)
			.get('/stages')
			.times(7)
			.reply(503, { code: 'ServiceUnavailable', message: 'maintenance' });
		const { context } = createExecuteContext({ credentials, parameters: {} });
		await expect(leverApiRequest.call(context, 'GET', '/stages')).rejects.toThrow(
			'Lever GET /stages failed with 503 ServiceUnavailable after 7 attempts: maintenance',
		);
		expect(offline.sleep).toHaveBeenCalledTimes(6);
	});

	it('reports a network failure without the key', async () => {
		nock(BASE)
			.get('/stages')
			.times(7)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const { context } = createExecuteContext({ credentials, parameters: {} });
		const error = await leverApiRequest.call(context, 'GET', '/stages').catch((e: Error) => e);
		expect((error as Error).message).toBe(
			'Lever GET /stages could not be reached after 7 attempts: connection reset',
		);
		expect(JSON.stringify(error)).not.toContain('test-api-key-value');
	});
});
