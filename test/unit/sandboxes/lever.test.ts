import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { createHmac } from 'crypto';
import { sleep } from 'n8n-workflow';

import { SEED, startLeverSandbox, type LeverSandbox } from '../../../sandboxes/lever/server';
import { startReceiver, type Receiver } from '../../../sandboxes/lever/receiver';
import { startCallbackReceiver, type CallbackReceiver } from '../../../sandboxes/proforma/receiver';

/**
 * The local Lever sandbox over real HTTP: auth, lists, expand, tags, stages,
 * notes, the webhooks API, signed webhook deliveries with retries and reruns,
 * fault injection, the rate limit per API key and bulk stage moves (their
 * receiver is the Proforma sandbox's, which can hold its answers).
 */

const RETRY_SCHEDULE = [40, 60, 80, 100, 120];

let lever: LeverSandbox;
let receiver: Receiver;

type Json = Record<string, unknown>;

async function api(
	method: string,
	path: string,
	body?: unknown,
	config: AxiosRequestConfig = {},
): Promise<AxiosResponse> {
	return axios.request({
		method,
		url: `${lever.url}${path}`,
		data: body,
		auth: { username: SEED.apiKey, password: '' },
		validateStatus: () => true,
		...config,
	});
}

async function control(
	method: string,
	path: string,
	body?: unknown,
	sandbox: LeverSandbox = lever,
): Promise<AxiosResponse> {
	return axios.request({
		method,
		url: `${sandbox.origin}/__sandbox${path}`,
		data: body,
		validateStatus: () => true,
	});
}

/** GET /v1/stages on `sandbox` with `apiKey`. */
async function getStages(sandbox: LeverSandbox, apiKey = SEED.apiKey): Promise<AxiosResponse> {
	return axios.get(`${sandbox.url}/stages`, {
		auth: { username: apiKey, password: '' },
		validateStatus: () => true,
	});
}

/** The statuses of `count` GET /v1/stages sent one after the other. */
async function statusesOf(sandbox: LeverSandbox, count: number, apiKey = SEED.apiKey) {
	const statuses: number[] = [];
	for (let i = 0; i < count; i++) statuses.push((await getStages(sandbox, apiKey)).status);
	return statuses;
}

const times = (count: number, status: number) => Array.from({ length: count }, () => status);

function expectedSignature(
	signingKey: string,
	body: { token: string; triggeredAt: number },
): string {
	return createHmac('sha256', signingKey)
		.update(body.token + String(body.triggeredAt))
		.digest('hex');
}

beforeAll(async () => {
	lever = await startLeverSandbox({
		port: 0,
		seed: true,
		log: false,
		webhookRetryScheduleMs: RETRY_SCHEDULE,
		webhookTimeoutMs: 300,
	});
	receiver = await startReceiver();
});

afterAll(async () => {
	await lever.close();
	await receiver.close();
});

beforeEach(() => {
	lever.reset();
	receiver.clear();
	receiver.setStatuses([], 200);
});

describe('Lever sandbox: auth and errors', () => {
	it('accepts only Basic auth with the API key as username and an empty password', async () => {
		const none = await axios.get(`${lever.url}/stages`, { validateStatus: () => true });
		expect(none.status).toBe(401);
		expect(none.data).toEqual({
			code: 'Unauthorized',
			message: expect.stringContaining('API key'),
		});

		const wrongKey = await api('GET', '/stages', undefined, {
			auth: { username: 'not-the-key', password: '' },
		});
		expect(wrongKey.status).toBe(401);
		const withPassword = await api('GET', '/stages', undefined, {
			auth: { username: SEED.apiKey, password: 'x' },
		});
		expect(withPassword.status).toBe(401);
		const bearer = await axios.get(`${lever.url}/stages`, {
			headers: { Authorization: `Bearer ${SEED.apiKey}` },
			validateStatus: () => true,
		});
		expect(bearer.status).toBe(401);

		const ok = await api('GET', '/stages');
		expect(ok.status).toBe(200);
		expect(ok.data.data).toContainEqual({
			id: 'stage-background-screening',
			text: 'Background Screening',
		});
	});

	it('answers Lever-style {code, message} errors', async () => {
		const missing = await api('GET', '/opportunities/opp-nobody');
		expect(missing.status).toBe(404);
		expect(missing.data).toEqual({
			code: 'ResourceNotFound',
			message: 'opportunities opp-nobody was not found',
		});

		const badLimit = await api('GET', '/opportunities?limit=101');
		expect(badLimit.status).toBe(400);
		expect(badLimit.data.code).toBe('BadRequest');

		const unknownRoute = await api('GET', '/nothing-here');
		expect(unknownRoute.status).toBe(404);
		expect(unknownRoute.data.code).toBe('ResourceNotFound');
	});
});

describe('Lever sandbox: lists and expand', () => {
	it('pages with limit and the opaque next token, and rejects invented offsets', async () => {
		const first = await api('GET', '/opportunities?limit=5');
		expect(first.status).toBe(200);
		expect(first.data.data).toHaveLength(5);
		expect(first.data.hasNext).toBe(true);
		expect(typeof first.data.next).toBe('string');

		const second = await api(
			'GET',
			`/opportunities?limit=5&offset=${encodeURIComponent(first.data.next)}`,
		);
		expect(second.status).toBe(200);
		expect(second.data.hasNext).toBe(false);
		expect(second.data.next).toBeUndefined();

		const ids = [...first.data.data, ...second.data.data].map((o: Json) => o.id).sort();
		expect(ids).toEqual(Object.values(SEED.opportunities).sort());

		const forged = await api('GET', '/opportunities?limit=5&offset=5');
		expect(forged.status).toBe(400);
		expect(forged.data.code).toBe('BadRequest');
		// A token of one list is not valid for another.
		const crossList = await api('GET', `/stages?offset=${encodeURIComponent(first.data.next)}`);
		expect(crossList.status).toBe(400);
	});

	it('returns ids unexpanded and objects for repeated expand keys', async () => {
		const plain = await api('GET', '/opportunities/opp-ada');
		expect(plain.data.data).toMatchObject({
			id: 'opp-ada',
			name: 'Ada Lovelace',
			emails: ['ada+clear@example.com'],
			phones: [{ type: 'mobile', value: '+44 20 7946 0100' }],
			location: 'London, UK',
			stage: 'stage-onsite-interview',
			contact: 'contact-ada',
			owner: 'user-riley',
			applications: ['app-ada'],
			tags: ['Proforma_standard', 'Engineering'],
			archived: null,
		});

		const expanded = await api(
			'GET',
			'/opportunities/opp-ada?expand=applications&expand=stage&expand=contact&expand=owner',
		);
		const opp = expanded.data.data;
		expect(opp.stage).toEqual({ id: 'stage-onsite-interview', text: 'On-site interview' });
		expect(opp.applications).toHaveLength(1);
		expect(opp.applications[0]).toMatchObject({
			id: 'app-ada',
			posting: 'posting-standard',
			opportunityId: 'opp-ada',
		});
		expect(opp.contact).toMatchObject({
			id: 'contact-ada',
			location: { name: 'London, UK' },
			emails: ['ada+clear@example.com'],
		});
		expect(opp.owner).toMatchObject({
			id: 'user-riley',
			name: 'Riley Recruiter',
			email: 'riley@example.com',
		});

		const commaList = await api('GET', '/opportunities/opp-ada?expand=applications,stage');
		expect(commaList.status).toBe(400);
		const bracketed = await api('GET', '/opportunities/opp-ada?expand[]=stage');
		expect(bracketed.status).toBe(400);
	});

	it('filters opportunities by stage, posting, email and updated_at window', async () => {
		const ids = async (query: string) =>
			(await api('GET', `/opportunities?${query}`)).data.data.map((o: Json) => o.id).sort();
		expect(await ids('posting_id=posting-standard&stage_id=stage-onsite-interview')).toEqual([
			'opp-ada',
			'opp-alan',
			'opp-barbara',
		]);
		expect(await ids('stage_id=stage-new-lead&stage_id=stage-new-applicant')).toEqual([
			'opp-margaret',
			'opp-radia',
		]);
		expect(await ids(`email=${encodeURIComponent('Grace+review@example.com')}`)).toEqual([
			'opp-grace',
		]);
		expect(await ids('archived=false&posting_id=posting-executive')).toEqual(['opp-grace']);

		const moved = await api('PUT', '/opportunities/opp-donald/stage', {
			stage: SEED.stages.onsiteInterview,
		});
		expect(await ids(`updated_at_start=${moved.data.data.updatedAt}`)).toEqual(['opp-donald']);
		expect((await api('GET', '/opportunities?updated_at_start=yesterday')).status).toBe(400);
	});

	it('reads the seed: Alan has no email, postings carry the Proforma tags, users filter by email', async () => {
		const alan = await api('GET', '/opportunities/opp-alan');
		expect(alan.data.data.emails).toEqual([]);
		const posting = await api('GET', '/postings/posting-executive');
		expect(posting.data.data.tags).toEqual(['Proforma_Executive Plus']);
		const users = await api('GET', '/users?email=riley%40example.com');
		expect(users.data.data.map((u: Json) => u.id)).toEqual(['user-riley']);
		const reasons = await api('GET', '/archive_reasons?type=hired');
		expect(reasons.data.data.map((r: Json) => r.id)).toEqual(['archive-hired']);
	});
});

describe('Lever sandbox: tags', () => {
	it('round-trips case-sensitive tags with colons and spaces', async () => {
		const added = await api('POST', '/opportunities/opp-ada/addTags', {
			tags: ['Background Check:Ordered', 'Priority: High'],
		});
		expect(added.status).toBe(200);
		expect(added.data.data.tags).toEqual([
			'Proforma_standard',
			'Engineering',
			'Background Check:Ordered',
			'Priority: High',
		]);

		// Other casing is another tag: removing it changes nothing.
		const wrongCase = await api('POST', '/opportunities/opp-ada/removeTags', {
			tags: ['background check:ordered'],
		});
		expect(wrongCase.data.data.tags).toContain('Background Check:Ordered');

		const removed = await api('POST', '/opportunities/opp-ada/removeTags', {
			tags: ['Background Check:Ordered'],
		});
		expect(removed.data.data.tags).toEqual(['Proforma_standard', 'Engineering', 'Priority: High']);

		const empty = await api('POST', '/opportunities/opp-ada/addTags', { tags: [] });
		expect(empty.status).toBe(400);
	});

	it('filters by URL-encoded tags with union semantics and counts tags', async () => {
		await api('POST', '/opportunities/opp-grace/addTags', { tags: ['Background Check:Completed'] });
		const exact = await api(
			'GET',
			`/opportunities?tag=${encodeURIComponent('Background Check:Completed')}`,
		);
		expect(exact.data.data.map((o: Json) => o.id)).toEqual(['opp-grace']);

		const lower = await api(
			'GET',
			`/opportunities?tag=${encodeURIComponent('background check:completed')}`,
		);
		expect(lower.data.data).toEqual([]);

		const union = await api(
			'GET',
			`/opportunities?tag=${encodeURIComponent('Background Check:Completed')}&tag=${encodeURIComponent('Proforma_unknown_pkg')}`,
		);
		expect(union.data.data.map((o: Json) => o.id).sort()).toEqual(['opp-grace', 'opp-katherine']);

		const tags = await api('GET', '/tags');
		expect(tags.data.data).toContainEqual({ text: 'Background Check:Completed', count: 1 });
		expect(tags.data.data).toContainEqual({ text: 'Proforma_standard', count: 4 });
	});

	it('lets an opportunity drop a tag it inherited from its posting without touching the posting', async () => {
		const removed = await api('POST', '/opportunities/opp-alan/removeTags', {
			tags: ['Proforma_standard'],
		});
		expect(removed.data.data.tags).toEqual(['Engineering']);
		const posting = await api('GET', '/postings/posting-standard');
		expect(posting.data.data.tags).toEqual(['Proforma_standard', 'Engineering']);
		const ada = await api('GET', '/opportunities/opp-ada');
		expect(ada.data.data.tags).toContain('Proforma_standard');
	});
});

describe('Lever sandbox: stages and webhook deliveries', () => {
	it('changes the stage, records it, and delivers a signed candidateStageChange', async () => {
		const created = await api('POST', '/webhooks', {
			url: receiver.url,
			event: 'candidateStageChange',
		});
		expect(created.status).toBe(201);
		const signingKey: string = created.data.data.configuration.signatureToken;
		expect(signingKey).toMatch(/^[0-9a-f]{48}$/);

		const moved = await api('PUT', `/opportunities/opp-ada/stage?perform_as=${SEED.users.morgan}`, {
			stage: SEED.stages.backgroundScreening,
		});
		expect(moved.status).toBe(200);
		expect(moved.data.data.stage).toBe('stage-background-screening');
		const changes = moved.data.data.stageChanges;
		expect(changes[changes.length - 1]).toEqual({
			toStageId: 'stage-background-screening',
			toStageIndex: 4,
			userId: 'user-morgan',
			updatedAt: moved.data.data.updatedAt,
		});
		expect(moved.data.data.lastAdvancedAt).toBe(moved.data.data.updatedAt);

		const [request] = await receiver.waitForRequests(1);
		expect(request.method).toBe('POST');
		expect(request.headers['user-agent']).toBe('Lever-Webhooks');
		expect(request.headers['content-type']).toBe('application/json');
		const body = request.json as {
			id: string;
			event: string;
			triggeredAt: number;
			token: string;
			signature: string;
			data: Json;
		};
		expect(body.event).toBe('candidateStageChange');
		expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(typeof body.triggeredAt).toBe('number');
		expect(body.token).toHaveLength(48);
		expect(body.signature).toBe(expectedSignature(signingKey, body));
		expect(body.data).toEqual({
			opportunityId: 'opp-ada',
			candidateId: 'opp-ada',
			contactId: 'contact-ada',
			toStageId: 'stage-background-screening',
			fromStageId: 'stage-onsite-interview',
		});

		const delivery = await lever.waitFor((s) => s.deliveries.find((d) => d.status === 'succeeded'));
		expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
	});

	it('rejects an unknown stage like Lever and sends nothing', async () => {
		await api('POST', '/webhooks', { url: receiver.url, event: 'candidateStageChange' });
		const res = await api('PUT', '/opportunities/opp-ada/stage', { stage: 'stage-nope' });
		expect(res.status).toBe(404);
		expect(res.data).toEqual({
			code: 'ResourceNotFound',
			message: 'stages stage-nope was not found',
		});
		const missing = await api('PUT', '/opportunities/opp-ada/stage', {});
		expect(missing.status).toBe(400);
		expect(lever.state().deliveries).toEqual([]);
		expect(lever.state().opportunities.find((o) => o.id === 'opp-ada')?.stage).toBe(
			'stage-onsite-interview',
		);
	});

	it('retries a non-2xx answer with the same payload, then reruns it on demand', async () => {
		const manual = await control('POST', '/webhooks', {
			url: receiver.url,
			event: 'candidateStageChange',
		});
		expect(manual.status).toBe(201);
		const signingKey: string = manual.data.signatureToken;
		receiver.setStatuses([500, 503], 200);

		const moved = await control('POST', '/opportunities/opp-grace/stage', {
			stageId: SEED.stages.backgroundScreening,
		});
		expect(moved.status).toBe(200);
		expect(moved.data.deliveries).toHaveLength(1);

		const requests = await receiver.waitForRequests(3, 5000);
		expect(requests.map((r) => r.body)).toEqual([
			requests[0].body,
			requests[0].body,
			requests[0].body,
		]);
		const payload = requests[0].json as { token: string; triggeredAt: number; signature: string };
		expect(payload.signature).toBe(expectedSignature(signingKey, payload));

		const delivery = await lever.waitFor((s) => s.deliveries.find((d) => d.status === 'succeeded'));
		expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
		expect(delivery.id).toBe(moved.data.deliveries[0]);

		const rerun = await control('POST', `/deliveries/${delivery.id}/rerun`);
		expect(rerun.status).toBe(200);
		expect(rerun.data.attempt).toMatchObject({ attempt: 4, manual: true, status: 200 });
		expect(receiver.requests).toHaveLength(4);
		expect(receiver.requests[3].body).toBe(requests[0].body);
	});

	it('gives up after five retries and records every attempt, including timeouts', async () => {
		await control('POST', '/webhooks', { url: receiver.url, event: 'candidateStageChange' });
		receiver.setStatuses([302, 'hang'], 500);
		lever.moveToStage('opp-ada', SEED.stages.offer);

		const delivery = await lever.waitFor(
			(s) => s.deliveries.find((d) => d.status === 'failed'),
			8000,
		);
		expect(delivery.attempts).toHaveLength(6);
		expect(delivery.attempts.map((a) => a.status)).toEqual([302, null, 500, 500, 500, 500]);
		expect(delivery.attempts[1].error).toContain('No answer within 300 ms');
		const bodies = new Set(receiver.requests.map((r) => r.body));
		expect(bodies.size).toBe(1);
	});

	it('sends one event per webhook, each signed with its own token', async () => {
		const a = await api('POST', '/webhooks', {
			url: `${receiver.url}?a`,
			event: 'candidateStageChange',
		});
		const b = lever.registerWebhook({ url: `${receiver.url}?b`, event: 'candidateStageChange' });
		await api('POST', '/webhooks', { url: `${receiver.url}?other`, event: 'candidateHired' });
		lever.moveToStage('opp-barbara', SEED.stages.backgroundScreening);

		const requests = await receiver.waitForRequests(2);
		const byPath = Object.fromEntries(
			requests.map((r) => [
				r.path,
				r.json as { token: string; triggeredAt: number; signature: string },
			]),
		);
		expect(Object.keys(byPath).sort()).toEqual(['/hook?a', '/hook?b']);
		expect(byPath['/hook?a'].signature).toBe(
			expectedSignature(a.data.data.configuration.signatureToken, byPath['/hook?a']),
		);
		expect(byPath['/hook?b'].signature).toBe(
			expectedSignature(b.signatureToken, byPath['/hook?b']),
		);
		expect(byPath['/hook?a'].signature).not.toBe(
			expectedSignature(b.signatureToken, byPath['/hook?a']),
		);
	});

	it('sends a signed test ping with empty data and no id, and a regenerated token signs later events', async () => {
		const manual = await control('POST', '/webhooks', {
			url: receiver.url,
			event: 'candidateStageChange',
		});
		const ping = await control('POST', `/webhooks/${manual.data.id}/ping`);
		expect(ping.status).toBe(200);
		expect(ping.data.attempts.map((a: Json) => a.status)).toEqual([200]);
		const pingBody = receiver.requests[0].json as {
			token: string;
			triggeredAt: number;
			signature: string;
			data: Json;
		};
		expect(pingBody).not.toHaveProperty('id');
		expect(pingBody.data).toEqual({});
		expect(pingBody.signature).toBe(expectedSignature(manual.data.signatureToken, pingBody));

		const regenerated = await control('POST', `/webhooks/${manual.data.id}/regenerate-token`);
		expect(regenerated.data.signatureToken).not.toBe(manual.data.signatureToken);
		lever.moveToStage('opp-ada', SEED.stages.backgroundScreening);
		const requests = await receiver.waitForRequests(2);
		const event = requests[1].json as { token: string; triggeredAt: number; signature: string };
		expect(event.signature).toBe(expectedSignature(regenerated.data.signatureToken, event));
		expect(event.signature).not.toBe(expectedSignature(manual.data.signatureToken, event));
	});

	it('archives with a reason, unarchives with null, and rejects unknown reasons', async () => {
		const archived = await api('PUT', '/opportunities/opp-edsger/archived', {
			reason: SEED.archiveReasons.backgroundCheck,
		});
		expect(archived.status).toBe(200);
		expect(archived.data.data.archived).toEqual({
			archivedAt: expect.any(Number),
			reason: 'archive-background-check',
		});
		const filtered = await api('GET', '/opportunities?archived=true');
		expect(filtered.data.data.map((o: Json) => o.id).sort()).toEqual(['opp-edsger', 'opp-frances']);

		const restored = await api('PUT', '/opportunities/opp-edsger/archived', { reason: null });
		expect(restored.data.data.archived).toBeNull();
		const unknown = await api('PUT', '/opportunities/opp-edsger/archived', {
			reason: 'archive-nope',
		});
		expect(unknown.status).toBe(404);
		expect(unknown.data.message).toBe('archive_reasons archive-nope was not found');
	});

	it('deletes a candidate: 404 from then on, listed under /opportunities/deleted, candidateDeleted delivered', async () => {
		await api('POST', '/webhooks', { url: receiver.url, event: 'candidateDeleted' });
		const deleted = await control('DELETE', '/opportunities/opp-edsger');
		expect(deleted.status).toBe(200);
		expect(deleted.data.deliveries).toHaveLength(1);
		const [request] = await receiver.waitForRequests(1);
		expect(request.json).toMatchObject({
			event: 'candidateDeleted',
			data: { opportunityId: 'opp-edsger', candidateId: 'opp-edsger' },
		});
		expect((await api('GET', '/opportunities/opp-edsger')).status).toBe(404);
		const listed = await api('GET', '/opportunities/deleted');
		expect(listed.data.data).toEqual([{ id: 'opp-edsger', deletedAt: expect.any(Number) }]);
		expect((await control('DELETE', '/opportunities/opp-edsger')).status).toBe(404);
	});
});

describe('Lever sandbox: notes', () => {
	it('creates a secret scored note and lists it in Lever shape', async () => {
		const created = await api(
			'POST',
			`/opportunities/opp-ada/notes?perform_as=${SEED.users.riley}`,
			{
				value: 'Proforma report: https://proforma.example/reports/r1',
				secret: true,
				score: 3,
				notifyFollowers: false,
			},
		);
		expect(created.status).toBe(201);
		const noteId: string = created.data.data.noteId;
		expect(Object.keys(created.data.data)).toEqual(['noteId']);

		const listed = await api('GET', '/opportunities/opp-ada/notes');
		expect(listed.status).toBe(200);
		expect(listed.data.hasNext).toBe(false);
		expect(listed.data.data).toEqual([
			{
				id: noteId,
				text: 'Note',
				fields: [
					{
						type: 'note',
						text: 'Note',
						value: 'Proforma report: https://proforma.example/reports/r1',
						createdAt: expect.any(Number),
						user: 'user-riley',
						score: 3,
						stage: 'stage-onsite-interview',
					},
				],
				user: 'user-riley',
				secret: true,
				notifyFollowers: false,
				createdAt: expect.any(Number),
				completedAt: expect.any(Number),
				deletedAt: null,
			},
		]);
	});

	it('validates value, score and perform_as', async () => {
		expect((await api('POST', '/opportunities/opp-ada/notes', { secret: true })).status).toBe(400);
		expect(
			(await api('POST', '/opportunities/opp-ada/notes', { value: 'x', score: 5 })).status,
		).toBe(400);
		const badUser = await api('POST', '/opportunities/opp-ada/notes?perform_as=user-nobody', {
			value: 'x',
		});
		expect(badUser.status).toBe(400);
		expect(badUser.data.message).toContain('user-nobody');
		expect((await api('POST', '/opportunities/opp-nobody/notes', { value: 'x' })).status).toBe(404);
		expect(lever.state().notes).toEqual([]);
	});
});

describe('Lever sandbox: webhooks API', () => {
	it('creates, lists without the signature token, and deletes webhooks', async () => {
		const created = await api('POST', '/webhooks', {
			url: receiver.url,
			event: 'candidateStageChange',
			configuration: { conditions: { origins: ['applied', 'referred'] } },
		});
		expect(created.status).toBe(201);
		const webhook = created.data.data;
		expect(webhook).toEqual({
			id: expect.any(String),
			event: 'candidateStageChange',
			url: receiver.url,
			configuration: {
				signatureToken: expect.stringMatching(/^[0-9a-f]{48}$/),
				conditions: { origins: ['applied', 'referred'] },
			},
			createdAt: expect.any(Number),
			updatedAt: expect.any(Number),
		});
		// A webhook added by an admin in Lever's settings page is not managed by the API.
		lever.registerWebhook({ url: `${receiver.url}?manual`, event: 'candidateStageChange' });

		const listed = await api('GET', '/webhooks');
		expect(listed.data.data).toEqual([
			{
				id: webhook.id,
				url: receiver.url,
				event: 'candidateStageChange',
				createdAt: webhook.createdAt,
				updatedAt: webhook.updatedAt,
				configuration: { conditions: { origins: ['applied', 'referred'] } },
			},
		]);

		const deleted = await api('DELETE', `/webhooks/${webhook.id}`);
		expect(deleted.status).toBe(204);
		expect(deleted.data).toBe('');
		expect((await api('DELETE', `/webhooks/${webhook.id}`)).status).toBe(404);
		expect((await api('GET', '/webhooks')).data.data).toEqual([]);

		const badEvent = await api('POST', '/webhooks', {
			url: receiver.url,
			event: 'candidateCreated',
		});
		expect(badEvent.status).toBe(400);
		expect((await api('POST', '/webhooks', { event: 'candidateStageChange' })).status).toBe(400);
	});

	it('honours origin conditions: a sourced candidate does not reach an applied-only webhook', async () => {
		await api('POST', '/webhooks', {
			url: receiver.url,
			event: 'candidateStageChange',
			configuration: { conditions: { origins: ['applied'] } },
		});
		expect(lever.moveToStage('opp-radia', SEED.stages.phoneScreen)).toEqual([]);
		expect(lever.moveToStage('opp-ada', SEED.stages.phoneScreen)).toHaveLength(1);
	});
});

describe('Lever sandbox: faults and control API', () => {
	it('slowNext applies a matching request late, after a later one, and rejects a bad delay', async () => {
		await control('POST', '/faults', {
			slowNext: { count: 1, ms: 300, pathIncludes: '/addTags', bodyIncludes: 'late' },
		});
		// Another addTags (its body lacks "late") is not held, and does not use the delay up.
		expect((await api('POST', '/opportunities/opp-ada/addTags', { tags: ['other'] })).status).toBe(
			200,
		);
		expect((await control('GET', '/faults')).data.slowNext.count).toBe(1);
		const late = api('POST', '/opportunities/opp-ada/addTags', { tags: ['late'] });
		await sleep(50);
		const early = await api('POST', '/opportunities/opp-ada/addTags', { tags: ['early'] });
		expect(early.status).toBe(200);
		expect(early.data.data.tags).not.toContain('late');
		expect((await late).status).toBe(200);
		const tags = lever.state().opportunities.find((o) => o.id === 'opp-ada')!.tags as string[];
		expect(tags.indexOf('early')).toBeLessThan(tags.indexOf('late'));
		expect((await control('GET', '/faults')).data.slowNext.count).toBe(0);

		const bad = await control('POST', '/faults', { slowNext: { ms: -1 } });
		expect(bad.status).toBe(400);
		expect(bad.data.message).toContain('slowNext.ms');
	});

	it('answers 429 without Retry-After and injected 5xx on /v1 only', async () => {
		const set = await control('POST', '/faults', {
			rateLimitNext: { count: 2 },
			failNext: { count: 1, status: 503 },
		});
		expect(set.status).toBe(200);

		// The control API is never affected.
		expect((await control('GET', '/faults')).status).toBe(200);

		const first = await api('GET', '/stages');
		expect(first.status).toBe(429);
		expect(first.headers['retry-after']).toBeUndefined();
		expect(first.data.code).toBe('TooManyRequests');
		expect((await api('GET', '/stages')).status).toBe(429);
		const third = await api('GET', '/stages');
		expect(third.status).toBe(503);
		expect(third.data.code).toBe('ServiceUnavailable');
		expect((await api('GET', '/stages')).status).toBe(200);

		const faulted = lever.state().requests.filter((r) => r.fault);
		expect(faulted).toHaveLength(3);
	});

	it('resets to the seed and logs requests', async () => {
		await api('POST', '/opportunities/opp-ada/addTags', { tags: ['Background Check:Ordered'] });
		await api('POST', '/webhooks', { url: receiver.url, event: 'candidateStageChange' });
		const before = lever.state();
		expect(before.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /v1/opportunities/opp-ada/addTags 200',
			'POST /v1/webhooks 201',
		]);
		expect(before.requests[0].body).toEqual({ tags: ['Background Check:Ordered'] });

		const res = await control('POST', '/reset');
		expect(res.status).toBe(200);
		const after = lever.state();
		expect(after.opportunities.find((o) => o.id === 'opp-ada')?.tags).toEqual([
			'Proforma_standard',
			'Engineering',
		]);
		expect(after.webhooks).toEqual([]);
		expect(after.requests).toEqual([]);
		expect(after.opportunities).toHaveLength(SEED.opportunityCount);
	});

	it('creates a candidate on a posting: posting tags are inherited and applicationCreated is sent', async () => {
		await control('POST', '/webhooks', { url: receiver.url, event: 'applicationCreated' });
		const created = await control('POST', '/opportunities', {
			name: 'Hedy Lamarr',
			email: 'hedy+clear@example.com',
			postingId: SEED.postings.executivePlus,
		});
		expect(created.status).toBe(201);
		expect(created.data.data.tags).toEqual(['Proforma_Executive Plus']);
		const [request] = await receiver.waitForRequests(1);
		expect((request.json as { event: string; data: Json }).data).toMatchObject({
			opportunityId: created.data.data.id,
			postingId: 'posting-executive',
		});
	});
});

describe('Lever sandbox: rate limit per API key', () => {
	it('answers the 21st request of a burst with 429 and no Retry-After; each key has its own bucket, refilled over time', async () => {
		// A frozen clock: the bucket refills only when the test moves the time.
		let now = 1_000_000;
		const limited = await startLeverSandbox({
			port: 0,
			log: false,
			extraApiKeys: ['second-key'],
			clock: () => now,
		});
		try {
			expect(limited.state().rateLimit).toEqual({ perSecond: 10, burst: 20, limited: 0 });
			const burst = await statusesOf(limited, 21);
			expect(burst).toEqual([...times(20, 200), 429]);

			const over = await getStages(limited);
			expect(over.status).toBe(429);
			expect(over.headers['retry-after']).toBeUndefined();
			expect(over.data).toEqual({
				code: 'TooManyRequests',
				message: expect.stringContaining('10 requests per second per API key'),
			});

			// Another key is not affected; a wrong key is refused before the limit.
			expect(await statusesOf(limited, 21, 'second-key')).toEqual([...times(20, 200), 429]);
			expect((await getStages(limited, 'not-a-key')).status).toBe(401);
			// Injected faults come first and are not counted as the limit's.
			limited.setFaults({ failNext: { count: 1, status: 503 } });
			expect((await getStages(limited)).status).toBe(503);

			// One second later, 10 tokens are back.
			now += 1000;
			expect(await statusesOf(limited, 11)).toEqual([...times(10, 200), 429]);

			const state = limited.state();
			expect(state.rateLimit).toEqual({ perSecond: 10, burst: 20, limited: 4 });
			const refused = state.requests.filter((r) => r.status === 429);
			expect(refused).toHaveLength(4);
			expect(refused.every((r) => r.rateLimited === true && !r.fault)).toBe(true);
			expect(state.requests.filter((r) => r.status === 401)).toHaveLength(1);

			// A reset keeps the limit, refills the buckets and zeroes the count.
			limited.reset();
			expect(limited.state().rateLimit).toEqual({ perSecond: 10, burst: 20, limited: 0 });
			expect(await statusesOf(limited, 21)).toEqual([...times(20, 200), 429]);
		} finally {
			await limited.close();
		}
	});

	it('refills tokens in real time (5 per second, bursts of 2)', async () => {
		const slow = await startLeverSandbox({
			port: 0,
			log: false,
			rateLimit: { perSecond: 5, burst: 2 },
		});
		try {
			const burst = await Promise.all(Array.from({ length: 6 }, () => getStages(slow)));
			const statuses = burst.map((r) => r.status);
			expect(statuses.filter((st) => st === 200).length).toBeGreaterThanOrEqual(2);
			expect(statuses.filter((st) => st === 429).length).toBeGreaterThanOrEqual(1);
			expect(statuses.filter((st) => st !== 200 && st !== 429)).toEqual([]);
			// At least 2.25 tokens come back in 450 ms.
			await sleep(450);
			expect((await getStages(slow)).status).toBe(200);
			expect(slow.state().rateLimit?.limited).toBe(statuses.filter((st) => st === 429).length);
		} finally {
			await slow.close();
		}
	});

	it('never limits the control API, and switches off with the option, the control API or setRateLimit(false)', async () => {
		const tight = await startLeverSandbox({ port: 0, log: false });
		const off = await startLeverSandbox({ port: 0, log: false, rateLimit: false });
		try {
			// One token, back after 100 s: the second request is limited.
			const set = await control('POST', '/rate-limit', { perSecond: 0.01, burst: 1 }, tight);
			expect(set.status).toBe(200);
			expect(set.data).toEqual({ perSecond: 0.01, burst: 1, limited: 0 });
			expect(await statusesOf(tight, 2)).toEqual([200, 429]);
			for (let i = 0; i < 25; i++) {
				expect((await control('GET', '/rate-limit', undefined, tight)).status).toBe(200);
			}
			expect((await control('GET', '/state', undefined, tight)).data.rateLimit).toEqual({
				perSecond: 0.01,
				burst: 1,
				limited: 1,
			});
			expect(tight.state().requests.map((r) => r.path)).toEqual(['/v1/stages', '/v1/stages']);

			const disabled = await control('POST', '/rate-limit', { enabled: false }, tight);
			expect(disabled.status).toBe(200);
			expect(disabled.data).toBeNull();
			expect(tight.state().rateLimit).toBeNull();
			expect(await statusesOf(tight, 25)).toEqual(times(25, 200));

			expect(tight.setRateLimit({ perSecond: 10, burst: 20 })).toEqual({
				perSecond: 10,
				burst: 20,
				limited: 1,
			});
			expect(tight.setRateLimit(false)).toBeNull();
			expect(await statusesOf(tight, 25)).toEqual(times(25, 200));

			expect(off.state().rateLimit).toBeNull();
			expect(await statusesOf(off, 25)).toEqual(times(25, 200));
		} finally {
			await tight.close();
			await off.close();
		}
	});

	it('rejects invalid limits with a 400 that says what to fix, and keeps the limit', async () => {
		const cases: Array<[unknown, string]> = [
			[{ perSecond: 0, burst: 5 }, 'perSecond must be a positive number'],
			[{ perSecond: '10' }, 'perSecond must be a positive number'],
			[{ burst: 0.5 }, 'burst must be a number of at least 1'],
			[{ burst: -3 }, 'burst must be a number of at least 1'],
			[{}, 'Nothing to set'],
			[{ rate: 5 }, 'Unknown rate limit field rate'],
			[{ enabled: 'no' }, 'enabled must be true or false'],
			[{ enabled: false, burst: 3 }, 'not both'],
			[[10, 20], 'must be a JSON object'],
		];
		for (const [body, message] of cases) {
			const res = await control('POST', '/rate-limit', body);
			expect(res.status).toBe(400);
			expect(res.data).toEqual({ code: 'BadRequest', message: expect.stringContaining(message) });
		}
		expect(lever.state().rateLimit).toEqual({ perSecond: 10, burst: 20, limited: 0 });
		expect(() => lever.setRateLimit({ perSecond: -1 })).toThrow(/perSecond must be/);
		await expect(
			startLeverSandbox({ port: 0, log: false, rateLimit: { burst: 0 } }),
		).rejects.toThrow(/option rateLimit: burst must be/);
	});
});

describe('Lever sandbox: bulk stage moves', () => {
	let bulkLever: LeverSandbox;
	let hooks: CallbackReceiver;
	const extraIds = Array.from({ length: 15 }, (_, i) => `opp-bulk-${i + 1}`);

	/** The 10 seed candidates and 15 more: 25, none of them at Offer. */
	const allIds = () => [...Object.values(SEED.opportunities), ...extraIds];

	beforeAll(async () => {
		// The default 10 s answer timeout; short retries.
		bulkLever = await startLeverSandbox({
			port: 0,
			log: false,
			webhookRetryScheduleMs: [50, 50, 50],
		});
		hooks = await startCallbackReceiver();
	});

	afterAll(async () => {
		await bulkLever.close();
		await hooks.close();
	});

	beforeEach(() => {
		bulkLever.reset();
		hooks.clear();
		for (const id of extraIds) bulkLever.createOpportunity({ name: `Bulk ${id}`, id });
	});

	it('moves 25 candidates and sends one signed delivery each, never more than 5 at a time', async () => {
		const { signatureToken } = bulkLever.registerWebhook({
			url: hooks.url,
			event: 'candidateStageChange',
		});
		let arrived = 0;
		let mostInFlight = 0;
		hooks.respondWith(() => {
			arrived += 1;
			// Arrived minus attempts recorded by the sandbox (each recorded only after its
			// answer): never less than the requests the receiver holds unanswered.
			const recorded = bulkLever.state().deliveries.reduce((sum, d) => sum + d.attempts.length, 0);
			mostInFlight = Math.max(mostInFlight, arrived - recorded);
			return { status: 200, delayMs: 100 };
		});

		const res = await control(
			'POST',
			'/opportunities/bulk-stage',
			{ opportunityIds: allIds(), stageId: SEED.stages.offer, concurrency: 5 },
			bulkLever,
		);
		expect(res.status).toBe(200);
		expect(res.data.moved).toBe(25);
		expect(res.data.deliveryIds).toHaveLength(25);
		expect(new Set(res.data.deliveryIds).size).toBe(25);

		const deliveries = await bulkLever.waitFor((s) => {
			const done = s.deliveries.filter((d) => d.status === 'succeeded');
			return done.length === 25 ? done : null;
		}, 15000);
		expect(deliveries.map((d) => d.id).sort()).toEqual([...res.data.deliveryIds].sort());
		for (const d of deliveries) {
			expect(d.attempts).toHaveLength(1);
			expect(d.attempts[0]).toMatchObject({ attempt: 1, manual: false, status: 200 });
			expect(typeof d.attempts[0].durationMs).toBe('number');
			expect(d.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
		}
		expect(mostInFlight).toBeLessThanOrEqual(5);
		expect(mostInFlight).toBeGreaterThan(1);

		expect(hooks.received).toHaveLength(25);
		const moved = hooks.received.map((r) => {
			expect(r.headers['user-agent']).toBe('Lever-Webhooks');
			expect(r.body.event).toBe('candidateStageChange');
			expect(r.body.signature).toBe(expectedSignature(signatureToken, r.body));
			expect(r.body.data.toStageId).toBe(SEED.stages.offer);
			return r.body.data.opportunityId as string;
		});
		expect(moved.sort()).toEqual(allIds().sort());
		expect(bulkLever.state().opportunities.every((o) => o.stage === SEED.stages.offer)).toBe(true);

		const summary = await control('GET', '/deliveries/summary', undefined, bulkLever);
		expect(summary.status).toBe(200);
		expect(summary.data).toEqual({
			total: 25,
			pending: 0,
			succeeded: 25,
			failed: 0,
			firstAttemptOk: 25,
			attempts: 25,
			answerMs: { p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) },
		});
		const { p50, p99, max } = summary.data.answerMs;
		expect(p50).toBeLessThanOrEqual(p99);
		expect(p99).toBeLessThanOrEqual(max);
		expect(bulkLever.deliverySummary()).toEqual(summary.data);
	});

	it('retries the delivery a receiver failed, with the same payload, on the usual schedule', async () => {
		bulkLever.registerWebhook({ url: hooks.url, event: 'candidateStageChange' });
		let failed = false;
		hooks.respondWith((entry) => {
			if (!failed && entry.body?.data?.opportunityId === SEED.opportunities.grace) {
				failed = true;
				return 500;
			}
			return 200;
		});

		const result = bulkLever.bulkMoveToStage(Object.values(SEED.opportunities), SEED.stages.offer, {
			concurrency: 3,
		});
		expect(result.moved).toBe(10);
		expect(result.deliveryIds).toHaveLength(10);
		// The answer comes first: nothing has gone out yet.
		expect(bulkLever.deliverySummary()).toMatchObject({ total: 10, pending: 10, attempts: 0 });
		expect(hooks.received).toHaveLength(0);

		const deliveries = await bulkLever.waitFor((s) =>
			s.deliveries.filter((d) => d.status === 'succeeded').length === 10 ? s.deliveries : null,
		);
		const grace = deliveries.find((d) => d.payload.data.opportunityId === SEED.opportunities.grace);
		expect(grace?.attempts.map((a) => a.status)).toEqual([500, 200]);
		expect(deliveries.filter((d) => d !== grace).every((d) => d.attempts.length === 1)).toBe(true);
		const graceBodies = hooks.received
			.filter((r) => r.body.data.opportunityId === SEED.opportunities.grace)
			.map((r) => r.rawBody);
		expect(graceBodies).toHaveLength(2);
		expect(graceBodies[1]).toBe(graceBodies[0]);
		expect(bulkLever.deliverySummary()).toMatchObject({
			total: 10,
			pending: 0,
			succeeded: 10,
			failed: 0,
			firstAttemptOk: 9,
			attempts: 11,
		});
	});

	it('stops a bulk move on reset: deliveries waiting in line never go out', async () => {
		bulkLever.registerWebhook({ url: hooks.url, event: 'candidateStageChange' });
		// Answers held for a second: nothing completes before the reset below.
		hooks.respondWith(() => ({ status: 200, delayMs: 1000 }));
		bulkLever.bulkMoveToStage(allIds(), SEED.stages.offer, { concurrency: 2 });
		await hooks.waitFor((received) => received.length >= 1);
		bulkLever.reset({ keepWebhooks: true });
		await sleep(300);
		expect(hooks.received.length).toBeLessThanOrEqual(2);
		expect(bulkLever.state().deliveries).toEqual([]);
	});

	it('checks every id and the stage first: an unknown id is a 400 naming it, and nothing moves', async () => {
		bulkLever.registerWebhook({ url: hooks.url, event: 'candidateStageChange' });
		const unknown = await control(
			'POST',
			'/opportunities/bulk-stage',
			{
				opportunityIds: [SEED.opportunities.ada, 'opp-nobody', 'opp-ghost'],
				stageId: SEED.stages.offer,
			},
			bulkLever,
		);
		expect(unknown.status).toBe(400);
		expect(unknown.data.code).toBe('BadRequest');
		expect(unknown.data.message).toContain('opp-nobody');
		expect(unknown.data.message).toContain('opp-ghost');

		const bad: Array<[unknown, string]> = [
			[{ opportunityIds: [SEED.opportunities.ada], stageId: 'stage-nope' }, 'stage-nope'],
			[{ opportunityIds: [], stageId: SEED.stages.offer }, 'non-empty array'],
			[{ stageId: SEED.stages.offer }, 'opportunityIds'],
			[{ opportunityIds: [SEED.opportunities.ada] }, 'stageId'],
			[
				{ opportunityIds: [SEED.opportunities.ada], stageId: SEED.stages.offer, concurrency: 0 },
				'concurrency must be a positive integer',
			],
			[{ opportunityIds: ['opp-ada', 'opp-ada'], stageId: SEED.stages.offer }, 'more than once'],
		];
		for (const [body, message] of bad) {
			const res = await control('POST', '/opportunities/bulk-stage', body, bulkLever);
			expect(res.status).toBe(400);
			expect(res.data.message).toContain(message);
		}
		expect(() => bulkLever.bulkMoveToStage(['opp-nobody'], SEED.stages.offer)).toThrow(
			/opp-nobody/,
		);

		const state = bulkLever.state();
		expect(state.opportunities.find((o) => o.id === SEED.opportunities.ada)?.stage).toBe(
			SEED.stages.onsiteInterview,
		);
		expect(state.opportunities.some((o) => o.stage === SEED.stages.offer)).toBe(false);
		expect(state.deliveries).toEqual([]);

		// A candidate already at the stage stays and fires nothing, as for a single move.
		const partly = bulkLever.bulkMoveToStage(
			[SEED.opportunities.ada, SEED.opportunities.margaret],
			SEED.stages.onsiteInterview,
		);
		expect(partly.moved).toBe(1);
		expect(partly.deliveryIds).toHaveLength(1);
	});
});
