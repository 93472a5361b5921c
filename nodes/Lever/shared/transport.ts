import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	describeNetworkError,
	errorCode,
	nodeCredentials,
	requestWithRetries,
} from '../../shared/request';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../shared/retry';
import { exactApiError } from '../../shared/errors';

/**
 * The single way out to Lever's API for every node in this package: picks the
 * credential, builds the URL, serialises repeated query keys the way Lever
 * wants them, retries rate limits, and turns failures into clear errors that
 * name the endpoint and never contain a secret.
 */

export type LeverContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

export type LeverCredentialType = 'leverApi' | 'leverOAuth2Api';

export const LEVER_HOSTS: Record<string, string> = {
	production: 'https://api.lever.co/v1',
	sandbox: 'https://api.sandbox.lever.co/v1',
};

/** Lever answers 429 when over its token bucket and 503 during maintenance. */
const RETRYABLE_STATUSES = new Set([429, 503]);

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export interface LeverRequestOptions {
	qs?: IDataObject;
	body?: IDataObject;
	retryPolicy?: RetryPolicy;
	/** Milliseconds to wait for each answer (n8n's default otherwise). */
	timeout?: number;
}

export interface LeverListResponse {
	data: IDataObject[];
	next?: string;
	hasNext?: boolean;
}

function isExecuteContext(ctx: LeverContext): ctx is IExecuteFunctions {
	return typeof (ctx as IExecuteFunctions).getInputData === 'function';
}

/** Which credential the node is set to use (parameter `authentication`). */
export function getLeverCredentialType(ctx: LeverContext): LeverCredentialType {
	const value = isExecuteContext(ctx)
		? ctx.getNodeParameter('authentication', 0, 'apiKey')
		: (ctx as ILoadOptionsFunctions).getNodeParameter('authentication', 'apiKey');
	return value === 'oAuth2' ? 'leverOAuth2Api' : 'leverApi';
}

/** Base URL (ending in /v1, no trailing slash) of the account behind the credential. */
export async function getLeverBaseUrl(
	ctx: LeverContext,
	type: LeverCredentialType,
): Promise<string> {
	const credentials = await nodeCredentials(ctx, type);
	const environment = String(credentials.environment ?? 'production');
	if (environment === 'custom') {
		const custom = String(credentials.baseUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
		if (!/^https?:\/\//.test(custom)) {
			throw new NodeApiError(ctx.getNode(), {} as JsonObject, {
				message: 'The Lever credential has no valid Base URL',
				description:
					'Set a Base URL such as https://api.eu.lever.co/v1 in the credential, or pick the Production or Sandbox environment.',
			});
		}
		return custom;
	}
	return LEVER_HOSTS[environment] ?? LEVER_HOSTS.production;
}

function describeStatus(status: number): string {
	switch (status) {
		case 400:
			return 'Lever rejected the request as malformed; check the values sent.';
		case 401:
			return 'Lever did not accept the credential: check the API key (or reconnect OAuth) and the environment.';
		case 403:
			return 'The Lever key or OAuth grant lacks the permission for this call (for example confidential data or webhooks).';
		case 404:
			return 'Lever has no such record: check the id, and that it belongs to the account behind the credential.';
		case 429:
			return "Lever's rate limit (10 requests per second per key) was still exceeded after the retries; run fewer items at once or add a Wait.";
		case 503:
			return 'Lever is unavailable (maintenance); try again later.';
		default:
			return status >= 500 ? 'Lever had an internal error; try again later.' : '';
	}
}

/** Error for an HTTP answer outside 2xx, carrying Lever's own `{code, message}`. */
export function leverHttpError(
	ctx: LeverContext,
	method: string,
	endpoint: string,
	status: number,
	body: unknown,
	attempts = 1,
): NodeApiError {
	const payload = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const code = typeof payload.code === 'string' ? payload.code : undefined;
	const leverMessage =
		typeof payload.message === 'string'
			? payload.message
			: typeof body === 'string' && body.length < 500
				? body
				: '';
	const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
	const message = `Lever ${method} ${endpoint} failed with ${status}${code ? ` ${code}` : ''}${tries}${leverMessage ? `: ${leverMessage}` : ''}`;
	return exactApiError(
		ctx.getNode(),
		{ code: code ?? null, message: leverMessage, status } as JsonObject,
		{
			message,
			description: describeStatus(status),
			httpCode: String(status),
		},
	);
}

/**
 * One request to Lever. Returns the parsed body (for most endpoints an object
 * with `data`); `undefined` for 204.
 */
export async function leverApiRequest<T = IDataObject>(
	this: LeverContext,
	method: IHttpRequestMethods,
	endpoint: string,
	{ qs, body, retryPolicy = DEFAULT_RETRY_POLICY, timeout }: LeverRequestOptions = {},
): Promise<T> {
	const credentialType = getLeverCredentialType(this);
	const baseUrl = await getLeverBaseUrl(this, credentialType);
	const options: IHttpRequestOptions = {
		method,
		url: `${baseUrl}${endpoint}`,
		qs,
		// Lever wants repeated keys (expand=a&expand=b, tag=x&tag=y), not tag[0]=x.
		arrayFormat: 'repeat',
		json: true,
		headers: { Accept: 'application/json' },
	};
	if (body !== undefined) options.body = body;
	if (timeout !== undefined) options.timeout = timeout;

	const response = await requestWithRetries(this, credentialType, options, {
		policy: retryPolicy,
		retryStatuses: RETRYABLE_STATUSES,
		idempotent: IDEMPOTENT_METHODS.has(method),
		// A fresh error: the original may carry the request options, auth included.
		networkError: (error, attempts) =>
			new NodeApiError(this.getNode(), {} as JsonObject, {
				message: `Lever ${method} ${endpoint} could not be reached${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${describeNetworkError(error)}`,
				description: `Check the network path to Lever and the Base URL of the credential${errorCode(error) ? ` (${errorCode(error)})` : ''}.`,
			}),
	});
	if (response.statusCode >= 200 && response.statusCode < 300) return response.body as T;
	throw leverHttpError(
		this,
		method,
		endpoint,
		response.statusCode,
		response.body,
		response.attempts,
	);
}

/**
 * Follows Lever's offset pagination (`next` + `hasNext`) until done or until
 * `maxItems` items were collected.
 */
export async function leverApiRequestAllItems(
	this: LeverContext,
	endpoint: string,
	qs: IDataObject = {},
	maxItems?: number,
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	let offset: string | undefined;
	do {
		const pageSize =
			maxItems !== undefined ? Math.min(100, Math.max(1, maxItems - items.length)) : 100;
		const page = (await leverApiRequest.call(this, 'GET', endpoint, {
			qs: { ...qs, limit: pageSize, ...(offset ? { offset } : {}) },
		})) as LeverListResponse;
		items.push(...(Array.isArray(page?.data) ? page.data : []));
		// A `next` equal to the one just used would loop forever: stop instead.
		offset = page?.hasNext && page.next && page.next !== offset ? page.next : undefined;
	} while (offset && (maxItems === undefined || items.length < maxItems));
	return maxItems !== undefined ? items.slice(0, maxItems) : items;
}
