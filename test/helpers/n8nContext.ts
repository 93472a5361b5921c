/**
 * Hand-made n8n contexts for unit tests: just enough of IExecuteFunctions,
 * IWebhookFunctions, IHookFunctions and ILoadOptionsFunctions to run our nodes.
 *
 * HTTP goes through a real client (axios) so nock sees the exact request, and
 * credentials are applied from the credential classes' own `authenticate`
 * block the way n8n does, so a test also proves the auth header is right.
 * The real n8n runtime is exercised by the end-to-end suite.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { LeverApi } from '../../credentials/LeverApi.credentials';
import { LeverOAuth2Api } from '../../credentials/LeverOAuth2Api.credentials';

export type Parameters = IDataObject | ((itemIndex: number) => IDataObject);

/** Credential classes by name, so contexts can apply their `authenticate`. */
const credentialClasses: Record<string, ICredentialType> = {
	leverApi: new LeverApi(),
	leverOAuth2Api: new LeverOAuth2Api(),
};

/** Lets other test files register more credential classes (Proforma, signing tokens). */
export function registerCredentialType(type: ICredentialType): void {
	credentialClasses[type.name] = type;
}

export interface RecordedRequest {
	credentialType: string;
	options: IHttpRequestOptions;
}

export interface ContextOptions {
	parameters?: Parameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	node?: Partial<INode>;
	continueOnFail?: boolean;
	/** The workflow's time zone (getTimezone); UTC when absent. */
	timezone?: string;
}

function resolveCredentialExpression(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return value
		.slice(1)
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, key: string) =>
			String(credentials[key] ?? ''),
		);
}

function serializeQuery(
	qs: IDataObject | undefined,
	format: IHttpRequestOptions['arrayFormat'],
): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null) continue;
		if (Array.isArray(value)) {
			value.forEach((entry, index) => {
				const name =
					format === 'repeat' ? key : format === 'brackets' ? `${key}[]` : `${key}[${index}]`;
				params.append(name, String(entry));
			});
		} else {
			params.append(key, String(value));
		}
	}
	return params.toString();
}

/** What n8n-core's httpRequest does for the options our transports use. */
export async function performHttpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const query = serializeQuery(options.qs, options.arrayFormat);
	const base = options.baseURL ? options.baseURL.replace(/\/+$/, '') : '';
	const url = `${base}${options.url}${query ? (options.url.includes('?') ? '&' : '?') + query : ''}`;
	const config: AxiosRequestConfig = {
		url,
		method: options.method ?? 'GET',
		headers: { ...(options.headers as Record<string, string>) },
		data: options.body,
		auth: options.auth
			? { username: options.auth.username, password: options.auth.password }
			: undefined,
		timeout: options.timeout,
		// As n8n does: no redirects at all when the caller disables them.
		maxRedirects: options.disableFollowRedirect === true ? 0 : undefined,
		responseType:
			options.encoding === 'arraybuffer' ? 'arraybuffer' : options.json ? 'json' : 'text',
		validateStatus: options.ignoreHttpStatusErrors ? () => true : (s) => s >= 200 && s < 300,
		// n8n parses JSON bodies when it can, and leaves text otherwise.
		transformResponse: (data: unknown) => {
			if (options.encoding === 'arraybuffer') return Buffer.from(data as ArrayBuffer);
			if (typeof data !== 'string' || data === '') return data === '' ? undefined : data;
			try {
				return JSON.parse(data);
			} catch {
				return data;
			}
		},
	};
	const response = await axios.request(config);
	if (options.returnFullResponse) {
		return {
			body: response.data,
			headers: response.headers,
			statusCode: response.status,
			statusMessage: response.statusText,
		};
	}
	return response.data;
}

function getPath(source: IDataObject, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => {
		if (value && typeof value === 'object') return (value as IDataObject)[key];
		return undefined;
	}, source);
}

function extractValue(value: unknown, extract: boolean | undefined): unknown {
	if (extract && value && typeof value === 'object' && (value as IDataObject).__rl) {
		return (value as IDataObject).value;
	}
	return value;
}

function makeNode(partial: Partial<INode> = {}): INode {
	return {
		id: 'node-1',
		name: 'Test Node',
		type: 'n8n-nodes-lever-proforma.test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...partial,
	} as INode;
}

/** Shared pieces of every context: node, parameters, credentials and HTTP. */
function baseContext(opts: ContextOptions, requests: RecordedRequest[]) {
	const node = makeNode(opts.node);
	const parametersFor = (itemIndex: number): IDataObject =>
		typeof opts.parameters === 'function' ? opts.parameters(itemIndex) : (opts.parameters ?? {});
	const getCredentials = async (type: string) => {
		const found = opts.credentials?.[type];
		if (!found) throw new Error(`Node does not have credentials of type "${type}" set`);
		return found;
	};
	const httpRequestWithAuthentication = async (
		credentialType: string,
		options: IHttpRequestOptions,
	) => {
		requests.push({ credentialType, options });
		const credentials = await getCredentials(credentialType);
		const type = credentialClasses[credentialType];
		let authed: IHttpRequestOptions = { ...options, headers: { ...(options.headers ?? {}) } };
		if (typeof type?.authenticate === 'function') {
			// As n8n's CredentialsHelper does for a function authenticate.
			authed = await type.authenticate(credentials, authed);
			authed.headers = { ...(authed.headers ?? {}) };
		}
		const generic =
			type?.authenticate && typeof type.authenticate === 'object' ? type.authenticate : undefined;
		if (generic?.properties.auth) {
			const auth = generic.properties.auth as IDataObject;
			authed.auth = {
				username: String(resolveCredentialExpression(auth.username, credentials)),
				password: String(resolveCredentialExpression(auth.password, credentials)),
			};
		}
		for (const [header, value] of Object.entries(generic?.properties.headers ?? {})) {
			authed.headers![header] = resolveCredentialExpression(value, credentials) as string;
		}
		if (credentialType.endsWith('OAuth2Api')) {
			const token = (credentials.oauthTokenData as IDataObject | undefined)?.access_token;
			authed.headers!.Authorization = `Bearer ${String(token ?? '')}`;
		}
		try {
			return await performHttpRequest(authed);
		} catch (error) {
			// As n8n-core does: every failure reaches the node wrapped in a NodeApiError.
			throw new NodeApiError(node, error as JsonObject);
		}
	};
	const getNodeParameterAt = (
		name: string,
		itemIndex: number,
		fallback?: unknown,
		options?: { extractValue?: boolean },
	) => {
		const value = getPath(parametersFor(itemIndex), name);
		if (value === undefined) {
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			return fallback;
		}
		return extractValue(value, options?.extractValue);
	};
	const logger = {
		debug: jest.fn(),
		info: jest.fn(),
		warn: jest.fn(),
		error: jest.fn(),
	};
	return { node, getCredentials, httpRequestWithAuthentication, getNodeParameterAt, logger };
}

export interface ExecuteHarness {
	context: IExecuteFunctions;
	requests: RecordedRequest[];
}

/** An IExecuteFunctions for `execute()` of an action node. */
export function createExecuteContext(
	opts: ContextOptions & { items?: INodeExecutionData[] } = {},
): ExecuteHarness {
	const requests: RecordedRequest[] = [];
	const base = baseContext(opts, requests);
	const items = opts.items ?? [{ json: {} }];
	const binaries: Array<{ data: Buffer; fileName?: string; mimeType?: string }> = [];
	const context = {
		getInputData: () => items,
		getNode: () => base.node,
		getNodeParameter: (
			name: string,
			itemIndex: number,
			fallback?: unknown,
			options?: { extractValue?: boolean },
		) => base.getNodeParameterAt(name, itemIndex, fallback, options),
		getCredentials: base.getCredentials,
		continueOnFail: () => opts.continueOnFail ?? false,
		getMode: () => 'manual',
		getTimezone: () => opts.timezone ?? 'UTC',
		logger: base.logger,
		helpers: {
			httpRequestWithAuthentication: base.httpRequestWithAuthentication,
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (data: INodeExecutionData[], meta: { itemData: unknown }) =>
				data.map((entry) => ({ ...entry, pairedItem: meta.itemData })),
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => {
				binaries.push({ data, fileName, mimeType });
				return {
					data: data.toString('base64'),
					fileName,
					mimeType: mimeType ?? 'application/octet-stream',
					fileSize: `${data.length} B`,
				};
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, requests };
}

export interface FakeResponse {
	statusCode?: number;
	sent?: unknown;
	ended: boolean;
}

export interface WebhookHarness {
	context: IWebhookFunctions;
	requests: RecordedRequest[];
	response: FakeResponse;
	staticData: IDataObject;
	bodyReads: () => number;
}

export interface WebhookRequest {
	body?: unknown;
	rawBody?: Buffer | string;
	headers?: Record<string, string>;
	query?: IDataObject;
}

/** An IWebhookFunctions for `webhook()` of a trigger. */
export function createWebhookContext(
	opts: ContextOptions & {
		request: WebhookRequest;
		staticData?: IDataObject;
		webhookUrl?: string;
		mode?: string;
	},
): WebhookHarness {
	const requests: RecordedRequest[] = [];
	const base = baseContext(opts, requests);
	const response: FakeResponse = { ended: false };
	const staticData = opts.staticData ?? {};
	let bodyReads = 0;
	const rawBody =
		opts.request.rawBody === undefined
			? Buffer.from(opts.request.body === undefined ? '' : JSON.stringify(opts.request.body))
			: Buffer.from(opts.request.rawBody);
	const headers = Object.fromEntries(
		Object.entries(opts.request.headers ?? { 'content-type': 'application/json' }).map(([k, v]) => [
			k.toLowerCase(),
			v,
		]),
	);
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		send(payload?: unknown) {
			response.sent = payload;
			return res;
		},
		json(payload?: unknown) {
			response.sent = payload;
			response.ended = true;
			return res;
		},
		end() {
			response.ended = true;
			return res;
		},
		setHeader() {
			return res;
		},
	};
	const context = {
		getNode: () => base.node,
		getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) =>
			base.getNodeParameterAt(name, 0, fallback, options),
		getCredentials: base.getCredentials,
		getBodyData: () => {
			bodyReads++;
			return (opts.request.body ?? {}) as IDataObject;
		},
		getHeaderData: () => headers,
		getQueryData: () => opts.request.query ?? {},
		getRequestObject: () => ({
			body: opts.request.body,
			rawBody,
			headers,
			query: opts.request.query ?? {},
		}),
		getResponseObject: () => res,
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => opts.webhookUrl ?? 'https://n8n.example.com/webhook/abc/webhook',
		getWebhookName: () => 'default',
		getMode: () => opts.mode ?? 'webhook',
		logger: base.logger,
		helpers: {
			httpRequestWithAuthentication: base.httpRequestWithAuthentication,
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	} as unknown as IWebhookFunctions;
	return { context, requests, response, staticData, bodyReads: () => bodyReads };
}

export interface HookHarness {
	context: IHookFunctions;
	requests: RecordedRequest[];
	staticData: IDataObject;
}

/** An IHookFunctions for `webhookMethods.default.{checkExists,create,delete}`. */
export function createHookContext(
	opts: ContextOptions & { staticData?: IDataObject; webhookUrl?: string },
): HookHarness {
	const requests: RecordedRequest[] = [];
	const base = baseContext(opts, requests);
	const staticData = opts.staticData ?? {};
	const context = {
		getNode: () => base.node,
		getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) =>
			base.getNodeParameterAt(name, 0, fallback, options),
		getCredentials: base.getCredentials,
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => opts.webhookUrl ?? 'https://n8n.example.com/webhook/abc/webhook',
		getWebhookName: () => 'default',
		getActivationMode: () => 'activate',
		getMode: () => 'trigger',
		logger: base.logger,
		helpers: { httpRequestWithAuthentication: base.httpRequestWithAuthentication },
	} as unknown as IHookFunctions;
	return { context, requests, staticData };
}

/** An ILoadOptionsFunctions for list searches and load options. */
export function createLoadOptionsContext(opts: ContextOptions = {}): {
	context: ILoadOptionsFunctions;
	requests: RecordedRequest[];
} {
	const requests: RecordedRequest[] = [];
	const base = baseContext(opts, requests);
	const context = {
		getNode: () => base.node,
		getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) =>
			base.getNodeParameterAt(name, 0, fallback, options),
		getCurrentNodeParameter: (name: string) =>
			getPath(
				typeof opts.parameters === 'function' ? opts.parameters(0) : (opts.parameters ?? {}),
				name,
			),
		getCredentials: base.getCredentials,
		logger: base.logger,
		helpers: { httpRequestWithAuthentication: base.httpRequestWithAuthentication },
	} as unknown as ILoadOptionsFunctions;
	return { context, requests };
}
