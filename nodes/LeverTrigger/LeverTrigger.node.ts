import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IDisplayOptions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationField } from '../Lever/shared/descriptions';
import { getStages } from '../Lever/methods/loadOptions';
import {
	acknowledge,
	answer,
	checkSignature,
	confirmOpportunity,
	confirmsOpportunity,
	MANUAL_TOKEN_COPY,
	readDelivery,
	refuseAge,
	refuseSignature,
	start,
	unwantedReason,
} from './helpers/acceptance';
import { buildItem } from './helpers/delivery';
import { checkSigningTokens, isFresh, isPing } from './helpers/envelope';
import { LEVER_EVENTS } from './helpers/events';
import {
	checkLeverWebhooks,
	createLeverWebhooks,
	deleteLeverWebhooks,
	registrationOf,
} from './helpers/registration';

/**
 * Lever Trigger: receives Lever webhooks, verifies Lever's signature before
 * anything else, and starts the workflow with one item per delivery.
 *
 * Decisions worth knowing (see also the README):
 * - Stateless. Nothing is kept in memory between deliveries: in queue mode the
 *   webhook is received by one process and executed by another. Tokens of
 *   automatically registered webhooks live in the workflow's static data.
 * - No de-duplication here. Lever retries a delivery up to five times and an
 *   admin can "Rerun" it for two weeks; both resend the same signed payload,
 *   which this node accepts. Downstream steps must be idempotent (for example
 *   keyed on opportunityId + toStageId).
 * - Lever's signature covers only `token` and `triggeredAt`, not `data`. A
 *   captured delivery could be resent with another candidate's ids. For
 *   candidateStageChange with "Fetch Opportunity" on, the node therefore
 *   confirms with Lever that the opportunity really is in `data.toStageId`
 *   before starting anything. "Max Age" additionally bounds replays in time.
 * - Answers (docs/nodes.md, "Lever Trigger verification and answers"): 400
 *   for a body that is not a Lever envelope, 401 for anything not signed by a
 *   known token (or outside the time window), 200 without an execution for
 *   pings, unselected events and stages, deliveries without the ids Lever
 *   always sends, and opportunities Lever does not have or that are not in
 *   the claimed stage (so Lever does not retry them), and 500 when Lever
 *   could not be asked about the opportunity (so Lever retries).
 * - The item carries no `token` or `signature`: with them, anyone who can
 *   read executions could replay the delivery.
 */
/** One definition of Authentication (see where the three are listed). */
function authenticationFor(show: IDisplayOptions['show'], defaultValue: string): INodeProperties {
	return authenticationField({
		description:
			'How the node calls the Lever API: to register webhooks, read opportunities and list stages',
		options: [
			{ name: 'API Key', value: 'apiKey' },
			{ name: 'OAuth2', value: 'oAuth2' },
			{
				name: 'None',
				value: 'none',
				description: 'The node never calls Lever: Manual registration only',
			},
		],
		default: defaultValue,
		displayOptions: { show },
	});
}

export class LeverTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lever Trigger',
		name: 'leverTrigger',
		icon: { light: 'file:../../icons/lever.svg', dark: 'file:../../icons/lever.dark.svg' },
		group: ['trigger'],
		// Version 2 behaves as 1. n8n evaluates an expression per request for any
		// webhook node of version 1 (its Webhook node's binaryData option): 2 skips it.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ "Events: " + ([].concat($parameter["events"] || [])).join(", ") }}',
		description:
			'Starts the workflow when Lever sends a verified webhook (for example a candidate stage change)',
		defaults: {
			name: 'Lever Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Written out, not spread from leverApiCredentials: n8n's lint rules (and
		// its verification scanner) read only literal entries here, one of them
		// crashes on a spread. test/unit/lever/description.test.ts keeps the two
		// lists equal.
		credentials: [
			{
				name: 'leverApi',
				required: true,
				displayOptions: { show: { authentication: ['apiKey'] } },
			},
			{
				name: 'leverOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'leverWebhookSigningApi',
				required: true,
				displayOptions: { show: { registration: ['manual'] } },
				testedBy: 'leverWebhookSigningTest',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		triggerPanel: {
			header: 'Waiting for a signed webhook from Lever',
			executionsHelp: {
				inactive:
					'While testing, Lever must deliver to the Test URL above. Publish the workflow to receive deliveries on the Production URL.',
				active:
					'The workflow is published: every verified Lever delivery for the selected events starts an execution.',
			},
			activationHint: 'Publish the workflow to receive Lever deliveries on the Production URL.',
		},
		properties: [
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'automatic',
						description:
							'The node creates the Lever webhooks through the API when the workflow is published and deletes them when it is unpublished',
					},
					{
						name: 'Manual',
						value: 'manual',
						description:
							'You create the webhook in Lever and paste its signature token into a credential (no webhook permission needed)',
					},
				],
				default: 'automatic',
			},
			{
				displayName:
					"In Lever (Settings > Integrations and API > Webhooks), enable the event, paste the Production URL above, and copy the webhook's Signature Token into a 'Lever Webhook Signature Token' credential (several tokens: separate them with commas).",
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] } },
			},
			{
				displayName:
					'The credential needs permission to manage webhooks. After the first publish, a Lever Super Admin may need to switch the webhook group on in Settings > Integrations and API > Webhooks.',
				name: 'automaticNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['automatic'] } },
			},
			// Three definitions of one parameter, so that each setting gets the
			// default it had before: API access for Automatic registration and for
			// fetching, none for Manual registration without fetching. Each offers
			// "None": n8n's editor moves a node's main authentication field (one
			// without "None") into the credential dialog and hides every parameter
			// that field's display depends on, which hid Registration and Fetch
			// Opportunity (test/unit/shared/editorVisibility.test.ts).
			authenticationFor({ registration: ['automatic'] }, 'apiKey'),
			authenticationFor({ registration: ['manual'], fetchOpportunity: [true] }, 'apiKey'),
			authenticationFor({ registration: ['manual'], fetchOpportunity: [false] }, 'none'),
			{
				displayName:
					'Automatic registration creates the webhooks through the Lever API: choose API Key or OAuth2 above, or switch to Manual registration.',
				name: 'automaticNeedsApiNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['automatic'], authentication: ['none'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: LEVER_EVENTS,
				default: ['candidateStageChange'],
				required: true,
				description:
					'Deliveries of other events are acknowledged without starting the workflow. In Manual registration, enable the same events in Lever.',
			},
			{
				displayName: 'To Stage Names or IDs',
				name: 'toStageIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['authentication'] },
				default: [],
				description:
					'Only start for candidates moved into one of these stages; empty means any stage. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { events: ['candidateStageChange'] } },
			},
			{
				displayName: 'From Stage Names or IDs',
				name: 'fromStageIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getStages', loadOptionsDependsOn: ['authentication'] },
				default: [],
				description:
					'Only start for candidates moved out of one of these stages; empty means any stage. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { events: ['candidateStageChange'] } },
			},
			{
				displayName: 'Fetch Opportunity',
				name: 'fetchOpportunity',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the opportunity from Lever and add it to the output; for stage changes this also confirms the candidate is in the new stage (replay guard)',
			},
			{
				displayName:
					"Without Lever API access nothing confirms a delivery's candidate (Lever does not sign the IDs): set Max Age under Options to bound replays.",
				name: 'noReplayGuardNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Allow Test Pings',
						name: 'allowTestPings',
						type: 'boolean',
						default: false,
						description:
							"Whether Lever's signed test request (sent by the test button in Lever's webhook settings, with empty data) starts an execution. When off it is answered with 200 and ignored.",
					},
					{
						displayName: 'Include Delivery Envelope',
						name: 'includeEnvelope',
						type: 'boolean',
						default: false,
						description:
							"Whether to add the body as Lever sent it, with its token and signature, to the item. For debugging only: anyone who can read this workflow's executions could then replay the delivery.",
					},
					{
						displayName: 'Max Age (Seconds)',
						name: 'maxAgeSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							"Refuse (401) deliveries triggered further than this from now (0: off); Lever's retries keep the original time, so a short window refuses them too",
					},
				],
			},
		],
	};

	methods = {
		loadOptions: { getStages },
		credentialTest: {
			async leverWebhookSigningTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const result = checkSigningTokens(credential.data?.signatureToken);
				return { status: result.ok ? 'OK' : 'Error', message: result.message };
			},
		},
	};

	webhookMethods = {
		default: {
			// Manual registration: the webhook lives in Lever's settings, not ours to manage.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (registrationOf(this) === 'manual') return true;
				return await checkLeverWebhooks.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (registrationOf(this) === 'manual') return true;
				return await createLeverWebhooks.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// The Manual token copy goes with the activation that made it.
				delete this.getWorkflowStaticData('node')[MANUAL_TOKEN_COPY];
				if (registrationOf(this) === 'manual') return true;
				return await deleteLeverWebhooks.call(this);
			},
		},
	};

	/**
	 * The acceptance rules, in order (docs/nodes.md, "Lever Trigger
	 * verification and answers"). Each refusal answers Lever itself and starts
	 * nothing; only a delivery that passes every check becomes an item.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const read = readDelivery(this);
		if (!read.ok) return answer(this, 400, { error: read.error });
		const { envelope } = read;

		const signature = await checkSignature.call(this, envelope);
		if (!signature.ok) return refuseSignature.call(this, envelope, signature.knownTokens);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const maxAgeSeconds = Number(options.maxAgeSeconds ?? 0) || 0;
		if (!isFresh(envelope.triggeredAt, maxAgeSeconds))
			return refuseAge.call(this, envelope, maxAgeSeconds);

		const envelopeForItem = options.includeEnvelope === true ? read.raw : undefined;
		if (isPing(envelope)) {
			if (options.allowTestPings !== true) return acknowledge(this, 'test ping');
			return start(buildItem(envelope, undefined, envelopeForItem));
		}

		const confirms = confirmsOpportunity(this);
		const ignored = unwantedReason.call(this, envelope, confirms);
		if (ignored !== undefined) return acknowledge(this, ignored);

		const confirmed = await confirmOpportunity.call(this, envelope, confirms);
		if (!confirmed.ok) return confirmed.answer;
		return start(buildItem(envelope, confirmed.opportunity, envelopeForItem));
	}
}
