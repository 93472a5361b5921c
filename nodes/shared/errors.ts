import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Keeps n8n errors as they are (adding the item index); wraps anything else. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context && error.context.itemIndex === undefined) {
			error.context.itemIndex = itemIndex;
		}
		return error;
	}
	if (error instanceof Error) return new NodeOperationError(node, error, { itemIndex });
	if (error !== null && typeof error === 'object')
		return new NodeApiError(node, error as JsonObject, { itemIndex });
	return new NodeOperationError(node, String(error), { itemIndex });
}

/**
 * A NodeApiError whose message is exactly `options.message`. n8n replaces a
 * message that contains a network error code, case-insensitively, with a
 * generic one: Lever's own code "ResourceNotFound" contains "ENOTFOUND",
 * which would turn every 404 into "The connection cannot be established".
 */
export function exactApiError(
	node: INode,
	cause: JsonObject,
	options: { message: string; description?: string; httpCode?: string },
): NodeApiError {
	const error = new NodeApiError(node, cause, options);
	error.message = options.message;
	return error;
}
