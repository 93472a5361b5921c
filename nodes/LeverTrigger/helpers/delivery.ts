import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { leverApiRequest } from '../../Lever/shared/transport';
import { hasOwn, isPlainObject } from '../../shared/objects';
import type { RetryPolicy } from '../../shared/retry';
import { ownField, type LeverEnvelope } from './envelope';

/**
 * Turning a verified delivery into the trigger's output item, and reading the
 * opportunity it points at.
 */

/**
 * Short retries while Lever waits for our answer: Lever's own timeout is not
 * documented, and a 500 makes Lever deliver again later anyway.
 */
export const WEBHOOK_FETCH_RETRY_POLICY: RetryPolicy = {
	maxRetries: 2,
	baseDelayMs: 300,
	maxDelayMs: 2000,
};

/** Per attempt: a hanging Lever API must not hold Lever's own delivery open for long. */
export const WEBHOOK_FETCH_TIMEOUT_MS = 10_000;

/** What the opportunity is fetched with (repeated keys: expand=a&expand=b). */
export const OPPORTUNITY_EXPAND = ['applications', 'stage', 'contact'];

function idOrNull(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** An own, non-empty string field of a delivery's `data`, else null. */
export function idOf(data: IDataObject, key: string): string | null {
	return idOrNull(ownField(data, key));
}

/**
 * Events whose `data` names an opportunity Lever can be asked about
 * (candidateDeleted names one that no longer exists).
 */
export const OPPORTUNITY_EVENTS = [
	'applicationCreated',
	'candidateArchiveChange',
	'candidateHired',
	'candidateStageChange',
];

/**
 * `data.opportunityId`, or the deprecated alias `data.candidateId` when there
 * is no `opportunityId` at all. An `opportunityId` that is not a non-empty
 * string (a number, an object, null) is no id, and the alias does not stand in
 * for it: such a delivery was not written by Lever.
 */
export function opportunityIdOf(data: IDataObject): string | null {
	return hasOwn(data, 'opportunityId') ? idOf(data, 'opportunityId') : idOf(data, 'candidateId');
}

/** The stage id of an opportunity, whether `stage` is an id or an expanded object. */
export function currentStageId(opportunity: IDataObject): string | null {
	const stage = opportunity.stage;
	if (typeof stage === 'string') return idOrNull(stage);
	if (isPlainObject(stage)) return idOrNull(stage.id);
	return null;
}

/**
 * One output item: the ids of `data` flattened for easy mapping, the time as
 * ISO and ms, and the fetched opportunity when there is one. The
 * delivery's `token` and `signature` are left out: with them, anyone who can
 * read executions could replay the delivery. `envelope` (the body as received)
 * is added only when the user asks for it.
 */
export function buildItem(
	envelope: LeverEnvelope,
	opportunity?: IDataObject,
	raw?: IDataObject,
): IDataObject {
	const data = envelope.data;
	const item: IDataObject = {
		event: envelope.event,
		id: envelope.id,
		triggeredAt: new Date(envelope.triggeredAt).toISOString(),
		triggeredAtMs: envelope.triggeredAt,
		opportunityId: opportunityIdOf(data),
		candidateId: idOf(data, 'candidateId'),
		contactId: idOf(data, 'contactId'),
		toStageId: idOf(data, 'toStageId'),
		fromStageId: idOf(data, 'fromStageId'),
	};
	// Other ids the event carries (applicationId, postingId, interviewId, ...).
	for (const [key, value] of Object.entries(data)) {
		if (key.endsWith('Id') && !hasOwn(item, key) && typeof value === 'string') item[key] = value;
	}
	if (opportunity !== undefined) item.opportunity = opportunity;
	if (raw !== undefined) item.envelope = raw;
	return item;
}

/**
 * GET /opportunities/:id?expand=applications&expand=stage&expand=contact.
 * Throws (a NodeApiError from the transport) when Lever fails or answers
 * something that is not an opportunity.
 */
export async function fetchOpportunity(
	this: IWebhookFunctions,
	opportunityId: string,
): Promise<IDataObject> {
	const response = await leverApiRequest.call(
		this,
		'GET',
		`/opportunities/${encodeURIComponent(opportunityId)}`,
		{
			qs: { expand: OPPORTUNITY_EXPAND },
			retryPolicy: WEBHOOK_FETCH_RETRY_POLICY,
			timeout: WEBHOOK_FETCH_TIMEOUT_MS,
		},
	);
	const opportunity = isPlainObject(response) ? response.data : undefined;
	if (!isPlainObject(opportunity)) {
		throw new NodeOperationError(
			this.getNode(),
			`Lever answered GET /opportunities/${opportunityId} without an opportunity`,
		);
	}
	return opportunity;
}
