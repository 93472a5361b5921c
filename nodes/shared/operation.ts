import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './errors';

/**
 * The one operation contract of both action nodes (Lever, Proforma): an
 * operation runs for one input item and returns what that item becomes; the
 * router pairs every output with its input item and applies Continue On Fail.
 * `state` lives for one execution only (never module-level: in queue mode
 * each execution may run in another process): what several items share,
 * such as a list read once.
 */
export type ItemOutput = IDataObject | IDataObject[] | INodeExecutionData;

export type ItemOperation<State extends object> = (
	this: IExecuteFunctions,
	itemIndex: number,
	state: State,
) => Promise<ItemOutput>;

/** A node's operations by resource and operation, each with its `execute`. */
export type OperationTable<
	Entities extends { resource: string; operation: string },
	State extends object,
> = {
	[R in Entities['resource']]: {
		[O in Extract<Entities, { resource: R }>['operation']]: { execute: ItemOperation<State> };
	};
};

function isExecutionData(value: ItemOutput): value is INodeExecutionData {
	return !Array.isArray(value) && 'json' in value && 'binary' in value;
}

function paired(output: ItemOutput, itemIndex: number): INodeExecutionData[] {
	if (Array.isArray(output))
		return output.map((json) => ({ json, pairedItem: { item: itemIndex } }));
	if (isExecutionData(output)) return [{ ...output, pairedItem: { item: itemIndex } }];
	return [{ json: output, pairedItem: { item: itemIndex } }];
}

/**
 * Runs the operation for every input item, in order. With Continue On Fail a
 * failing item yields `{ error: <message> }`, paired with it, and the others
 * go on; otherwise the first failure stops the node.
 */
export async function runForEachItem<State extends object>(
	ctx: IExecuteFunctions,
	operation: ItemOperation<State>,
	state: State,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			output.push(...paired(await operation.call(ctx, itemIndex, state), itemIndex));
		} catch (error) {
			const nodeError = asNodeError(ctx.getNode(), error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}

/** The operation the node's Resource and Operation name, or a clear error. */
export function operationOf<State extends object>(
	ctx: IExecuteFunctions,
	table: Record<string, Record<string, { execute: ItemOperation<State> }>>,
): ItemOperation<State> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const run = Object.prototype.hasOwnProperty.call(table, resource)
		? table[resource][operation]?.execute
		: undefined;
	if (typeof run !== 'function') {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}
	return run;
}
