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
		description: `${tagsField.description} Tags that do not exist in Lever yet are created.`,
	},
	performAsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['addTags'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const tags = getTags.call(this, itemIndex, 'add');
	const performAs = getPerformAs.call(this, itemIndex);
	const response = await leverApiRequest.call(
		this,
		'POST',
		`/opportunities/${encodeURIComponent(opportunityId)}/addTags`,
		{
			qs: performAsQuery(performAs),
			body: { tags },
		},
	);
	return [returnedOpportunity(response) ?? { success: true, opportunityId, addedTags: tags }];
}
