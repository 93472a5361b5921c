import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import {
	leverApiRequest,
	leverApiRequestAllItems,
	type LeverListResponse,
} from '../shared/transport';

/**
 * Pickers for the resource locators. Lever has no text search on these lists,
 * so without a filter a page of 100 is shown (more on scroll); with a filter
 * the list is fetched (bounded) and matched on name and id.
 */

/** Most records a filtered search reads (stages, postings and users are small lists). */
const MAX_SEARCHED = 2000;

type ToItem = (record: IDataObject) => INodeListSearchItems | undefined;

function matches(item: INodeListSearchItems, filter: string): boolean {
	const needle = filter.toLowerCase();
	return (
		item.name.toLowerCase().includes(needle) || String(item.value).toLowerCase().includes(needle)
	);
}

async function searchList(
	ctx: ILoadOptionsFunctions,
	endpoint: string,
	qs: IDataObject,
	toItem: ToItem,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const convert = (records: IDataObject[]) =>
		records.map(toItem).filter((item): item is INodeListSearchItems => item !== undefined);
	const wanted = filter?.trim();
	if (wanted) {
		const records = await leverApiRequestAllItems.call(ctx, endpoint, qs, MAX_SEARCHED);
		return { results: convert(records).filter((item) => matches(item, wanted)) };
	}
	const page = (await leverApiRequest.call(ctx, 'GET', endpoint, {
		qs: { ...qs, limit: 100, ...(paginationToken ? { offset: paginationToken } : {}) },
	})) as LeverListResponse;
	const records = Array.isArray(page?.data) ? page.data : [];
	return {
		results: convert(records),
		paginationToken: page?.hasNext && page.next ? page.next : undefined,
	};
}

const stageItem: ToItem = (stage) =>
	stage.id ? { name: String(stage.text ?? stage.id), value: String(stage.id) } : undefined;

const userItem: ToItem = (user) =>
	user.id
		? {
				name: user.email
					? `${String(user.name ?? user.email)} (${String(user.email)})`
					: String(user.name ?? user.id),
				value: String(user.id),
			}
		: undefined;

const postingItem: ToItem = (posting) => {
	if (!posting.id) return undefined;
	const categories = (posting.categories ?? {}) as IDataObject;
	const details = [categories.location, posting.state].filter(
		(part) => typeof part === 'string' && part,
	);
	const urls = (posting.urls ?? {}) as IDataObject;
	return {
		name: `${String(posting.text ?? posting.id)}${details.length ? ` (${details.join(', ')})` : ''}`,
		value: String(posting.id),
		url: typeof urls.show === 'string' ? urls.show : undefined,
	};
};

const archiveReasonItem: ToItem = (reason) => {
	// Inactive reasons can no longer be used to archive.
	if (!reason.id || reason.status === 'inactive') return undefined;
	return {
		name: `${String(reason.text ?? reason.id)}${reason.type ? ` (${String(reason.type)})` : ''}`,
		value: String(reason.id),
	};
};

export async function searchStages(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, '/stages', {}, stageItem, filter, paginationToken);
}

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, '/users', {}, userItem, filter, paginationToken);
}

export async function searchPostings(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, '/postings', {}, postingItem, filter, paginationToken);
}

export async function searchArchiveReasons(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, '/archive_reasons', {}, archiveReasonItem, filter, paginationToken);
}
