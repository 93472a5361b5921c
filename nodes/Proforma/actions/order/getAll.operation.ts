import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { returnAllAndLimit } from '../../../shared/descriptions';
import { listOrders, ORDER_STATUSES, type OrderFilters } from '../../shared/api';
import { rescreenReference } from '../../shared/opportunity';
import { readDateParameter } from '../../../shared/dates';
import type { ItemOutput } from '../../../shared/operation';

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Client Reference',
				name: 'clientReference',
				type: 'string',
				default: '',
				description: 'Only orders with this reference (the Lever opportunity ID in the Lever flow)',
			},
			{
				displayName: 'Include Re-Screens',
				name: 'includeRescreens',
				type: 'boolean',
				default: false,
				description:
					"Whether to add the orders of the reference's re-screens (Create for Lever Opportunity › Re-Screen After (Days)): after each completed order, the orders with reference '&lt;reference&gt;-after-&lt;order ID&gt;'. Needs Client Reference.",
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: ORDER_STATUSES,
				default: 'invited',
				description: 'Only orders in this status',
			},
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Only orders changed at or after this time',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['getAll'] } },
	properties,
);

/** GET /v1/orders, following nextCursor. */
export async function execute(this: IExecuteFunctions, i: number): Promise<ItemOutput> {
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? undefined : Math.max(1, Number(this.getNodeParameter('limit', i, 50)));
	const raw = this.getNodeParameter('filters', i, {}) as IDataObject;
	const filters: OrderFilters = {};
	if (raw.clientReference) filters.clientReference = String(raw.clientReference).trim();
	if (raw.status) filters.status = String(raw.status);
	if (raw.updatedSince)
		filters.updatedSince = new Date(
			readDateParameter(this, raw.updatedSince, 'Updated Since', i),
		).toISOString();
	if (raw.includeRescreens !== true) return await listOrders.call(this, filters, limit);
	if (!filters.clientReference) {
		throw new NodeOperationError(this.getNode(), 'Include Re-Screens needs a Client Reference', {
			itemIndex: i,
			description: 'Add the Client Reference filter, or switch Include Re-Screens off.',
		});
	}
	const orders = await withRescreens(this, filters.clientReference);
	return orders.filter((order) => matches(order, filters)).slice(0, limit);
}

/** Re-screens of re-screens are followed this deep at most. */
const MAX_RESCREENS = 10;

/**
 * Every order of the reference and of its re-screens: one listing per
 * generation, each following the completed orders of the one before.
 */
async function withRescreens(ctx: IExecuteFunctions, reference: string): Promise<IDataObject[]> {
	const orders: IDataObject[] = [];
	let references = [reference];
	for (let generation = 0; generation <= MAX_RESCREENS && references.length > 0; generation++) {
		const found: IDataObject[] = [];
		for (const clientReference of references)
			found.push(...(await listOrders.call(ctx, { clientReference })));
		orders.push(...found);
		references = found
			.filter((order) => order.status === 'completed')
			.map((order) => rescreenReference(reference, String(order.id)));
	}
	return orders;
}

/** The Status and Updated Since filters, applied here when re-screens are followed. */
function matches(order: IDataObject, filters: OrderFilters): boolean {
	if (filters.status && order.status !== filters.status) return false;
	if (!filters.updatedSince) return true;
	return Date.parse(String(order.updatedAt)) >= Date.parse(filters.updatedSince);
}
