import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { orderIdField } from '../../shared/descriptions';
import { cancelOrder } from '../../shared/api';
import { getOrderId } from '../../shared/utils';
import type { ItemOutput } from '../../../shared/operation';

const properties: INodeProperties[] = [orderIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['cancel'] } },
	properties,
);

/** POST /v1/orders/{id}/cancel (409 when the order is already completed). */
export async function execute(this: IExecuteFunctions, i: number): Promise<ItemOutput> {
	const orderId = getOrderId(this, i);
	return await cancelOrder.call(this, orderId);
}
