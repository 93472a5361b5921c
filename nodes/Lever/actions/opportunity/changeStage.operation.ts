import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { opportunityIdField, performAsField, stageLocatorField } from '../../shared/descriptions';
import { leverApiRequest, leverApiRequestAllItems } from '../../shared/transport';
import {
	getOpportunityId,
	getPerformAs,
	getRequiredId,
	performAsQuery,
	returnedOpportunity,
	type LeverExecutionState,
} from '../../shared/utils';

const properties: INodeProperties[] = [opportunityIdField, stageLocatorField, performAsField];

export const description = updateDisplayOptions(
	{ show: { resource: ['opportunity'], operation: ['changeStage'] } },
	properties,
);

const STAGE_HINT =
	'pick the stage from the list, or copy its ID in Lever: Settings > Pipeline and archive reasons > Reveal stage ID';

/**
 * Checks the stage exists in the account before moving anyone: a typo would
 * otherwise surface as Lever's bare 404 (or, worse, a stage from another
 * account). The account's stages are fetched once per execution.
 */
async function assertStageExists(
	this: IExecuteFunctions,
	stageId: string,
	itemIndex: number,
	state: LeverExecutionState,
): Promise<void> {
	if (!state.stages) state.stages = await leverApiRequestAllItems.call(this, '/stages');
	if (state.stages.some((stage) => stage.id === stageId)) return;
	const known = state.stages
		.slice(0, 10)
		.map((stage) => `"${String(stage.text)}" (${String(stage.id)})`)
		.join(', ');
	throw new NodeOperationError(
		this.getNode(),
		`Stage "${stageId}" does not exist in this Lever account`,
		{
			itemIndex,
			description: `To fix it, ${STAGE_HINT}.${known ? ` Stages in this account include ${known}${state.stages.length > 10 ? ', …' : ''}.` : ''}`,
		},
	);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: LeverExecutionState,
): Promise<IDataObject[]> {
	const opportunityId = getOpportunityId.call(this, itemIndex);
	const stageId = getRequiredId.call(
		this,
		'stage',
		'Stage',
		itemIndex,
		`Choose the target stage: ${STAGE_HINT}.`,
	);
	const performAs = getPerformAs.call(this, itemIndex);
	await assertStageExists.call(this, stageId, itemIndex, state);
	const response = await leverApiRequest.call(
		this,
		'PUT',
		`/opportunities/${encodeURIComponent(opportunityId)}/stage`,
		{
			qs: performAsQuery(performAs),
			body: { stage: stageId },
		},
	);
	return [returnedOpportunity(response) ?? { success: true, opportunityId, stage: stageId }];
}
