import { describe, expect, it, jest } from '@jest/globals';
import * as workflow from 'n8n-workflow';

import { requestWithRetries, responseOf } from '../../../nodes/shared/request';

/** n8n 1.x's error for an answer outside 2xx: the status and the body, no response object. */
function n8n1Error(status: number, body: unknown): Error {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		httpCode: String(status),
		context: { data: body },
	});
}

describe('responseOf', () => {
	it("reads n8n 2.x's wrapped HTTP error", () => {
		const error = {
			cause: { response: { status: 409, headers: { a: '1' }, data: Buffer.from('{"x":1}') } },
		};
		expect(responseOf(error)).toEqual({ statusCode: 409, headers: { a: '1' }, body: { x: 1 } });
	});

	it("reads n8n 1.x's error (httpCode and context.data, no headers)", () => {
		expect(responseOf(n8n1Error(404, { error: { code: 'not_found' } }))).toEqual({
			statusCode: 404,
			headers: {},
			body: { error: { code: 'not_found' } },
		});
		expect(responseOf(n8n1Error(422, '{"error":{"code":"validation_failed"}}'))?.body).toEqual({
			error: { code: 'validation_failed' },
		});
	});

	it('finds no answer in a refusal without a status (the request was not sent)', () => {
		expect(responseOf(new Error('Credentials not found'))).toBeUndefined();
		expect(responseOf(Object.assign(new Error('x'), { httpCode: 'ECONNREFUSED' }))).toBeUndefined();
	});
});

describe('requestWithRetries on n8n 1.x errors', () => {
	it('retries a 503 answered the 1.x way, then returns the success', async () => {
		const sleep = jest.spyOn(workflow, 'sleep').mockResolvedValue(undefined);
		const answers: Array<() => unknown> = [
			() => {
				throw n8n1Error(503, { error: { code: 'unavailable' } });
			},
			() => ({ statusCode: 200, headers: {}, body: { ok: true } }),
		];
		const ctx = {
			getNode: () => ({ credentials: {} }),
			helpers: {
				httpRequestWithAuthentication: async () => answers.shift()!(),
			},
		};
		const response = await requestWithRetries(
			ctx as never,
			'proformaApi',
			{ url: 'https://x/v1/orders' },
			{
				policy: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
				retryStatuses: new Set([503]),
				idempotent: true,
				networkError: () => new Error('network'),
			},
		);
		expect(response).toMatchObject({ statusCode: 200, body: { ok: true }, attempts: 2 });
		expect(sleep).toHaveBeenCalledTimes(1);
		sleep.mockRestore();
	});
});

describe('requestWithRetries and the credential', () => {
	const options = {
		policy: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
		retryStatuses: new Set([503]),
		idempotent: true,
		networkError: () => new Error('network'),
	};

	function context(credentials: Record<string, unknown> | undefined) {
		const getCredentials = jest.fn(async () => ({ apiKey: 'k', baseUrl: 'https://x' }));
		const sent: unknown[] = [];
		const answers = [503, 200, 200];
		const ctx = {
			getNode: () => ({ credentials }),
			getCredentials,
			helpers: {
				httpRequestWithAuthentication: async (_type: string, _req: unknown, extra: unknown) => {
					sent.push(extra);
					const status = answers.shift()!;
					if (status !== 200) throw Object.assign(new Error('x'), { httpCode: String(status) });
					return { statusCode: 200, headers: {}, body: {} };
				},
			},
		};
		return { ctx, getCredentials, sent };
	}

	it('reads it once per node run, for every request and retry, and hands it to n8n', async () => {
		const sleep = jest.spyOn(workflow, 'sleep').mockResolvedValue(undefined);
		const { ctx, getCredentials, sent } = context({ proformaApi: { id: 'c1', name: 'Proforma' } });
		await requestWithRetries(ctx as never, 'proformaApi', { url: 'https://x/a' }, options);
		await requestWithRetries(ctx as never, 'proformaApi', { url: 'https://x/b' }, options);
		expect(getCredentials).toHaveBeenCalledTimes(1);
		expect(sent).toHaveLength(3);
		for (const extra of sent) {
			expect(extra).toEqual({
				credentialsDecrypted: {
					id: 'c1',
					name: 'Proforma',
					type: 'proformaApi',
					data: { apiKey: 'k', baseUrl: 'https://x' },
				},
			});
		}
		sleep.mockRestore();
	});

	it('leaves the read to n8n when the node names no saved credential', async () => {
		const sleep = jest.spyOn(workflow, 'sleep').mockResolvedValue(undefined);
		const { ctx, getCredentials, sent } = context(undefined);
		await requestWithRetries(ctx as never, 'proformaApi', { url: 'https://x/a' }, options);
		expect(getCredentials).not.toHaveBeenCalled();
		expect(sent).toEqual([undefined, undefined]);
		sleep.mockRestore();
	});
});
