import type { AllEntities, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { LeverExecutionState } from '../shared/utils';

type NodeMap = {
	opportunity:
		| 'get'
		| 'getAll'
		| 'addTags'
		| 'removeTags'
		| 'changeStage'
		| 'archive'
		| 'unarchive';
	note: 'create' | 'getAll';
	stage: 'getAll';
	posting: 'get' | 'getAll';
	tag: 'getAll';
	user: 'getAll';
};

export type LeverType = AllEntities<NodeMap>;

/**
 * One operation run for one input item. Returns the records to output; the
 * router turns each into an item paired with the input item.
 */
export type LeverOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
	state: LeverExecutionState,
) => Promise<IDataObject[]>;
