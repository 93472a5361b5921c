import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { orderIdField } from '../../shared/descriptions';
import { getOrder } from '../../shared/api';
import { getOrderId } from '../../shared/utils';
import type { ItemOutput } from '../../../shared/operation';

const properties: INodeProperties[] = [orderIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['get'] } },
	properties,
);

/** GET /v1/orders/{id} */
export async function execute(this: IExecuteFunctions, i: number): Promise<ItemOutput> {
	const orderId = getOrderId(this, i);
	return await getOrder.call(this, orderId);
}
