import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationOf, runForEachItem, type OperationTable } from '../../shared/operation';
import type { LeverExecutionState } from '../shared/utils';
import type { LeverType } from './node.type';
import * as note from './note/Note.resource';
import * as opportunity from './opportunity/Opportunity.resource';
import * as posting from './posting/Posting.resource';
import * as stage from './stage/Stage.resource';
import * as tag from './tag/Tag.resource';
import * as user from './user/User.resource';

/** Every resource/operation of the node and the code that runs it. */
const operations: OperationTable<LeverType, LeverExecutionState> = {
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

/** Runs the chosen operation once per input item (nodes/shared/operation.ts). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await runForEachItem(this, operationOf(this, operations), {})];
}
