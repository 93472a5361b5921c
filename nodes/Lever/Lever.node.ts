import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as note from './actions/note/Note.resource';
import * as opportunity from './actions/opportunity/Opportunity.resource';
import * as posting from './actions/posting/Posting.resource';
import { router } from './actions/router';
import * as stage from './actions/stage/Stage.resource';
import * as tag from './actions/tag/Tag.resource';
import * as user from './actions/user/User.resource';
import { listSearch, loadOptions } from './methods';
import { authenticationField, leverApiCredentials } from './shared/descriptions';

/**
 * Lever actions: read, tag, note, move and archive candidates (opportunities),
 * and list stages, postings, tags and users. The class only describes the node;
 * `actions/router.ts` runs the operations.
 */
export class Lever implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lever',
		name: 'lever',
		icon: { light: 'file:../../icons/lever.svg', dark: 'file:../../icons/lever.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Tag, note, move and read candidates in Lever',
		defaults: {
			name: 'Lever',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: leverApiCredentials,
		properties: [
			authenticationField(),
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Note', value: 'note' },
					{ name: 'Opportunity', value: 'opportunity' },
					{ name: 'Posting', value: 'posting' },
					{ name: 'Stage', value: 'stage' },
					{ name: 'Tag', value: 'tag' },
					{ name: 'User', value: 'user' },
				],
				default: 'opportunity',
			},
			...opportunity.description,
			...note.description,
			...stage.description,
			...posting.description,
			...tag.description,
			...user.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
