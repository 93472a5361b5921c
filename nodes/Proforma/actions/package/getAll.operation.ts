import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listPackages } from '../../shared/api';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['package'], operation: ['getAll'] } },
	properties,
);

/** GET /v1/packages: one output item per package. */
export async function execute(this: IExecuteFunctions): Promise<IDataObject[]> {
	return await listPackages.call(this);
}
