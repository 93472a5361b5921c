/**
 * Shared setup for the Lever node tests: credentials, the base URL nock
 * intercepts, and a runner that executes the node with given parameters.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Lever } from '../../../nodes/Lever/Lever.node';
import { createExecuteContext, type RecordedRequest } from '../../helpers/n8nContext';

export const BASE = 'https://api.lever.co/v1';
export const API_KEY = 'test-lever-key';
export const BASIC_AUTH = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
export const credentials = {
	leverApi: { apiKey: API_KEY, environment: 'production' },
	leverOAuth2Api: { environment: 'production', oauthTokenData: { access_token: 'oauth-access-1' } },
};

/** A resource-locator value as n8n stores it. */
export function rl(value: string, mode: 'list' | 'id' = 'list'): IDataObject {
	return { __rl: true, mode, value };
}

export interface RunResult {
	output: INodeExecutionData[];
	requests: RecordedRequest[];
}

/** Runs the Lever node once over `items` (one empty item by default). */
export async function runLever(
	parameters: IDataObject | ((itemIndex: number) => IDataObject),
	options: { items?: INodeExecutionData[]; continueOnFail?: boolean; timezone?: string } = {},
): Promise<RunResult> {
	const withAuth =
		typeof parameters === 'function'
			? (itemIndex: number) => ({ authentication: 'apiKey', ...parameters(itemIndex) })
			: { authentication: 'apiKey', ...parameters };
	const { context, requests } = createExecuteContext({
		credentials,
		parameters: withAuth,
		items: options.items,
		continueOnFail: options.continueOnFail,
		timezone: options.timezone,
		node: { type: 'n8n-nodes-lever-proforma.lever', name: 'Lever' },
	});
	const result = await new Lever().execute.call(context);
	return { output: result[0], requests };
}

/** Runs the node and returns the error it throws (fails the test if it does not throw). */
export async function runLeverError(
	parameters: IDataObject | ((itemIndex: number) => IDataObject),
	options: { items?: INodeExecutionData[] } = {},
): Promise<{
	error: Error & { description?: string; context?: IDataObject };
	requests: RecordedRequest[];
}> {
	const withAuth =
		typeof parameters === 'function'
			? (itemIndex: number) => ({ authentication: 'apiKey', ...parameters(itemIndex) })
			: { authentication: 'apiKey', ...parameters };
	const { context, requests } = createExecuteContext({
		credentials,
		parameters: withAuth,
		items: options.items,
		node: { type: 'n8n-nodes-lever-proforma.lever', name: 'Lever' },
	});
	let caught: unknown;
	try {
		await new Lever().execute.call(context);
	} catch (error) {
		caught = error;
	}
	if (!(caught instanceof Error)) throw new Error('Expected the Lever node to throw');
	return { error: caught as Error & { description?: string; context?: IDataObject }, requests };
}
