/**
 * The same four failures (rate limit then success, rate limit forever, a 4xx
 * with Lever's {code, message}, a refused connection) through EVERY operation
 * of the Lever node, so no operation escapes the shared transport's handling.
 */
import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { Lever } from '../../../nodes/Lever/Lever.node';
import { API_KEY, BASE, BASIC_AUTH, credentials, rl, runLever, runLeverError } from './helpers';
import { createExecuteContext, type RecordedRequest } from '../../helpers/n8nContext';
import { useOfflineApi } from '../../support/offlineApi';

const TAG = 'Background Check:Ordered';
const OAUTH_ACCESS = String(credentials.leverOAuth2Api.oauthTokenData.access_token);
const BASIC_VALUE = BASIC_AUTH.replace('Basic ', '');

interface OperationCase {
	name: string;
	parameters: IDataObject;
	method: 'GET' | 'POST' | 'PUT';
	path: string;
	query?: Record<string, string>;
	body?: IDataObject;
	success: IDataObject;
	output: IDataObject[];
	/** Requests the operation sends before its own (answered successfully). */
	before?: () => nock.Scope;
}

const operations: OperationCase[] = [
	{
		name: 'opportunity get',
		parameters: { resource: 'opportunity', operation: 'get', opportunityId: 'opp-1' },
		method: 'GET',
		path: '/opportunities/opp-1',
		success: { data: { id: 'opp-1', name: 'Ada Lovelace' } },
		output: [{ id: 'opp-1', name: 'Ada Lovelace' }],
	},
	{
		name: 'opportunity getAll',
		parameters: { resource: 'opportunity', operation: 'getAll', returnAll: false, limit: 50 },
		method: 'GET',
		path: '/opportunities',
		query: { limit: '50' },
		success: { data: [{ id: 'opp-1' }, { id: 'opp-2' }], hasNext: false },
		output: [{ id: 'opp-1' }, { id: 'opp-2' }],
	},
	{
		name: 'opportunity addTags',
		parameters: {
			resource: 'opportunity',
			operation: 'addTags',
			opportunityId: 'opp-1',
			tags: [TAG],
		},
		method: 'POST',
		path: '/opportunities/opp-1/addTags',
		body: { tags: [TAG] },
		success: { data: { id: 'opp-1', tags: [TAG] } },
		output: [{ id: 'opp-1', tags: [TAG] }],
	},
	{
		name: 'opportunity removeTags',
		parameters: {
			resource: 'opportunity',
			operation: 'removeTags',
			opportunityId: 'opp-1',
			tags: [TAG],
		},
		method: 'POST',
		path: '/opportunities/opp-1/removeTags',
		body: { tags: [TAG] },
		success: { data: { id: 'opp-1', tags: [] } },
		output: [{ id: 'opp-1', tags: [] }],
	},
	{
		name: 'opportunity changeStage',
		parameters: {
			resource: 'opportunity',
			operation: 'changeStage',
			opportunityId: 'opp-1',
			stage: rl('stage-2'),
		},
		method: 'PUT',
		path: '/opportunities/opp-1/stage',
		body: { stage: 'stage-2' },
		success: { data: { id: 'opp-1', stage: 'stage-2' } },
		output: [{ id: 'opp-1', stage: 'stage-2' }],
		before: () =>
			nock(BASE)
				.get('/stages')
				.query({ limit: '100' })
				.reply(200, {
					data: [
						{ id: 'lead-new', text: 'New lead' },
						{ id: 'stage-2', text: 'Screen' },
					],
					hasNext: false,
				}),
	},
	{
		name: 'opportunity archive',
		parameters: {
			resource: 'opportunity',
			operation: 'archive',
			opportunityId: 'opp-1',
			archiveReason: rl('reason-1'),
		},
		method: 'PUT',
		path: '/opportunities/opp-1/archived',
		body: { reason: 'reason-1' },
		success: { data: { id: 'opp-1', archived: { reason: 'reason-1', archivedAt: 1714564800000 } } },
		output: [{ id: 'opp-1', archived: { reason: 'reason-1', archivedAt: 1714564800000 } }],
	},
	{
		name: 'opportunity unarchive',
		parameters: { resource: 'opportunity', operation: 'unarchive', opportunityId: 'opp-1' },
		method: 'PUT',
		path: '/opportunities/opp-1/archived',
		body: { reason: null },
		success: { data: { id: 'opp-1', archived: null } },
		output: [{ id: 'opp-1', archived: null }],
	},
	{
		name: 'note create',
		parameters: {
			resource: 'note',
			operation: 'create',
			opportunityId: 'opp-1',
			value: 'Screening ordered',
		},
		method: 'POST',
		path: '/opportunities/opp-1/notes',
		body: { value: 'Screening ordered', secret: false },
		success: { data: { noteId: 'note-1' } },
		output: [{ success: true, opportunityId: 'opp-1', noteId: 'note-1' }],
	},
	{
		name: 'note getAll',
		parameters: {
			resource: 'note',
			operation: 'getAll',
			opportunityId: 'opp-1',
			returnAll: false,
			limit: 50,
		},
		method: 'GET',
		path: '/opportunities/opp-1/notes',
		query: { limit: '50' },
		success: { data: [{ id: 'note-1', fields: [{ value: 'Screening ordered' }] }], hasNext: false },
		output: [{ id: 'note-1', fields: [{ value: 'Screening ordered' }] }],
	},
	{
		name: 'stage getAll',
		parameters: { resource: 'stage', operation: 'getAll', returnAll: false, limit: 50 },
		method: 'GET',
		path: '/stages',
		query: { limit: '50' },
		success: { data: [{ id: 'lead-new', text: 'New lead' }], hasNext: false },
		output: [{ id: 'lead-new', text: 'New lead' }],
	},
	{
		name: 'posting get',
		parameters: { resource: 'posting', operation: 'get', postingId: rl('post-1') },
		method: 'GET',
		path: '/postings/post-1',
		success: { data: { id: 'post-1', text: 'Software Engineer' } },
		output: [{ id: 'post-1', text: 'Software Engineer' }],
	},
	{
		name: 'posting getAll',
		parameters: { resource: 'posting', operation: 'getAll', returnAll: false, limit: 50 },
		method: 'GET',
		path: '/postings',
		query: { limit: '50' },
		success: { data: [{ id: 'post-1', text: 'Software Engineer' }], hasNext: false },
		output: [{ id: 'post-1', text: 'Software Engineer' }],
	},
	{
		name: 'tag getAll',
		parameters: { resource: 'tag', operation: 'getAll', returnAll: false, limit: 50 },
		method: 'GET',
		path: '/tags',
		query: { limit: '50' },
		success: { data: [{ text: TAG, count: 3 }], hasNext: false },
		output: [{ text: TAG, count: 3 }],
	},
	{
		name: 'user getAll',
		parameters: { resource: 'user', operation: 'getAll', returnAll: false, limit: 50 },
		method: 'GET',
		path: '/users',
		query: { limit: '50' },
		success: { data: [{ id: 'user-1', name: 'Grace Hopper' }], hasNext: false },
		output: [{ id: 'user-1', name: 'Grace Hopper' }],
	},
];

const table = operations.map((op) => [op.name, op] as const);

/** An interceptor for the operation's own request (method, path, exact query and body). */
function intercept(
	op: OperationCase,
	headers: Record<string, string> = { authorization: BASIC_AUTH },
): nock.Interceptor {
	const scope = nock(BASE, { reqheaders: headers });
	const path = op.path;
	const interceptor =
		op.method === 'GET'
			? scope.get(path)
			: op.method === 'POST'
				? scope.post(path, op.body as nock.DataMatcherMap)
				: scope.put(path, op.body as nock.DataMatcherMap);
	return op.query ? interceptor.query(op.query) : interceptor;
}

/** Requests the node sent to the operation's own endpoint. */
function sentTo(requests: RecordedRequest[], op: OperationCase): RecordedRequest[] {
	return requests.filter(
		(r) => r.options.method === op.method && r.options.url === `${BASE}${op.path}`,
	);
}

/** Every string reachable from `value` (own properties, enumerable or not, and causes). */
function reachableText(value: unknown, seen = new Set<unknown>(), depth = 0): string[] {
	if (typeof value === 'string') return [value];
	if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
	if (!value || typeof value !== 'object' || seen.has(value) || depth > 12) return [];
	seen.add(value);
	const out: string[] = [];
	for (const key of Object.getOwnPropertyNames(value)) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		if (typeof child === 'function') continue;
		out.push(key, ...reachableText(child, seen, depth + 1));
	}
	return out;
}

/**
 * No secret in the serialised error (n8n's bounded toJSON), its message, its
 * description, nor anywhere in the object graph it keeps (own properties and
 * causes, which n8n holds in memory and may log).
 */
function expectNoSecret(error: Error & { description?: string }): void {
	const text = [
		JSON.stringify(error),
		error.message,
		error.description ?? '',
		...reachableText(error),
	].join('\n');
	expect(text).not.toContain(API_KEY);
	expect(text).not.toContain(BASIC_VALUE);
	expect(text).not.toContain(OAUTH_ACCESS);
}

function refused(): Error {
	return Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
}

describe('Lever node: failure matrix over every operation', () => {
	const offline = useOfflineApi();

	it('covers every operation the node offers', () => {
		const { properties } = new Lever().description;
		const offered = properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) =>
				(p.options ?? []).map(
					(o) =>
						`${String(p.displayOptions?.show?.resource?.[0])}.${String((o as { value: string }).value)}`,
				),
			)
			.sort();
		const covered = operations
			.map((op) => `${String(op.parameters.resource)}.${String(op.parameters.operation)}`)
			.sort();
		expect(offered).toHaveLength(14);
		expect(covered).toEqual(offered);
	});

	it.each(table)(
		'%s: 429 with Retry-After, then 200, succeeds after waiting as asked',
		async (_name, op) => {
			const before = op.before?.();
			const scope = intercept(op).reply(
				429,
				{ code: 'TooManyRequests', message: 'Rate limit exceeded' },
				{ 'Retry-After': '3' },
			);
			intercept(op).reply(200, op.success);
			const { output, requests } = await runLever(op.parameters);
			expect(scope.isDone()).toBe(true);
			expect(before?.isDone() ?? true).toBe(true);
			expect(nock.pendingMocks()).toEqual([]);
			expect(sentTo(requests, op)).toHaveLength(2);
			expect(offline.sleep.mock.calls).toEqual([[3000]]);
			expect(output).toEqual(op.output.map((json) => ({ json, pairedItem: { item: 0 } })));
		},
	);

	it.each(table)(
		'%s: 429 forever fails after 41 attempts, naming method, endpoint and status',
		async (_name, op) => {
			op.before?.();
			intercept(op)
				.times(41)
				.reply(429, { code: 'TooManyRequests', message: 'Rate limit exceeded' });
			const { error, requests } = await runLeverError(op.parameters);
			expect(nock.pendingMocks()).toEqual([]);
			expect(sentTo(requests, op)).toHaveLength(41);
			expect(offline.sleep).toHaveBeenCalledTimes(40);
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				`Lever ${op.method} ${op.path} failed with 429 TooManyRequests after 41 attempts: Rate limit exceeded`,
			);
			expect(error.description).toBe(
				"Lever's rate limit (10 requests per second per key) was still exceeded after the retries; run fewer items at once or add a Wait.",
			);
			expectNoSecret(error);
		},
	);

	it.each(table)(
		"%s: 400 with Lever's {code, message} fails at once with both",
		async (_name, op) => {
			op.before?.();
			const scope = intercept(op).reply(400, {
				code: 'BadRequest',
				message: 'Invalid value for field "limit"',
			});
			const { error, requests } = await runLeverError(op.parameters);
			expect(scope.isDone()).toBe(true);
			expect(sentTo(requests, op)).toHaveLength(1);
			expect(offline.sleep).not.toHaveBeenCalled();
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				`Lever ${op.method} ${op.path} failed with 400 BadRequest: Invalid value for field "limit"`,
			);
			expect(error.description).toBe(
				'Lever rejected the request as malformed; check the values sent.',
			);
			expect(error.context?.itemIndex).toBe(0);
			expectNoSecret(error);
		},
	);

	it.each(table)(
		'%s: a refused connection fails as "could not be reached" after the bounded attempts',
		async (_name, op) => {
			op.before?.();
			intercept(op).times(7).replyWithError(refused());
			const { error, requests } = await runLeverError(op.parameters);
			expect(nock.pendingMocks()).toEqual([]);
			// Refused = never sent, so even a POST is safely retried: 1 + 6 retries.
			expect(sentTo(requests, op)).toHaveLength(7);
			expect(offline.sleep).toHaveBeenCalledTimes(6);
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				`Lever ${op.method} ${op.path} could not be reached after 7 attempts: connection refused`,
			);
			expect(error.description).toBe(
				'Check the network path to Lever and the Base URL of the credential (ECONNREFUSED).',
			);
			expectNoSecret(error);
		},
	);

	describe('with the OAuth2 credential', () => {
		const op = operations[2]; // addTags: a write with a body

		it('keeps the access token out of a 4xx error', async () => {
			const scope = intercept(op, { authorization: `Bearer ${OAUTH_ACCESS}` }).reply(400, {
				code: 'BadRequest',
				message: 'tags must be strings',
			});
			const { error, requests } = await runLeverError({
				...op.parameters,
				authentication: 'oAuth2',
			});
			expect(scope.isDone()).toBe(true);
			expect(requests.map((r) => r.credentialType)).toEqual(['leverOAuth2Api']);
			expect(error.message).toBe(
				'Lever POST /opportunities/opp-1/addTags failed with 400 BadRequest: tags must be strings',
			);
			expectNoSecret(error);
		});

		it('keeps the access token out of a network error', async () => {
			intercept(op, { authorization: `Bearer ${OAUTH_ACCESS}` })
				.times(7)
				.replyWithError(refused());
			const { error, requests } = await runLeverError({
				...op.parameters,
				authentication: 'oAuth2',
			});
			expect(requests).toHaveLength(7);
			expect(error.message).toBe(
				'Lever POST /opportunities/opp-1/addTags could not be reached after 7 attempts: connection refused',
			);
			expectNoSecret(error);
		});
	});
});

describe('Lever node: a request n8n refuses to send', () => {
	const offline = useOfflineApi();

	it.each(table)(
		'%s: no code and no answer is not retried and says the request was not sent',
		async (_name, op) => {
			const before = op.before?.();
			const { context, requests } = createExecuteContext({
				credentials,
				parameters: { authentication: 'apiKey', ...op.parameters },
				node: { type: 'n8n-nodes-lever-proforma.lever', name: 'Lever' },
			});
			const real = context.helpers.httpRequestWithAuthentication;
			const blocked: string[] = [];
			// n8n's own refusal (for example a URL blocked by the instance's settings):
			// a plain Error, no code, no HTTP answer. Other requests go through.
			context.helpers.httpRequestWithAuthentication = async function (type, options) {
				if (options.method === op.method && options.url === `${BASE}${op.path}`) {
					blocked.push(`${String(options.method)} ${options.url}`);
					throw new Error('Access to the URL is blocked');
				}
				return await real.call(context, type, options);
			} as typeof context.helpers.httpRequestWithAuthentication;
			const error = (await new Lever().execute.call(context).catch((e: unknown) => e)) as Error & {
				description?: string;
			};
			expect(before?.isDone() ?? true).toBe(true);
			expect(blocked).toEqual([`${op.method} ${BASE}${op.path}`]);
			expect(requests.filter((r) => r.options.url === `${BASE}${op.path}`)).toHaveLength(0);
			expect(offline.sleep).not.toHaveBeenCalled();
			expect(error).toBeInstanceOf(workflow.NodeApiError);
			expect(error.message).toBe(
				`Lever ${op.method} ${op.path} could not be reached: the request was not sent (Access to the URL is blocked)`,
			);
			expect(error.description).toBe(
				'Check the network path to Lever and the Base URL of the credential.',
			);
			expectNoSecret(error);
		},
	);
});
