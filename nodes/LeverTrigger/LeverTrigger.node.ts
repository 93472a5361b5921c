import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationField } from '../Lever/shared/descriptions';
import { leverApiRequestAllItems } from '../Lever/shared/transport';
import { isWithinAge } from '../shared/webhookSignature';
import { buildItem, currentStageId, fetchOpportunity, opportunityIdOf } from './helpers/delivery';
import { checkSigningTokens, parseSigningSecrets, readEnvelope, verifyLeverSignature } from './helpers/envelope';
import { LEVER_EVENTS, toStringList } from './helpers/events';
import {
	checkLeverWebhooks,
	createLeverWebhooks,
	deleteLeverWebhooks,
	httpStatusOf,
	readStoredWebhooks,
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
 * - Answers: 400 for a body that is not a Lever envelope, 401 for anything not
 *   signed by a known token (or too old), 200 without an execution for pings,
 *   unselected events, filtered stages and opportunities Lever does not have
 *   or that are not in the claimed stage (so Lever does not retry them), and
 *   500 when Lever could not be asked about the opportunity (so Lever retries).
 */
/** Lever's test request: signed like any delivery, with empty `data`. */
function isPing(envelope: { data: IDataObject }): boolean {
	return Object.keys(envelope.data).length === 0;
}

export class LeverTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lever Trigger',
		name: 'leverTrigger',
		icon: { light: 'file:../../icons/lever.svg', dark: 'file:../../icons/lever.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Events: " + ([].concat($parameter["events"] || [])).join(", ") }}',
		description: 'Starts the workflow when Lever sends a verified webhook (for example a candidate stage change)',
		defaults: {
			name: 'Lever Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
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
				active: 'The workflow is published: every verified Lever delivery for the selected events starts an execution.',
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
					'In Lever, go to Settings > Integrations and API > Webhooks, enable the event (for example Candidate Stage Change), paste the Production URL shown above under Webhook URLs, then open the webhook settings (caret icon), copy its Signature Token and paste it into the "Lever Webhook Signature Token" credential. Lever issues one token per webhook: separate several tokens with commas.',
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
			// Two definitions of the same parameter: Lever API access is needed
			// for automatic registration, or for fetching the opportunity. When
			// neither applies the parameter (and with it the credential) is hidden.
			authenticationField({
				description: 'How the node calls the Lever API (to register webhooks and read opportunities)',
				displayOptions: { show: { registration: ['automatic'] } },
			}),
			authenticationField({
				description: 'How the node calls the Lever API (to read opportunities)',
				displayOptions: { show: { registration: ['manual'], fetchOpportunity: [true] } },
			}),
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
					"Whether to read the opportunity (tags, emails, phones, location, application with posting, stage) from Lever and add it to the output. For stage changes it also confirms the candidate really is in the new stage, which protects against replayed deliveries: Lever's signature does not cover the candidate IDs.",
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
						displayName: 'Max Age (Seconds)',
						name: 'maxAgeSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							"Refuse (401) deliveries whose triggeredAt is further than this from now; 0 turns the check off. Lever's automatic retries and manual Reruns resend the original triggeredAt, so a short window also refuses those.",
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			async getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const stages = await leverApiRequestAllItems.call(this, '/stages');
				return stages
					.filter((stage) => typeof stage.id === 'string')
					.map((stage) => ({
						name: typeof stage.text === 'string' && stage.text !== '' ? stage.text : String(stage.id),
						value: String(stage.id),
					}));
			},
		},
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
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Manual registration: the webhook lives in Lever's settings, not ours to check.
				if (this.getNodeParameter('registration', 'automatic') === 'manual') return true;
				return await checkLeverWebhooks.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration', 'automatic') === 'manual') return true;
				return await createLeverWebhooks.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration', 'automatic') === 'manual') return true;
				return await deleteLeverWebhooks.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const answer = (status: number, payload: IDataObject): IWebhookResponseData => {
			res.status(status).send(payload).end();
			return { noWebhookResponse: true };
		};

		// 1. Shape. Only the request object is read (never getBodyData): the raw
		//    bytes tell non-JSON and oversized bodies apart before any parsing.
		const read = readEnvelope(req.body, (req as { rawBody?: unknown }).rawBody);
		if (!read.ok) return answer(400, { error: read.error });
		const { envelope, raw } = read;

		// 2. Signature, fail closed: no token configured means nothing verifies.
		const registration = this.getNodeParameter('registration', 'automatic') as string;
		let secrets: string[];
		if (registration === 'manual') {
			try {
				const credentials = await this.getCredentials('leverWebhookSigningApi');
				secrets = parseSigningSecrets(credentials.signatureToken);
			} catch (error) {
				this.logger.error(
					`Lever Trigger: no "Lever Webhook Signature Token" credential could be read, so the delivery was refused: ${(error as Error).message}`,
				);
				secrets = [];
			}
		} else {
			// Automatic: the token Lever returned when the webhook for this event was
			// created, so a delivery re-labelled with another event fails. A test ping
			// (empty data) may carry any event name (Lever's sample says
			// candidateHired), so it is checked against every stored token: it starts
			// nothing unless test pings are allowed, and carries no candidate.
			const stored = readStoredWebhooks(this.getWorkflowStaticData('node'));
			const candidates = isPing(envelope) ? Object.values(stored) : [stored[envelope.event]];
			secrets = candidates
				.filter((hook) => hook !== undefined && hook.signatureToken !== '')
				.map((hook) => hook.signatureToken);
		}
		if (!verifyLeverSignature(envelope, secrets)) {
			this.logger.warn(
				secrets.length === 0
					? `Lever Trigger refused a "${envelope.event}" delivery: no signature token is known for it (re-publish the workflow, or check the credential)`
					: `Lever Trigger refused a "${envelope.event}" delivery: invalid signature`,
			);
			return answer(401, { error: 'Invalid signature' });
		}

		// 3. Age window (optional).
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const maxAgeSeconds = Number(options.maxAgeSeconds ?? 0) || 0;
		if (!isWithinAge(envelope.triggeredAt, maxAgeSeconds)) {
			this.logger.warn(
				`Lever Trigger refused a "${envelope.event}" delivery triggered at ${new Date(envelope.triggeredAt).toISOString()}: older than ${maxAgeSeconds} seconds`,
			);
			return answer(401, { error: 'Delivery is outside the accepted time window' });
		}

		// 4. Test ping (signed, empty data): acknowledged; runs only when allowed.
		if (isPing(envelope)) {
			if (options.allowTestPings !== true) return answer(200, { received: true, ignored: 'test ping' });
			return { workflowData: [[{ json: buildItem(envelope, raw), pairedItem: { item: 0 } }]] };
		}

		// 5. Filters. 200 so that Lever does not retry what we chose to ignore.
		const events = toStringList(this.getNodeParameter('events', []));
		if (!events.includes(envelope.event)) {
			return answer(200, { received: true, ignored: 'event not selected' });
		}
		const data = envelope.data;
		const isStageChange = envelope.event === 'candidateStageChange';
		if (isStageChange) {
			const toStageIds = toStringList(this.getNodeParameter('toStageIds', []));
			const fromStageIds = toStringList(this.getNodeParameter('fromStageIds', []));
			if (toStageIds.length > 0 && !toStageIds.includes(String(data.toStageId ?? ''))) {
				return answer(200, { received: true, ignored: 'stage not selected' });
			}
			if (fromStageIds.length > 0 && !fromStageIds.includes(String(data.fromStageId ?? ''))) {
				return answer(200, { received: true, ignored: 'stage not selected' });
			}
		}

		// 6. Opportunity. Not for candidateDeleted (it no longer exists) nor for
		//    events without an opportunity (contacts).
		const opportunityId = opportunityIdOf(data);
		const wantOpportunity =
			this.getNodeParameter('fetchOpportunity', true) === true &&
			opportunityId !== null &&
			envelope.event !== 'candidateDeleted';
		let opportunity: IDataObject | undefined;
		if (wantOpportunity && opportunityId !== null) {
			try {
				opportunity = await fetchOpportunity.call(this, opportunityId);
			} catch (error) {
				// A 404 will not heal by retrying: the opportunity was deleted, or the
				// delivery names an id that never existed (a doctored replay).
				if (httpStatusOf(error) === 404) {
					this.logger.warn(
						`Lever Trigger ignored a "${envelope.event}" delivery: Lever has no opportunity ${opportunityId} (deleted since, or a doctored delivery)`,
					);
					return answer(200, { received: true, ignored: 'opportunity not found' });
				}
				// 500 on purpose: Lever retries non-2xx answers later, which is what
				// we want when Lever's API was briefly unavailable or the credential
				// is wrong (fixable within Lever's retries). No execution.
				this.logger.error(
					`Lever Trigger could not read opportunity ${opportunityId} for a "${envelope.event}" delivery; answered 500 so Lever retries: ${(error as Error).message}`,
				);
				return answer(500, { error: 'Could not read the opportunity from Lever; please retry later' });
			}
			// Replay guard: the signature does not cover `data`, so a captured delivery
			// could carry another candidate's ids. Only start when Lever confirms the
			// candidate is in the stage the delivery claims. 200 (not 4xx) because a
			// genuine but stale delivery (candidate moved on since) must not be
			// retried by Lever either.
			if (isStageChange && currentStageId(opportunity) !== data.toStageId) {
				this.logger.warn(
					`Lever Trigger ignored a candidateStageChange delivery: opportunity ${opportunityId} is not in stage ${String(data.toStageId)} (possible replay, or the candidate moved on)`,
				);
				return answer(200, { received: true, ignored: 'opportunity is not in that stage' });
			}
		}

		return { workflowData: [[{ json: buildItem(envelope, raw, opportunity), pairedItem: { item: 0 } }]] };
	}
}
