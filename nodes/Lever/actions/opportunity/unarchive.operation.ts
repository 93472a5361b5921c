import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { opportunityIdField, performAsField } from '../../shared/descriptions';
import { leverApiRequest } from '../../shared/transport';
import {
	getOpportunityId,
	getPerformAs,
	performAsQuery,
	returnedOpportunity,
} from '../../shared/utils';

const properties: INodeProperties[] = [opportunityIdField, performAsField];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['unarchive'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const performAs = getPerformAs.call(this, itemIndex);
	// Lever unarchives when the reason is null.
	const response = await leverApiRequest.call(
		this,
		'PUT',
		`/opportunities/${encodeURIComponent(opportunityId)}/archived`,
		{ qs: performAsQuery(performAs), body: { reason: null } },
	);
	return [returnedOpportunity(response) ?? { success: true, opportunityId, archived: false }];
}
