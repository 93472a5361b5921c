/**
 * The proformaApi credential: its fields, how n8n authenticates requests with
 * it, and the credential test request, with the baseURL expression evaluated
 * by n8n-workflow's own expression engine.
 */
import { describe, expect, it } from '@jest/globals';

import { ProformaApi } from '../../../credentials/ProformaApi.credentials';
import { evaluateCredentialExpression } from '../../helpers/credentialExpression';

const credential = new ProformaApi();

const field = (name: string) => credential.properties.find((p) => p.name === name);

describe('Proforma API credential', () => {
	it('is named proformaApi and lists Base URL, API Key and Webhook Signing Secret in that order', () => {
		expect(credential.name).toBe('proformaApi');
		expect(credential.displayName).toBe('Proforma API');
		expect(credential.properties.map((p) => p.name)).toEqual([
			'baseUrl',
			'apiKey',
			'signingSecret',
		]);
	});

	it('requires the Base URL and has no hidden default for it', () => {
		expect(field('baseUrl')).toMatchObject({ type: 'string', required: true, default: '' });
		expect(field('baseUrl')?.typeOptions?.password).toBeUndefined();
	});

	it('keeps the API key and the signing secret in password fields with empty defaults', () => {
		expect(field('apiKey')).toMatchObject({
			type: 'string',
			required: true,
			default: '',
			typeOptions: { password: true },
		});
		expect(field('signingSecret')).toMatchObject({
			type: 'string',
			default: '',
			typeOptions: { password: true },
		});
	});

	it('sends the API key as an Authorization Bearer header, and nothing else', async () => {
		expect(typeof credential.authenticate).toBe('function');
		const request = { url: '/v1/packages', headers: { accept: 'application/json' } };
		expect(await credential.authenticate({ apiKey: 'placeholder-api-key' }, request)).toEqual({
			url: '/v1/packages',
			headers: { accept: 'application/json', Authorization: 'Bearer placeholder-api-key' },
		});
		expect(request.headers).toEqual({ accept: 'application/json' });
	});

	it('tests the credential with GET /v1/packages', () => {
		expect(credential.test.request.url).toBe('/v1/packages');
		expect(credential.test.request.method ?? 'GET').toBe('GET');
	});

	it.each([
		['https://api.example.com', 'https://api.example.com'],
		['https://api.example.com/', 'https://api.example.com'],
		['https://api.example.com//', 'https://api.example.com'],
		['https://api.example.com/v1', 'https://api.example.com'],
		['https://api.example.com/v1/', 'https://api.example.com'],
		['http://127.0.0.1:4020/v1', 'http://127.0.0.1:4020'],
		[' https://api.example.com/v1 ', 'https://api.example.com'],
		['https://gw.example.com/proforma/v1/', 'https://gw.example.com/proforma'],
	])(
		'evaluates the test baseURL for %s to %s (so the test hits <base>/v1/packages)',
		(baseUrl, expected) => {
			const value = evaluateCredentialExpression(String(credential.test.request.baseURL), {
				baseUrl,
			});
			expect(value).toBe(expected);
			expect(`${String(value)}${credential.test.request.url}`).toBe(`${expected}/v1/packages`);
		},
	);
});
