import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readParameter } from '../../shared/parameters';

/**
 * Input checks and small conversions shared by the Lever operations. Every
 * check runs before any request is sent, so bad input never reaches Lever.
 */

/** Per-execution memo (one `execute()` call); never module-level. */
export interface LeverExecutionState {
	/** Stage ids and names of the account, fetched once per execution when needed. */
	stages?: IDataObject[];
}

/** Lever candidate URLs look like https://hire.lever.co/candidates/<opportunity id>. */
const CANDIDATE_URL = /\/candidates\/([A-Za-z0-9-]+)/;

function operationError(
	node: INode,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(node, message, { itemIndex, description });
}

/** The opportunity id of an item: trimmed, taken out of a Lever candidate URL if one was given. */
export function getOpportunityId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = readParameter(this, 'opportunityId', itemIndex, '');
	if (raw !== null && typeof raw === 'object') {
		throw operationError(
			this.getNode(),
			itemIndex,
			'Opportunity ID must be text, not an object',
			'Map the id field itself, for example {{ $json.opportunityId }} or {{ $json.id }}, not the whole record.',
		);
	}
	const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	const fromUrl = CANDIDATE_URL.exec(text);
	const id = fromUrl ? fromUrl[1] : text;
	if (!id) {
		throw operationError(
			this.getNode(),
			itemIndex,
			'Opportunity ID is empty',
			'Set "Opportunity ID", for example by mapping {{ $json.opportunityId }} from the Lever Trigger, or paste the candidate URL from Lever.',
		);
	}
	if (/[/?#\s]/.test(id)) {
		throw operationError(
			this.getNode(),
			itemIndex,
			`Opportunity ID "${id}" is not a Lever id`,
			'A Lever opportunity id looks like 250d8f03-738a-4bba-a671-8a3d73477145 (no spaces or slashes). Map the id itself, not the whole candidate object.',
		);
	}
	return id;
}

/** A required id from a resource locator or string parameter, trimmed. */
export function getRequiredId(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	hint: string,
): string {
	const raw = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!id) {
		throw operationError(this.getNode(), itemIndex, `${label} is empty`, hint);
	}
	return id;
}

/** The optional "Perform As" user id, or undefined when not set. */
export function getPerformAs(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const raw = this.getNodeParameter('performAs', itemIndex, '', { extractValue: true }) as unknown;
	const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	return id || undefined;
}

/** Query string with `perform_as` when a user was picked. */
export function performAsQuery(performAs: string | undefined): IDataObject {
	return performAs ? { perform_as: performAs } : {};
}

/**
 * Normalises a list of tags. Accepts the multiple-values array the UI gives,
 * nested arrays from expressions, a JSON array string, or a single string.
 * Blank entries are dropped; every other entry is kept exactly as typed
 * (colons, spaces and case included), because Lever matches tags verbatim.
 */
export function normalizeTags(value: unknown): string[] {
	const out: string[] = [];
	const visit = (entry: unknown): void => {
		if (entry === undefined || entry === null) return;
		if (Array.isArray(entry)) {
			entry.forEach(visit);
			return;
		}
		if (typeof entry === 'object') {
			// A fixed-collection style entry such as { tag: 'x' } or { value: 'x' }.
			const record = entry as IDataObject;
			visit(record.tag ?? record.value ?? record.text);
			return;
		}
		const text = String(entry);
		if (text.trim() === '') return;
		out.push(text);
	};
	if (typeof value === 'string' && value.trim().startsWith('[')) {
		try {
			visit(JSON.parse(value));
			return out;
		} catch {
			// Not JSON: a tag that happens to start with "[". Keep it verbatim.
			out.length = 0;
		}
	}
	visit(value);
	return out;
}

/** The `tags` parameter of an item, with at least one tag. */
export function getTags(
	this: IExecuteFunctions,
	itemIndex: number,
	verb: 'add' | 'remove',
): string[] {
	const tags = normalizeTags(readParameter(this, 'tags', itemIndex, []));
	if (tags.length === 0) {
		throw operationError(
			this.getNode(),
			itemIndex,
			`No tags to ${verb}: the Tags list is empty`,
			'Add at least one tag, for example "Background Check:Ordered". Blank entries are ignored.',
		);
	}
	return tags;
}

/** A list parameter (multi-options or expression) as an array of non-blank strings. */
export function toStringList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : String(value).split(',');
	return list.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}

/** Lever's `data` (object or list) out of a response envelope. */
export function unwrapData(response: unknown): unknown {
	if (response && typeof response === 'object' && 'data' in (response as IDataObject)) {
		return (response as IDataObject).data;
	}
	return response;
}

/** The opportunity Lever returned from a write, if it returned one. */
export function returnedOpportunity(response: unknown): IDataObject | undefined {
	const data = unwrapData(response);
	if (
		data &&
		typeof data === 'object' &&
		!Array.isArray(data) &&
		typeof (data as IDataObject).id === 'string'
	) {
		return data as IDataObject;
	}
	return undefined;
}

/** Records of a list response (one output item each). */
export function toRecords(data: unknown): IDataObject[] {
	if (Array.isArray(data))
		return data.filter((entry) => entry && typeof entry === 'object') as IDataObject[];
	if (data && typeof data === 'object') return [data as IDataObject];
	return [];
}
