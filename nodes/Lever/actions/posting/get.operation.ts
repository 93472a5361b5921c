import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { postingLocatorField } from '../../shared/descriptions';
import { leverApiRequest } from '../../shared/transport';
import { getRequiredId, toRecords, unwrapData } from '../../shared/utils';

const properties: INodeProperties[] = [postingLocatorField];

export const description = updateDisplayOptions(
	{ show: { resource: ['posting'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const postingId = getRequiredId.call(
		this,
		'postingId',
		'Posting',
		itemIndex,
		'Pick a posting from the list, or map a posting ID (for example from an opportunity fetched with Expand: Applications).',
	);
	const response = await leverApiRequest.call(
		this,
		'GET',
		`/postings/${encodeURIComponent(postingId)}`,
	);
	return toRecords(unwrapData(response));
}
