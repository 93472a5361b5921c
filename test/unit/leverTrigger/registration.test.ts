import { afterEach, describe, expect, it, jest } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { LeverTrigger } from '../../../nodes/LeverTrigger/LeverTrigger.node';
import { createHookContext, createLoadOptionsContext } from '../../helpers/n8nContext';
import { API_CREDENTIALS, BASE, OTHER_SIGNING, SIGNING } from './fixtures';
import { useOfflineApi } from '../../support/offlineApi';

const URL = 'https://n8n.example.com/webhook/abc/webhook';
const TEST_URL = 'https://n8n.example.com/webhook-test/abc/webhook';
const basic = `Basic ${Buffer.from('test-api-key-value:').toString('base64')}`;
const AUTOMATIC = {
	registration: 'automatic',
	authentication: 'apiKey',
	events: ['candidateStageChange', 'candidateHired'],
};

type Method = 'checkExists' | 'create' | 'delete';

function hook(parameters: IDataObject = AUTOMATIC, staticData: IDataObject = {}, testing = false) {
	const harness = createHookContext({
		parameters,
		credentials: API_CREDENTIALS,
		staticData,
		webhookUrl: testing ? TEST_URL : URL,
	});
	// "Listen for test event" registers with mode manual and the test URL.
	if (testing) (harness.context as { getMode: () => string }).getMode = () => 'manual';
	const node = new LeverTrigger();
	const run = async (method: Method) =>
		await node.webhookMethods.default[method].call(harness.context);
	const logger = harness.context.logger as unknown as Record<
		'debug' | 'info' | 'warn' | 'error',
		jest.Mock
	>;
	return { ...harness, run, logger, context: harness.context as IHookFunctions };
}

const listed = (entries: Array<{ id: string; event: string; url?: string }>) => ({
	data: entries.map((entry) => ({
		url: URL,
		createdAt: 1,
		updatedAt: 1,
		configuration: { conditions: { origins: [] } },
		...entry,
	})),
});

describe('Lever Trigger events', () => {
	it("offers exactly the ten events of Lever's Data API", () => {
		const events = new LeverTrigger().description.properties.find((p) => p.name === 'events');
		expect((events?.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(
			[
				'applicationCreated',
				'candidateArchiveChange',
				'candidateDeleted',
				'candidateHired',
				'candidateStageChange',
				'contactCreated',
				'contactUpdated',
				'interviewCreated',
				'interviewDeleted',
				'interviewUpdated',
			].sort(),
		);
	});
});

describe('Lever Trigger registration (automatic)', () => {
	useOfflineApi();

	describe('create', () => {
		it('posts {url, event} per event and stores id and token (single data shape)', async () => {
			const scope = nock(BASE, { reqheaders: { authorization: basic } })
				.get('/webhooks')
				.reply(200, { data: [] })
				.post('/webhooks', { url: URL, event: 'candidateStageChange' })
				.reply(201, {
					data: {
						id: 'wh-stage',
						event: 'candidateStageChange',
						url: URL,
						configuration: { signatureToken: SIGNING },
					},
				})
				.post('/webhooks', { url: URL, event: 'candidateHired' })
				.reply(201, {
					data: {
						id: 'wh-hired',
						event: 'candidateHired',
						url: URL,
						configuration: { signatureToken: OTHER_SIGNING },
					},
				});
			const h = hook();
			await expect(h.run('create')).resolves.toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(h.staticData).toEqual({
				candidateStageChange: { id: 'wh-stage', signatureToken: SIGNING, url: URL },
				candidateHired: { id: 'wh-hired', signatureToken: OTHER_SIGNING, url: URL },
			});
			expect(h.requests.map((r) => [r.options.method, r.options.url, r.options.body])).toEqual([
				['GET', `${BASE}/webhooks`, undefined],
				['POST', `${BASE}/webhooks`, { url: URL, event: 'candidateStageChange' }],
				['POST', `${BASE}/webhooks`, { url: URL, event: 'candidateHired' }],
			]);
			expect(h.logger.info).toHaveBeenCalledWith(
				'Registered Lever webhooks for candidateStageChange, candidateHired. A Lever Super Admin may need to switch these webhook groups on in Settings > Integrations and API > Webhooks.',
			);
			expect(JSON.stringify(h.logger.info.mock.calls)).not.toContain(SIGNING);
		});

		it('reads the doubly nested {data: {data: ...}} shape from the docs', async () => {
			nock(BASE)
				.get('/webhooks')
				.reply(200, { data: [] })
				.post('/webhooks', { url: URL, event: 'candidateStageChange' })
				.reply(201, {
					data: {
						data: {
							id: 'wh-stage',
							event: 'candidateStageChange',
							url: URL,
							configuration: { signatureToken: SIGNING },
						},
					},
				});
			const h = hook({ ...AUTOMATIC, events: ['candidateStageChange'] });
			await expect(h.run('create')).resolves.toBe(true);
			expect(h.staticData).toEqual({
				candidateStageChange: { id: 'wh-stage', signatureToken: SIGNING, url: URL },
			});
		});

		it('first removes stored webhooks and unknown ones at our URL (404 = already gone), leaving others alone', async () => {
			const scope = nock(BASE)
				.get('/webhooks')
				.reply(
					200,
					listed([
						{ id: 'wh-orphan', event: 'candidateStageChange' },
						{
							id: 'wh-someone-else',
							event: 'candidateStageChange',
							url: 'https://other.example.com/hook',
						},
					]),
				)
				.delete('/webhooks/wh-old')
				.reply(404, { code: 'ResourceNotFound', message: 'webhooks wh-old was not found' })
				.delete('/webhooks/wh-orphan')
				.reply(204)
				.post('/webhooks', { url: URL, event: 'candidateStageChange' })
				.reply(201, { data: { id: 'wh-new', configuration: { signatureToken: SIGNING } } });
			const h = hook(
				{ ...AUTOMATIC, events: ['candidateStageChange'] },
				{ candidateHired: { id: 'wh-old', signatureToken: OTHER_SIGNING } },
			);
			await expect(h.run('create')).resolves.toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(h.staticData).toEqual({
				candidateStageChange: { id: 'wh-new', signatureToken: SIGNING, url: URL },
			});
		});

		it("while testing, leaves the published workflow's webhooks alone", async () => {
			const production = { id: 'wh-prod', signatureToken: OTHER_SIGNING, url: URL };
			const scope = nock(BASE)
				.get('/webhooks')
				.reply(200, listed([{ id: 'wh-prod', event: 'candidateHired' }]))
				.post('/webhooks', { url: TEST_URL, event: 'candidateStageChange' })
				.reply(201, { data: { id: 'wh-test', configuration: { signatureToken: SIGNING } } });
			const h = hook(
				{ ...AUTOMATIC, events: ['candidateStageChange'] },
				{ candidateHired: { ...production } },
				true,
			);
			await expect(h.run('create')).resolves.toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(h.requests.map((r) => r.options.method)).toEqual(['GET', 'POST']);
			expect(h.staticData).toEqual({
				candidateHired: production,
				candidateStageChange: { id: 'wh-test', signatureToken: SIGNING, url: TEST_URL },
			});
			// ...and removing the test registration deletes only the test webhook.
			nock(BASE).delete('/webhooks/wh-test').reply(204);
			await expect(h.run('delete')).resolves.toBe(true);
			expect(h.requests.map((r) => `${r.options.method} ${r.options.url}`).slice(2)).toEqual([
				`DELETE ${BASE}/webhooks/wh-test`,
			]);
			expect(h.staticData).toEqual({ candidateHired: production });
		});

		it('rolls back and explains when Lever refuses a creation (403)', async () => {
			const scope = nock(BASE)
				.get('/webhooks')
				.reply(200, { data: [] })
				.post('/webhooks', { url: URL, event: 'candidateStageChange' })
				.reply(201, { data: { id: 'wh-stage', configuration: { signatureToken: SIGNING } } })
				.post('/webhooks', { url: URL, event: 'candidateHired' })
				.reply(403, { code: 'Forbidden', message: 'Insufficient permissions' })
				.delete('/webhooks/wh-stage')
				.reply(204);
			const h = hook();
			const error = (await h.run('create').catch((e: unknown) => e)) as workflow.NodeApiError;
			expect(scope.isDone()).toBe(true);
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				'Could not register the Lever webhook for "candidateHired": Lever POST /webhooks failed with 403 Forbidden: Insufficient permissions',
			);
			expect(error.description).toBe(
				'The Lever credential needs permission to manage webhooks (OAuth scope webhooks:write:admin, or an API key allowed to manage webhooks). Or use Manual registration.',
			);
			expect(error.httpCode).toBe('403');
			expect(h.staticData).toEqual({});
			expect(JSON.stringify(error)).not.toContain(SIGNING);
			expect(JSON.stringify(error)).not.toContain('test-api-key-value');
		});

		it('points at the webhook URL when Lever rejects it (400)', async () => {
			nock(BASE)
				.get('/webhooks')
				.reply(200, { data: [] })
				.post('/webhooks')
				.reply(400, { code: 'BadRequest', message: 'url must be https' });
			const h = hook({ ...AUTOMATIC, events: ['candidateStageChange'] });
			const error = (await h.run('create').catch((e: unknown) => e)) as workflow.NodeApiError;
			expect(error.message).toBe(
				'Could not register the Lever webhook for "candidateStageChange": Lever POST /webhooks failed with 400 BadRequest: url must be https',
			);
			expect(error.description).toContain('Lever only delivers to public HTTPS URLs');
		});

		it('deletes what it created and throws when Lever returns no signature token', async () => {
			const scope = nock(BASE)
				.get('/webhooks')
				.reply(200, { data: [] })
				.post('/webhooks', { url: URL, event: 'candidateStageChange' })
				.reply(201, { data: { id: 'wh-stage', configuration: { signatureToken: SIGNING } } })
				.post('/webhooks', { url: URL, event: 'candidateHired' })
				.reply(201, { data: { id: 'wh-hired', configuration: { conditions: {} } } })
				.delete('/webhooks/wh-stage')
				.reply(204)
				.delete('/webhooks/wh-hired')
				.reply(204);
			const h = hook();
			const error = (await h.run('create').catch((e: unknown) => e)) as workflow.NodeOperationError;
			expect(scope.isDone()).toBe(true);
			expect(error).toBeInstanceOf(workflow.NodeOperationError);
			expect(error.message).toBe(
				'Lever registered no usable webhook for "candidateHired": its answer had no signature token',
			);
			expect(error.description).toContain('Use Manual registration');
			expect(h.staticData).toEqual({});
		});

		it('refuses to activate with no event selected', async () => {
			const h = hook({ ...AUTOMATIC, events: [] });
			await expect(h.run('create')).rejects.toThrow('No Lever event is selected');
			expect(h.requests).toEqual([]);
		});
	});

	describe('checkExists', () => {
		const stored = {
			candidateStageChange: { id: 'wh-stage', signatureToken: SIGNING },
			candidateHired: { id: 'wh-hired', signatureToken: OTHER_SIGNING },
		};

		it('is true when Lever still lists every stored webhook with our URL and event', async () => {
			const scope = nock(BASE, { reqheaders: { authorization: basic } })
				.get('/webhooks')
				.reply(
					200,
					listed([
						{ id: 'wh-other', event: 'candidateHired', url: 'https://other.example.com' },
						{ id: 'wh-stage', event: 'candidateStageChange' },
						{ id: 'wh-hired', event: 'candidateHired' },
					]),
				);
			await expect(hook(AUTOMATIC, { ...stored }).run('checkExists')).resolves.toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it("follows Lever's next offset when the list comes in pages", async () => {
			const scope = nock(BASE)
				.get('/webhooks')
				.reply(200, {
					...listed([{ id: 'wh-stage', event: 'candidateStageChange' }]),
					hasNext: true,
					next: 'page-2 token',
				})
				.get('/webhooks')
				.query({ offset: 'page-2 token' })
				.reply(200, { ...listed([{ id: 'wh-hired', event: 'candidateHired' }]), hasNext: false });
			await expect(hook(AUTOMATIC, { ...stored }).run('checkExists')).resolves.toBe(true);
			expect(scope.isDone()).toBe(true);
		});

		it('reads the doubly nested list shape too', async () => {
			nock(BASE)
				.get('/webhooks')
				.reply(200, {
					data: listed([
						{ id: 'wh-stage', event: 'candidateStageChange' },
						{ id: 'wh-hired', event: 'candidateHired' },
					]),
				});
			await expect(hook(AUTOMATIC, { ...stored }).run('checkExists')).resolves.toBe(true);
		});

		it('is false without asking Lever when nothing (or not every event) is stored', async () => {
			const empty = hook(AUTOMATIC, {});
			await expect(empty.run('checkExists')).resolves.toBe(false);
			const partial = hook(AUTOMATIC, { candidateStageChange: stored.candidateStageChange });
			await expect(partial.run('checkExists')).resolves.toBe(false);
			const noToken = hook(AUTOMATIC, { ...stored, candidateHired: { id: 'wh-hired' } });
			await expect(noToken.run('checkExists')).resolves.toBe(false);
			expect([...empty.requests, ...partial.requests, ...noToken.requests]).toEqual([]);
		});

		it('is false without asking Lever when the stored webhooks deliver to another URL', async () => {
			const h = hook(AUTOMATIC, {
				candidateStageChange: {
					...stored.candidateStageChange,
					url: 'https://old.example.com/webhook/abc/webhook',
				},
				candidateHired: { ...stored.candidateHired, url: URL },
			});
			await expect(h.run('checkExists')).resolves.toBe(false);
			expect(h.requests).toEqual([]);
		});

		it('is false when a stored event is no longer selected', async () => {
			const h = hook({ ...AUTOMATIC, events: ['candidateStageChange'] }, { ...stored });
			await expect(h.run('checkExists')).resolves.toBe(false);
		});

		it.each([
			['deleted in Lever', [{ id: 'wh-stage', event: 'candidateStageChange' }]],
			[
				'pointing at another URL',
				[
					{ id: 'wh-stage', event: 'candidateStageChange' },
					{ id: 'wh-hired', event: 'candidateHired', url: 'https://old.example.com/webhook' },
				],
			],
			[
				'for another event',
				[
					{ id: 'wh-stage', event: 'candidateStageChange' },
					{ id: 'wh-hired', event: 'candidateDeleted' },
				],
			],
		])('is false when a stored webhook is %s', async (_label, entries) => {
			nock(BASE).get('/webhooks').reply(200, listed(entries));
			const h = hook(AUTOMATIC, { ...stored });
			await expect(h.run('checkExists')).resolves.toBe(false);
			expect(h.logger.info).toHaveBeenCalledWith(
				'Lever webhook for "candidateHired" is missing or changed in Lever; it will be registered again',
			);
		});

		it('surfaces a Lever error instead of guessing', async () => {
			nock(BASE).get('/webhooks').reply(401, { code: 'Unauthorized', message: 'Invalid API key' });
			await expect(hook(AUTOMATIC, { ...stored }).run('checkExists')).rejects.toThrow(
				'Lever GET /webhooks failed with 401 Unauthorized: Invalid API key',
			);
		});
	});

	describe('delete', () => {
		it('deletes every stored webhook, tolerates 404, and clears static data', async () => {
			const scope = nock(BASE, { reqheaders: { authorization: basic } })
				.delete('/webhooks/wh-stage')
				.reply(204)
				.delete('/webhooks/wh-hired')
				.reply(404, { code: 'ResourceNotFound', message: 'webhooks wh-hired was not found' });
			const h = hook(AUTOMATIC, {
				candidateStageChange: { id: 'wh-stage', signatureToken: SIGNING },
				candidateHired: { id: 'wh-hired', signatureToken: OTHER_SIGNING },
			});
			await expect(h.run('delete')).resolves.toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(h.staticData).toEqual({});
		});

		it('keeps what it could not delete, logs it, and throws a clear error', async () => {
			nock(BASE)
				.delete('/webhooks/wh-stage')
				.reply(204)
				.delete('/webhooks/wh-hired')
				.reply(500, { code: 'InternalError', message: 'boom' });
			const h = hook(AUTOMATIC, {
				candidateStageChange: { id: 'wh-stage', signatureToken: SIGNING },
				candidateHired: { id: 'wh-hired', signatureToken: OTHER_SIGNING },
			});
			const error = (await h.run('delete').catch((e: unknown) => e)) as Error;
			expect(error.message).toBe(
				'Could not delete 1 Lever webhook(s): candidateHired (wh-hired): Lever DELETE /webhooks/wh-hired failed with 500 InternalError: boom',
			);
			expect(h.staticData).toEqual({
				candidateHired: { id: 'wh-hired', signatureToken: OTHER_SIGNING },
			});
			expect(h.logger.error).toHaveBeenCalledTimes(1);
			expect(JSON.stringify(error)).not.toContain(OTHER_SIGNING);
		});
	});

	describe('manual registration', () => {
		it('checkExists, create and delete succeed without calling Lever', async () => {
			const h = hook(
				{ registration: 'manual', events: ['candidateStageChange'] },
				{ untouched: true },
			);
			await expect(h.run('checkExists')).resolves.toBe(true);
			await expect(h.run('create')).resolves.toBe(true);
			await expect(h.run('delete')).resolves.toBe(true);
			expect(h.requests).toEqual([]);
			expect(h.staticData).toEqual({ untouched: true });
		});
	});
});

describe('Lever Trigger methods', () => {
	afterEach(() => {
		nock.cleanAll();
		nock.enableNetConnect();
	});

	it('loads stages as options (name = stage text, value = id)', async () => {
		nock.disableNetConnect();
		const scope = nock(BASE)
			.get('/stages')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{ id: 'stage-1', text: 'New lead' },
					{ id: 'stage-2', text: 'Background Check' },
				],
				hasNext: false,
			});
		const { context } = createLoadOptionsContext({
			parameters: { authentication: 'apiKey' },
			credentials: API_CREDENTIALS,
		});
		await expect(new LeverTrigger().methods.loadOptions.getStages.call(context)).resolves.toEqual([
			{ name: 'New lead', value: 'stage-1' },
			{ name: 'Background Check', value: 'stage-2' },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		[
			'one token',
			SIGNING,
			'OK',
			'1 signature token(s) look valid; the first signed delivery from Lever confirms them',
		],
		[
			'several tokens',
			`${SIGNING},\n${OTHER_SIGNING}`,
			'OK',
			'2 signature token(s) look valid; the first signed delivery from Lever confirms them',
		],
		[
			'nothing',
			'  ',
			'Error',
			'Enter the signature token shown in Lever under Settings > Integrations and API > Webhooks (several may be separated by commas)',
		],
		[
			'a short value',
			'abc',
			'Error',
			'1 of 1 value(s) do not look like a Lever signature token (16 or more letters and digits, no spaces)',
		],
		[
			'a URL',
			`${SIGNING}, https://hire.lever.co/settings`,
			'Error',
			'1 of 2 value(s) do not look like a Lever signature token (16 or more letters and digits, no spaces)',
		],
	])('credential test with %s', async (_label, signatureToken, status, message) => {
		const test = new LeverTrigger().methods.credentialTest.leverWebhookSigningTest;
		const result = await test.call({} as never, {
			id: '1',
			name: 'x',
			type: 'leverWebhookSigningApi',
			data: { signatureToken },
		});
		expect(result).toEqual({ status, message });
	});
});
