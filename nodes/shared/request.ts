import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { parseRetryAfter, policyForStatus, retryDelayMs, type RetryPolicy } from './retry';

/**
 * The retry loop both transports (Lever, Proforma) run their requests through.
 * Vendor specifics (which statuses to retry, how errors read) stay in each
 * transport; this only sends, waits and repeats.
 */

export type ApiContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface ApiResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

export interface RetryOptions {
	policy: RetryPolicy;
	/** HTTP statuses worth another try (rate limits, transient server errors). */
	retryStatuses: ReadonlySet<number>;
	/** Whether a request that may have reached the server can safely be sent again. */
	idempotent: boolean;
	/** The error to throw when the server could not be reached, after the retries. */
	networkError: (error: unknown, attempts: number) => Error;
}

/**
 * The node's credential, read once per node run (all items, all retries) and
 * handed to n8n with every request. Each read is a database query plus a
 * decryption in n8n; without this, a request cost two (the base URL's and
 * n8n's own), and a retried one more. Keyed by the run's context object, so
 * nothing outlives the run.
 */
const credentialsOfRun = new WeakMap<
	object,
	Map<string, Promise<ICredentialDataDecryptedObject>>
>();

export async function nodeCredentials(
	ctx: ApiContext,
	credentialType: string,
): Promise<ICredentialDataDecryptedObject> {
	let ofRun = credentialsOfRun.get(ctx);
	if (!ofRun) credentialsOfRun.set(ctx, (ofRun = new Map()));
	let credentials = ofRun.get(credentialType);
	if (!credentials) {
		credentials = ctx.getCredentials(credentialType);
		ofRun.set(credentialType, credentials);
	}
	return await credentials;
}

/** The credential already read, for n8n to use instead of reading it again. */
async function readCredentialOptions(
	ctx: ApiContext,
	credentialType: string,
): Promise<IAdditionalCredentialOptions | undefined> {
	const details = ctx.getNode().credentials?.[credentialType];
	if (!details?.id) return undefined;
	const data = await nodeCredentials(ctx, credentialType);
	return {
		credentialsDecrypted: { id: details.id, name: details.name, type: credentialType, data },
	};
}

/** Errors where the request never reached the server, so repeating it is always safe. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export function errorCode(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown } };
	const code = e?.cause?.code ?? e?.code;
	return typeof code === 'string' ? code : undefined;
}

/**
 * The HTTP answer inside an error thrown for a status outside 2xx. n8n 2.x
 * wraps the HTTP client's error (which holds `response`) in a NodeApiError's
 * `cause`; n8n 1.x keeps only the status (`httpCode`) and the body
 * (`context.data`), without headers, so a Retry-After is lost there.
 */
export function responseOf(error: unknown): ApiResponse | undefined {
	let current = error as
		| { response?: { status?: unknown; headers?: IDataObject; data?: unknown }; cause?: unknown }
		| undefined;
	for (let depth = 0; current && depth < 4; depth++) {
		const response = current.response;
		if (response && typeof response.status === 'number') {
			return {
				statusCode: response.status,
				headers: response.headers ?? {},
				body: parsedBody(response.data),
			};
		}
		current = current.cause as typeof current;
	}
	const status = httpStatusOf(error);
	if (status === undefined || status < 100 || status > 599) return undefined;
	const context = (error as { context?: { data?: unknown } }).context;
	return { statusCode: status, headers: {}, body: parsedBody(context?.data) };
}

/** A body as JSON when it is JSON text or bytes, else as it is. */
function parsedBody(body: unknown): unknown {
	if (!Buffer.isBuffer(body) && typeof body !== 'string') return body;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** The HTTP status of a transport error (NodeApiError's `httpCode`), if any. */
export function httpStatusOf(error: unknown): number | undefined {
	const status = Number((error as { httpCode?: unknown })?.httpCode);
	return Number.isInteger(status) && status > 0 ? status : undefined;
}

/**
 * Plain words for a network failure. The error code itself stays out of
 * messages because n8n replaces a message containing it with a generic one.
 */
export function describeNetworkError(error: unknown): string {
	switch (errorCode(error)) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host name not found';
		case 'ECONNRESET':
			return 'connection reset';
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
		case 'ESOCKETTIMEDOUT':
			return 'timed out';
		case undefined: {
			// Not a socket error: n8n's own refusal, whose message names the cause.
			const message = error instanceof Error ? error.message.slice(0, 300) : '';
			return message ? `the request was not sent (${message})` : 'the request was not sent';
		}
		default:
			return 'network error';
	}
}

/**
 * Sends `options` with the credential, retrying retryable statuses (honouring
 * Retry-After) and network failures, a bounded number of times. Returns the
 * last response, whatever its status: callers decide what a failure means.
 * `attempts` tells how many requests were sent.
 */
export async function requestWithRetries(
	ctx: ApiContext,
	credentialType: string,
	options: IHttpRequestOptions,
	retry: RetryOptions,
): Promise<ApiResponse & { attempts: number }> {
	// Statuses outside 2xx are left to throw (not ignoreHttpStatusErrors): n8n
	// refreshes an expired OAuth2 token only when the request throws a 401.
	// Redirects are not followed: n8n would send the credential along to
	// another origin by default, and neither API redirects its endpoints, so a
	// 3xx is reported as a failure naming its status.
	const request: IHttpRequestOptions = {
		...options,
		returnFullResponse: true,
		disableFollowRedirect: true,
	};
	const credentialOptions = await readCredentialOptions(ctx, credentialType);
	for (let attempt = 0; ; attempt++) {
		let response: ApiResponse;
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				credentialType,
				request,
				credentialOptions,
			)) as ApiResponse;
		} catch (error) {
			const answered = responseOf(error);
			if (answered) {
				response = answered;
			} else {
				// No code and no answer: n8n refused before sending (credential,
				// blocked URL, ...). Repeating cannot help.
				const code = errorCode(error);
				const safe = code !== undefined && (NOT_SENT_CODES.has(code) || retry.idempotent);
				if (safe && attempt < retry.policy.maxRetries) {
					await sleep(retryDelayMs(attempt, retry.policy));
					continue;
				}
				throw retry.networkError(error, attempt + 1);
			}
		}
		const budget =
			response.statusCode === 429
				? (retry.policy.maxRateLimitRetries ?? retry.policy.maxRetries)
				: retry.policy.maxRetries;
		if (retry.retryStatuses.has(response.statusCode) && attempt < budget) {
			const retryAfter = parseRetryAfter(response.headers?.['retry-after']);
			const policy = policyForStatus(retry.policy, response.statusCode);
			await sleep(retryDelayMs(attempt, policy, retryAfter));
			continue;
		}
		return { ...response, headers: response.headers ?? {}, attempts: attempt + 1 };
	}
}
