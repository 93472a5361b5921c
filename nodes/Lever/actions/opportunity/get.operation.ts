import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { httpStatusOf } from '../../../shared/request';
import { isPlainObject } from '../../../shared/objects';
import { readParameter } from '../../../shared/parameters';
import { currentStageId } from '../../../LeverTrigger/helpers/delivery';
import { opportunityIdField, optionsField } from '../../shared/descriptions';
import { leverApiRequest } from '../../shared/transport';
import { getOpportunityId, toRecords, toStringList, unwrapData } from '../../shared/utils';

export const expandOption: INodeProperties = {
	displayName: 'Expand',
	name: 'expand',
	type: 'multiOptions',
	default: [],
	description: 'Referenced records to return in full instead of as IDs',
	options: [
		{
			name: 'Applications',
			value: 'applications',
			description: 'Includes the posting the candidate applied to',
		},
		{ name: 'Contact', value: 'contact' },
		{ name: 'Followers', value: 'followers' },
		{ name: 'Owner', value: 'owner' },
		{ name: 'Sourced By', value: 'sourcedBy' },
		{ name: 'Stage', value: 'stage' },
	],
};

const properties: INodeProperties[] = [
	opportunityIdField,
	optionsField([
		expandOption,
		{
			displayName: 'Include Archive Reason',
			name: 'archiveReason',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the archive reason of an archived candidate as archiveReason (ID, text and type: hired or non-hired), read with one more request',
		},
		{
			displayName: 'Only If Still in the Stage',
			name: 'stillInStage',
			type: 'boolean',
			default: false,
			description:
				"Whether to output the opportunity only while it is in the stage the input item's toStageId names (a Lever Trigger stage change) and not archived, and nothing for the item otherwise. Lever does not sign a delivery's candidate, so this stops a replayed or stale delivery.",
		},
		{
			displayName: 'Skip If Tagged',
			name: 'skipTagged',
			type: 'string',
			typeOptions: { multipleValues: true },
			default: [],
			placeholder: 'e.g. Background Check:Ordered',
			description:
				'Output nothing for an opportunity that carries any of these tags, for example the status tags of a candidate already ordered',
		},
		{
			displayName: 'Unless Also Tagged',
			name: 'unlessTagged',
			type: 'string',
			typeOptions: { multipleValues: true },
			default: [],
			placeholder: 'e.g. Background Check:Completed',
			description:
				'Output the opportunity after all when it also carries one of these tags: with Background Check:Completed, a candidate screened before reaches the node that orders, which decides on a re-screen',
		},
		{
			displayName: 'Return Deleted Candidates',
			name: 'returnDeleted',
			type: 'boolean',
			default: false,
			description:
				'Whether an opportunity Lever no longer has (404) returns { ID, deleted: true } instead of failing, for example to confirm a Candidate Deleted event',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const options = readParameter(this, 'options', itemIndex, {}) as IDataObject;
	const expectedStage = options.stillInStage === true ? deliveredStageOf(this, itemIndex) : null;
	const expand = toStringList(options.expand);
	let opportunity: IDataObject;
	try {
		const response = await leverApiRequest.call(
			this,
			'GET',
			`/opportunities/${encodeURIComponent(opportunityId)}`,
			{ qs: expand.length ? { expand } : undefined },
		);
		opportunity = unwrapData(response) as IDataObject;
	} catch (error) {
		if (options.returnDeleted === true && httpStatusOf(error) === 404)
			return [{ id: opportunityId, deleted: true }];
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	if (expectedStage !== null && !stillInStage(opportunity, expectedStage)) return [];
	if (
		isTaggedWithAny(opportunity, toStringList(options.skipTagged)) &&
		!isTaggedWithAny(opportunity, toStringList(options.unlessTagged))
	)
		return [];
	if (options.archiveReason === true && isPlainObject(opportunity)) {
		opportunity.archiveReason = await archiveReasonOf.call(this, opportunity);
	}
	return toRecords(opportunity);
}

/** The toStageId of the input item (a Lever Trigger stage change), for Only If Still in the Stage. */
function deliveredStageOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const toStageId = ctx.getInputData()[itemIndex]?.json?.toStageId;
	if (typeof toStageId === 'string' && toStageId !== '') return toStageId;
	throw new NodeOperationError(ctx.getNode(), 'The input item has no toStageId', {
		itemIndex,
		description:
			'Only If Still in the Stage compares the opportunity with the stage a Lever Trigger stage change names: connect the Lever Trigger (event Candidate Stage Change), or switch the option off.',
	});
}

function stillInStage(opportunity: IDataObject, stageId: string): boolean {
	return (
		isPlainObject(opportunity) && currentStageId(opportunity) === stageId && !opportunity.archived
	);
}

function isTaggedWithAny(opportunity: IDataObject, tags: string[]): boolean {
	const current =
		isPlainObject(opportunity) && Array.isArray(opportunity.tags) ? opportunity.tags : [];
	return tags.some((tag) => current.includes(tag));
}

/** GET /archive_reasons/:id for an archived opportunity; null when it is not archived. */
async function archiveReasonOf(
	this: IExecuteFunctions,
	opportunity: IDataObject,
): Promise<IDataObject | null> {
	const archived = opportunity.archived;
	const reasonId = isPlainObject(archived) ? archived.reason : undefined;
	if (typeof reasonId !== 'string' || reasonId === '') return null;
	const response = await leverApiRequest.call(
		this,
		'GET',
		`/archive_reasons/${encodeURIComponent(reasonId)}`,
	);
	const reason = unwrapData(response);
	// Never guess: a reason of unknown type could cancel a hired candidate's screening.
	if (!isPlainObject(reason) || typeof reason.type !== 'string') {
		throw new NodeOperationError(
			this.getNode(),
			`Lever answered GET /archive_reasons/${reasonId} without the reason's type`,
			{
				description:
					'Check that the credential may read archive reasons (archive_reasons:read:admin).',
			},
		);
	}
	return reason;
}
