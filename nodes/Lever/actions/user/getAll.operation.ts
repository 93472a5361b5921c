import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllAndLimit } from '../../shared/descriptions';
import { leverApiRequestAllItems } from '../../shared/transport';

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
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. name@example.com',
				default: '',
				description:
					'Only the user with this exact email, for example to find the ID for Perform As',
			},
			{
				displayName: 'Include Deactivated',
				name: 'includeDeactivated',
				type: 'boolean',
				default: false,
				description: 'Whether to include deactivated users',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const email = typeof filters.email === 'string' ? filters.email.trim() : '';
	if (email) qs.email = email;
	if (filters.includeDeactivated === true) qs.includeDeactivated = true;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return await leverApiRequestAllItems.call(this, '/users', qs, limit);
}
