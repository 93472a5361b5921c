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

import { describeNetworkError, errorCode, requestWithRetries } from '../../shared/request';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../shared/retry';
import { asPlainObject } from '../../shared/objects';
import { asNodeError } from '../../shared/errors';

/**
 * The single place that knows Proforma's API: base URL, paths, headers,
 * pagination, which requests are safe to repeat and what an error looks like.
 * Operations call the typed functions at the bottom of this file and never
 * build a URL themselves, so adapting to Proforma's real partner API (see
 * docs/proforma-api.md, "Adapting to Proforma's partner API") touches this
 * file only.
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

/** Returns the structured Proforma failure behind an error thrown by this module, if it is one. */
export function proformaErrorInfo(error: unknown): ProformaErrorInfo | undefined {
	const info = (error as { proforma?: ProformaErrorInfo } | undefined)?.proforma;
	return info && (info.kind === 'http' || info.kind === 'network') ? info : undefined;
}

/** Base URL of the account behind the credential, without a trailing slash or /v1. */
export async function getProformaBaseUrl(ctx: ProformaContext): Promise<string> {
	const credentials = await ctx.getCredentials(PROFORMA_CREDENTIAL_TYPE);
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

// ---------------------------------------------------------------------------
// Order statuses.
// ---------------------------------------------------------------------------

/** Every order status, as options for a status filter. */
export const ORDER_STATUSES = [
	{ name: 'Action Required', value: 'action_required' },
	{ name: 'Cancelled', value: 'cancelled' },
	{ name: 'Completed', value: 'completed' },
	{ name: 'Expired', value: 'expired' },
	{ name: 'In Progress', value: 'in_progress' },
	{ name: 'Invited', value: 'invited' },
	{ name: 'Submitted', value: 'submitted' },
];

/** Statuses after which Proforma accepts a new order for the same reference and package. */
export const CLOSED_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'expired']);

// ---------------------------------------------------------------------------
// Typed operations: the only functions the node and trigger call.
// ---------------------------------------------------------------------------

const orderPath = (orderId: string) => `/v1/orders/${encodeURIComponent(orderId)}`;

/** GET /v1/packages */
export async function listPackages(this: ProformaContext): Promise<ProformaPackage[]> {
	const response = (await proformaApiRequest.call(this, 'GET', '/v1/packages')) as {
		data?: ProformaPackage[];
	};
	return Array.isArray(response?.data) ? response.data : [];
}

export interface CreateOrderRequest extends IDataObject {
	package: string;
	clientReference: string | null;
	candidate: {
		firstName: string;
		lastName: string;
		email: string;
		phone: string | null;
		location: string | null;
	};
	callbackUrl: string | null;
	metadata: IDataObject;
}

export interface CreateOrderResult {
	order: ProformaOrder;
	/** 200: Proforma replayed the order first created with this Idempotency-Key. */
	replayed: boolean;
	attempts: number;
}

/** Drops optional fields that were not given, as Proforma defaults them to null. */
function compactOrderBody(request: CreateOrderRequest): IDataObject {
	const candidate: IDataObject = {};
	for (const [key, value] of Object.entries(request.candidate)) {
		if (value !== null && value !== undefined && value !== '') candidate[key] = value;
	}
	const body: IDataObject = { package: request.package };
	if (request.clientReference) body.clientReference = request.clientReference;
	body.candidate = candidate;
	if (request.callbackUrl) body.callbackUrl = request.callbackUrl;
	if (request.metadata && Object.keys(request.metadata).length) body.metadata = request.metadata;
	return body;
}

/** POST /v1/orders with an Idempotency-Key. A 409 throws (see proformaErrorInfo().orderId). */
export async function createOrder(
	this: ProformaContext,
	request: CreateOrderRequest,
	idempotencyKey: string,
): Promise<CreateOrderResult> {
	const response = (await proformaApiResponse.call(this, 'POST', '/v1/orders', {
		body: compactOrderBody(request),
		idempotencyKey,
	})) as ProformaResponse<ProformaOrder>;
	return {
		order: response.body,
		replayed: response.statusCode === 200,
		attempts: response.attempts,
	};
}

/**
 * A 409 on POST /v1/orders names an order (`error.orderId`) in two cases:
 * an open order already exists for the request's clientReference and package
 * (the request's own order: return it), or the Idempotency-Key was already
 * used with a different body (the key's order, possibly another candidate's).
 * Only an order with the request's clientReference and package is the
 * request's own; without a clientReference there is no way to tell.
 */
export function isOrderOfRequest(order: IDataObject, request: CreateOrderRequest): boolean {
	return (
		Boolean(request.clientReference) &&
		order.clientReference === request.clientReference &&
		order.package === request.package
	);
}

/**
 * Error for a 409 whose order is not the request's own (see isOrderOfRequest):
 * Proforma's message plus what to fix.
 */
export function idempotencyConflictError(
	ctx: ProformaContext,
	conflict: unknown,
	order: IDataObject,
	request: CreateOrderRequest,
	idempotencyKey: string,
): NodeApiError {
	const info = proformaErrorInfo(conflict);
	const original = (
		conflict instanceof Error ? conflict.message : 'Proforma POST /v1/orders failed with 409'
	).replace(/\.+$/, '');
	const describe = (reference: unknown, pkg: unknown) =>
		`clientReference ${reference ? String(reference) : '(none)'}, package ${String(pkg ?? '(none)')}`;
	const error = new NodeApiError(
		ctx.getNode(),
		{
			code: info?.code ?? 'conflict',
			message: info?.message ?? '',
			status: 409,
			orderId: String(order.id ?? info?.orderId ?? ''),
		} as JsonObject,
		{
			message: `${original}. The Idempotency-Key "${idempotencyKey}" belongs to order ${String(order.id ?? info?.orderId)} (${describe(order.clientReference, order.package)}), not to this request (${describe(request.clientReference, request.package)}): use a distinct Idempotency-Key per candidate`,
			description:
				'Use a distinct Idempotency-Key per candidate and package: leave "Idempotency Key" empty to derive lever-<Client Reference>-<package>, or map a value that differs for every candidate. No order was created for this request.',
			httpCode: '409',
		},
	);
	return info ? Object.assign(error, { proforma: info }) : error;
}

/** GET /v1/orders/{id} */
export async function getOrder(this: ProformaContext, orderId: string): Promise<ProformaOrder> {
	return (await proformaApiRequest.call(this, 'GET', orderPath(orderId))) as ProformaOrder;
}

export interface OrderFilters {
	clientReference?: string;
	status?: string;
	/** ISO-8601 UTC. */
	updatedSince?: string;
}

/** GET /v1/orders with filters, every page (or the first `maxItems`). */
export async function listOrders(
	this: ProformaContext,
	filters: OrderFilters,
	maxItems?: number,
): Promise<IDataObject[]> {
	const qs: IDataObject = {};
	if (filters.clientReference) qs.clientReference = filters.clientReference;
	if (filters.status) qs.status = filters.status;
	if (filters.updatedSince) qs.updatedSince = filters.updatedSince;
	return await proformaApiRequestAllItems.call(this, '/v1/orders', qs, maxItems);
}

/**
 * POST /v1/orders/{id}/cancel. When a retried cancel meets a 409 the first
 * attempt may already have cancelled the order: it is re-read and returned
 * if it is cancelled; any other 409 (for example completed) is thrown.
 */
export async function cancelOrder(this: ProformaContext, orderId: string): Promise<ProformaOrder> {
	try {
		return (await proformaApiRequest.call(
			this,
			'POST',
			`${orderPath(orderId)}/cancel`,
		)) as ProformaOrder;
	} catch (error) {
		const info = proformaErrorInfo(error);
		if (info?.status === 409) {
			const order = await getOrder.call(this, orderId).catch(() => undefined);
			if (order?.status === 'cancelled') return order;
		}
		throw asNodeError(this.getNode(), error);
	}
}

/** POST /v1/orders/{id}/invitation/resend */
export async function resendInvitation(
	this: ProformaContext,
	orderId: string,
): Promise<ProformaOrder> {
	return (await proformaApiRequest.call(
		this,
		'POST',
		`${orderPath(orderId)}/invitation/resend`,
	)) as ProformaOrder;
}

export interface ProformaReportLink extends IDataObject {
	orderId: string;
	status: string;
	result: string | null;
	url: string;
	completedAt: string | null;
}

/** GET /v1/orders/{id}/report (409 report_not_ready before completion). */
export async function getReportLink(
	this: ProformaContext,
	orderId: string,
): Promise<ProformaReportLink> {
	return (await proformaApiRequest.call(
		this,
		'GET',
		`${orderPath(orderId)}/report`,
	)) as ProformaReportLink;
}

/** GET /v1/orders/{id}/report.pdf as bytes. */
export async function downloadReportPdf(this: ProformaContext, orderId: string): Promise<Buffer> {
	const body = (await proformaApiRequest.call(this, 'GET', `${orderPath(orderId)}/report.pdf`, {
		encoding: 'arraybuffer',
	})) as unknown;
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'binary');
	throw new NodeOperationError(
		this.getNode(),
		`Proforma GET ${orderPath(orderId)}/report.pdf returned no file`,
	);
}

// ---------------------------------------------------------------------------
// Callbacks (webhooks to the customer): header and payload shape.
// ---------------------------------------------------------------------------

export const SIGNATURE_HEADER = 'proforma-signature';

/**
 * The callback event types, with the words the Proforma Trigger shows for
 * them (its Events options are built from this list).
 */
export const EVENT_TYPES = [
	{
		name: 'Order Completed',
		value: 'order.completed',
		description: 'The screen is complete; the result and report link are set',
	},
	{
		name: 'Order Created',
		value: 'order.created',
		description: 'An order was created',
	},
	{
		name: 'Order Status Changed',
		value: 'order.status_changed',
		description:
			'Any other status change (submitted, in progress, action required, expired, cancelled)',
	},
] as const;

export type ProformaEventType = (typeof EVENT_TYPES)[number]['value'];

/** The event types a Proforma Trigger listens to unless told otherwise. */
export const DEFAULT_EVENT_TYPES: ProformaEventType[] = ['order.completed'];

/**
 * One callback, flattened into the fields a workflow needs: the Proforma
 * Trigger outputs exactly this object.
 */
export interface ProformaCallbackEvent extends IDataObject {
	eventId: string;
	type: string;
	createdAt: string | null;
	order: IDataObject;
	orderId: string | null;
	status: string | null;
	result: string | null;
	clientReference: string | null;
	/** `order.report.url`: the stable portal link, set once completed. */
	reportUrl: string | null;
}

export type ParsedCallback =
	| { ok: true; event: ProformaCallbackEvent }
	| { ok: false; status: 400; message: string };

/**
 * Reads a callback body (`{id, type, createdAt, data: {order}}`). Call it only
 * after the signature was verified over the same raw bytes.
 */
export function parseCallbackEvent(rawBody: Buffer | string): ParsedCallback {
	let event: unknown;
	try {
		event = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
	} catch {
		return { ok: false, status: 400, message: 'The body is not JSON' };
	}
	const envelope = asPlainObject(event);
	const order = asPlainObject(asPlainObject(envelope?.data)?.order);
	if (!envelope || typeof envelope.type !== 'string' || typeof envelope.id !== 'string' || !order) {
		return {
			ok: false,
			status: 400,
			message: 'The body is not a Proforma event ({id, type, createdAt, data: {order}})',
		};
	}
	const report = asPlainObject(order.report);
	return {
		ok: true,
		event: {
			eventId: envelope.id,
			type: envelope.type,
			createdAt: (envelope.createdAt as string | undefined) ?? null,
			order,
			orderId: (order.id as string | undefined) ?? null,
			status: (order.status as string | undefined) ?? null,
			result: (order.result as string | undefined) ?? null,
			clientReference: (order.clientReference as string | undefined) ?? null,
			reportUrl: typeof report?.url === 'string' ? report.url : null,
		},
	};
}

/** Parses `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`; undefined when malformed. */
export function parseSignatureHeader(
	value: unknown,
): { timestamp: number; signatures: string[] } | undefined {
	const raw = Array.isArray(value) ? value.join(',') : value;
	if (typeof raw !== 'string' || raw.length > 2000) return undefined;
	let timestamp: number | undefined;
	const signatures: string[] = [];
	for (const part of raw.split(',')) {
		const index = part.indexOf('=');
		if (index < 0) continue;
		const key = part.slice(0, index).trim();
		const val = part.slice(index + 1).trim();
		if (key === 't') {
			if (!/^\d{1,10}$/.test(val) || timestamp !== undefined) return undefined;
			timestamp = Number(val);
		} else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(val)) {
			signatures.push(val);
		}
	}
	if (timestamp === undefined || signatures.length === 0) return undefined;
	return { timestamp, signatures };
}

/** The message Proforma signs: `<t>.<raw body>`, as bytes. */
export function signedPayload(timestamp: number, rawBody: Buffer): Buffer {
	return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);
}
