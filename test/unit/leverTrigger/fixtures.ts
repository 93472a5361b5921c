/**
 * Shared fixtures for the Lever Trigger tests: signed envelopes built at run
 * time (no secret-looking literals in source), node parameters, and a runner
 * that calls webhook() on a fake IWebhookFunctions.
 */
import type { jest } from '@jest/globals';
import { createHash } from 'crypto';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { LeverWebhookSigningApi } from '../../../credentials/LeverWebhookSigningApi.credentials';
import { LeverTrigger } from '../../../nodes/LeverTrigger/LeverTrigger.node';
import { hmacSha256Hex } from '../../../nodes/shared/webhookSignature';
import {
	createWebhookContext,
	registerCredentialType,
	type WebhookHarness,
	type WebhookRequest,
} from '../../helpers/n8nContext';

registerCredentialType(new LeverWebhookSigningApi());

export const BASE = 'https://api.lever.co/v1';
export const SIGNING = 'test-signing-secret';
export const OTHER_SIGNING = 'other-signing-secret';
export const API_CREDENTIALS = {
	leverApi: { apiKey: 'test-api-key-value', environment: 'production' },
};

/** A 48-character hex string like Lever's per-delivery `token`, derived from a label. */
export function deliveryToken(label: string): string {
	return createHash('sha256').update(label).digest('hex').slice(0, 48);
}

export const OPP = 'opp-3410c8b9';
export const CONTACT = 'contact-05c248f9';
export const STAGE_BACKGROUND = 'stage-background-check';
export const STAGE_PHONE = 'stage-phone-screen';
export const TRIGGERED_AT = 1431454330072;
export const TRIGGERED_AT_ISO = '2015-05-12T18:12:10.072Z';

export function sign(token: string, triggeredAt: number | string, key: string = SIGNING): string {
	return hmacSha256Hex(key, token + String(triggeredAt));
}

export interface EnvelopeInput {
	id?: string;
	event?: string;
	triggeredAt?: number;
	token?: string;
	data?: IDataObject;
	key?: string;
}

/** A Lever delivery signed with `key` (default: SIGNING). */
export function signedEnvelope(input: EnvelopeInput = {}): IDataObject {
	const token = input.token ?? deliveryToken('delivery-1');
	const triggeredAt = input.triggeredAt ?? TRIGGERED_AT;
	return {
		id: input.id ?? 'evt-1',
		event: input.event ?? 'candidateStageChange',
		triggeredAt,
		token,
		signature: sign(token, triggeredAt, input.key ?? SIGNING),
		data: input.data ?? {
			opportunityId: OPP,
			candidateId: OPP,
			contactId: CONTACT,
			toStageId: STAGE_BACKGROUND,
			fromStageId: STAGE_PHONE,
		},
	};
}

export const MANUAL_PARAMETERS: IDataObject = {
	registration: 'manual',
	events: ['candidateStageChange'],
	toStageIds: [],
	fromStageIds: [],
	fetchOpportunity: false,
	options: {},
};

export interface RunOptions {
	parameters?: IDataObject;
	credentials?: Record<string, IDataObject>;
	staticData?: IDataObject;
	/** Simulate an n8n that kept no raw body: only the parsed `body` reaches the node. */
	withoutRawBody?: boolean;
}

export interface RunResult extends WebhookHarness {
	result: IWebhookResponseData;
	logger: { debug: jest.Mock; info: jest.Mock; warn: jest.Mock; error: jest.Mock };
}

/** Calls the trigger's webhook() with `request` the way n8n would. */
export async function runWebhook(
	request: WebhookRequest,
	opts: RunOptions = {},
): Promise<RunResult> {
	const harness = createWebhookContext({
		parameters: opts.parameters ?? MANUAL_PARAMETERS,
		credentials: (opts.credentials ?? {
			leverWebhookSigningApi: { signatureToken: SIGNING },
		}) as never,
		staticData: opts.staticData,
		request,
	});
	if (opts.withoutRawBody) {
		const original = harness.context.getRequestObject.bind(harness.context);
		(harness.context as { getRequestObject: () => unknown }).getRequestObject = () => ({
			...(original() as object),
			rawBody: undefined,
		});
	}
	const result = await new LeverTrigger().webhook.call(harness.context);
	return { ...harness, result, logger: harness.context.logger as unknown as RunResult['logger'] };
}

/** The request n8n hands the node for a JSON body: parsed body plus the raw bytes. */
export function jsonRequest(body: unknown): WebhookRequest {
	return { body, rawBody: Buffer.from(JSON.stringify(body)) };
}

/** Deterministic PRNG (mulberry32) for the property test. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
