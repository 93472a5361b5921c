import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { leverApiRequest } from '../../Lever/shared/transport';
import type { RetryPolicy } from '../../shared/retry';
import type { LeverEnvelope } from './envelope';

/**
 * Turning a verified delivery into the trigger's output item, and reading the
 * opportunity it points at.
 */

/**
 * Short retries while Lever waits for our answer: Lever's own timeout is not
 * documented, and a 500 makes Lever deliver again later anyway.
 */
export const WEBHOOK_FETCH_RETRY_POLICY: RetryPolicy = { maxRetries: 2, baseDelayMs: 300, maxDelayMs: 2000 };

/** Per attempt: a hanging Lever API must not hold Lever's own delivery open for long. */
export const WEBHOOK_FETCH_TIMEOUT_MS = 10_000;

/** What the opportunity is fetched with (repeated keys: expand=a&expand=b). */
export const OPPORTUNITY_EXPAND = ['applications', 'stage', 'contact'];

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOrNull(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** `data.opportunityId`, or the deprecated alias `data.candidateId`. */
export function opportunityIdOf(data: IDataObject): string | null {
	return idOrNull(data.opportunityId) ?? idOrNull(data.candidateId);
}

/** The stage id of an opportunity, whether `stage` is an id or an expanded object. */
export function currentStageId(opportunity: IDataObject): string | null {
	const stage = opportunity.stage;
	if (typeof stage === 'string') return idOrNull(stage);
	if (isObject(stage)) return idOrNull(stage.id);
	return null;
}

/**
 * One output item: the ids flattened for easy mapping, the time as ISO and ms,
 * the fetched opportunity when there is one, and the envelope as received.
 */
export function buildItem(envelope: LeverEnvelope, raw: IDataObject, opportunity?: IDataObject): IDataObject {
	const data = envelope.data;
	const item: IDataObject = {
		event: envelope.event,
		id: envelope.id,
		triggeredAt: new Date(envelope.triggeredAt).toISOString(),
		triggeredAtMs: envelope.triggeredAt,
		opportunityId: opportunityIdOf(data),
		candidateId: idOrNull(data.candidateId),
		contactId: idOrNull(data.contactId),
		toStageId: idOrNull(data.toStageId),
		fromStageId: idOrNull(data.fromStageId),
	};
	// Other ids the event carries (applicationId, postingId, interviewId, ...).
	for (const [key, value] of Object.entries(data)) {
		if (key.endsWith('Id') && !(key in item) && typeof value === 'string') item[key] = value;
	}
	if (opportunity !== undefined) item.opportunity = opportunity;
	item.envelope = raw;
	return item;
}

/**
 * GET /opportunities/:id?expand=applications&expand=stage&expand=contact.
 * Throws (a NodeApiError from the transport) when Lever fails or answers
 * something that is not an opportunity.
 */
export async function fetchOpportunity(this: IWebhookFunctions, opportunityId: string): Promise<IDataObject> {
	const response = await leverApiRequest.call(this, 'GET', `/opportunities/${encodeURIComponent(opportunityId)}`, {
		qs: { expand: OPPORTUNITY_EXPAND },
		retryPolicy: WEBHOOK_FETCH_RETRY_POLICY,
		timeout: WEBHOOK_FETCH_TIMEOUT_MS,
	});
	const opportunity = isObject(response) ? response.data : undefined;
	if (!isObject(opportunity)) {
		throw new NodeOperationError(
			this.getNode(),
			`Lever answered GET /opportunities/${opportunityId} without an opportunity`,
		);
	}
	return opportunity;
}
