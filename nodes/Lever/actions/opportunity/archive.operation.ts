import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	archiveReasonLocatorField,
	opportunityIdField,
	optionsField,
	performAsField,
} from '../../shared/descriptions';
import { leverApiRequest } from '../../shared/transport';
import {
	getOpportunityId,
	getPerformAs,
	getRequiredId,
	performAsQuery,
	returnedOpportunity,
} from '../../shared/utils';

const properties: INodeProperties[] = [
	opportunityIdField,
	archiveReasonLocatorField,
	performAsField,
	optionsField([
		{
			displayName: 'Clean Interviews',
			name: 'cleanInterviews',
			type: 'boolean',
			default: false,
			description: 'Whether to remove pending interviews and interview panels when archiving',
		},
		{
			displayName: 'Requisition ID',
			name: 'requisitionId',
			type: 'string',
			default: '',
			description: 'For a hired reason: the requisition the candidate was hired against',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['archive'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const reason = getRequiredId.call(
		this,
		'archiveReason',
		'Archive Reason',
		itemIndex,
		'Pick an archive reason from the list (Lever: Settings > Pipeline and archive reasons).',
	);
	const performAs = getPerformAs.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = { reason };
	if (options.cleanInterviews === true) body.cleanInterviews = true;
	const requisitionId =
		typeof options.requisitionId === 'string' ? options.requisitionId.trim() : '';
	if (requisitionId) body.requisitionId = requisitionId;
	const response = await leverApiRequest.call(
		this,
		'PUT',
		`/opportunities/${encodeURIComponent(opportunityId)}/archived`,
		{ qs: performAsQuery(performAs), body },
	);
	return [
		returnedOpportunity(response) ?? {
			success: true,
			opportunityId,
			archived: true,
			archiveReason: reason,
		},
	];
}
