import type { IDataObject } from 'n8n-workflow';

import { asPlainObject } from '../../shared/objects';
import { withOpportunityId } from './api';

/**
 * Proforma's callbacks to the customer (the Proforma Trigger): the event
 * types, the payload shape and the signature header.
 */

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
	/** The Lever opportunity the order is for (see withOpportunityId). */
	opportunityId: string | null;
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
			opportunityId: withOpportunityId(order).opportunityId,
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
