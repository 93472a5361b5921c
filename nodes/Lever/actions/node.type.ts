import type { AllEntities } from 'n8n-workflow';

import type { ItemOperation } from '../../shared/operation';

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

/** One operation run for one input item (the contract in nodes/shared/operation.ts). */
export type LeverOperation = ItemOperation<LeverExecutionState>;
