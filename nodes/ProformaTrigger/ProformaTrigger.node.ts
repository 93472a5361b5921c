import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { toIdList } from '../shared/lists';
import { hmacSha256Hex, isWithinAge, safeEqualHex } from '../shared/webhookSignature';
import {
	DEFAULT_EVENT_TYPES,
	EVENT_TYPES,
	parseCallbackEvent,
	parseSignatureHeader,
	SIGNATURE_HEADER,
	signedPayload,
} from '../Proforma/shared/callbacks';
import { PROFORMA_CREDENTIAL_TYPE } from '../Proforma/shared/transport';

/**
 * Receives Proforma's signed order callbacks. Stateless (n8n queue mode runs
 * webhook receipt and execution in different processes): every request is
 * verified on its own with HMAC-SHA256 over the raw body and a timestamp
 * window, before anything else of the request is read.
 */
export class ProformaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Proforma Trigger',
		name: 'proformaTrigger',
		icon: { light: 'file:../../icons/proforma.svg', dark: 'file:../../icons/proforma.dark.svg' },
		group: ['trigger'],
		// Version 2 behaves as 1. n8n evaluates an expression per request for any
		// webhook node of version 1 (its Webhook node's binaryData option): 2 skips it.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Starts the workflow when Proforma reports an order event (created, status changed, completed)',
		defaults: { name: 'Proforma Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'proformaApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Proforma has no webhook API: put this node's Production URL in your orders' Callback URL or in Proforma's account settings, and the Webhook Signing Secret in the credential (unsigned callbacks are refused).",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_TYPES.map((e) => ({ ...e })),
				default: [...DEFAULT_EVENT_TYPES],
				description:
					'The events that start the workflow; other events are acknowledged and ignored',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 300,
						description:
							'Reject callbacks whose signature timestamp is further than this from now (replay protection). 0 disables the check.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// Proforma has no webhook registration API: callbacks go to each
			// order's callbackUrl or to the account-level URL set in Proforma's
			// settings. There is nothing to check, create or delete here, so these
			// report success and the node description tells the user where to put
			// the URL.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const reject = (status: number, message: string): IWebhookResponseData => {
			res.status(status).json({ error: message });
			return { noWebhookResponse: true };
		};

		// 1. Verify the signature over the raw bytes, before reading anything else.
		let secret = '';
		try {
			const credentials = await this.getCredentials(PROFORMA_CREDENTIAL_TYPE);
			secret = typeof credentials.signingSecret === 'string' ? credentials.signingSecret : '';
		} catch (error) {
			this.logger.error(
				`Proforma Trigger: could not read the Proforma API credential: ${(error as Error).message}`,
			);
		}
		if (!secret) {
			this.logger.error(
				'Proforma Trigger: the Proforma API credential has no Webhook Signing Secret, so every callback is rejected (401). Set it in the credential.',
			);
			return reject(401, 'Unauthorized');
		}
		const header = parseSignatureHeader(req.headers?.[SIGNATURE_HEADER]);
		const rawBody = req.rawBody;
		if (!header || !Buffer.isBuffer(rawBody)) return reject(401, 'Unauthorized');
		const expected = hmacSha256Hex(secret, signedPayload(header.timestamp, rawBody));
		let matched = false;
		// Compare with every v1 value (no early exit): any match is accepted.
		for (const signature of header.signatures) {
			if (safeEqualHex(expected, signature)) matched = true;
		}
		if (!matched) return reject(401, 'Unauthorized');
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const tolerance =
			options.toleranceSeconds === undefined ? 300 : Number(options.toleranceSeconds);
		// `t` is in seconds (the contract); the window compares milliseconds.
		if (!isWithinAge(header.timestamp * 1000, tolerance)) return reject(401, 'Unauthorized');

		// 2. Only now read the (signed) body; its shape is the transport's business.
		const parsed = parseCallbackEvent(rawBody);
		if (!parsed.ok) return reject(parsed.status, parsed.message);
		const item: IDataObject = parsed.event;

		// 3. Filter by event type: acknowledged, no execution.
		const events = toIdList(this.getNodeParameter('events', DEFAULT_EVENT_TYPES));
		if (!events.includes(String(parsed.event.type))) {
			return { webhookResponse: { received: true, ignored: true } };
		}

		return { workflowData: [[{ json: item, pairedItem: { item: 0 } }]] };
	}
}
