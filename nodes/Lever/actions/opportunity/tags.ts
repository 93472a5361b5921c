import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { leverApiRequest } from '../../shared/transport';
import {
	getOpportunityId,
	getPerformAs,
	getTags,
	performAsQuery,
	returnedOpportunity,
} from '../../shared/utils';

/** Add Tags and Remove Tags: the same request to Lever's addTags / removeTags. */
export async function changeTags(
	ctx: IExecuteFunctions,
	itemIndex: number,
	change: 'add' | 'remove',
	tagsToChange?: string[],
): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(ctx, itemIndex);
	const tags = tagsToChange ?? getTags.call(ctx, itemIndex, change);
	const performAs = getPerformAs.call(ctx, itemIndex);
	const response = await leverApiRequest.call(
		ctx,
		'POST',
		`/opportunities/${encodeURIComponent(opportunityId)}/${change}Tags`,
		{ qs: performAsQuery(performAs), body: { tags } },
	);
	const fallback = {
		success: true,
		opportunityId,
		[`${change === 'add' ? 'added' : 'removed'}Tags`]: tags,
	};
	return [returnedOpportunity(response) ?? fallback];
}
