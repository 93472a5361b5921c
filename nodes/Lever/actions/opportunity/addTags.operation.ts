import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readParameter } from '../../../shared/parameters';
import {
	opportunityIdField,
	performAsField,
	tagsField,
	optionsField,
} from '../../shared/descriptions';
import { toStringList } from '../../shared/utils';
import { changeTags } from './tags';

const properties: INodeProperties[] = [
	opportunityIdField,
	{
		...tagsField,
		description: `${tagsField.description} Tags that do not exist in Lever yet are created.`,
	},
	performAsField,
	optionsField([
		{
			displayName: 'Then Remove If Present',
			name: 'removeIfPresent',
			type: 'string',
			typeOptions: { multipleValues: true },
			default: [],
			placeholder: 'e.g. Background Check:Error',
			description:
				'Tags to remove once the tags are added, if the opportunity carries any of them (one more request, only then), for example an Error tag that an order placed since makes stale',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['addTags'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const added = await changeTags(this, itemIndex, 'add');
	const options = readParameter(this, 'options', itemIndex, {}) as IDataObject;
	const stale = presentTags(added[0], toStringList(options.removeIfPresent));
	if (stale.length === 0) return added;
	return await changeTags(this, itemIndex, 'remove', stale);
}

/** Which of `tags` the opportunity Lever returned carries. */
function presentTags(opportunity: IDataObject | undefined, tags: string[]): string[] {
	const current = Array.isArray(opportunity?.tags) ? opportunity.tags : [];
	return tags.filter((tag) => current.includes(tag));
}
