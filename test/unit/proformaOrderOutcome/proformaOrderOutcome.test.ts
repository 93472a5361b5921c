import { describe, expect, it } from '@jest/globals';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ProformaOrderOutcome } from '../../../nodes/ProformaOrderOutcome/ProformaOrderOutcome.node';

async function route(items: INodeExecutionData[]) {
	const context = {
		getInputData: () => items,
		getNode: () => ({ name: 'Ordered?', type: 'n8n-nodes-lever-proforma.proformaOrderOutcome' }),
	} as unknown as IExecuteFunctions;
	return await new ProformaOrderOutcome().execute.call(context);
}

describe('Proforma Order Outcome', () => {
	it('sends each result to exactly one output, paired with its input item', async () => {
		const items = [
			{ json: { outcome: 'ordered', opportunityId: 'opp-1' } },
			{ json: { outcome: 'problem', retryLater: true, opportunityId: 'opp-2' } },
			{ json: { outcome: 'problem', retryLater: false, opportunityId: 'opp-3' } },
			{ json: { outcome: 'alreadyOrdered', opportunityId: 'opp-4' } },
			{ json: { outcome: 'problem', opportunityId: 'opp-5' } },
			{ json: { outcome: 'skipped', opportunityId: 'opp-6' } },
			{ json: { outcome: 'ordered', rescreenOf: { id: 'ord_done' }, opportunityId: 'opp-7' } },
			{ json: { outcome: 'ordered', rescreenOf: null, opportunityId: 'opp-8' } },
		];
		const [ordered, unavailable, needsFix, nothingToOrder, rescreen] = await route(items);
		const ids = (output: INodeExecutionData[]) =>
			output.map((item) => [item.json.opportunityId, item.pairedItem]);
		expect(ids(ordered)).toEqual([
			['opp-1', { item: 0 }],
			['opp-4', { item: 3 }],
			['opp-8', { item: 7 }],
		]);
		expect(ids(unavailable)).toEqual([['opp-2', { item: 1 }]]);
		expect(ids(needsFix)).toEqual([
			['opp-3', { item: 2 }],
			['opp-5', { item: 4 }],
		]);
		expect(ids(nothingToOrder)).toEqual([['opp-6', { item: 5 }]]);
		expect(ids(rescreen)).toEqual([['opp-7', { item: 6 }]]);
	});

	it('refuses an item that is not a Create for Lever Opportunity result, saying where to connect it', async () => {
		const error = await route([{ json: { id: 'opp-1' } }]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe(
			'The input item is not a Create for Lever Opportunity result',
		);
		expect((error as NodeOperationError).description).toMatch(/right after Proforma/);
	});

	it('has five named outputs and no parameter that n8n would evaluate', () => {
		const { description } = new ProformaOrderOutcome();
		expect(description.outputNames).toEqual([
			'Ordered',
			'Proforma Unavailable',
			'Needs a Fix',
			'Nothing to Order',
			'Re-Screen Ordered',
		]);
		expect(description.outputs).toHaveLength(5);
		expect(description.properties.every((p) => p.type === 'notice')).toBe(true);
	});
});
