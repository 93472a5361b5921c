import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listPackages } from '../shared/api';

/** Package picker: GET /v1/packages, filtered by code or name. */
export async function getPackages(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const packages = await listPackages.call(this);
	const wanted = (filter ?? '').trim().toLowerCase();
	return {
		results: packages
			.filter(
				(p) =>
					!wanted ||
					p.code.toLowerCase().includes(wanted) ||
					String(p.name).toLowerCase().includes(wanted),
			)
			.map((p) => ({
				name: `${p.name} (${p.code})`,
				value: p.code,
				description: p.description ?? undefined,
			})),
	};
}
