import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { orderIdField } from '../../shared/descriptions';
import { resendInvitation } from '../../shared/api';
import { getOrderId } from '../../shared/utils';
import type { ItemOutput } from '../../../shared/operation';

const properties: INodeProperties[] = [orderIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['resendInvitation'] } },
	properties,
);

/**
 * POST /v1/orders/{id}/invitation/resend (409 unless invited or expired; an
 * expired order gets a new invitation and goes back to invited).
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<ItemOutput> {
	const orderId = getOrderId(this, i);
	return await resendInvitation.call(this, orderId);
}
