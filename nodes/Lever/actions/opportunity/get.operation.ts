import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { opportunityIdField } from '../../shared/descriptions';
import { leverApiRequest } from '../../shared/transport';
import { getOpportunityId, toRecords, toStringList, unwrapData } from '../../shared/utils';

export const expandOption: INodeProperties = {
	displayName: 'Expand',
	name: 'expand',
	type: 'multiOptions',
	default: [],
	description: 'Referenced records to return in full instead of as IDs',
	options: [
		{
			name: 'Applications',
			value: 'applications',
			description: 'Includes the posting the candidate applied to',
		},
		{ name: 'Contact', value: 'contact' },
		{ name: 'Followers', value: 'followers' },
		{ name: 'Owner', value: 'owner' },
		{ name: 'Sourced By', value: 'sourcedBy' },
		{ name: 'Stage', value: 'stage' },
	],
};

const properties: INodeProperties[] = [
	opportunityIdField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [expandOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const expand = toStringList(options.expand);
	const response = await leverApiRequest.call(
		this,
		'GET',
		`/opportunities/${encodeURIComponent(opportunityId)}`,
		{
			qs: expand.length ? { expand } : undefined,
		},
	);
	return toRecords(unwrapData(response));
}
