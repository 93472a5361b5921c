import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Scopes the package's nodes use: opportunities (read, tags, stage, archive),
 * notes, stages, postings, tags, users, archive reasons and webhooks, plus
 * offline_access so n8n gets a refresh token (access tokens last one hour).
 */
const SCOPES = [
	'offline_access',
	'opportunities:read:admin',
	'opportunities:write:admin',
	'notes:read:admin',
	'notes:write:admin',
	'stages:read:admin',
	'postings:read:admin',
	'tags:read:admin',
	'users:read:admin',
	'archive_reasons:read:admin',
	'applications:read:admin',
	'contact:read:admin',
	'webhooks:read:admin',
	'webhooks:write:admin',
];

/**
 * Lever OAuth 2 (authorization code). Lever requires an `audience` on the
 * authorize request, and sandbox accounts use a separate Auth0 tenant.
 */
export class LeverOAuth2Api implements ICredentialType {
	name = 'leverOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Lever OAuth2 API';

	icon: Icon = { light: 'file:../icons/lever.svg', dark: 'file:../icons/lever.dark.svg' };

	documentationUrl = 'https://hire.lever.co/developer/oauth';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'production',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default:
				'={{$self["environment"] === "sandbox" ? "https://sandbox-lever.auth0.com/authorize" : "https://auth.lever.co/authorize"}}',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				'={{$self["environment"] === "sandbox" ? "https://sandbox-lever.auth0.com/oauth/token" : "https://auth.lever.co/oauth/token"}}',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: SCOPES.join(' '),
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default:
				'={{"audience=" + ($self["environment"] === "sandbox" ? "https://api.sandbox.lever.co/v1/" : "https://api.lever.co/v1/")}}',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "sandbox" ? "https://api.sandbox.lever.co/v1" : "https://api.lever.co/v1"}}',
			url: '/stages',
			qs: { limit: 1 },
		},
	};
}
