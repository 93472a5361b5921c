import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import {
	proformaApiRequest,
	proformaApiRequestAllItems,
	proformaApiResponse,
	proformaErrorInfo,
	type ProformaContext,
	type ProformaOrder,
	type ProformaPackage,
	type ProformaResponse,
} from './transport';

/**
 * Proforma's API as typed functions with its business rules (idempotent
 * orders, which 409 is this request's, closed orders): the only functions the
 * node and the trigger call. Requests go out through transport.ts.
 */

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
		order: withOpportunityId(response.body),
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

/**
 * The order with `opportunityId`, the Lever opportunity it is for: the
 * `leverOpportunityId` that Create for Lever Opportunity stores in its
 * metadata, else the client reference (null when neither is set). A re-screen
 * has a client reference of its own, so workflows map orders to candidates
 * by this field.
 */
export function withOpportunityId<T extends IDataObject>(order: T): T & OrderOfOpportunity {
	const metadata = order.metadata as IDataObject | null | undefined;
	const fromMetadata = metadata?.leverOpportunityId;
	const opportunityId =
		typeof fromMetadata === 'string' && fromMetadata !== ''
			? fromMetadata
			: typeof order.clientReference === 'string'
				? order.clientReference
				: null;
	return { ...order, opportunityId };
}

interface OrderOfOpportunity {
	opportunityId: string | null;
}

/** GET /v1/orders/{id} */
export async function getOrder(this: ProformaContext, orderId: string): Promise<ProformaOrder> {
	return withOpportunityId(
		(await proformaApiRequest.call(this, 'GET', orderPath(orderId))) as ProformaOrder,
	);
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
	const orders = await proformaApiRequestAllItems.call(this, '/v1/orders', qs, maxItems);
	return orders.map(withOpportunityId);
}

/**
 * POST /v1/orders/{id}/cancel. When a retried cancel meets a 409 the first
 * attempt may already have cancelled the order: it is re-read and returned
 * if it is cancelled; any other 409 (for example completed) is thrown.
 */
export async function cancelOrder(this: ProformaContext, orderId: string): Promise<ProformaOrder> {
	try {
		return withOpportunityId(
			(await proformaApiRequest.call(
				this,
				'POST',
				`${orderPath(orderId)}/cancel`,
			)) as ProformaOrder,
		);
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
	return withOpportunityId(
		(await proformaApiRequest.call(
			this,
			'POST',
			`${orderPath(orderId)}/invitation/resend`,
		)) as ProformaOrder,
	);
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
