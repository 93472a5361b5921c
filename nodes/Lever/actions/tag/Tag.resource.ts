import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tag'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the tags used in the account, with how many candidates carry each',
				action: 'Get many tags',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
