import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { opportunityIdField, performAsField } from '../../shared/descriptions';
import { asNodeError } from '../../../shared/errors';
import { httpStatusOf } from '../../../shared/request';
import { leverApiRequest, leverApiRequestAllItems } from '../../shared/transport';
import { getOpportunityId, getPerformAs, performAsQuery, unwrapData } from '../../shared/utils';

const properties: INodeProperties[] = [
	opportunityIdField,
	{
		displayName: 'Note',
		name: 'value',
		type: 'string',
		required: true,
		typeOptions: { rows: 4 },
		default: '',
		description: 'Text of the note. @username mentions notify those Lever users.',
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'boolean',
		default: false,
		description:
			'Whether only users with Sensitive Information Privileges for the posting, @-mentioned users and Super Admins can see the note',
	},
	performAsField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Notify Followers',
				name: 'notifyFollowers',
				type: 'boolean',
				default: false,
				description: "Whether to notify the opportunity's followers about the note",
			},
			{
				displayName: 'Post Once Per Key',
				name: 'onceKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.orderId }}',
				description:
					'Text in the note that identifies it, such as an order ID: a note containing it is posted only once (see the docs)',
			},
			{
				displayName: 'Look Before Posting',
				name: 'lookBeforePosting',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the notes before posting (Post Once Per Key). Off saves a call on every first post; a repeat is then posted, found and deleted again.',
			},
			{
				displayName: 'Score',
				name: 'score',
				type: 'options',
				default: 3,
				description: 'Score attached to the note',
				options: [
					{ name: '1 - Strong No', value: 1 },
					{ name: '2 - No', value: 2 },
					{ name: '3 - Yes', value: 3 },
					{ name: '4 - Strong Yes', value: 4 },
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['note'], operation: ['create'] } },
	properties,
);

/** A boolean parameter that an expression may have turned into "true"/"false". */
function toBoolean(value: unknown): boolean {
	return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

function parseScore(this: IExecuteFunctions, raw: unknown, itemIndex: number): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const score = typeof raw === 'number' ? raw : Number(String(raw).trim());
	if (!Number.isInteger(score) || score < 1 || score > 4) {
		throw new NodeOperationError(this.getNode(), `Score "${String(raw)}" is not allowed`, {
			itemIndex,
			description:
				'Lever scores are whole numbers from 1 (Strong No) to 4 (Strong Yes). Remove the Score field for a note without a score.',
		});
	}
	return score;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const value = this.getNodeParameter('value', itemIndex, '') as unknown;
	const text =
		typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
	if (text.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'Note is empty', {
			itemIndex,
			description: 'Write the note text (or map it from an earlier node); Lever requires a value.',
		});
	}
	const secret = toBoolean(this.getNodeParameter('secret', itemIndex, false));
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const score = parseScore.call(this, additionalFields.score, itemIndex);
	const performAs = getPerformAs.call(this, itemIndex);

	const body: IDataObject = { value: text, secret };
	if (score !== undefined) body.score = score;
	if (additionalFields.notifyFollowers !== undefined)
		body.notifyFollowers = toBoolean(additionalFields.notifyFollowers);

	const onceKey = String(additionalFields.onceKey ?? '').trim();
	if (onceKey && !text.includes(onceKey)) {
		throw new NodeOperationError(
			this.getNode(),
			`The note does not contain its Post Once Per Key "${onceKey}"`,
			{
				itemIndex,
				description:
					'Put the key (for example the order ID) in the note text, so later runs can recognise the note.',
			},
		);
	}
	const notesPath = `/opportunities/${encodeURIComponent(opportunityId)}/notes`;
	if (onceKey && additionalFields.lookBeforePosting !== false) {
		const existing = await notesWithKey.call(this, notesPath, onceKey);
		if (existing.length > 0) {
			return [{ success: true, opportunityId, noteId: existing[0].id, alreadyPosted: true }];
		}
	}

	const response = await leverApiRequest.call(this, 'POST', notesPath, {
		qs: performAsQuery(performAs),
		body,
	});
	const data = unwrapData(response) as IDataObject | undefined;
	const result: IDataObject = {
		success: true,
		opportunityId,
		...(data && typeof data === 'object' ? data : {}),
	};
	if (onceKey && typeof result.noteId === 'string') {
		return [await keepEarliest.call(this, notesPath, onceKey, result)];
	}
	return [result];
}

/** Notes of the opportunity whose text contains `key`, earliest first (ties by id). */
async function notesWithKey(
	this: IExecuteFunctions,
	notesPath: string,
	key: string,
): Promise<IDataObject[]> {
	const notes = await leverApiRequestAllItems.call(this, notesPath);
	const text = (note: IDataObject) =>
		(Array.isArray(note.fields) ? (note.fields as IDataObject[]) : [])
			.map((field) => String(field.value ?? ''))
			.join('\n');
	return notes
		.filter((note) => note.deletedAt === undefined || note.deletedAt === null)
		.filter((note) => text(note).includes(key))
		.sort(
			(a, b) =>
				Number(a.createdAt ?? 0) - Number(b.createdAt ?? 0) ||
				String(a.id).localeCompare(String(b.id)),
		);
}

/**
 * Two runs can both find no note and both post one (duplicate callbacks arrive
 * together). Every run then lists the notes again, keeps the earliest and
 * deletes the other copies: all runs agree on which one that is, so exactly one
 * note survives without any shared state between executions, also when an
 * earlier run died between its post and its clean-up (a killed worker, an
 * outage): the next run removes that run's copy too.
 */
async function keepEarliest(
	this: IExecuteFunctions,
	notesPath: string,
	key: string,
	posted: IDataObject,
): Promise<IDataObject> {
	const [earliest, ...later] = await notesWithKey.call(this, notesPath, key);
	for (const copy of later)
		await deleteNote.call(this, `${notesPath}/${encodeURIComponent(String(copy.id))}`);
	if (!earliest || earliest.id === posted.noteId) return posted;
	return {
		success: true,
		opportunityId: posted.opportunityId,
		noteId: earliest.id,
		alreadyPosted: true,
	};
}

/** Deletes a note; one a concurrent run deleted first (404) is just as gone. */
async function deleteNote(this: IExecuteFunctions, notePath: string): Promise<void> {
	try {
		await leverApiRequest.call(this, 'DELETE', notePath);
	} catch (error) {
		if (httpStatusOf(error) !== 404) throw asNodeError(this.getNode(), error);
	}
}
