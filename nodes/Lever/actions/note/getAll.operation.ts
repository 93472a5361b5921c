import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { opportunityIdField, returnAllAndLimit } from '../../shared/descriptions';
import { leverApiRequestAllItems } from '../../shared/transport';
import { getOpportunityId } from '../../shared/utils';

const properties: INodeProperties[] = [opportunityIdField, ...returnAllAndLimit()];

export const description = updateDisplayOptions(
	{ show: { resource: ['note'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return await leverApiRequestAllItems.call(
		this,
		`/opportunities/${encodeURIComponent(opportunityId)}/notes`,
		{},
		limit,
	);
}
