import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { opportunityIdField, performAsField, tagsField } from '../../shared/descriptions';
import { changeTags } from './tags';

const properties: INodeProperties[] = [
	opportunityIdField,
	{
		...tagsField,
		description: `${tagsField.description} Tags that do not exist in Lever yet are created.`,
	},
	performAsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['addTags'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await changeTags(this, itemIndex, 'add');
}
