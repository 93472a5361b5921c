import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['package'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the screening packages of your Proforma account',
				action: 'Get many packages',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
