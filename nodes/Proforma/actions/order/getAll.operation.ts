import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllAndLimit } from '../../../shared/descriptions';
import { listOrders, ORDER_STATUSES, type OrderFilters } from '../../shared/api';
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
	return await listOrders.call(this, filters, limit);
}
