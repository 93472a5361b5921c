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
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	describeNetworkError,
	errorCode,
	nodeCredentials,
	requestWithRetries,
} from '../../shared/request';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../shared/retry';

/**
 * The single way out to Proforma's API: base URL, headers, pagination, which
 * requests are safe to repeat and what an error looks like. Operations call
 * the typed functions of api.ts and never build a URL themselves; callbacks
 * (the trigger) are read in callbacks.ts. Adapting to Proforma's real partner
 * API (docs/proforma-api.md, "Adapting to Proforma's partner API") stays
 * inside nodes/Proforma/shared/.
 */

export type ProformaContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

export const PROFORMA_CREDENTIAL_TYPE = 'proformaApi';

/** Bounded per request: a hung connection must not hold an execution forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** 429 (rate limit, Retry-After honoured) and transient server errors. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface ProformaErrorDetail {
	field: string;
	issue: string;
}

/**
 * What went wrong, in a form the operations can act on (for example the
 * Lever flow turns a 409 with `orderId` into "already ordered").
 */
export interface ProformaErrorInfo {
	/** `http`: Proforma answered outside 2xx; `network`: it could not be reached. */
	kind: 'http' | 'network';
	method: string;
	path: string;
	status: number | null;
	code: string | null;
	/** Proforma's own `error.message` (empty when it gave none). */
	message: string;
	details: ProformaErrorDetail[];
	/** `error.orderId` of a 409: the order that already exists. */
	orderId: string | null;
	attempts: number;
	/** Plain words for a network failure ("timed out", "connection refused"). */
	reason: string | null;
}

export interface ProformaRequestOptions {
	qs?: IDataObject;
	body?: IDataObject;
	headers?: IDataObject;
	/** Sent as the `Idempotency-Key` header; makes a POST safe to repeat. */
	idempotencyKey?: string;
	/** `arraybuffer` for binary answers (the report PDF); JSON otherwise. */
	encoding?: 'arraybuffer';
	retryPolicy?: RetryPolicy;
}

export interface ProformaResponse<T = unknown> {
	statusCode: number;
	body: T;
	attempts: number;
}

export interface ProformaPackage extends IDataObject {
	code: string;
	name: string;
	description: string | null;
	screenings: string[];
}

export interface ProformaOrder extends IDataObject {
	id: string;
	status: string;
}

export interface ProformaListResponse {
	data: IDataObject[];
	nextCursor?: string | null;
}

/**
 * Returns the structured Proforma failure behind an error thrown by this
 * module, if it is one. Kept apart from `httpStatusOf` (nodes/shared/request.ts,
 * the status alone, which is all the Lever callers need) on purpose: the
 * Proforma operations turn Proforma's code, validation details and the 409's
 * existing order id into the recruiter's problem text, and an error that is
 * not Proforma's (a missing credential, a bug) must stay an error.
 */
export function proformaErrorInfo(error: unknown): ProformaErrorInfo | undefined {
	const info = (error as { proforma?: ProformaErrorInfo } | undefined)?.proforma;
	return info && (info.kind === 'http' || info.kind === 'network') ? info : undefined;
}

/** Base URL of the account behind the credential, without a trailing slash or /v1. */
export async function getProformaBaseUrl(ctx: ProformaContext): Promise<string> {
	const credentials = await nodeCredentials(ctx, PROFORMA_CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '')
		.replace(/\/v1$/, '');
	if (!/^https?:\/\/[^/]/.test(baseUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'The Proforma API credential has no valid Base URL',
			{
				description:
					'Set the Base URL in the Proforma API credential to everything before /v1, for example https://api.example.com.',
			},
		);
	}
	return baseUrl;
}

/** Formats 422 details as "field: issue; field: issue". */
export function formatDetails(details: ProformaErrorDetail[]): string {
	return details.map((d) => (d.field ? `${d.field}: ${d.issue}` : d.issue)).join('; ');
}

function describeStatus(status: number, code: string | null): string {
	if (status === 401) {
		return 'Proforma did not accept the API key: check the API key (and the Base URL) in the Proforma API credential.';
	}
	if (status === 404)
		return 'Proforma has no such order or package: check the id, and that it belongs to the account behind the credential.';
	if (status === 409 && code === 'report_not_ready') {
		return 'The order has not completed yet, so there is no report. Wait for the order.completed event (Proforma Trigger) before fetching the report.';
	}
	if (status === 409)
		return 'The request conflicts with the order as it is now (for example an order for this reference and package already exists, or the order is already completed).';
	if (status === 422)
		return 'Proforma refused the values sent; fix the fields listed in the message.';
	if (status === 400) return 'Proforma rejected the request as malformed.';
	if (status === 429)
		return "Proforma's rate limit (10 requests per second) was still exceeded after the retries; run fewer items at once or add a Wait.";
	if (status >= 500)
		return 'Proforma had a temporary error and still failed after the retries; try again later.';
	return '';
}

function parseErrorBody(
	body: unknown,
): Pick<ProformaErrorInfo, 'code' | 'message' | 'details' | 'orderId'> {
	const error = (body && typeof body === 'object' ? (body as IDataObject).error : undefined) as
		| IDataObject
		| undefined;
	if (!error || typeof error !== 'object') {
		return {
			code: null,
			message: typeof body === 'string' && body.length < 300 ? body.trim() : '',
			details: [],
			orderId: null,
		};
	}
	const details = Array.isArray(error.details)
		? (error.details as IDataObject[])
				.filter((d) => d && typeof d === 'object')
				.map((d) => ({ field: String(d.field ?? ''), issue: String(d.issue ?? '') }))
		: [];
	return {
		code: typeof error.code === 'string' ? error.code : null,
		message: typeof error.message === 'string' ? error.message : '',
		details,
		orderId: typeof error.orderId === 'string' ? error.orderId : null,
	};
}

/** Error for an answer outside 2xx: names method, path and status, carries Proforma's message. */
export function proformaHttpError(
	ctx: ProformaContext,
	method: string,
	path: string,
	status: number,
	body: unknown,
	attempts = 1,
): NodeApiError {
	const parsed = parseErrorBody(body);
	const info: ProformaErrorInfo = {
		kind: 'http',
		method,
		path,
		status,
		attempts,
		reason: null,
		...parsed,
	};
	const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
	let text = parsed.message;
	if (parsed.details.length) text = `${text ? `${text} ` : ''}(${formatDetails(parsed.details)})`;
	if (status === 401)
		text = `${text ? `${text}. ` : ''}Check the API key in the Proforma API credential`;
	const error = new NodeApiError(
		ctx.getNode(),
		{
			code: parsed.code,
			message: parsed.message,
			status,
			details: parsed.details,
			orderId: parsed.orderId,
		} as unknown as JsonObject,
		{
			message: `Proforma ${method} ${path} failed with ${status}${parsed.code ? ` ${parsed.code}` : ''}${tries}${text ? `: ${text}` : ''}`,
			description: describeStatus(status, parsed.code),
			httpCode: String(status),
		},
	);
	return Object.assign(error, { proforma: info });
}

function proformaNetworkError(
	ctx: ProformaContext,
	method: string,
	path: string,
	cause: unknown,
	attempts: number,
): NodeApiError {
	const reason = describeNetworkError(cause);
	const info: ProformaErrorInfo = {
		kind: 'network',
		method,
		path,
		status: null,
		code: errorCode(cause) ?? null,
		message: '',
		details: [],
		orderId: null,
		attempts,
		reason,
	};
	// A fresh error: the original may carry the request options, auth header included.
	const error = new NodeApiError(ctx.getNode(), {} as JsonObject, {
		message: `Proforma ${method} ${path} could not be reached${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${reason}`,
		description: `Check the network path to Proforma and the Base URL of the Proforma API credential${info.code ? ` (${info.code})` : ''}.`,
	});
	return Object.assign(error, { proforma: info });
}

/**
 * Which requests may be sent again after a failure that may have reached
 * Proforma (timeout, connection reset):
 * - GET: reads.
 * - POST /v1/orders: only with an Idempotency-Key, which makes Proforma replay
 *   the first order (200) instead of creating a second one.
 * - POST /v1/orders/{id}/cancel: idempotent in effect; the target state is
 *   "cancelled" however often it is asked (cancelOrder() also reads a 409 on a
 *   retry as success when the order turns out to be cancelled).
 * - POST /v1/orders/{id}/invitation/resend: repeating it can at worst send the
 *   candidate one more copy of the same invitation link, which is harmless and
 *   better than not sending it at all; so it is retried too.
 */
function isSafeToRepeat(
	method: IHttpRequestMethods,
	path: string,
	idempotencyKey?: string,
): boolean {
	if (method === 'GET' || method === 'HEAD') return true;
	if (method === 'POST' && path === '/v1/orders') return Boolean(idempotencyKey);
	if (method === 'POST' && /^\/v1\/orders\/[^/]+\/(cancel|invitation\/resend)$/.test(path))
		return true;
	return false;
}

/**
 * One request to Proforma, retried on 429 (Retry-After honoured), 5xx and
 * network failures (only when safe to repeat), a bounded number of times.
 * Returns the status with the body; throws a NodeApiError for anything
 * outside 2xx and for network failures.
 */
export async function proformaApiResponse<T = unknown>(
	this: ProformaContext,
	method: IHttpRequestMethods,
	path: string,
	{
		qs,
		body,
		headers,
		idempotencyKey,
		encoding,
		retryPolicy = DEFAULT_RETRY_POLICY,
	}: ProformaRequestOptions = {},
): Promise<ProformaResponse<T>> {
	const baseUrl = await getProformaBaseUrl(this);
	const options: IHttpRequestOptions = {
		method,
		url: `${baseUrl}${path}`,
		headers: {
			Accept: encoding === 'arraybuffer' ? 'application/pdf' : 'application/json',
			...(headers ?? {}),
			...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
		},
		timeout: REQUEST_TIMEOUT_MS,
	};
	if (encoding === 'arraybuffer') {
		options.encoding = 'arraybuffer';
		options.json = false;
	} else {
		options.json = true;
	}
	if (qs && Object.keys(qs).length) options.qs = qs;
	if (body !== undefined) {
		options.body = body;
		(options.headers as IDataObject)['Content-Type'] = 'application/json';
	}

	const response = await requestWithRetries(this, PROFORMA_CREDENTIAL_TYPE, options, {
		policy: retryPolicy,
		retryStatuses: RETRYABLE_STATUSES,
		idempotent: isSafeToRepeat(method, path, idempotencyKey),
		networkError: (error, attempts) => proformaNetworkError(this, method, path, error, attempts),
	});
	if (response.statusCode >= 200 && response.statusCode < 300) {
		return {
			statusCode: response.statusCode,
			body: response.body as T,
			attempts: response.attempts,
		};
	}
	throw proformaHttpError(
		this,
		method,
		path,
		response.statusCode,
		response.body,
		response.attempts,
	);
}

/** Like proformaApiResponse, returning only the body. */
export async function proformaApiRequest<T = IDataObject>(
	this: ProformaContext,
	method: IHttpRequestMethods,
	path: string,
	options: ProformaRequestOptions = {},
): Promise<T> {
	const response = (await proformaApiResponse.call(
		this,
		method,
		path,
		options,
	)) as ProformaResponse<T>;
	return response.body;
}

/**
 * Follows Proforma's cursor pagination (`nextCursor`) until the end, or until
 * `maxItems` items were collected. Pages hold at most 100 items.
 */
export async function proformaApiRequestAllItems(
	this: ProformaContext,
	path: string,
	qs: IDataObject = {},
	maxItems?: number,
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	let cursor: string | undefined;
	do {
		const limit =
			maxItems !== undefined ? Math.min(100, Math.max(1, maxItems - items.length)) : 100;
		const page = (await proformaApiRequest.call(this, 'GET', path, {
			qs: { ...qs, limit, ...(cursor ? { cursor } : {}) },
		})) as ProformaListResponse;
		items.push(...(Array.isArray(page?.data) ? page.data : []));
		cursor = typeof page?.nextCursor === 'string' && page.nextCursor ? page.nextCursor : undefined;
	} while (cursor && (maxItems === undefined || items.length < maxItems));
	return maxItems !== undefined ? items.slice(0, maxItems) : items;
}
