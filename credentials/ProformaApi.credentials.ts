import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Proforma Screening Solutions API key (Bearer) plus the webhook signing
 * secret the Proforma Trigger verifies callbacks with. The base URL has no
 * default on purpose: Proforma's partner API is private, so the customer
 * enters the URL Proforma gives them (or a local sandbox).
 */
export class ProformaApi implements ICredentialType {
	name = 'proformaApi';

	displayName = 'Proforma API';

	icon: Icon = { light: 'file:../icons/proforma.svg', dark: 'file:../icons/proforma.dark.svg' };

	documentationUrl =
		'https://github.com/lever-proforma/n8n-nodes-lever-proforma/blob/main/docs/proforma-api.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.example.com',
			description:
				'Everything before /v1, as given by Proforma (or the URL of a local Proforma sandbox)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key Proforma issued for your account; sent as a Bearer token',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The secret Proforma signs callbacks with (Proforma-Signature header). Only the Proforma Trigger uses it; without it the trigger rejects every callback.',
		},
	];

	/** A function, not a generic expression: see LeverApi.credentials.ts. */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: {
			...requestOptions.headers,
			Authorization: `Bearer ${String(credentials.apiKey ?? '')}`,
		},
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
			url: '/v1/packages',
		},
	};
}
