import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['stage'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the pipeline stages of the account',
				action: 'Get many stages',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
