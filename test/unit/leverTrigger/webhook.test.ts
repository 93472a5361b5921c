import { describe, expect, it, jest } from '@jest/globals';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import {
	API_CREDENTIALS,
	BASE,
	CONTACT,
	deliveryToken,
	jsonRequest,
	MANUAL_PARAMETERS,
	OPP,
	OTHER_SIGNING,
	runWebhook,
	sign,
	SIGNING,
	signedEnvelope,
	STAGE_BACKGROUND,
	STAGE_PHONE,
	TRIGGERED_AT,
	TRIGGERED_AT_ISO,
} from './fixtures';
import { useOfflineApi } from '../../support/offlineApi';
import {
	MANUAL_TOKEN_COPY,
	MANUAL_TOKEN_COPY_MAX_AGE_MS,
	readManualTokenCopy,
} from '../../../nodes/LeverTrigger/helpers/acceptance';
import { readStoredWebhooks } from '../../../nodes/LeverTrigger/helpers/registration';

function expectRefused(run: Awaited<ReturnType<typeof runWebhook>>, status: number, error: string) {
	expect(run.result).toEqual({ noWebhookResponse: true });
	expect(run.result.workflowData).toBeUndefined();
	expect(run.response).toEqual({ statusCode: status, sent: { error }, ended: true });
	// Verification reads the request object only, never getBodyData().
	expect(run.bodyReads()).toBe(0);
}

function expectAcknowledged(run: Awaited<ReturnType<typeof runWebhook>>, ignored: string) {
	expect(run.result).toEqual({ noWebhookResponse: true });
	expect(run.response).toEqual({ statusCode: 200, sent: { received: true, ignored }, ended: true });
}

describe('Lever Trigger webhook(): verification', () => {
	it('turns a correctly signed stage change into one item with every field', async () => {
		const body = signedEnvelope({
			data: {
				opportunityId: OPP,
				candidateId: OPP,
				contactId: CONTACT,
				toStageId: STAGE_BACKGROUND,
				fromStageId: STAGE_PHONE,
				applicationId: 'app-1',
			},
		});
		const run = await runWebhook(jsonRequest(body));
		expect(run.result).toEqual({
			workflowData: [
				[
					{
						json: {
							event: 'candidateStageChange',
							id: 'evt-1',
							triggeredAt: TRIGGERED_AT_ISO,
							triggeredAtMs: TRIGGERED_AT,
							opportunityId: OPP,
							candidateId: OPP,
							contactId: CONTACT,
							toStageId: STAGE_BACKGROUND,
							fromStageId: STAGE_PHONE,
							applicationId: 'app-1',
						},
						pairedItem: { item: 0 },
					},
				],
			],
		});
		expect(run.response.statusCode).toBeUndefined();
		expect(run.bodyReads()).toBe(0);
		expect(run.requests).toEqual([]);
	});

	it('uses the deprecated candidateId as opportunityId when opportunityId is absent', async () => {
		const body = signedEnvelope({ data: { candidateId: OPP, toStageId: STAGE_BACKGROUND } });
		const run = await runWebhook(jsonRequest(body));
		const json = run.result.workflowData?.[0][0].json as IDataObject;
		expect(json.opportunityId).toBe(OPP);
		expect(json.candidateId).toBe(OPP);
		expect(json.contactId).toBeNull();
		expect(json.fromStageId).toBeNull();
	});

	describe('when n8n kept no raw body', () => {
		it('verifies the parsed body', async () => {
			const run = await runWebhook({ body: signedEnvelope() }, { withoutRawBody: true });
			expect(run.result.workflowData).toHaveLength(1);
		});
		it('parses a text body n8n left unparsed', async () => {
			const run = await runWebhook(
				{ body: JSON.stringify(signedEnvelope()) },
				{ withoutRawBody: true },
			);
			expect(run.result.workflowData).toHaveLength(1);
		});
		it.each([
			['a non-JSON text body', 'hello', 'Body is not valid JSON'],
			['a blank text body', '  ', 'Body is empty'],
			['no body at all', undefined, 'Body is empty'],
			[
				'an oversized parsed body',
				{ ...signedEnvelope(), padding: 'x'.repeat(1024 * 1024) },
				'Body is larger than 1 MB',
			],
			['an empty parsed body', {}, 'Field "event" must be a non-empty string'],
		])('answers 400 to %s', async (_label, body, error) => {
			const run = await runWebhook({ body }, { withoutRawBody: true });
			expectRefused(run, 400, error);
		});
	});

	const token = deliveryToken('delivery-1');
	const valid = signedEnvelope();
	const refusals: Array<[string, IDataObject]> = [
		['the token was altered', { ...valid, token: deliveryToken('delivery-2') }],
		['triggeredAt was altered', { ...valid, triggeredAt: TRIGGERED_AT + 1 }],
		['the signature was altered', { ...valid, signature: sign(token, TRIGGERED_AT + 1) }],
		[
			'the signature was made with another secret',
			{ ...valid, signature: sign(token, TRIGGERED_AT, OTHER_SIGNING) },
		],
		[
			'the signature is upper-case hex',
			{ ...valid, signature: String(valid.signature).toUpperCase() },
		],
		['the signature is truncated', { ...valid, signature: String(valid.signature).slice(0, 63) }],
		['the signature is not hex', { ...valid, signature: 'z'.repeat(64) }],
		[
			'the signature is prefixed like a header',
			{ ...valid, signature: `sha256=${String(valid.signature)}` },
		],
		[
			'the signature is missing',
			Object.fromEntries(Object.entries(valid).filter(([key]) => key !== 'signature')),
		],
		['the signature is empty', { ...valid, signature: '' }],
		['the signature is an object', { ...valid, signature: { v1: valid.signature } }],
		['the signature is null', { ...valid, signature: null }],
	];
	it.each(refusals)('answers 401 when %s', async (_label, body) => {
		const run = await runWebhook(jsonRequest(body));
		expectRefused(run, 401, 'Invalid signature');
		expect(run.logger.warn).toHaveBeenCalledWith(
			'Lever Trigger refused a "candidateStageChange" delivery: invalid signature',
		);
	});

	const without = (source: IDataObject, field: string): IDataObject =>
		Object.fromEntries(Object.entries(source).filter(([key]) => key !== field));
	const malformed: Array<[string, unknown, string]> = [
		['token is missing', without(valid, 'token'), 'Field "token" must be a non-empty string'],
		[
			'triggeredAt is missing',
			without(valid, 'triggeredAt'),
			'Field "triggeredAt" must be a timestamp in epoch milliseconds',
		],
		['event is missing', without(valid, 'event'), 'Field "event" must be a non-empty string'],
		[
			'triggeredAt is a string',
			{ ...valid, triggeredAt: String(TRIGGERED_AT) },
			'Field "triggeredAt" must be a timestamp in epoch milliseconds',
		],
		[
			'triggeredAt is fractional',
			{ ...valid, triggeredAt: TRIGGERED_AT + 0.5 },
			'Field "triggeredAt" must be a timestamp in epoch milliseconds',
		],
		[
			'triggeredAt is negative',
			{ ...valid, triggeredAt: -1 },
			'Field "triggeredAt" must be a timestamp in epoch milliseconds',
		],
		['token is a number', { ...valid, token: 42 }, 'Field "token" must be a non-empty string'],
		['data is an array', { ...valid, data: [OPP] }, 'Field "data" must be an object'],
		['id is a number', { ...valid, id: 7 }, 'Field "id" must be a string'],
		['the body is an array', [valid], 'Body must be a JSON object'],
		['the body is a JSON string', JSON.stringify(valid), 'Body must be a JSON object'],
		['the body is null', null, 'Body must be a JSON object'],
	];
	it.each(malformed)('answers 400 when %s', async (_label, body, error) => {
		const run = await runWebhook(jsonRequest(body));
		expectRefused(run, 400, error);
	});

	it('answers 400 to a body that is not JSON', async () => {
		const run = await runWebhook({
			body: {},
			rawBody: 'token=abc&signature=def',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expectRefused(run, 400, 'Body is not valid JSON');
	});

	it('answers 400 to truncated JSON', async () => {
		const text = JSON.stringify(valid);
		const run = await runWebhook({ body: {}, rawBody: text.slice(0, text.length - 5) });
		expectRefused(run, 400, 'Body is not valid JSON');
	});

	it('answers 400 to an empty body', async () => {
		const run = await runWebhook({ body: {}, rawBody: '' });
		expectRefused(run, 400, 'Body is empty');
	});

	it('answers 400 to a body over 1 MB, before parsing it', async () => {
		const huge = {
			...valid,
			data: { ...(valid.data as IDataObject), padding: 'x'.repeat(1024 * 1024) },
		};
		const run = await runWebhook(jsonRequest(huge));
		expectRefused(run, 400, 'Body is larger than 1 MB');
	});

	it('refuses (401) when the manual credential is missing, and logs why', async () => {
		const run = await runWebhook(jsonRequest(valid), { credentials: {} });
		expectRefused(run, 401, 'Invalid signature');
		expect(run.logger.error).toHaveBeenCalledTimes(1);
		expect(String((run.logger.error as jest.Mock).mock.calls[0][0])).toContain(
			'no "Lever Webhook Signature Token" credential',
		);
	});

	it('refuses (401) when the credential field is blank', async () => {
		const run = await runWebhook(jsonRequest(valid), {
			credentials: { leverWebhookSigningApi: { signatureToken: ' , ' } },
		});
		expectRefused(run, 401, 'Invalid signature');
	});

	it('accepts a delivery signed with any of several tokens (commas or new lines), and no other', async () => {
		const credentials = {
			leverWebhookSigningApi: {
				signatureToken: `first-signing-secret, second-signing-secret\nthird-signing-secret`,
			},
		};
		for (const key of ['first-signing-secret', 'second-signing-secret', 'third-signing-secret']) {
			const run = await runWebhook(jsonRequest(signedEnvelope({ key })), { credentials });
			expect(run.result.workflowData).toHaveLength(1);
		}
		const run = await runWebhook(jsonRequest(signedEnvelope({ key: 'fourth-signing-secret' })), {
			credentials,
		});
		expectRefused(run, 401, 'Invalid signature');
	});

	it('accepts the same correctly signed delivery twice (Lever retries and Reruns; no dedup in the trigger)', async () => {
		const body = signedEnvelope();
		const first = await runWebhook(jsonRequest(body));
		const second = await runWebhook(jsonRequest(body));
		expect(first.result.workflowData).toHaveLength(1);
		expect(second.result).toEqual(first.result);
	});
});

describe('Lever Trigger webhook(): the Manual token copy', () => {
	const copyOf = (staticData: IDataObject) =>
		staticData[MANUAL_TOKEN_COPY] as { tokens: string[]; copiedAt: number } | undefined;
	const started = (run: Awaited<ReturnType<typeof runWebhook>>) =>
		expect(run.result.workflowData?.[0]).toHaveLength(1);

	it('copies the credential once, then verifies from the copy without reading the credential', async () => {
		const staticData: IDataObject = {};
		started(await runWebhook(jsonRequest(signedEnvelope()), { staticData }));
		expect(copyOf(staticData)?.tokens).toEqual([SIGNING]);

		// No credential at all now: only the copy can accept this delivery.
		const run = await runWebhook(jsonRequest(signedEnvelope()), { staticData, credentials: {} });
		started(run);
		expect(run.logger.error).not.toHaveBeenCalled();
	});

	it('reads the credential again for a token the copy lacks, and refreshes the copy', async () => {
		const staticData: IDataObject = {
			[MANUAL_TOKEN_COPY]: { tokens: [SIGNING], copiedAt: Date.now() },
		};
		const run = await runWebhook(jsonRequest(signedEnvelope({ key: OTHER_SIGNING })), {
			staticData,
			credentials: { leverWebhookSigningApi: { signatureToken: `${SIGNING}, ${OTHER_SIGNING}` } },
		});
		started(run);
		expect(copyOf(staticData)?.tokens).toEqual([SIGNING, OTHER_SIGNING]);
	});

	it('stops accepting a token removed from the credential once the copy is 5 minutes old', async () => {
		const copiedAt = Date.now() - MANUAL_TOKEN_COPY_MAX_AGE_MS - 1000;
		const staticData: IDataObject = { [MANUAL_TOKEN_COPY]: { tokens: [SIGNING], copiedAt } };
		const credentials = { leverWebhookSigningApi: { signatureToken: OTHER_SIGNING } };
		const run = await runWebhook(jsonRequest(signedEnvelope()), { staticData, credentials });
		expectRefused(run, 401, 'Invalid signature');
		expect(copyOf(staticData)?.tokens).toEqual([OTHER_SIGNING]);
	});

	it('a forged delivery is refused and leaves a copy of the credential only', async () => {
		const staticData: IDataObject = {};
		const forged = { ...signedEnvelope(), signature: 'f'.repeat(64) };
		expectRefused(await runWebhook(jsonRequest(forged), { staticData }), 401, 'Invalid signature');
		expect(copyOf(staticData)?.tokens).toEqual([SIGNING]);
		expect(readManualTokenCopy(staticData, Date.now())).toEqual([SIGNING]);
		// Not a stored webhook: Automatic registration never reads it as one.
		expect(readStoredWebhooks(staticData)).toEqual({});
	});

	it('drops the copy when the credential cannot be read, and refuses', async () => {
		const staticData: IDataObject = {
			[MANUAL_TOKEN_COPY]: { tokens: [OTHER_SIGNING], copiedAt: Date.now() },
		};
		const run = await runWebhook(jsonRequest(signedEnvelope()), { staticData, credentials: {} });
		expectRefused(run, 401, 'Invalid signature');
		expect(copyOf(staticData)).toBeUndefined();
	});
});

describe('Lever Trigger webhook(): automatic registration tokens', () => {
	const parameters = {
		...MANUAL_PARAMETERS,
		registration: 'automatic',
		events: ['candidateStageChange', 'candidateHired'],
	};
	const staticData = {
		candidateStageChange: { id: 'wh-stage', signatureToken: SIGNING },
		candidateHired: { id: 'wh-hired', signatureToken: OTHER_SIGNING },
	};

	it('verifies with the token stored for the delivery event', async () => {
		const run = await runWebhook(jsonRequest(signedEnvelope()), {
			parameters,
			staticData,
			credentials: {},
		});
		expect(run.result.workflowData).toHaveLength(1);
		const hired = await runWebhook(
			jsonRequest(
				signedEnvelope({
					event: 'candidateHired',
					key: OTHER_SIGNING,
					data: { opportunityId: OPP },
				}),
			),
			{
				parameters,
				staticData,
				credentials: {},
			},
		);
		expect((hired.result.workflowData?.[0][0].json as IDataObject).event).toBe('candidateHired');
	});

	it("refuses a delivery whose event was re-labelled (signed with another webhook's token)", async () => {
		const body = signedEnvelope({ event: 'candidateHired', key: SIGNING });
		const run = await runWebhook(jsonRequest(body), { parameters, staticData, credentials: {} });
		expectRefused(run, 401, 'Invalid signature');
	});

	it('acknowledges a signed test ping whatever event it names, checked against every stored token', async () => {
		// Lever's sample ping names candidateHired; the test button may send it for any webhook.
		const token = deliveryToken('ping');
		const ping = (event: string, key: string) => ({
			triggeredAt: TRIGGERED_AT,
			event,
			data: {},
			token,
			signature: sign(token, TRIGGERED_AT, key),
		});
		const onlyStage = { candidateStageChange: staticData.candidateStageChange };
		const run = await runWebhook(jsonRequest(ping('candidateHired', SIGNING)), {
			parameters,
			staticData: onlyStage,
			credentials: {},
		});
		expectAcknowledged(run, 'test ping');
		const forged = await runWebhook(jsonRequest(ping('candidateHired', 'not-our-signing-secret')), {
			parameters,
			staticData: onlyStage,
			credentials: {},
		});
		expectRefused(forged, 401, 'Invalid signature');
	});

	it('does not extend that to deliveries with data: an event re-labelled onto a stored token stays refused', async () => {
		const body = signedEnvelope({
			event: 'candidateArchiveChange',
			key: SIGNING,
			data: { opportunityId: OPP },
		});
		const run = await runWebhook(jsonRequest(body), {
			parameters: { ...parameters, events: ['candidateStageChange', 'candidateArchiveChange'] },
			staticData,
			credentials: {},
		});
		expectRefused(run, 401, 'Invalid signature');
	});

	it('refuses everything when nothing is stored (not activated), saying so in the log', async () => {
		const run = await runWebhook(jsonRequest(signedEnvelope()), {
			parameters,
			staticData: {},
			credentials: {},
		});
		expectRefused(run, 401, 'Invalid signature');
		expect(run.logger.warn).toHaveBeenCalledWith(
			'Lever Trigger refused a "candidateStageChange" delivery: no signature token is known for it (re-publish the workflow, or check the credential)',
		);
	});
});

describe('Lever Trigger webhook(): pings, filters and age', () => {
	const ping = () => {
		const token = deliveryToken('ping');
		return {
			triggeredAt: TRIGGERED_AT,
			event: 'candidateHired',
			data: {},
			signature: sign(token, TRIGGERED_AT),
			token,
		};
	};

	it('acknowledges a signed test ping with 200 and starts nothing by default', async () => {
		const run = await runWebhook(jsonRequest(ping()));
		expectAcknowledged(run, 'test ping');
	});

	it('starts an execution for a signed ping when Allow Test Pings is on (even for an unselected event)', async () => {
		const body = ping();
		const run = await runWebhook(jsonRequest(body), {
			parameters: { ...MANUAL_PARAMETERS, options: { allowTestPings: true } },
		});
		expect(run.result.workflowData?.[0]).toEqual([
			{
				json: {
					event: 'candidateHired',
					id: null,
					triggeredAt: TRIGGERED_AT_ISO,
					triggeredAtMs: TRIGGERED_AT,
					opportunityId: null,
					candidateId: null,
					contactId: null,
					toStageId: null,
					fromStageId: null,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('still refuses an unsigned ping', async () => {
		const run = await runWebhook(
			jsonRequest({
				...ping(),
				signature: sign(deliveryToken('ping'), TRIGGERED_AT, OTHER_SIGNING),
			}),
			{
				parameters: { ...MANUAL_PARAMETERS, options: { allowTestPings: true } },
			},
		);
		expectRefused(run, 401, 'Invalid signature');
	});

	it('acknowledges an event that is not selected without starting anything', async () => {
		const run = await runWebhook(
			jsonRequest(signedEnvelope({ event: 'candidateHired', data: { opportunityId: OPP } })),
		);
		expectAcknowledged(run, 'event not selected');
	});

	it('fires only for the selected target stages', async () => {
		const parameters = { ...MANUAL_PARAMETERS, toStageIds: [STAGE_BACKGROUND, 'stage-offer'] };
		const into = await runWebhook(jsonRequest(signedEnvelope()), { parameters });
		expect(into.result.workflowData).toHaveLength(1);
		const elsewhere = await runWebhook(
			jsonRequest(
				signedEnvelope({
					data: { opportunityId: OPP, toStageId: 'stage-onsite', fromStageId: STAGE_PHONE },
				}),
			),
			{ parameters },
		);
		expectAcknowledged(elsewhere, 'stage not selected');
	});

	it('accepts stage ids given as an expression string', async () => {
		const parameters = { ...MANUAL_PARAMETERS, toStageIds: `stage-offer, ${STAGE_BACKGROUND}` };
		const run = await runWebhook(jsonRequest(signedEnvelope()), { parameters });
		expect(run.result.workflowData).toHaveLength(1);
	});

	it('applies the optional source-stage filter', async () => {
		const fromPhone = await runWebhook(jsonRequest(signedEnvelope()), {
			parameters: { ...MANUAL_PARAMETERS, fromStageIds: [STAGE_PHONE] },
		});
		expect(fromPhone.result.workflowData).toHaveLength(1);
		const fromOther = await runWebhook(jsonRequest(signedEnvelope()), {
			parameters: { ...MANUAL_PARAMETERS, fromStageIds: ['stage-onsite'] },
		});
		expectAcknowledged(fromOther, 'stage not selected');
	});

	it('refuses (401) a delivery older than Max Age and accepts a fresh one', async () => {
		const parameters = { ...MANUAL_PARAMETERS, options: { maxAgeSeconds: 300 } };
		const fresh = await runWebhook(
			jsonRequest(signedEnvelope({ triggeredAt: Date.now() - 5_000 })),
			{ parameters },
		);
		expect(fresh.result.workflowData).toHaveLength(1);
		const old = await runWebhook(
			jsonRequest(signedEnvelope({ triggeredAt: Date.now() - 301_000 })),
			{ parameters },
		);
		expectRefused(old, 401, 'Delivery is outside the accepted time window');
		const future = await runWebhook(
			jsonRequest(signedEnvelope({ triggeredAt: Date.now() + 600_000 })),
			{ parameters },
		);
		expectRefused(future, 401, 'Delivery is outside the accepted time window');
		// Max Age 0 (default) accepts the 2015 example delivery.
		expect((await runWebhook(jsonRequest(signedEnvelope()))).result.workflowData).toHaveLength(1);
	});
});

describe('Lever Trigger webhook(): fetching the opportunity', () => {
	const parameters = { ...MANUAL_PARAMETERS, fetchOpportunity: true, authentication: 'apiKey' };
	const credentials = { leverWebhookSigningApi: { signatureToken: SIGNING }, ...API_CREDENTIALS };
	const basic = `Basic ${Buffer.from('test-api-key-value:').toString('base64')}`;
	const opportunity = (stage: unknown) => ({
		id: OPP,
		name: 'Ada Lovelace',
		emails: ['ada@example.com'],
		phones: [{ type: 'mobile', value: '+1 555 0100' }],
		location: 'London',
		tags: ['background-check:standard'],
		stage,
		contact: { id: CONTACT, name: 'Ada Lovelace' },
		applications: [{ id: 'app-1', posting: 'posting-1', type: 'posting' }],
	});
	const expandQuery = (q: Record<string, unknown>) =>
		JSON.stringify(q) === JSON.stringify({ expand: ['applications', 'stage', 'contact'] });

	const offline = useOfflineApi();

	it('adds the opportunity, fetched with repeated expand keys and the API key', async () => {
		const fetched = opportunity({ id: STAGE_BACKGROUND, text: 'Background Check' });
		const scope = nock(BASE, { reqheaders: { authorization: basic } })
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.reply(200, { data: fetched });
		const body = signedEnvelope();
		const run = await runWebhook(jsonRequest(body), { parameters, credentials });
		expect(scope.isDone()).toBe(true);
		expect(run.requests).toHaveLength(1);
		expect(run.requests[0].credentialType).toBe('leverApi');
		expect(run.requests[0].options).toMatchObject({
			method: 'GET',
			url: `${BASE}/opportunities/${OPP}`,
			qs: { expand: ['applications', 'stage', 'contact'] },
			arrayFormat: 'repeat',
		});
		expect(run.result.workflowData?.[0][0].json).toEqual({
			event: 'candidateStageChange',
			id: 'evt-1',
			triggeredAt: TRIGGERED_AT_ISO,
			triggeredAtMs: TRIGGERED_AT,
			opportunityId: OPP,
			candidateId: OPP,
			contactId: CONTACT,
			toStageId: STAGE_BACKGROUND,
			fromStageId: STAGE_PHONE,
			opportunity: fetched,
		});
	});

	it('accepts a stage given as a plain id', async () => {
		nock(BASE)
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.reply(200, { data: opportunity(STAGE_BACKGROUND) });
		const run = await runWebhook(jsonRequest(signedEnvelope()), { parameters, credentials });
		expect(run.result.workflowData).toHaveLength(1);
	});

	it("starts nothing when a captured delivery is resent with another opportunity's id that is not in the stage", async () => {
		// A genuine, correctly signed delivery for OPP...
		const captured = signedEnvelope();
		// ...replayed with the victim's id: token and triggeredAt (all that is signed) unchanged.
		const forged = {
			...captured,
			data: {
				...(captured.data as IDataObject),
				opportunityId: 'opp-victim',
				candidateId: 'opp-victim',
			},
		};
		const scope = nock(BASE)
			.get('/opportunities/opp-victim')
			.query(expandQuery)
			.reply(200, {
				data: { ...opportunity({ id: STAGE_PHONE, text: 'Phone Screen' }), id: 'opp-victim' },
			});
		const run = await runWebhook(jsonRequest(forged), { parameters, credentials });
		expect(scope.isDone()).toBe(true);
		expectAcknowledged(run, 'opportunity is not in that stage');
		expect(run.logger.warn).toHaveBeenCalledWith(
			`Lever Trigger ignored a candidateStageChange delivery: opportunity "opp-victim" is not in stage "${STAGE_BACKGROUND}" (a replay, or the candidate moved on)`,
		);
		expect(JSON.stringify((run.logger.warn as jest.Mock).mock.calls)).not.toContain(SIGNING);
	});

	it('acknowledges (200, no retry) and starts nothing when Lever has no such opportunity', async () => {
		const scope = nock(BASE)
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.reply(404, { code: 'ResourceNotFound', message: 'opportunity not found' });
		const run = await runWebhook(jsonRequest(signedEnvelope()), { parameters, credentials });
		expect(scope.isDone()).toBe(true);
		expectAcknowledged(run, 'opportunity not found');
		expect(offline.sleep).not.toHaveBeenCalled();
		expect(run.logger.warn).toHaveBeenCalledWith(
			`Lever Trigger ignored a "candidateStageChange" delivery: Lever has no opportunity "${OPP}" (deleted since, or a doctored delivery)`,
		);
	});

	it('answers 500 (Lever retries later) and starts nothing when Lever refuses the credential', async () => {
		nock(BASE)
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.reply(401, { code: 'Unauthorized', message: 'Invalid API key' });
		const run = await runWebhook(jsonRequest(signedEnvelope()), { parameters, credentials });
		expectRefused(run, 500, 'Could not read the opportunity from Lever; please retry later');
		expect(run.logger.error).toHaveBeenCalledWith(
			`Lever Trigger could not read opportunity "${OPP}" for a "candidateStageChange" delivery; answered 500 so Lever retries: "Lever GET /opportunities/${OPP} failed with 401 Unauthorized: Invalid API key"`,
		);
		expect(JSON.stringify((run.logger.error as jest.Mock).mock.calls)).not.toContain(
			'test-api-key-value',
		);
	});

	it('bounds each read of the opportunity with a timeout', async () => {
		nock(BASE)
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.reply(200, { data: opportunity(STAGE_BACKGROUND) });
		const run = await runWebhook(jsonRequest(signedEnvelope()), { parameters, credentials });
		expect(run.requests[0].options.timeout).toBe(10_000);
	});

	it('answers 500 when Lever stays unavailable, after the short bounded retries', async () => {
		// (A 503 rather than replyWithError: nock 14's socket errors can crash a jest
		// worker that already ran another suite using nock.)
		const scope = nock(BASE)
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.times(3)
			.reply(503, { code: 'ServiceUnavailable', message: 'maintenance' });
		const run = await runWebhook(jsonRequest(signedEnvelope()), { parameters, credentials });
		expect(scope.isDone()).toBe(true);
		expectRefused(run, 500, 'Could not read the opportunity from Lever; please retry later');
		expect(offline.sleep).toHaveBeenCalledTimes(2);
		for (const [delay] of offline.sleep.mock.calls) expect(delay).toBeLessThanOrEqual(2000);
		expect(run.logger.error).toHaveBeenCalledWith(
			`Lever Trigger could not read opportunity "${OPP}" for a "candidateStageChange" delivery; answered 500 so Lever retries: "Lever GET /opportunities/${OPP} failed with 503 ServiceUnavailable after 3 attempts: maintenance"`,
		);
	});

	it('fetches for other events without the stage check', async () => {
		nock(BASE)
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.reply(200, { data: opportunity(STAGE_PHONE) });
		const body = signedEnvelope({ event: 'candidateHired', data: { opportunityId: OPP } });
		const run = await runWebhook(jsonRequest(body), {
			parameters: { ...parameters, events: ['candidateHired'] },
			credentials,
		});
		expect((run.result.workflowData?.[0][0].json as IDataObject).opportunity).toEqual(
			opportunity(STAGE_PHONE),
		);
	});

	it('does not fetch for candidateDeleted or for events without an opportunity', async () => {
		const deleted = await runWebhook(
			jsonRequest(signedEnvelope({ event: 'candidateDeleted', data: { opportunityId: OPP } })),
			{
				parameters: { ...parameters, events: ['candidateDeleted', 'contactUpdated'] },
				credentials,
			},
		);
		expect(deleted.requests).toEqual([]);
		expect((deleted.result.workflowData?.[0][0].json as IDataObject).opportunity).toBeUndefined();
		const contact = await runWebhook(
			jsonRequest(signedEnvelope({ event: 'contactUpdated', data: { contactId: CONTACT } })),
			{
				parameters: { ...parameters, events: ['candidateDeleted', 'contactUpdated'] },
				credentials,
			},
		);
		expect(contact.requests).toEqual([]);
		expect((contact.result.workflowData?.[0][0].json as IDataObject).contactId).toBe(CONTACT);
	});

	it('does not call Lever for a delivery it refuses or filters out', async () => {
		const bad = await runWebhook(jsonRequest({ ...signedEnvelope(), signature: sign('x', 1) }), {
			parameters,
			credentials,
		});
		expect(bad.requests).toEqual([]);
		const filtered = await runWebhook(jsonRequest(signedEnvelope()), {
			parameters: { ...parameters, toStageIds: ['stage-offer'] },
			credentials,
		});
		expect(filtered.requests).toEqual([]);
	});

	it('uses the OAuth2 credential when Authentication is OAuth2', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: 'Bearer test-access-value' } })
			.get(`/opportunities/${OPP}`)
			.query(expandQuery)
			.reply(200, { data: opportunity(STAGE_BACKGROUND) });
		const run = await runWebhook(jsonRequest(signedEnvelope()), {
			parameters: { ...parameters, authentication: 'oAuth2' },
			credentials: {
				leverWebhookSigningApi: { signatureToken: SIGNING },
				leverOAuth2Api: {
					environment: 'production',
					oauthTokenData: { access_token: 'test-access-value' },
				},
			},
		});
		expect(scope.isDone()).toBe(true);
		expect(run.result.workflowData).toHaveLength(1);
	});
});

describe('Lever Trigger webhook(): doctored deliveries (issue 9 findings)', () => {
	const guarded = { ...MANUAL_PARAMETERS, fetchOpportunity: true, authentication: 'apiKey' };
	const credentials = { leverWebhookSigningApi: { signatureToken: SIGNING }, ...API_CREDENTIALS };
	const captured = signedEnvelope();

	it.each<[string, string]>([
		[
			'no opportunityId at all (applicationId only)',
			JSON.stringify({
				...captured,
				data: { toStageId: STAGE_BACKGROUND, applicationId: 'app-1' },
			}),
		],
		...[42, ['opp'], { id: OPP }, null, '', true].map((value): [string, string] => [
			`opportunityId ${JSON.stringify(value)}`,
			JSON.stringify({
				...captured,
				data: { ...(captured.data as IDataObject), opportunityId: value },
			}),
		]),
		[
			'opportunityId only under an own __proto__ key',
			JSON.stringify({ ...captured, data: {} }).replace(
				'"data":{}',
				`"data":{"__proto__":{"opportunityId":"${OPP}"},"toStageId":"${STAGE_BACKGROUND}"}`,
			),
		],
	])(
		'1. with Fetch Opportunity on, a stage change with %s starts nothing and calls nobody',
		async (_label, text) => {
			const run = await runWebhook(
				{ body: JSON.parse(text), rawBody: text },
				{ parameters: guarded, credentials },
			);
			expectAcknowledged(run, 'no opportunity in the delivery');
			expect(run.requests).toEqual([]);
			expect(run.logger.warn).toHaveBeenCalledWith(
				'Lever Trigger ignored a "candidateStageChange" delivery without a usable opportunityId (not sent by Lever)',
			);
		},
	);

	it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
		'2. an unauthenticated "%s" event in Automatic registration is refused (401) without throwing',
		async (event) => {
			const parameters = { ...MANUAL_PARAMETERS, registration: 'automatic' };
			const staticData = { candidateStageChange: { id: 'wh-1', signatureToken: SIGNING } };
			const run = await runWebhook(jsonRequest({ ...captured, event }), {
				parameters,
				staticData,
				credentials: {},
			});
			expectRefused(run, 401, 'Invalid signature');
			expect(run.logger.warn).toHaveBeenCalledWith(
				'Lever Trigger refused a unrecognised delivery: no signature token is known for it (re-publish the workflow, or check the credential)',
			);
		},
	);

	it('2. a stored entry without a usable token verifies nothing', async () => {
		const parameters = { ...MANUAL_PARAMETERS, registration: 'automatic' };
		for (const signatureToken of ['', 7, null]) {
			const staticData = { candidateStageChange: { id: 'wh-1', signatureToken } };
			const run = await runWebhook(jsonRequest(captured), {
				parameters,
				staticData,
				credentials: {},
			});
			expectRefused(run, 401, 'Invalid signature');
		}
	});

	it('3. logs no unverified event verbatim: a huge event with a fake log line is not written out', async () => {
		const event = `candidateStageChange\n2026-01-01T00:00:00Z INFO fake entry ${'x'.repeat(900_000)}`;
		const run = await runWebhook(jsonRequest({ ...captured, event, signature: sign('x', 1) }));
		expectRefused(run, 401, 'Invalid signature');
		expect(run.logger.warn).toHaveBeenCalledWith(
			'Lever Trigger refused a unrecognised delivery: invalid signature',
		);
	});

	it('4. digits moved from triggeredAt to the token keep the signature but not a millisecond timestamp', async () => {
		const old = Date.now() - 47 * 86_400_000;
		const genuine = signedEnvelope({ triggeredAt: old }) as { token: string; triggeredAt: number };
		const moved = {
			...genuine,
			token: genuine.token + String(old).slice(0, 3),
			triggeredAt: Number(String(old).slice(3)),
		};
		expect(sign(moved.token, moved.triggeredAt)).toBe((genuine as IDataObject).signature);
		const parameters = { ...MANUAL_PARAMETERS, options: { maxAgeSeconds: 300 } };
		expectRefused(
			await runWebhook(jsonRequest(moved), { parameters }),
			400,
			'Field "triggeredAt" must be a timestamp in epoch milliseconds',
		);
		expectRefused(
			await runWebhook(jsonRequest(genuine), { parameters }),
			401,
			'Delivery is outside the accepted time window',
		);
	});

	it('4. a delivery more than an hour ahead of this clock is refused even without Max Age', async () => {
		const run = await runWebhook(
			jsonRequest(signedEnvelope({ triggeredAt: Date.now() + 2 * 3_600_000 })),
		);
		expectRefused(run, 401, 'Delivery is outside the accepted time window');
	});

	it('5. a stage change whose toStageId is null starts nothing, even when Lever says stage null', async () => {
		nock(BASE)
			.get(`/opportunities/${OPP}`)
			.query(true)
			.optionally()
			.reply(200, { data: { id: OPP, stage: null } });
		const body = signedEnvelope({
			data: { opportunityId: OPP, toStageId: null } as unknown as IDataObject,
		});
		const run = await runWebhook(jsonRequest(body), { parameters: guarded, credentials });
		expectAcknowledged(run, 'no stage in the delivery');
		expect(run.requests).toEqual([]);
		nock.cleanAll();
	});

	it('6. the item carries no token or signature; Include Delivery Envelope adds the body on request', async () => {
		const run = await runWebhook(jsonRequest(captured));
		const text = JSON.stringify(run.result.workflowData);
		expect(text).not.toContain(String(captured.token));
		expect(text).not.toContain(String(captured.signature));
		const debug = await runWebhook(jsonRequest(captured), {
			parameters: { ...MANUAL_PARAMETERS, options: { includeEnvelope: true } },
		});
		expect((debug.result.workflowData?.[0][0].json as IDataObject).envelope).toEqual(captured);
	});

	it('with Authentication None, nothing is fetched even when Fetch Opportunity is stored as on', async () => {
		const run = await runWebhook(jsonRequest(captured), {
			parameters: { ...guarded, authentication: 'none' },
		});
		expect(run.requests).toEqual([]);
		expect(run.result.workflowData).toHaveLength(1);
	});
});
