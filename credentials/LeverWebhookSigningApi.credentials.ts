import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The signature token(s) of webhooks created by hand in Lever's settings
 * (Lever Trigger, Manual registration). Lever issues one token per webhook, so
 * several may be given, separated by commas or new lines. Nothing is sent
 * anywhere: the Lever Trigger's `leverWebhookSigningTest` checks the format.
 */
export class LeverWebhookSigningApi implements ICredentialType {
	name = 'leverWebhookSigningApi';

	// Not an API credential: it holds the token Lever signs deliveries with, and
	// users look for the name Lever's settings page uses.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Lever Webhook Signature Token';

	icon: Icon = { light: 'file:../icons/lever.svg', dark: 'file:../icons/lever.dark.svg' };

	documentationUrl = 'https://hire.lever.co/developer/documentation#request-signing';

	properties: INodeProperties[] = [
		{
			displayName: 'Signature Token',
			name: 'signatureToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Shown in Lever under Settings > Integrations and API > Webhooks (caret icon next to the webhook). One token per webhook: separate several with commas.',
		},
	];
}
