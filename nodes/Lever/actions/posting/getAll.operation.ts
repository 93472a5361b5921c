import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllAndLimit } from '../../shared/descriptions';
import { leverApiRequestAllItems } from '../../shared/transport';
import { normalizeTags } from '../../shared/utils';

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'State',
				name: 'state',
				type: 'options',
				default: 'published',
				options: [
					{ name: 'Closed', value: 'closed' },
					{ name: 'Draft', value: 'draft' },
					{ name: 'Internal', value: 'internal' },
					{ name: 'Pending', value: 'pending' },
					{ name: 'Published', value: 'published' },
					{ name: 'Rejected', value: 'rejected' },
				],
				description: 'Only postings in this state',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Tag' },
				default: [],
				placeholder: 'e.g. Background Check:Standard',
				description: 'Only postings with any of these tags (exact, case-sensitive match)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['posting'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (typeof filters.state === 'string' && filters.state) qs.state = filters.state;
	const tags = normalizeTags(filters.tags);
	if (tags.length) qs.tag = tags;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return await leverApiRequestAllItems.call(this, '/postings', qs, limit);
}
