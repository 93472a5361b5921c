import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { createHmac } from 'crypto';

import { SEED, startLeverSandbox, type LeverSandbox } from '../../../sandboxes/lever/server';
import { startReceiver, type Receiver } from '../../../sandboxes/lever/receiver';

/**
 * The local Lever sandbox over real HTTP: auth, lists, expand, tags, stages,
 * notes, the webhooks API, signed webhook deliveries with retries and reruns,
 * and fault injection.
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

async function control(method: string, path: string, body?: unknown): Promise<AxiosResponse> {
	return axios.request({
		method,
		url: `${lever.origin}/__sandbox${path}`,
		data: body,
		validateStatus: () => true,
	});
}

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
