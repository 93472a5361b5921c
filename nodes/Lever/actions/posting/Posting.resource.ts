import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['posting'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a job posting',
				action: 'Get a posting',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many job postings',
				action: 'Get many postings',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
];
