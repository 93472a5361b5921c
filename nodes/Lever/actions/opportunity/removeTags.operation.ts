import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { opportunityIdField, performAsField, tagsField } from '../../shared/descriptions';
import { leverApiRequest } from '../../shared/transport';
import {
	getOpportunityId,
	getPerformAs,
	getTags,
	performAsQuery,
	returnedOpportunity,
} from '../../shared/utils';

const properties: INodeProperties[] = [
	opportunityIdField,
	{
		...tagsField,
		description: `${tagsField.description} Tags the opportunity does not have are ignored.`,
	},
	performAsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['removeTags'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const tags = getTags.call(this, itemIndex, 'remove');
	const performAs = getPerformAs.call(this, itemIndex);
	const response = await leverApiRequest.call(
		this,
		'POST',
		`/opportunities/${encodeURIComponent(opportunityId)}/removeTags`,
		{ qs: performAsQuery(performAs), body: { tags } },
	);
	return [returnedOpportunity(response) ?? { success: true, opportunityId, removedTags: tags }];
}
