import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { orderIdField } from '../../shared/descriptions';
import { getReportLink } from '../../shared/api';
import { getOrderId } from '../../shared/utils';
import type { ItemOutput } from '../../../shared/operation';

const properties: INodeProperties[] = [orderIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['report'], operation: ['getLink'] } },
	properties,
);

/**
 * GET /v1/orders/{id}/report: {orderId, status, result, url, completedAt}.
 * The URL is a stable link into Proforma's portal (the reader logs in there).
 * Before completion Proforma answers 409 report_not_ready, which fails the
 * item with a clear message (or becomes an error item with Continue On Fail).
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<ItemOutput> {
	const orderId = getOrderId(this, i);
	return await getReportLink.call(this, orderId);
}
