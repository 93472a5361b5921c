/**
 * The two Lever credentials: their fields, how the API key is applied, the
 * credential test request, the OAuth2 settings, and the host each environment
 * sends real node requests to.
 */
import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

import { LeverApi } from '../../../credentials/LeverApi.credentials';
import { LeverOAuth2Api } from '../../../credentials/LeverOAuth2Api.credentials';
import { Lever } from '../../../nodes/Lever/Lever.node';
import { createExecuteContext } from '../../helpers/n8nContext';
import { API_KEY, BASIC_AUTH } from './helpers';
import { useOfflineApi } from '../../support/offlineApi';
import { evaluateCredentialExpression } from '../../helpers/credentialExpression';

function property(properties: INodeProperties[], name: string): INodeProperties {
	const found = properties.find((p) => p.name === name);
	if (!found) throw new Error(`No property ${name}`);
	return found;
}

describe('LeverApi credential', () => {
	const credential = new LeverApi();

	it('is named leverApi and asks for a password-type API key', () => {
		expect(credential.name).toBe('leverApi');
		const apiKey = property(credential.properties, 'apiKey');
		expect(apiKey.type).toBe('string');
		expect(apiKey.typeOptions?.password).toBe(true);
		expect(apiKey.required).toBe(true);
	});

	it('offers production, sandbox and custom environments, production by default', () => {
		const environment = property(credential.properties, 'environment');
		expect(environment.default).toBe('production');
		expect(environment.options?.map((o) => (o as { value: string }).value)).toEqual([
			'production',
			'sandbox',
			'custom',
		]);
		const baseUrl = property(credential.properties, 'baseUrl');
		expect(baseUrl.displayOptions).toEqual({ show: { environment: ['custom'] } });
	});

	it('sends the key as the Basic auth username with an empty password, keeping the request', async () => {
		expect(typeof credential.authenticate).toBe('function');
		const request = { url: '/stages', headers: { accept: 'application/json' } };
		expect(await credential.authenticate({ apiKey: API_KEY }, request)).toEqual({
			url: '/stages',
			headers: { accept: 'application/json' },
			auth: { username: API_KEY, password: '' },
		});
		expect(request).toEqual({ url: '/stages', headers: { accept: 'application/json' } });
	});

	it('tests the key with GET /stages?limit=1 on the host of the chosen environment', () => {
		const request = credential.test.request;
		expect(request.url).toBe('/stages');
		expect(request.qs).toEqual({ limit: 1 });
		expect(request.method ?? 'GET').toBe('GET');
		expect(
			evaluateCredentialExpression(request.baseURL, { environment: 'production', apiKey: API_KEY }),
		).toBe('https://api.lever.co/v1');
		expect(
			evaluateCredentialExpression(request.baseURL, { environment: 'sandbox', apiKey: API_KEY }),
		).toBe('https://api.sandbox.lever.co/v1');
		expect(
			evaluateCredentialExpression(request.baseURL, {
				environment: 'custom',
				apiKey: API_KEY,
				baseUrl: 'https://api.eu.lever.co/v1/',
			}),
		).toBe('https://api.eu.lever.co/v1');
	});
});

describe('LeverOAuth2Api credential', () => {
	const credential = new LeverOAuth2Api();
	const defaultOf = (name: string) => property(credential.properties, name).default;

	it('extends oAuth2Api with the authorization-code grant and body client authentication', () => {
		expect(credential.name).toBe('leverOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(defaultOf('grantType')).toBe('authorizationCode');
		expect(defaultOf('authentication')).toBe('body');
		for (const name of [
			'grantType',
			'authUrl',
			'accessTokenUrl',
			'scope',
			'authQueryParameters',
			'authentication',
		]) {
			expect([name, property(credential.properties, name).type]).toEqual([name, 'hidden']);
		}
	});

	it('asks for offline_access and every scope the nodes use', () => {
		const scopes = String(defaultOf('scope')).split(' ');
		expect(scopes).toEqual(
			expect.arrayContaining([
				'offline_access',
				'opportunities:read:admin',
				'opportunities:write:admin',
				'notes:read:admin',
				'notes:write:admin',
				'stages:read:admin',
				'postings:read:admin',
				'tags:read:admin',
				'users:read:admin',
				'archive_reasons:read:admin',
				'webhooks:read:admin',
				'webhooks:write:admin',
			]),
		);
		expect(new Set(scopes).size).toBe(scopes.length);
	});

	it.each([
		[
			'production',
			'https://auth.lever.co/authorize',
			'https://auth.lever.co/oauth/token',
			'audience=https://api.lever.co/v1/',
		],
		[
			'sandbox',
			'https://sandbox-lever.auth0.com/authorize',
			'https://sandbox-lever.auth0.com/oauth/token',
			'audience=https://api.sandbox.lever.co/v1/',
		],
	])(
		'%s: auth and token URLs and the audience query parameter',
		(environment, authUrl, tokenUrl, query) => {
			expect(property(credential.properties, 'environment').default).toBe('production');
			expect(evaluateCredentialExpression(defaultOf('authUrl'), { environment })).toBe(authUrl);
			expect(evaluateCredentialExpression(defaultOf('accessTokenUrl'), { environment })).toBe(
				tokenUrl,
			);
			expect(evaluateCredentialExpression(defaultOf('authQueryParameters'), { environment })).toBe(
				query,
			);
		},
	);

	it('tests the grant with GET /stages?limit=1 on the environment host', () => {
		const request = credential.test.request;
		expect(request.url).toBe('/stages');
		expect(request.qs).toEqual({ limit: 1 });
		expect(evaluateCredentialExpression(request.baseURL, { environment: 'production' })).toBe(
			'https://api.lever.co/v1',
		);
		expect(evaluateCredentialExpression(request.baseURL, { environment: 'sandbox' })).toBe(
			'https://api.sandbox.lever.co/v1',
		);
	});
});

describe('Lever environments through a real operation', () => {
	useOfflineApi();

	function run(leverApi: ICredentialDataDecryptedObject) {
		const { context, requests } = createExecuteContext({
			credentials: { leverApi },
			parameters: {
				authentication: 'apiKey',
				resource: 'opportunity',
				operation: 'get',
				opportunityId: 'opp-1',
			},
			node: { type: 'n8n-nodes-lever-proforma.lever', name: 'Lever' },
		});
		return { result: new Lever().execute.call(context), requests };
	}

	it('production sends Basic auth (key, empty password) to https://api.lever.co/v1', async () => {
		const scope = nock('https://api.lever.co', { reqheaders: { authorization: BASIC_AUTH } })
			.get('/v1/opportunities/opp-1')
			.reply(200, { data: { id: 'opp-1' } });
		const { result, requests } = run({ apiKey: API_KEY, environment: 'production' });
		await expect(result).resolves.toEqual([[{ json: { id: 'opp-1' }, pairedItem: { item: 0 } }]]);
		expect(scope.isDone()).toBe(true);
		expect(requests[0].options.url).toBe('https://api.lever.co/v1/opportunities/opp-1');
	});

	it('sandbox sends to https://api.sandbox.lever.co/v1', async () => {
		const scope = nock('https://api.sandbox.lever.co', {
			reqheaders: { authorization: BASIC_AUTH },
		})
			.get('/v1/opportunities/opp-1')
			.reply(200, { data: { id: 'opp-1' } });
		const { result, requests } = run({ apiKey: API_KEY, environment: 'sandbox' });
		await expect(result).resolves.toEqual([[{ json: { id: 'opp-1' }, pairedItem: { item: 0 } }]]);
		expect(scope.isDone()).toBe(true);
		expect(requests.map((r) => r.options.url)).toEqual([
			'https://api.sandbox.lever.co/v1/opportunities/opp-1',
		]);
	});

	it('custom with a trailing slash sends to the base URL without a double slash', async () => {
		let path = '';
		const scope = nock('https://api.eu.lever.co', { reqheaders: { authorization: BASIC_AUTH } })
			.get(/.*/)
			.reply(function (uri) {
				path = uri;
				return [200, { data: { id: 'opp-1' } }];
			});
		const { result, requests } = run({
			apiKey: API_KEY,
			environment: 'custom',
			baseUrl: 'https://api.eu.lever.co/v1/',
		});
		await expect(result).resolves.toEqual([[{ json: { id: 'opp-1' }, pairedItem: { item: 0 } }]]);
		expect(scope.isDone()).toBe(true);
		expect(path).toBe('/v1/opportunities/opp-1');
		expect(requests.map((r) => r.options.url)).toEqual([
			'https://api.eu.lever.co/v1/opportunities/opp-1',
		]);
	});

	it.each([
		['empty', ''],
		['blank', '   '],
		['not a URL', 'api.eu.lever.co/v1'],
	])('custom Base URL (%s) fails clearly and sends nothing', async (_name, baseUrl) => {
		const { result, requests } = run({ apiKey: API_KEY, environment: 'custom', baseUrl });
		const error = (await result.catch((e: unknown) => e)) as Error & { description?: string };
		expect(error).toBeInstanceOf(workflow.NodeApiError);
		expect(error.message).toBe('The Lever credential has no valid Base URL');
		expect(error.description).toContain('https://api.eu.lever.co/v1');
		expect(requests).toHaveLength(0);
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});
});
