import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';

import { Lever } from '../../../nodes/Lever/Lever.node';
import { createExecuteContext } from '../../helpers/n8nContext';
import { API_KEY, BASE, BASIC_AUTH, credentials, rl, runLever, runLeverError } from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

describe('Lever node: failures, retries and bad input', () => {
	const offline = useOfflineApi();

	describe('rate limits and HTTP errors', () => {
		it('retries a 429 and then returns the result', async () => {
			const scope = nock(BASE, { reqheaders: { authorization: BASIC_AUTH } })
				.get('/stages')
				.query({ limit: '50' })
				.reply(
					429,
					{ code: 'TooManyRequests', message: 'Rate limit exceeded' },
					{ 'Retry-After': '1' },
				)
				.get('/stages')
				.query({ limit: '50' })
				.reply(200, { data: [{ id: 'lead-new', text: 'New lead' }], hasNext: false });
			const { output, requests } = await runLever({
				resource: 'stage',
				operation: 'getAll',
				returnAll: false,
				limit: 50,
			});
			expect(scope.isDone()).toBe(true);
			expect(requests).toHaveLength(2);
			expect(offline.sleep).toHaveBeenCalledTimes(1);
			expect(offline.sleep.mock.calls[0][0]).toBeGreaterThanOrEqual(1000);
			expect(output).toEqual([
				{ json: { id: 'lead-new', text: 'New lead' }, pairedItem: { item: 0 } },
			]);
		});

		it('gives up on a 429 that never ends after a bounded number of attempts, naming endpoint and status', async () => {
			const scope = nock(BASE)
				.post('/opportunities/opp-1/addTags')
				.query(true)
				.times(41)
				.reply(429, { code: 'TooManyRequests', message: 'Rate limit exceeded' });
			const { error, requests } = await runLeverError({
				resource: 'opportunity',
				operation: 'addTags',
				opportunityId: 'opp-1',
				tags: ['Background Check:Ordered'],
			});
			expect(scope.isDone()).toBe(true);
			// Rate limits get a longer budget than outages: 8 retries, each wait capped at 30 s.
			expect(requests).toHaveLength(41);
			expect(offline.sleep).toHaveBeenCalledTimes(40);
			expect(offline.sleep.mock.calls.every(([ms]) => Number(ms) <= 30000)).toBe(true);
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				'Lever POST /opportunities/opp-1/addTags failed with 429 TooManyRequests after 41 attempts: Rate limit exceeded',
			);
			expect(error.description).toContain('rate limit');
		});

		it("surfaces Lever's {code, message} on a 4xx without retrying", async () => {
			const scope = nock(BASE).get('/opportunities/opp-missing').reply(404, {
				code: 'ResourceNotFound',
				message: 'opportunities opp-missing was not found',
			});
			const { error, requests } = await runLeverError({
				resource: 'opportunity',
				operation: 'get',
				opportunityId: 'opp-missing',
			});
			expect(scope.isDone()).toBe(true);
			expect(requests).toHaveLength(1);
			expect(offline.sleep).not.toHaveBeenCalled();
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				'Lever GET /opportunities/opp-missing failed with 404 ResourceNotFound: opportunities opp-missing was not found',
			);
			expect(error.description).toContain('check the id');
			expect(error.context?.itemIndex).toBe(0);
		});

		it('reports a network failure clearly (after bounded retries) and without the API key', async () => {
			// A real refused connection (nothing listens on port 1). nock lets only
			// this host through; replyWithError is avoided because nock emits its
			// socket error late, which can crash a jest worker running other files.
			nock.enableNetConnect('127.0.0.1:1');
			const { context, requests } = createExecuteContext({
				credentials: {
					leverApi: { apiKey: API_KEY, environment: 'custom', baseUrl: 'http://127.0.0.1:1/v1' },
				},
				parameters: {
					authentication: 'apiKey',
					resource: 'opportunity',
					operation: 'get',
					opportunityId: 'opp-1',
				},
			});
			const error = (await new Lever().execute.call(context).catch((e: unknown) => e)) as Error & {
				description?: string;
			};
			expect(requests).toHaveLength(7);
			expect(offline.sleep).toHaveBeenCalledTimes(6);
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				'Lever GET /opportunities/opp-1 could not be reached after 7 attempts: connection refused',
			);
			expect(error.description).toContain('Base URL');
			expect(JSON.stringify(error)).not.toContain(API_KEY);
			expect(`${error.message} ${error.description ?? ''}`).not.toContain(API_KEY);
		});

		it('does not resend a write whose connection was reset (it may have reached Lever)', async () => {
			const { context } = createExecuteContext({
				credentials,
				parameters: {
					authentication: 'apiKey',
					resource: 'note',
					operation: 'create',
					opportunityId: 'opp-1',
					value: 'Screening ordered',
				},
			});
			const sent: string[] = [];
			// The HTTP layer fails the way n8n reports a reset socket (no response).
			context.helpers.httpRequestWithAuthentication = async function (_type, options) {
				sent.push(`${String(options.method)} ${options.url}`);
				throw new workflow.NodeApiError(
					context.getNode(),
					Object.assign(new Error('socket hang up'), {
						code: 'ECONNRESET',
					}) as unknown as workflow.JsonObject,
				);
			} as typeof context.helpers.httpRequestWithAuthentication;
			const error = (await new Lever().execute.call(context).catch((e: unknown) => e)) as Error;
			expect(sent).toEqual(['POST https://api.lever.co/v1/opportunities/opp-1/notes']);
			expect(offline.sleep).not.toHaveBeenCalled();
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				'Lever POST /opportunities/opp-1/notes could not be reached: connection reset',
			);
		});
	});

	describe('continue on fail', () => {
		it('outputs { error } for the failing items, paired, and carries on with the others', async () => {
			const scope = nock(BASE)
				.post('/opportunities/opp-1/addTags', { tags: ['Cleared'] })
				.query({})
				.reply(200, { data: { id: 'opp-1', tags: ['Cleared'] } })
				.post('/opportunities/opp-gone/addTags', { tags: ['Cleared'] })
				.query({})
				.reply(404, { code: 'ResourceNotFound', message: 'opportunities opp-gone was not found' });
			const ids = ['opp-1', '', 'opp-gone'];
			const { output, requests } = await runLever(
				(i) => ({
					resource: 'opportunity',
					operation: 'addTags',
					opportunityId: ids[i],
					tags: ['Cleared'],
				}),
				{ items: [{ json: {} }, { json: {} }, { json: {} }], continueOnFail: true },
			);
			expect(scope.isDone()).toBe(true);
			expect(requests).toHaveLength(2);
			expect(output).toEqual([
				{ json: { id: 'opp-1', tags: ['Cleared'] }, pairedItem: { item: 0 } },
				{ json: { error: 'Opportunity ID is empty' }, pairedItem: { item: 1 } },
				{
					json: {
						error:
							'Lever POST /opportunities/opp-gone/addTags failed with 404 ResourceNotFound: opportunities opp-gone was not found',
					},
					pairedItem: { item: 2 },
				},
			]);
		});

		it('without continue on fail, stops at the first failing item', async () => {
			const ids = ['', 'opp-2'];
			const { error, requests } = await runLeverError(
				(i) => ({ resource: 'opportunity', operation: 'get', opportunityId: ids[i] }),
				{ items: [{ json: {} }, { json: {} }] },
			);
			expect(error.message).toBe('Opportunity ID is empty');
			expect(error.context?.itemIndex).toBe(0);
			expect(requests).toHaveLength(0);
		});
	});

	describe('bad input never reaches Lever', () => {
		// disableNetConnect (beforeEach) plus no interceptors: any request would fail differently.
		const cases: Array<[string, Record<string, unknown>, string]> = [
			[
				'empty opportunity id (get)',
				{ resource: 'opportunity', operation: 'get', opportunityId: '   ' },
				'Opportunity ID is empty',
			],
			[
				'empty opportunity id (add tags)',
				{ resource: 'opportunity', operation: 'addTags', opportunityId: '', tags: ['x'] },
				'Opportunity ID is empty',
			],
			[
				'an opportunity object instead of its id',
				{ resource: 'opportunity', operation: 'get', opportunityId: 'opp 1/notes' },
				'Opportunity ID "opp 1/notes" is not a Lever id',
			],
			[
				'a whole record mapped as the opportunity id',
				{ resource: 'opportunity', operation: 'get', opportunityId: { id: 'opp-1' } },
				'Opportunity ID must be text, not an object',
			],
			[
				'empty tag list',
				{ resource: 'opportunity', operation: 'addTags', opportunityId: 'opp-1', tags: [] },
				'No tags to add: the Tags list is empty',
			],
			[
				'tag list of blank entries only',
				{
					resource: 'opportunity',
					operation: 'removeTags',
					opportunityId: 'opp-1',
					tags: ['', '  ', null],
				},
				'No tags to remove: the Tags list is empty',
			],
			[
				'score above 4',
				{
					resource: 'note',
					operation: 'create',
					opportunityId: 'opp-1',
					value: 'x',
					additionalFields: { score: 5 },
				},
				'Score "5" is not allowed',
			],
			[
				'score 0 from an expression',
				{
					resource: 'note',
					operation: 'create',
					opportunityId: 'opp-1',
					value: 'x',
					additionalFields: { score: '0' },
				},
				'Score "0" is not allowed',
			],
			[
				'fractional score',
				{
					resource: 'note',
					operation: 'create',
					opportunityId: 'opp-1',
					value: 'x',
					additionalFields: { score: 2.5 },
				},
				'Score "2.5" is not allowed',
			],
			[
				'empty note',
				{ resource: 'note', operation: 'create', opportunityId: 'opp-1', value: '  ' },
				'Note is empty',
			],
			[
				'empty posting id',
				{ resource: 'posting', operation: 'get', postingId: rl('', 'id') },
				'Posting is empty',
			],
		];

		it.each(cases)('%s', async (_name, parameters, message) => {
			const { error, requests } = await runLeverError(parameters as Record<string, never>);
			expect(error).toBeInstanceOf(workflow.NodeOperationError);
			expect(error.message).toBe(message);
			expect(error.description).toBeTruthy();
			expect(requests).toHaveLength(0);
			expect(nock.pendingMocks()).toEqual([]);
		});

		it('explains how to fix a score outside 1-4', async () => {
			const { error } = await runLeverError({
				resource: 'note',
				operation: 'create',
				opportunityId: 'opp-1',
				value: 'x',
				additionalFields: { score: 7 },
			});
			expect(error.description).toBe(
				'Lever scores are whole numbers from 1 (Strong No) to 4 (Strong Yes). Remove the Score field for a note without a score.',
			);
		});
	});

	describe('credentials', () => {
		it('uses the OAuth2 credential and sends a Bearer token when authentication is oAuth2', async () => {
			const scope = nock(BASE, {
				reqheaders: { authorization: 'Bearer oauth-access-1' },
				badheaders: ['x-api-key'],
			})
				.get('/opportunities/opp-1')
				.reply(200, { data: { id: 'opp-1' } });
			const { context, requests } = createExecuteContext({
				credentials,
				parameters: {
					authentication: 'oAuth2',
					resource: 'opportunity',
					operation: 'get',
					opportunityId: 'opp-1',
				},
			});
			const result = await new Lever().execute.call(context);
			expect(scope.isDone()).toBe(true);
			expect(requests[0].credentialType).toBe('leverOAuth2Api');
			expect(requests[0].options.auth).toBeUndefined();
			expect(result).toEqual([[{ json: { id: 'opp-1' }, pairedItem: { item: 0 } }]]);
		});

		it('uses the API-key credential with Basic auth (key as username, empty password)', async () => {
			const scope = nock(BASE, { reqheaders: { authorization: BASIC_AUTH } })
				.get('/tags')
				.query({ limit: '100' })
				.reply(200, { data: [{ text: 'Background Check:Ordered', count: 3 }], hasNext: false });
			const { output, requests } = await runLever({
				resource: 'tag',
				operation: 'getAll',
				returnAll: true,
			});
			expect(scope.isDone()).toBe(true);
			expect(requests[0].credentialType).toBe('leverApi');
			expect(output).toEqual([
				{ json: { text: 'Background Check:Ordered', count: 3 }, pairedItem: { item: 0 } },
			]);
		});
	});
});
