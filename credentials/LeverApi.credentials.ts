import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Lever API key: Basic auth with the key as username and an empty password
 * (Lever's documented scheme). The environment picks the API host; `custom`
 * serves EU hosting and the local Lever sandbox.
 */
export class LeverApi implements ICredentialType {
	name = 'leverApi';

	displayName = 'Lever API';

	icon: Icon = { light: 'file:../icons/lever.svg', dark: 'file:../icons/lever.dark.svg' };

	documentationUrl = 'https://hire.lever.co/developer/documentation#authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Created by a Lever Super Admin in Settings > Integrations and API > API Credentials',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'https://api.lever.co/v1' },
				{ name: 'Sandbox', value: 'sandbox', description: 'https://api.sandbox.lever.co/v1' },
				{ name: 'Custom', value: 'custom', description: 'EU hosting or a local Lever sandbox' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.eu.lever.co/v1',
			description: 'Everything before the endpoint path, including /v1',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	/**
	 * A function rather than a generic `={{$credentials.apiKey}}`: n8n evaluates a
	 * generic authenticate's expressions on every request, in the expression
	 * isolate, which cost the template's order path measurable CPU per call.
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		auth: { username: String(credentials.apiKey ?? ''), password: '' },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "sandbox" ? "https://api.sandbox.lever.co/v1" : "https://api.lever.co/v1")}}',
			url: '/stages',
			qs: { limit: 1 },
		},
	};
}
