import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, type LeverExecutionState } from '../shared/utils';
import type { LeverOperation, LeverType } from './node.type';
import * as note from './note/Note.resource';
import * as opportunity from './opportunity/Opportunity.resource';
import * as posting from './posting/Posting.resource';
import * as stage from './stage/Stage.resource';
import * as tag from './tag/Tag.resource';
import * as user from './user/User.resource';

type OperationTable = {
	[R in LeverType['resource']]: {
		[O in Extract<LeverType, { resource: R }>['operation']]: { execute: LeverOperation };
	};
};

/** Every resource/operation of the node and the code that runs it. */
const operations: OperationTable = {
	opportunity: {
		get: opportunity.get,
		getAll: opportunity.getAll,
		addTags: opportunity.addTags,
		removeTags: opportunity.removeTags,
		changeStage: opportunity.changeStage,
		archive: opportunity.archive,
		unarchive: opportunity.unarchive,
	},
	note: { create: note.create, getAll: note.getAll },
	stage: { getAll: stage.getAll },
	posting: { get: posting.get, getAll: posting.getAll },
	tag: { getAll: tag.getAll },
	user: { getAll: user.getAll },
};

/**
 * Runs the chosen operation once per input item. Every output item is paired
 * with the input item it came from; with "Continue On Fail" a failing item
 * yields `{ error }` and the others go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as LeverType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const table = operations[resource] as Record<string, { execute: LeverOperation }> | undefined;
	const run = table?.[operation]?.execute;
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}

	const state: LeverExecutionState = {};
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const records = await run.call(this, itemIndex, state);
			for (const json of records) returnData.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (this.continueOnFail()) {
				returnData.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
