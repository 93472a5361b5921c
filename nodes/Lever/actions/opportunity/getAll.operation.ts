import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { optionsField, returnAllAndLimit } from '../../shared/descriptions';
import { leverApiRequestAllItems } from '../../shared/transport';
import { readDateParameter } from '../../../shared/dates';
import { normalizeTags, toStringList } from '../../shared/utils';
import { expandOption } from './get.operation';

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
				displayName: 'Archived',
				name: 'archived',
				type: 'boolean',
				default: false,
				description: 'Whether to return only archived opportunities (on) or only active ones (off)',
			},
			{
				displayName: 'Confidentiality',
				name: 'confidentiality',
				type: 'options',
				default: 'non-confidential',
				options: [
					{
						name: 'All',
						value: 'all',
						description: 'Confidential and non-confidential opportunities',
					},
					{
						name: 'Confidential',
						value: 'confidential',
						description: 'Only opportunities on confidential postings',
					},
					{
						name: 'Non-Confidential',
						value: 'non-confidential',
						description:
							"Only non-confidential opportunities (Lever's default without this filter)",
					},
				],
				description:
					'Which opportunities to return; confidential ones need a key or OAuth grant with confidential access',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. name@example.com',
				default: '',
				description: 'Only opportunities with this contact email',
			},
			{
				displayName: 'Posting Names or IDs',
				name: 'postingIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getPostings' },
				default: [],
				description:
					'Only opportunities that applied to one of these postings. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Stage Names or IDs',
				name: 'stageIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getStages' },
				default: [],
				description:
					'Only opportunities in one of these stages. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Tag' },
				default: [],
				placeholder: 'e.g. Background Check:Ordered',
				description: 'Only opportunities with any of these tags (exact, case-sensitive match)',
			},
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Only opportunities updated at or after this time',
			},
		],
	},
	optionsField([expandOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['getAll'] } },
	properties,
);

/** Values Lever accepts for `confidentiality` on GET /opportunities. */
const CONFIDENTIALITY = ['non-confidential', 'confidential', 'all'];

/** Lever's query string for the chosen filters (array values become repeated keys). */
export function opportunityFilterQuery(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const tags = normalizeTags(filters.tags);
	if (tags.length) qs.tag = tags;
	const stageIds = toStringList(filters.stageIds);
	if (stageIds.length) qs.stage_id = stageIds;
	const postingIds = toStringList(filters.postingIds);
	if (postingIds.length) qs.posting_id = postingIds;
	const email = typeof filters.email === 'string' ? filters.email.trim() : '';
	if (email) qs.email = email;
	if (typeof filters.archived === 'boolean') qs.archived = filters.archived;
	else if (filters.archived === 'true' || filters.archived === 'false')
		qs.archived = filters.archived === 'true';
	if (
		filters.confidentiality !== undefined &&
		filters.confidentiality !== null &&
		filters.confidentiality !== ''
	) {
		const confidentiality = String(filters.confidentiality).trim().toLowerCase();
		if (!CONFIDENTIALITY.includes(confidentiality)) {
			throw new NodeOperationError(
				this.getNode(),
				`Confidentiality "${String(filters.confidentiality)}" is not allowed`,
				{
					itemIndex,
					description: 'Use non-confidential, confidential or all.',
				},
			);
		}
		qs.confidentiality = confidentiality;
	}
	if (
		filters.updatedSince !== undefined &&
		filters.updatedSince !== '' &&
		filters.updatedSince !== null
	) {
		qs.updated_at_start = readDateParameter(this, filters.updatedSince, 'Updated Since', itemIndex);
	}
	const expand = toStringList(options.expand);
	if (expand.length) qs.expand = expand;
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const qs = opportunityFilterQuery.call(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return await leverApiRequestAllItems.call(this, '/opportunities', qs, limit);
}
