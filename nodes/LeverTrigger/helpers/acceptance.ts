import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { httpStatusOf } from '../../shared/request';
import { toIdList } from '../../shared/lists';
import { hasOwn, isPlainObject } from '../../shared/objects';
import {
	currentStageId,
	fetchOpportunity,
	idOf,
	OPPORTUNITY_EVENTS,
	opportunityIdOf,
} from './delivery';
import {
	forLog,
	isPing,
	parseSigningSecrets,
	readEnvelope,
	verifyLeverSignature,
	type EnvelopeResult,
	type LeverEnvelope,
} from './envelope';
import { LEVER_EVENT_NAMES } from './events';
import { readStoredWebhooks, registrationOf, storedWebhookFor } from './registration';

/**
 * The Lever Trigger's acceptance steps, one function each, in the order
 * webhook() runs them. A refusal answers Lever here and returns
 * `{ noWebhookResponse: true }`, so n8n starts nothing.
 */

/** Answers the delivery ourselves; n8n then sends nothing and starts nothing. */
export function answer(
	ctx: IWebhookFunctions,
	status: number,
	payload: IDataObject,
): IWebhookResponseData {
	ctx.getResponseObject().status(status).send(payload).end();
	return { noWebhookResponse: true };
}

/** 200 so that Lever does not retry what we chose not to run. */
export function acknowledge(ctx: IWebhookFunctions, ignored: string): IWebhookResponseData {
	return answer(ctx, 200, { received: true, ignored });
}

/** One execution with one item. */
export function start(item: IDataObject): IWebhookResponseData {
	return { workflowData: [[{ json: item, pairedItem: { item: 0 } }]] };
}

/**
 * The request as a Lever envelope. Only the request object is read (never
 * getBodyData): the raw bytes tell non-JSON and oversized bodies apart before
 * any parsing.
 */
export function readDelivery(ctx: IWebhookFunctions): EnvelopeResult {
	const req = ctx.getRequestObject();
	return readEnvelope(req.body, (req as { rawBody?: unknown }).rawBody);
}

/**
 * The event as it may appear in a log line. `event` is not covered by Lever's
 * signature, so only names Lever really sends are written out.
 */
function eventForLog(event: string): string {
	return LEVER_EVENT_NAMES.includes(event) ? `"${event}"` : 'unrecognised';
}

/** What signature verification found: whether it verifies, and how many tokens were tried. */
export interface SignatureCheck {
	ok: boolean;
	knownTokens: number;
}

/**
 * Verifies the delivery's signature against the tokens it may be signed with.
 * Automatic: the token Lever returned when the webhook for this event was
 * created, so a delivery re-labelled with another event fails; a test ping
 * (empty data) may name any event (Lever's sample says candidateHired), so it
 * is checked against every stored token. Manual: the credential's tokens.
 */
export async function checkSignature(
	this: IWebhookFunctions,
	envelope: LeverEnvelope,
): Promise<SignatureCheck> {
	const staticData = this.getWorkflowStaticData('node');
	if (registrationOf(this) === 'manual')
		return await checkManualSignature.call(this, envelope, staticData);
	const stored = readStoredWebhooks(staticData);
	const events = isPing(envelope) ? Object.keys(stored) : [envelope.event];
	const tokens = events.flatMap((event) => storedWebhookFor(stored, event)?.signatureToken ?? []);
	return { ok: verifyLeverSignature(envelope, tokens), knownTokens: tokens.length };
}

/**
 * Manual registration. Reading a credential in a webhook costs n8n an
 * expression isolate of its own, about a third of a delivery's CPU, so the
 * credential's tokens are copied into the node's static data (where Automatic
 * keeps its tokens) and the copy is tried first. The credential is read again
 * when the copy does not verify (a token added since) or is older than
 * MANUAL_TOKEN_COPY_MAX_AGE_MS (a token removed since stops working then).
 */
async function checkManualSignature(
	this: IWebhookFunctions,
	envelope: LeverEnvelope,
	staticData: IDataObject,
): Promise<SignatureCheck> {
	const copy = readManualTokenCopy(staticData, Date.now());
	if (copy.length > 0 && verifyLeverSignature(envelope, copy))
		return { ok: true, knownTokens: copy.length };
	const tokens = await manualCredentialTokens.call(this);
	if (tokens.length > 0) staticData[MANUAL_TOKEN_COPY] = { tokens, copiedAt: Date.now() };
	else delete staticData[MANUAL_TOKEN_COPY];
	return { ok: verifyLeverSignature(envelope, tokens), knownTokens: tokens.length };
}

/** Static-data key of the Manual token copy; it has no `id`, so it never reads as a stored webhook. */
export const MANUAL_TOKEN_COPY = 'manualTokenCopy';
export const MANUAL_TOKEN_COPY_MAX_AGE_MS = 5 * 60 * 1000;

/** The copied tokens while the copy is fresh, else none. */
export function readManualTokenCopy(staticData: IDataObject, now: number): string[] {
	const copy = hasOwn(staticData, MANUAL_TOKEN_COPY) ? staticData[MANUAL_TOKEN_COPY] : undefined;
	if (!isPlainObject(copy) || typeof copy.copiedAt !== 'number' || !Array.isArray(copy.tokens))
		return [];
	const age = now - copy.copiedAt;
	if (age < 0 || age > MANUAL_TOKEN_COPY_MAX_AGE_MS) return [];
	return copy.tokens.filter((t): t is string => typeof t === 'string' && t !== '');
}

async function manualCredentialTokens(this: IWebhookFunctions): Promise<string[]> {
	try {
		const credentials = await this.getCredentials('leverWebhookSigningApi');
		return parseSigningSecrets(credentials.signatureToken);
	} catch (error) {
		this.logger.error(
			`Lever Trigger: no "Lever Webhook Signature Token" credential could be read, so the delivery was refused: ${(error as Error).message}`,
		);
		return [];
	}
}

export function refuseSignature(
	this: IWebhookFunctions,
	envelope: LeverEnvelope,
	knownTokens: number,
): IWebhookResponseData {
	this.logger.warn(
		`Lever Trigger refused a ${eventForLog(envelope.event)} delivery: ` +
			(knownTokens === 0
				? 'no signature token is known for it (re-publish the workflow, or check the credential)'
				: 'invalid signature'),
	);
	return answer(this, 401, { error: 'Invalid signature' });
}

export function refuseAge(
	this: IWebhookFunctions,
	envelope: LeverEnvelope,
	maxAgeSeconds: number,
): IWebhookResponseData {
	this.logger.warn(
		`Lever Trigger refused a ${eventForLog(envelope.event)} delivery triggered at ${new Date(envelope.triggeredAt).toISOString()}: ` +
			(maxAgeSeconds > 0
				? `older than ${maxAgeSeconds} seconds, or ahead of this clock`
				: 'ahead of this clock by more than an hour'),
	);
	return answer(this, 401, { error: 'Delivery is outside the accepted time window' });
}

/** Whether the node may call Lever to confirm the opportunity (read once per delivery). */
export function confirmsOpportunity(ctx: IWebhookFunctions): boolean {
	return (
		ctx.getNodeParameter('authentication', 'apiKey') !== 'none' &&
		ctx.getNodeParameter('fetchOpportunity', true) === true
	);
}

/**
 * Why a verified delivery is not for this workflow, or undefined when it is.
 * A stage change must name its stage, and with Fetch Opportunity on, an
 * opportunity event must name its opportunity as a string: without one there
 * is nothing to confirm, and Lever never sends such a delivery.
 */
export function unwantedReason(
	this: IWebhookFunctions,
	envelope: LeverEnvelope,
	confirms: boolean,
): string | undefined {
	if (!toIdList(this.getNodeParameter('events', [])).includes(envelope.event))
		return 'event not selected';
	const data = envelope.data;
	if (envelope.event === 'candidateStageChange') {
		const toStageId = idOf(data, 'toStageId');
		if (toStageId === null) {
			this.logger.warn(
				'Lever Trigger ignored a candidateStageChange delivery without a toStageId (not sent by Lever)',
			);
			return 'no stage in the delivery';
		}
		const toStageIds = toIdList(this.getNodeParameter('toStageIds', []));
		const fromStageIds = toIdList(this.getNodeParameter('fromStageIds', []));
		if (toStageIds.length > 0 && !toStageIds.includes(toStageId)) return 'stage not selected';
		if (fromStageIds.length > 0 && !fromStageIds.includes(idOf(data, 'fromStageId') ?? ''))
			return 'stage not selected';
	}
	if (OPPORTUNITY_EVENTS.includes(envelope.event) && confirms && opportunityIdOf(data) === null) {
		this.logger.warn(
			`Lever Trigger ignored a "${envelope.event}" delivery without a usable opportunityId (not sent by Lever)`,
		);
		return 'no opportunity in the delivery';
	}
	return undefined;
}

export type Confirmation =
	| { ok: true; opportunity?: IDataObject }
	| { ok: false; answer: IWebhookResponseData };

/**
 * Reads the opportunity the delivery names, when Fetch Opportunity is on and
 * there is one to read (not for candidateDeleted: it no longer exists), and
 * for a stage change confirms the candidate is in the claimed stage: the
 * signature does not cover `data`, so a captured delivery could carry another
 * candidate's ids (the replay guard).
 */
export async function confirmOpportunity(
	this: IWebhookFunctions,
	envelope: LeverEnvelope,
	confirms: boolean,
): Promise<Confirmation> {
	const opportunityId = opportunityIdOf(envelope.data);
	if (!confirms || opportunityId === null || envelope.event === 'candidateDeleted')
		return { ok: true };
	const event = eventForLog(envelope.event);
	let opportunity: IDataObject;
	try {
		opportunity = await fetchOpportunity.call(this, opportunityId);
	} catch (error) {
		// A 404 will not heal by retrying: deleted since, or an id that never existed.
		if (httpStatusOf(error) === 404) {
			this.logger.warn(
				`Lever Trigger ignored a ${event} delivery: Lever has no opportunity ${forLog(opportunityId)} (deleted since, or a doctored delivery)`,
			);
			return { ok: false, answer: acknowledge(this, 'opportunity not found') };
		}
		// 500 on purpose: Lever re-sends non-2xx answers later, which heals a
		// brief Lever outage or a credential fixed within Lever's retries.
		this.logger.error(
			`Lever Trigger could not read opportunity ${forLog(opportunityId)} for a ${event} delivery; answered 500 so Lever retries: ${forLog((error as Error).message, 300)}`,
		);
		return {
			ok: false,
			answer: answer(this, 500, {
				error: 'Could not read the opportunity from Lever; please retry later',
			}),
		};
	}
	// 200 (not 4xx): a genuine but stale delivery (candidate moved on since) must not be retried either.
	if (
		envelope.event === 'candidateStageChange' &&
		currentStageId(opportunity) !== idOf(envelope.data, 'toStageId')
	) {
		this.logger.warn(
			`Lever Trigger ignored a candidateStageChange delivery: opportunity ${forLog(opportunityId)} is not in stage ${forLog(idOf(envelope.data, 'toStageId'))} (a replay, or the candidate moved on)`,
		);
		return { ok: false, answer: acknowledge(this, 'opportunity is not in that stage') };
	}
	return { ok: true, opportunity };
}
