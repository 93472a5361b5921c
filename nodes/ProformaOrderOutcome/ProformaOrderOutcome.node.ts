import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { isPlainObject } from '../shared/objects';

/** The outputs, in order; each item of Create for Lever Opportunity goes to exactly one. */
const ORDERED = 0;
const PROFORMA_UNAVAILABLE = 1;
const NEEDS_A_FIX = 2;
const NOTHING_TO_ORDER = 3;
const RESCREEN_ORDERED = 4;

/**
 * Routes the items of Proforma › Create for Lever Opportunity by their
 * outcome, as an If on `outcome` and `retryLater` would. Why a node of its
 * own: an If evaluates an expression, and n8n 2.x builds an expression
 * isolate (about 40 ms of CPU) for the first one an execution evaluates; with
 * this node the template's order path evaluates none.
 */
export class ProformaOrderOutcome implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Proforma Order Outcome',
		name: 'proformaOrderOutcome',
		icon: { light: 'file:../../icons/proforma.svg', dark: 'file:../../icons/proforma.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Ordered, Proforma Unavailable, Needs a Fix, Nothing to Order or Re-Screen Ordered',
		description:
			'Route the results of Create for Lever Opportunity: ordered, Proforma unavailable, needs a fix, nothing to order, or a re-screen ordered',
		defaults: { name: 'Ordered?' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
		],
		outputNames: [
			'Ordered',
			'Proforma Unavailable',
			'Needs a Fix',
			'Nothing to Order',
			'Re-Screen Ordered',
		],
		properties: [
			{
				displayName:
					"Connect it after Proforma › Create for Lever Opportunity. Ordered: a new order or one already open. Proforma Unavailable: Proforma could not be reached or was rate limited (order again later; it never orders twice). Needs a Fix: the candidate or the posting needs a change (the item says what in problem). Nothing to Order: nothing to do for this candidate (screened already, an order that ended before they were moved again, or another copy of the same delivery placing the order; the item says why in skipReason). Re-Screen Ordered: a new order for a candidate screened before (Re-Screen After (Days)); the item's rescreenOf is the completed order, whose status and result tags are now out of date.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const outputs: INodeExecutionData[][] = [[], [], [], [], []];
		this.getInputData().forEach((item, itemIndex) => {
			outputs[outputOf(this, item, itemIndex)].push({ ...item, pairedItem: { item: itemIndex } });
		});
		return outputs;
	}
}

function outputOf(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): number {
	const { outcome, retryLater } = item.json;
	if (outcome === 'ordered' || outcome === 'alreadyOrdered')
		return isPlainObject(item.json.rescreenOf) ? RESCREEN_ORDERED : ORDERED;
	if (outcome === 'skipped') return NOTHING_TO_ORDER;
	if (outcome === 'problem') return retryLater === true ? PROFORMA_UNAVAILABLE : NEEDS_A_FIX;
	throw new NodeOperationError(
		ctx.getNode(),
		'The input item is not a Create for Lever Opportunity result',
		{
			itemIndex,
			description: `Its outcome is ${JSON.stringify(outcome)}; expected "ordered", "alreadyOrdered", "skipped" or "problem". Connect this node right after Proforma › Create for Lever Opportunity.`,
		},
	);
}
