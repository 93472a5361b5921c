import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { httpStatusOf } from '../../../shared/request';
import { isPlainObject } from '../../../shared/objects';
import { opportunityIdField } from '../../shared/descriptions';
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
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
				displayName: 'Return Deleted Candidates',
				name: 'returnDeleted',
				type: 'boolean',
				default: false,
				description:
					'Whether an opportunity Lever no longer has (404) returns { ID, deleted: true } instead of failing, for example to confirm a Candidate Deleted event',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
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
	if (options.archiveReason === true && isPlainObject(opportunity)) {
		opportunity.archiveReason = await archiveReasonOf.call(this, opportunity);
	}
	return toRecords(opportunity);
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
