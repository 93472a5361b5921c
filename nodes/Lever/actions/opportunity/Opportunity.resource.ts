import type { INodeProperties } from 'n8n-workflow';

import * as addTags from './addTags.operation';
import * as archive from './archive.operation';
import * as changeStage from './changeStage.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as removeTags from './removeTags.operation';
import * as unarchive from './unarchive.operation';

export { addTags, archive, changeStage, get, getAll, removeTags, unarchive };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['opportunity'] } },
		options: [
			{
				name: 'Add Tags',
				value: 'addTags',
				description: 'Add tags to an opportunity',
				action: 'Add tags to an opportunity',
			},
			{
				name: 'Archive',
				value: 'archive',
				description: 'Archive an opportunity with a reason',
				action: 'Archive an opportunity',
			},
			{
				name: 'Change Stage',
				value: 'changeStage',
				description: 'Move an opportunity to another pipeline stage',
				action: 'Change the stage of an opportunity',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an opportunity',
				action: 'Get an opportunity',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many opportunities',
				action: 'Get many opportunities',
			},
			{
				name: 'Remove Tags',
				value: 'removeTags',
				description: 'Remove tags from an opportunity',
				action: 'Remove tags from an opportunity',
			},
			{
				name: 'Unarchive',
				value: 'unarchive',
				description: 'Restore an archived opportunity',
				action: 'Unarchive an opportunity',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
	...addTags.description,
	...removeTags.description,
	...changeStage.description,
	...archive.description,
	...unarchive.description,
];
