import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getMany from './getMany.operation';

export { create, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['note'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add a note to an opportunity',
				action: 'Create a note',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the notes of an opportunity',
				action: 'Get many notes',
			},
		],
		default: 'create',
	},
	...create.description,
	...getMany.description,
];
