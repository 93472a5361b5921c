import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { leverApiRequestAllItems } from '../shared/transport';

/**
 * Options for the multi-select filters of Opportunity > Get Many and the
 * Lever Trigger's stage filters. Stages keep Lever's pipeline order; postings
 * are sorted by title.
 */

const MAX_OPTIONS = 2000;

/** Records with a string id as options, named by their text (the id when it has none). */
function toOptions(records: IDataObject[]): INodePropertyOptions[] {
	return records
		.filter((record) => typeof record.id === 'string' && record.id !== '')
		.map((record) => ({
			name: typeof record.text === 'string' && record.text !== '' ? record.text : String(record.id),
			value: String(record.id),
		}));
}

export async function getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return toOptions(await leverApiRequestAllItems.call(this, '/stages', {}, MAX_OPTIONS));
}

export async function getPostings(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options = toOptions(await leverApiRequestAllItems.call(this, '/postings', {}, MAX_OPTIONS));
	return options.sort((a, b) => a.name.localeCompare(b.name));
}
