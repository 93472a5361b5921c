import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { randomUUID } from 'crypto';

import { packageLocator, callbackUrlField } from '../../shared/descriptions';
import { leverIdempotencyKey } from '../../shared/opportunity';
import {
	createOrder,
	getOrder,
	idempotencyConflictError,
	isOrderOfRequest,
	type CreateOrderRequest,
} from '../../shared/api';
import { proformaErrorInfo } from '../../shared/transport';
import { parseJsonParameter } from '../../shared/utils';
import { asNodeError } from '../../../shared/errors';
import type { ItemOutput } from '../../../shared/operation';

const properties: INodeProperties[] = [
	packageLocator,
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		required: true,
		description: "The candidate's legal first name",
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		required: true,
		description: "The candidate's legal last name",
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		description: 'Proforma emails the candidate a secure link to this address',
	},
	{
		displayName: 'Client Reference',
		name: 'clientReference',
		type: 'string',
		default: '',
		description:
			'Your reference for this candidate, for example the Lever opportunity ID. Proforma accepts only one open order per reference and package, so re-running never orders twice.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			callbackUrlField,
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'A request repeated with the same key returns the first order; empty: lever-&lt;Client Reference&gt;-&lt;package code&gt;',
			},
			{
				displayName: 'Location',
				name: 'location',
				type: 'string',
				default: '',
				placeholder: 'Toronto, ON',
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description: 'Any JSON object; Proforma stores it on the order and returns it unchanged',
			},
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				placeholder: '+1 555 0100',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['create'] } },
	properties,
);

/**
 * POST /v1/orders. A 200 replay comes back marked `replayed: true`; a 409 for
 * an already-open order of the same reference and package is not a failure:
 * the existing order is fetched and returned marked `existingOrder: true`.
 * A 409 naming an order of another reference or package (the Idempotency-Key
 * was used for another request) is an error saying to use a distinct key.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<ItemOutput> {
	const packageCode = String(
		this.getNodeParameter('package', i, '', { extractValue: true }),
	).trim();
	const clientReference = String(this.getNodeParameter('clientReference', i, '')).trim();
	const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const request: CreateOrderRequest = {
		package: packageCode,
		clientReference: clientReference || null,
		candidate: {
			firstName: String(this.getNodeParameter('firstName', i)).trim(),
			lastName: String(this.getNodeParameter('lastName', i)).trim(),
			email: String(this.getNodeParameter('email', i)).trim(),
			phone: extra.phone ? String(extra.phone).trim() : null,
			location: extra.location ? String(extra.location).trim() : null,
		},
		callbackUrl: extra.callbackUrl ? String(extra.callbackUrl).trim() : null,
		metadata: parseJsonParameter(this, extra.metadata, 'Metadata', i),
	};
	const idempotencyKey =
		String(extra.idempotencyKey ?? '').trim() ||
		(clientReference ? leverIdempotencyKey(clientReference, packageCode) : `n8n-${randomUUID()}`);
	try {
		const { order, replayed } = await createOrder.call(this, request, idempotencyKey);
		return { ...order, replayed, existingOrder: false } as IDataObject;
	} catch (error) {
		const info = proformaErrorInfo(error);
		if (info?.status === 409 && info.orderId) {
			const existing = await getOrder.call(this, info.orderId);
			// The same Idempotency-Key with another body also names an order:
			// only the order for this reference and package is this request's.
			if (!isOrderOfRequest(existing, request)) {
				throw idempotencyConflictError(this, error, existing, request, idempotencyKey);
			}
			return { ...existing, replayed: false, existingOrder: true } as IDataObject;
		}
		throw asNodeError(this.getNode(), error, i);
	}
}
