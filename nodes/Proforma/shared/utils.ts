import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readParameter } from '../../shared/parameters';
import type { ProformaPackage } from './transport';

/**
 * Runs `handler` for every input item: pairs each output with its input,
 * and turns a failure into an `{error}` item when "Continue On Fail" is on.
 */
/**
 * What the Proforma node's operations share within one execution (see
 * nodes/shared/operation.ts): the package list, read at most once.
 */
export interface ProformaExecutionState {
	packages?: Promise<ProformaPackage[]>;
}

/** Reads a JSON parameter that may arrive as an object or a JSON string. */
export function parseJsonParameter(
	ctx: IExecuteFunctions,
	value: unknown,
	name: string,
	itemIndex: number,
): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	if (typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
	if (typeof value === 'string') {
		try {
			const parsed: unknown = JSON.parse(value);
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
				return parsed as IDataObject;
		} catch {
			// reported below
		}
	}
	throw new NodeOperationError(ctx.getNode(), `The parameter "${name}" must be a JSON object`, {
		itemIndex,
		description: 'For example {"costCenter": "R&D"}.',
	});
}

/**
 * The Order ID parameter, checked before any request: an empty or malformed
 * id would otherwise reach Proforma as `/v1/orders/` or `/v1/orders//cancel`.
 */
export function getOrderId(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = readParameter(ctx, 'orderId', itemIndex, '');
	const orderId = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (orderId === '' || /[/?#\s]/.test(orderId)) {
		throw new NodeOperationError(
			ctx.getNode(),
			orderId === '' ? 'Order ID is empty' : `"${orderId}" is not a Proforma order ID`,
			{
				itemIndex,
				description:
					'Map the order ID (for example {{ $json.order.id }} from Create, or {{ $json.orderId }} from the Proforma Trigger); Proforma order IDs look like ord_01J….',
			},
		);
	}
	return orderId;
}
