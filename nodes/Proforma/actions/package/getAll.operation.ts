import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listPackages } from '../../shared/transport';
import { forEachItem } from '../../shared/utils';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['package'], operation: ['getAll'] } },
	properties,
);

/** GET /v1/packages: one output item per package. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async () => await listPackages.call(this));
}
