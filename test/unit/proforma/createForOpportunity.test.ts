import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import {
	candidateLocation,
	findPackageTag,
	firstEmail,
	postingId,
	resolvePackage,
	splitName,
} from '../../../nodes/Proforma/shared/opportunity';
import {
	apiError,
	BASE,
	bearer,
	failNextRequests,
	order,
	orderOut,
	PACKAGES,
	runNode,
	keyValue,
} from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

/** A Lever opportunity as the Lever Trigger outputs it (applications and contact expanded). */
function opportunity(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'opp-1',
		name: 'Ada Lovelace',
		emails: ['ada@example.com', 'ada@other.example.com'],
		phones: [{ type: 'mobile', value: '+1 555 0100' }],
		location: 'Toronto, ON',
		tags: ['Engineering', 'Proforma_standard'],
		applications: [{ id: 'app-1', posting: 'post-1', type: 'posting' }],
		contact: {
			id: 'contact-1',
			name: 'Ada Lovelace',
			emails: ['ada@example.com'],
			location: { name: 'Toronto, ON' },
		},
		...overrides,
	};
}

const EXPECTED_BODY = {
	package: 'standard',
	clientReference: 'opp-1',
	candidate: {
		firstName: 'Ada',
		lastName: 'Lovelace',
		email: 'ada@example.com',
		phone: '+1 555 0100',
		location: 'Toronto, ON',
	},
	callbackUrl: 'https://n8n.example.com/webhook/pf/webhook',
	metadata: { source: 'n8n', leverOpportunityId: 'opp-1', leverPostingId: 'post-1' },
};

const CANDIDATE = {
	firstName: 'Ada',
	lastName: 'Lovelace',
	email: 'ada@example.com',
	phone: '+1 555 0100',
	location: 'Toronto, ON',
};

function parameters(opp: unknown, extra: IDataObject = {}): IDataObject {
	return {
		resource: 'order',
		operation: 'createForOpportunity',
		opportunity: opp as IDataObject,
		packageTagPrefix: 'Proforma_',
		callbackUrl: 'https://n8n.example.com/webhook/pf/webhook',
		metadata: '{"source":"n8n"}',
		...extra,
	};
}

async function run(opp: unknown, extra: IDataObject = {}) {
	const { output, harness } = await runNode({ parameters: parameters(opp, extra) });
	expect(output).toHaveLength(1);
	expect(output[0].pairedItem).toEqual({ item: 0 });
	return { result: output[0].json, harness };
}

const PACKAGE_NOT_FOUND = apiError('not_found', 'Package was not found.', {
	details: [{ field: 'package', issue: 'not_found' }],
});

describe('Order: Create for Lever Opportunity', () => {
	const offline = useOfflineApi();

	it('orders the tagged package with the candidate data from Lever (201 -> ordered)', async () => {
		const scope = nock(BASE, bearer)
			.post('/v1/orders', EXPECTED_BODY)
			.matchHeader('idempotency-key', 'lever-opp-1-standard')
			.reply(201, order());
		const { result } = await run(opportunity());
		expect(result).toEqual({
			outcome: 'ordered',
			problem: null,
			skipReason: null,
			retryLater: false,
			opportunityId: 'opp-1',
			packageTag: 'Proforma_standard',
			packageCode: 'standard',
			candidate: CANDIDATE,
			idempotencyKey: keyValue('lever-opp-1-standard'),
			order: orderOut(),
			replayed: false,
			rescreenOf: null,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('marks a 200 replay as ordered and replayed', async () => {
		nock(BASE, bearer).post('/v1/orders', EXPECTED_BODY).reply(200, order());
		const { result } = await run(opportunity());
		expect(result).toMatchObject({
			outcome: 'ordered',
			problem: null,
			replayed: true,
			order: order(),
		});
	});

	describe('a replay of an order created moments ago (another copy of the same Lever delivery)', () => {
		const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

		it('is skipped: the copy that created the order tags the candidate', async () => {
			const fresh = order({ createdAt: secondsAgo(2) });
			nock(BASE, bearer).post('/v1/orders', EXPECTED_BODY).reply(200, fresh);
			const { result } = await run(opportunity());
			expect(result).toMatchObject({ outcome: 'skipped', replayed: true, order: fresh });
			expect(result.skipReason).toMatch(
				/^Another copy of this Lever delivery placed Proforma order ord_1 [0-9] s ago and tags the candidate/,
			);
		});

		it.each([
			['a minute old (a re-run: tag again)', 60],
			['dated two minutes ahead of this clock (never counted as moments ago)', -120],
		])('is ordered when %s', async (_what, age) => {
			nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.reply(200, order({ createdAt: secondsAgo(age) }));
			const { result } = await run(opportunity());
			expect(result).toMatchObject({ outcome: 'ordered', replayed: true, skipReason: null });
		});

		it('is skipped also when created after this copy started, or a few seconds ahead of this clock', async () => {
			nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.delay(50)
				.reply(200, () => order({ createdAt: new Date(Date.now() + 2000).toISOString() }));
			const { result } = await run(opportunity());
			expect(result).toMatchObject({ outcome: 'skipped', replayed: true });
			expect(result.skipReason).toMatch(/placed Proforma order ord_1 0 s ago/);
		});

		it('is ordered when Proforma created it just now for this request (201)', async () => {
			nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.reply(201, order({ createdAt: secondsAgo(0) }));
			const { result } = await run(opportunity());
			expect(result).toMatchObject({ outcome: 'ordered', replayed: false });
		});
	});

	it('returns the existing order on a 409 (alreadyOrdered), never ordering twice', async () => {
		const scope = nock(BASE, bearer)
			.post('/v1/orders', EXPECTED_BODY)
			.reply(
				409,
				apiError('conflict', 'An open order exists for this reference and package', {
					orderId: 'ord_0',
				}),
			)
			.get('/v1/orders/ord_0')
			.reply(200, order({ id: 'ord_0', status: 'in_progress' }));
		const { result } = await run(opportunity());
		expect(result).toEqual({
			outcome: 'alreadyOrdered',
			problem: null,
			skipReason: null,
			retryLater: false,
			opportunityId: 'opp-1',
			packageTag: 'Proforma_standard',
			packageCode: 'standard',
			candidate: CANDIDATE,
			idempotencyKey: keyValue('lever-opp-1-standard'),
			order: orderOut({ id: 'ord_0', status: 'in_progress' }),
			replayed: false,
			rescreenOf: null,
		});
		expect(scope.isDone()).toBe(true);
	});

	it.each(['cancelled', 'expired'])(
		'orders again, with a follow-up key, when the replayed order is %s',
		async (status) => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.matchHeader('idempotency-key', 'lever-opp-1-standard')
				.reply(200, order({ id: 'ord_old', status }))
				.post('/v1/orders', EXPECTED_BODY)
				.matchHeader('idempotency-key', 'lever-opp-1-standard-after-ord_old')
				.reply(201, order({ id: 'ord_new' }));
			const { result } = await run(opportunity());
			expect(result).toMatchObject({
				outcome: 'ordered',
				idempotencyKey: keyValue('lever-opp-1-standard-after-ord_old'),
				order: order({ id: 'ord_new' }),
				replayed: false,
			});
			expect(scope.isDone()).toBe(true);
		},
	);

	it('orders again after a closed order when the candidate was moved into the stage after it closed', async () => {
		const scope = nock(BASE, bearer)
			.post('/v1/orders', EXPECTED_BODY)
			.matchHeader('idempotency-key', 'lever-opp-1-standard')
			.reply(200, order({ id: 'ord_old', status: 'expired', updatedAt: '2025-01-08T00:00:00Z' }))
			.post('/v1/orders', EXPECTED_BODY)
			.matchHeader('idempotency-key', 'lever-opp-1-standard-after-ord_old')
			.reply(201, order({ id: 'ord_new' }));
		const movedLater = Date.parse('2025-02-01T00:00:00Z');
		const { result } = await run(opportunity({ lastAdvancedAt: movedLater }));
		expect(result).toMatchObject({ outcome: 'ordered', order: { id: 'ord_new' } });
		expect(scope.isDone()).toBe(true);
	});

	it.each(['cancelled', 'expired'])(
		'skips a candidate whose order was %s after they were last moved (never a second order for an archived candidate)',
		async (status) => {
			const closed = order({ id: 'ord_old', status, updatedAt: '2025-01-02T00:00:10Z' });
			const scope = nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.matchHeader('idempotency-key', 'lever-opp-1-standard')
				.reply(200, closed);
			// Read by a check just before an archive cancelled the order it had ordered.
			const movedBefore = Date.parse('2025-01-02T00:00:09Z');
			const { result } = await run(opportunity({ lastAdvancedAt: movedBefore }));
			expect(result).toMatchObject({ outcome: 'skipped', problem: null, order: closed });
			expect(result.skipReason).toBe(
				`Proforma order ord_old for this candidate is ${status} (2025-01-02T00:00:10Z) and the candidate was not moved into the stage since: nothing ordered. Move the candidate into the screening stage again to order anew.`,
			);
			expect(scope.isDone()).toBe(true);
			expect(nock.pendingMocks()).toEqual([]);
		},
	);

	it('gives up after four follow-up orders, each answered closed, with a problem saying where to look', async () => {
		let scope = nock(BASE, bearer)
			.post('/v1/orders')
			.matchHeader('idempotency-key', 'lever-opp-1-standard')
			.reply(409, apiError('conflict', 'Key used with another body', { orderId: 'ord_a' }))
			.get('/v1/orders/ord_a')
			.reply(200, order({ id: 'ord_a', status: 'cancelled' }));
		let followUp = 'lever-opp-1-standard-after-ord_a';
		for (const id of ['ord_b', 'ord_c', 'ord_d', 'ord_e']) {
			scope = scope
				.post('/v1/orders')
				.matchHeader('idempotency-key', followUp)
				.reply(200, order({ id, status: 'expired' }));
			followUp = `${followUp}-after-${id}`;
		}
		const { result } = await run(opportunity());
		expect(result).toMatchObject({
			outcome: 'problem',
			order: null,
			problem:
				"Proforma answered with 5 closed or completed orders in a row for this candidate, so nothing was ordered. Look at the candidate's orders in Proforma.",
		});
		expect(scope.isDone()).toBe(true);
	});

	describe('a candidate whose screening completed, moved into the stage again', () => {
		const completed = order({
			id: 'ord_done',
			status: 'completed',
			result: 'clear',
			completedAt: '2025-01-10T00:00:00Z',
			updatedAt: '2025-01-10T00:00:00Z',
		});
		const conflict = apiError('conflict', 'Order ord_done (completed) already exists', {
			orderId: 'ord_done',
		});
		const movedAfterCompletion = Date.parse('2025-06-01T00:00:00Z');
		const rescreenBody = { ...EXPECTED_BODY, clientReference: 'opp-1-after-ord_done' };
		/** Proforma refuses the first order (409) naming the completed one, which the node reads. */
		const firstOrderCompleted = (answer: IDataObject = completed) =>
			nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.matchHeader('idempotency-key', 'lever-opp-1-standard')
				.reply(409, conflict)
				.get('/v1/orders/ord_done')
				.reply(200, answer);

		it('is skipped by default: a completed screening is never ordered twice', async () => {
			const scope = firstOrderCompleted();
			const { result } = await run(opportunity({ lastAdvancedAt: movedAfterCompletion }));
			expect(result).toMatchObject({ outcome: 'skipped', order: completed, rescreenOf: null });
			expect(result.skipReason).toBe(
				'Already screened: Proforma order ord_done completed on 2025-01-10T00:00:00Z. To screen candidates again after some days, set Re-Screen After (Days) in this node.',
			);
			expect(scope.isDone()).toBe(true);
		});

		it('gets a new order under a new reference when the last one completed more than N days ago', async () => {
			const scope = firstOrderCompleted()
				.post('/v1/orders', rescreenBody)
				.matchHeader('idempotency-key', 'lever-opp-1-after-ord_done-standard')
				.reply(201, order({ id: 'ord_again', clientReference: 'opp-1-after-ord_done' }));
			const { result } = await run(opportunity({ lastAdvancedAt: movedAfterCompletion }), {
				rescreenAfterDays: 30,
			});
			expect(result).toMatchObject({
				outcome: 'ordered',
				order: { id: 'ord_again', clientReference: 'opp-1-after-ord_done' },
				idempotencyKey: keyValue('lever-opp-1-after-ord_done-standard'),
				rescreenOf: completed,
			});
			expect(scope.isDone()).toBe(true);
		});

		it('replays the re-screen, never a second one, when the same move arrives again', async () => {
			const again = order({ id: 'ord_again', clientReference: 'opp-1-after-ord_done' });
			const scope = firstOrderCompleted()
				.post('/v1/orders', rescreenBody)
				.matchHeader('idempotency-key', 'lever-opp-1-after-ord_done-standard')
				.reply(200, again);
			const { result } = await run(opportunity({ lastAdvancedAt: movedAfterCompletion }), {
				rescreenAfterDays: 30,
			});
			expect(result).toMatchObject({ outcome: 'ordered', replayed: true, order: again });
			expect(scope.isDone()).toBe(true);
		});

		it('follows earlier re-screens to the latest order', async () => {
			const second = order({
				id: 'ord_second',
				clientReference: 'opp-1-after-ord_done',
				status: 'completed',
				completedAt: '2025-03-01T00:00:00Z',
			});
			const scope = firstOrderCompleted()
				.post('/v1/orders', rescreenBody)
				.reply(409, apiError('conflict', 'exists', { orderId: 'ord_second' }))
				.get('/v1/orders/ord_second')
				.reply(200, second)
				.post('/v1/orders', { ...EXPECTED_BODY, clientReference: 'opp-1-after-ord_second' })
				.matchHeader('idempotency-key', 'lever-opp-1-after-ord_second-standard')
				.reply(201, order({ id: 'ord_third', clientReference: 'opp-1-after-ord_second' }));
			const { result } = await run(opportunity({ lastAdvancedAt: movedAfterCompletion }), {
				rescreenAfterDays: 30,
			});
			expect(result).toMatchObject({
				outcome: 'ordered',
				order: { id: 'ord_third' },
				rescreenOf: second,
			});
			expect(scope.isDone()).toBe(true);
		});

		it('is skipped when the screening completed less than N days ago, saying from when', async () => {
			const recent = {
				...completed,
				completedAt: new Date(Date.now() - 5 * 86400000).toISOString(),
			};
			firstOrderCompleted(recent);
			const { result } = await run(opportunity({ lastAdvancedAt: Date.now() }), {
				rescreenAfterDays: 30,
			});
			expect(result.outcome).toBe('skipped');
			expect(result.skipReason).toMatch(
				/^Screened recently: Proforma order ord_done completed on .+, less than 30 days ago \(Re-Screen After \(Days\)\)\. Move the candidate into the screening stage again after \d{4}-.+ for a re-screen\.$/,
			);
			expect(nock.pendingMocks()).toEqual([]);
		});

		it('is skipped when the candidate was not moved since the screening completed (still in the stage)', async () => {
			firstOrderCompleted();
			const movedBefore = Date.parse('2025-01-02T00:00:00Z');
			const { result } = await run(opportunity({ lastAdvancedAt: movedBefore }), {
				rescreenAfterDays: 30,
			});
			expect(result).toMatchObject({ outcome: 'skipped', rescreenOf: null });
			expect(result.skipReason).toMatch(/was not moved into the stage since.*for a re-screen\.$/);
			expect(nock.pendingMocks()).toEqual([]);
		});

		it('refuses a negative Re-Screen After (Days), saying what to set', async () => {
			await expect(
				runNode({ parameters: parameters(opportunity(), { rescreenAfterDays: -1 }) }),
			).rejects.toThrow('Re-Screen After (Days) is -1');
		});
	});

	it('resolves the package by name (case, spaces and underscores) and takes the posting from an object', async () => {
		const scope = nock(BASE, bearer)
			// The tag's text is tried as a code first; only Proforma's 404 makes the node read the list.
			.post('/v1/orders', (body: IDataObject) => body.package === 'executive_PLUS')
			.reply(404, PACKAGE_NOT_FOUND)
			.get('/v1/packages')
			.reply(200, { data: PACKAGES })
			.post(
				'/v1/orders',
				(body: IDataObject) =>
					body.package === 'exec_plus' &&
					(body.metadata as IDataObject).leverPostingId === 'post-9',
			)
			.matchHeader('idempotency-key', 'lever-opp-1-exec_plus')
			.reply(201, order({ package: 'exec_plus' }));
		const { result } = await run(
			opportunity({
				tags: ['proforma_executive_PLUS'],
				applications: [{ id: 'app-1', posting: { id: 'post-9', text: 'Engineer' } }],
			}),
		);
		expect(result).toMatchObject({
			outcome: 'ordered',
			packageTag: 'proforma_executive_PLUS',
			packageCode: 'exec_plus',
		});
		expect(scope.isDone()).toBe(true);
	});

	it('orders several items without reading the package list (the tag is the code) and pairs each output', async () => {
		const scope = nock(BASE, bearer).post('/v1/orders').twice().reply(201, order());
		const opps = [
			opportunity(),
			opportunity({ id: 'opp-2' }),
			opportunity({ id: 'opp-3', tags: [] }),
		];
		const { output, harness } = await runNode({
			parameters: (i) => parameters(opps[i]),
			items: opps.map((o) => ({ json: { opportunity: o } })),
		});
		expect(output.map((o) => [o.json.outcome, o.json.idempotencyKey, o.pairedItem])).toEqual([
			['ordered', 'lever-opp-1-standard', { item: 0 }],
			['ordered', 'lever-opp-2-standard', { item: 1 }],
			['problem', null, { item: 2 }],
		]);
		expect(scope.isDone()).toBe(true);
		expect(harness.requests.map((r) => r.options.method)).toEqual(['POST', 'POST']);
	});

	it('From the Input Item: reads each item, or its opportunity field, without the JSON field', async () => {
		const scope = nock(BASE, bearer)
			.post('/v1/orders', (body: IDataObject) => body.clientReference === 'opp-1')
			.reply(201, order())
			.post('/v1/orders', (body: IDataObject) => body.clientReference === 'opp-2')
			.reply(201, order());
		const items = [
			{ json: opportunity() },
			{ json: { opportunity: opportunity({ id: 'opp-2' }) } },
			{ json: { name: 'Not an opportunity' } },
		];
		const { output } = await runNode({
			// A JSON field naming another opportunity must not be read in this mode.
			parameters: parameters(opportunity({ id: 'opp-other' }), { opportunitySource: 'inputItem' }),
			items,
		});
		expect(output.map((o) => [o.json.outcome, o.json.opportunityId])).toEqual([
			['ordered', 'opp-1'],
			['ordered', 'opp-2'],
			['problem', null],
		]);
		expect(output[2].json.problem).toMatch(/^No Lever opportunity in this item/);
		expect(scope.isDone()).toBe(true);
	});

	it('loads the package list once for several items whose tags are not codes', async () => {
		const scope = nock(BASE, bearer)
			.post('/v1/orders', (body: IDataObject) => body.package === 'Standard')
			.twice()
			.reply(404, PACKAGE_NOT_FOUND)
			.get('/v1/packages')
			.once()
			.reply(200, { data: PACKAGES })
			.post('/v1/orders', (body: IDataObject) => body.package === 'standard')
			.twice()
			.reply(201, order());
		const opps = [
			opportunity({ tags: ['Proforma_Standard'] }),
			opportunity({ id: 'opp-2', tags: ['Proforma_Standard'] }),
		];
		const { output } = await runNode({
			parameters: (i) => parameters(opps[i]),
			items: opps.map((o) => ({ json: { opportunity: o } })),
		});
		expect(output.map((o) => [o.json.outcome, o.json.idempotencyKey])).toEqual([
			['ordered', 'lever-opp-1-standard'],
			['ordered', 'lever-opp-2-standard'],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it("accepts the opportunity as a JSON string or in Lever's {data} envelope", async () => {
		nock(BASE, bearer)
			.get('/v1/packages')
			.twice()
			.reply(200, { data: PACKAGES })
			.post('/v1/orders', EXPECTED_BODY)
			.twice()
			.reply(201, order());
		expect((await run(JSON.stringify(opportunity()))).result.outcome).toBe('ordered');
		expect((await run({ data: opportunity() })).result.outcome).toBe('ordered');
	});

	describe('candidate problems (no request to Proforma unless needed)', () => {
		it.each([
			[
				'no opportunity',
				undefined,
				'No Lever opportunity in this item. Put a Lever "Get" (Opportunity) before this node, or turn on Fetch Opportunity in the Lever Trigger; with "Define Below", the field must hold the opportunity. Check the previous node\'s output.',
			],
			[
				'opportunity without id',
				{ name: 'Ada Lovelace' },
				'No Lever opportunity in this item. Put a Lever "Get" (Opportunity) before this node, or turn on Fetch Opportunity in the Lever Trigger; with "Define Below", the field must hold the opportunity. Check the previous node\'s output.',
			],
			[
				'no package tag',
				opportunity({ tags: ['Engineering'] }),
				'No Proforma package tag on this candidate: add a tag like Proforma_standard to the job posting (candidates inherit it), or to the candidate, then move the candidate to the screening stage again.',
			],
			[
				'several package tags',
				opportunity({ tags: ['Proforma_standard', 'Proforma_exec_plus', 'Proforma_Standard'] }),
				'This candidate has several Proforma package tags (Proforma_standard, Proforma_exec_plus). Keep only the one for the package to order, then move the candidate to the screening stage again.',
			],
			[
				'single-word name',
				opportunity({ name: 'Cher', tags: [] }),
				'No Proforma package tag on this candidate: add a tag like Proforma_standard to the job posting (candidates inherit it), or to the candidate, then move the candidate to the screening stage again. The candidate name "Cher" is a single word. Proforma needs the first and last name for a legal background check: edit the candidate\'s name in Lever to their full legal name.',
			],
		])('%s -> problem', async (_label, opp, problem) => {
			const { result, harness } = await run(opp);
			expect(result.outcome).toBe('problem');
			expect(result.problem).toBe(problem);
			expect(result.retryLater).toBe(false);
			expect(result.order).toBeNull();
			expect(harness.requests).toHaveLength(0);
		});

		it('unknown package -> problem naming the tag and the available packages', async () => {
			nock(BASE, bearer)
				.post('/v1/orders')
				.reply(404, PACKAGE_NOT_FOUND)
				.get('/v1/packages')
				.reply(200, { data: PACKAGES });
			const { result } = await run(opportunity({ tags: ['Proforma_gold'] }));
			expect(result).toMatchObject({
				outcome: 'problem',
				packageTag: 'Proforma_gold',
				packageCode: null,
				problem:
					'The tag Proforma_gold names no Proforma package. Available packages: Proforma_standard (Standard), Proforma_exec_plus (Executive Plus). Fix the tag on the job posting.',
				retryLater: false,
			});
		});

		it('no email (opportunity or contact) -> problem, without asking Proforma', async () => {
			const { result, harness } = await run(
				opportunity({ emails: [], contact: { id: 'c', emails: [] } }),
			);
			expect(harness.requests).toHaveLength(0);
			expect(result).toMatchObject({
				outcome: 'problem',
				packageTag: 'Proforma_standard',
				packageCode: null,
				candidate: { ...CANDIDATE, email: null },
				problem:
					'This candidate has no email address in Lever, and Proforma emails the candidate the link to the screening form: add an email address to the candidate profile, then move the candidate to the screening stage again.',
			});
		});

		it('single-word name with a valid tag -> problem, without asking Proforma', async () => {
			const { result, harness } = await run(opportunity({ name: '  Cher ' }));
			expect(harness.requests).toHaveLength(0);
			expect(result).toMatchObject({
				outcome: 'problem',
				packageTag: 'Proforma_standard',
				packageCode: null,
				candidate: { ...CANDIDATE, firstName: null, lastName: null },
				problem:
					'The candidate name "Cher" is a single word. Proforma needs the first and last name for a legal background check: edit the candidate\'s name in Lever to their full legal name.',
			});
		});
	});

	describe('Default Package', () => {
		it('orders the Default Package for a candidate without a package tag', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.matchHeader('idempotency-key', 'lever-opp-1-standard')
				.reply(201, order());
			const { result } = await run(opportunity({ tags: ['Engineering'] }), {
				defaultPackage: ' standard ',
			});
			expect(result).toMatchObject({
				outcome: 'ordered',
				packageTag: null,
				packageCode: 'standard',
			});
			expect(scope.isDone()).toBe(true);
		});

		it('a package tag wins over the Default Package', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', { ...EXPECTED_BODY, package: 'exec_plus' })
				.reply(201, order({ package: 'exec_plus' }));
			const { result } = await run(opportunity({ tags: ['Proforma_exec_plus'] }), {
				defaultPackage: 'standard',
			});
			expect(result).toMatchObject({ outcome: 'ordered', packageTag: 'Proforma_exec_plus' });
			expect(scope.isDone()).toBe(true);
		});

		it('several package tags stay a problem (never a guess), Default Package or not', async () => {
			const { result, harness } = await run(
				opportunity({ tags: ['Proforma_standard', 'Proforma_exec_plus'] }),
				{ defaultPackage: 'standard' },
			);
			expect(result.problem).toBe(
				'This candidate has several Proforma package tags (Proforma_standard, Proforma_exec_plus). Keep only the one for the package to order, then move the candidate to the screening stage again.',
			);
			expect(harness.requests).toHaveLength(0);
		});

		it('resolves a Default Package given by name, and names the field when Proforma knows none', async () => {
			nock(BASE, bearer)
				.post('/v1/orders', { ...EXPECTED_BODY, package: 'Executive Plus' })
				.reply(404, PACKAGE_NOT_FOUND)
				.get('/v1/packages')
				.reply(200, { data: PACKAGES })
				.post('/v1/orders', { ...EXPECTED_BODY, package: 'exec_plus' })
				.reply(201, order({ package: 'exec_plus' }));
			const named = await run(opportunity({ tags: [] }), { defaultPackage: 'Executive Plus' });
			expect(named.result).toMatchObject({ outcome: 'ordered', packageCode: 'exec_plus' });

			nock(BASE, bearer)
				.post('/v1/orders')
				.reply(404, PACKAGE_NOT_FOUND)
				.get('/v1/packages')
				.reply(200, { data: PACKAGES });
			const unknown = await run(opportunity({ tags: [] }), { defaultPackage: 'gold' });
			expect(unknown.result.problem).toBe(
				'The Default Package "gold" (no package tag on this candidate) names no Proforma package. Available packages: Proforma_standard (Standard), Proforma_exec_plus (Executive Plus). Correct the Default Package in the node that orders, or tag the job posting.',
			);
		});
	});

	describe('Candidate Overrides', () => {
		it('sends non-empty overrides instead of the derived values, and derives the rest', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', {
					...EXPECTED_BODY,
					candidate: {
						firstName: 'Augusta Ada',
						lastName: 'King',
						email: 'ada.king@example.com',
						phone: '+44 20 7946 0000',
						location: 'London, UK',
					},
				})
				.matchHeader('idempotency-key', 'lever-opp-1-standard')
				.reply(201, order());
			const { result } = await run(opportunity(), {
				candidateOverrides: {
					firstName: ' Augusta  Ada ',
					lastName: 'King',
					email: 'ada.king@example.com',
					phone: '+44 20 7946 0000',
					location: 'London, UK',
				},
			});
			expect(result).toMatchObject({
				outcome: 'ordered',
				problem: null,
				opportunityId: 'opp-1',
				idempotencyKey: keyValue('lever-opp-1-standard'),
				candidate: {
					firstName: 'Augusta Ada',
					lastName: 'King',
					email: 'ada.king@example.com',
					phone: '+44 20 7946 0000',
					location: 'London, UK',
				},
			});
			expect(scope.isDone()).toBe(true);
		});

		it("keeps every derived value when the overrides are empty or blank (today's request, byte for byte)", async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', EXPECTED_BODY)
				.matchHeader('idempotency-key', 'lever-opp-1-standard')
				.reply(201, order());
			const { result } = await run(opportunity(), {
				candidateOverrides: {
					firstName: '',
					lastName: '   ',
					email: '',
					phone: '',
					location: '',
					clientReference: '',
				},
			});
			expect(result).toMatchObject({ outcome: 'ordered', candidate: CANDIDATE });
			expect(scope.isDone()).toBe(true);
		});

		it('overrides one field only (phone), deriving the others', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', {
					...EXPECTED_BODY,
					candidate: { ...EXPECTED_BODY.candidate, phone: '+1 555 0199' },
				})
				.reply(201, order());
			const { result } = await run(opportunity(), {
				candidateOverrides: { phone: '+1 555 0199' },
			});
			expect(result).toMatchObject({
				outcome: 'ordered',
				candidate: { ...CANDIDATE, phone: '+1 555 0199' },
			});
			expect(scope.isDone()).toBe(true);
		});

		it('a Client Reference override is sent and keys the order (deliberate re-screen)', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', { ...EXPECTED_BODY, clientReference: 'opp-1-rescreen-2025' })
				.matchHeader('idempotency-key', 'lever-opp-1-rescreen-2025-standard')
				.reply(201, order({ clientReference: 'opp-1-rescreen-2025' }));
			const { result } = await run(opportunity(), {
				candidateOverrides: { clientReference: 'opp-1-rescreen-2025' },
			});
			expect(result).toMatchObject({
				outcome: 'ordered',
				opportunityId: 'opp-1',
				idempotencyKey: keyValue('lever-opp-1-rescreen-2025-standard'),
			});
			expect(scope.isDone()).toBe(true);
		});

		it('an email override orders for a candidate without an email in Lever', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', {
					...EXPECTED_BODY,
					candidate: { ...EXPECTED_BODY.candidate, email: 'ada@work.example.com' },
				})
				.reply(201, order());
			const { result } = await run(opportunity({ emails: [], contact: { id: 'c', emails: [] } }), {
				candidateOverrides: { email: 'ada@work.example.com' },
			});
			expect(result).toMatchObject({ outcome: 'ordered', problem: null });
			expect(scope.isDone()).toBe(true);
		});

		it('first and last name overrides order for a single-word name; one alone does not', async () => {
			const scope = nock(BASE, bearer)
				.post('/v1/orders', {
					...EXPECTED_BODY,
					candidate: { ...EXPECTED_BODY.candidate, firstName: 'Cherilyn', lastName: 'Sarkisian' },
				})
				.reply(201, order());
			const both = await run(opportunity({ name: 'Cher' }), {
				candidateOverrides: { firstName: 'Cherilyn', lastName: 'Sarkisian' },
			});
			expect(both.result).toMatchObject({ outcome: 'ordered', problem: null });

			const one = await run(opportunity({ name: 'Cher' }), {
				candidateOverrides: { firstName: 'Cherilyn' },
			});
			expect(one.result).toMatchObject({
				outcome: 'problem',
				candidate: { ...CANDIDATE, firstName: 'Cherilyn', lastName: null },
				problem:
					'The candidate name "Cher" is a single word. Proforma needs the first and last name for a legal background check: edit the candidate\'s name in Lever to their full legal name.',
				order: null,
			});
			expect(scope.isDone()).toBe(true);
		});

		it('a malformed email override is a problem saying what to fix, with no request at all', async () => {
			const { result, harness } = await run(opportunity(), {
				candidateOverrides: { email: 'ada at example.com' },
			});
			expect(result).toMatchObject({
				outcome: 'problem',
				order: null,
				candidate: { ...CANDIDATE, email: 'ada at example.com' },
				problem:
					'The Email override "ada at example.com" (Candidate Overrides) is not an email address: correct it, or leave it empty to use the first of the opportunity\'s emails.',
			});
			expect(harness.requests).toHaveLength(0);
		});

		it('describes each override with its derivation rule', async () => {
			const { Proforma } = await import('../../../nodes/Proforma/Proforma.node');
			const field = new Proforma().description.properties.find(
				(p) => p.name === 'candidateOverrides',
			);
			expect(field?.displayOptions).toEqual({
				show: { resource: ['order'], operation: ['createForOpportunity'] },
			});
			expect(field?.default).toEqual({});
			const options = (field?.options ?? []) as Array<{ name: string; description?: string }>;
			const rules = Object.fromEntries(options.map((o) => [o.name, o.description ?? '']));
			expect(Object.keys(rules).sort()).toEqual(
				['clientReference', 'email', 'firstName', 'lastName', 'location', 'phone'].sort(),
			);
			for (const rule of Object.values(rules)) expect(rule).toMatch(/^Empty: /);
			expect(rules.email).toMatch(/first of the opportunity's emails/);
			expect(rules.phone).toMatch(/first of the opportunity's phones/);
			expect(rules.clientReference).toMatch(/^Empty: the opportunity ID/);
		});
	});

	describe("Proforma's answers that become problems", () => {
		// The tag names the code: the package list is never read on these paths.
		function withPackages() {
			return nock(BASE, bearer);
		}

		it("409 naming another candidate's order (key reused with another body) -> problem, not alreadyOrdered", async () => {
			const scope = withPackages()
				.post('/v1/orders', EXPECTED_BODY)
				.reply(
					409,
					apiError('conflict', 'Idempotency-Key was already used with a different request body.', {
						orderId: 'ord_other',
					}),
				)
				.get('/v1/orders/ord_other')
				.reply(200, order({ id: 'ord_other', clientReference: 'opp-2' }));
			const { result } = await run(opportunity());
			expect(result).toMatchObject({
				outcome: 'problem',
				order: null,
				problem:
					'Proforma POST /v1/orders failed with 409 conflict: Idempotency-Key was already used with a different request body. ' +
					'The Idempotency-Key "lever-opp-1-standard" belongs to order ord_other (clientReference opp-2, package standard), ' +
					'not to this request (clientReference opp-1, package standard): use a distinct Idempotency-Key per candidate.',
			});
			expect(scope.isDone()).toBe(true);
		});

		it('404 for the package on create (list and order disagree) -> plain words about the tag', async () => {
			withPackages()
				.post('/v1/orders', EXPECTED_BODY)
				.reply(
					404,
					apiError('not_found', 'Package standard was not found.', {
						details: [{ field: 'package', issue: 'not_found' }],
					}),
				)
				// The list has the very code Proforma refused: Proforma's own answer is reported.
				.get('/v1/packages')
				.reply(200, { data: PACKAGES });
			const { result } = await run(opportunity());
			expect(result).toMatchObject({
				outcome: 'problem',
				order: null,
				problem:
					"Proforma does not offer the package named by this candidate's tag (404 not_found: Package standard was not found.). Fix the Proforma package tag on the job posting, then move the candidate to the screening stage again.",
			});
		});

		it('422 -> "Proforma refused the order" with every detail', async () => {
			withPackages()
				.post('/v1/orders')
				.reply(
					422,
					apiError('validation_failed', 'Invalid', {
						details: [
							{ field: 'candidate.email', issue: 'undeliverable' },
							{ field: 'candidate.phone', issue: 'invalid format' },
						],
					}),
				);
			const { result } = await run(opportunity());
			expect(result).toMatchObject({
				outcome: 'problem',
				idempotencyKey: keyValue('lever-opp-1-standard'),
				order: null,
				problem:
					'Proforma refused the order: candidate.email: undeliverable; candidate.phone: invalid format. Fix these details on the candidate profile in Lever, then move the candidate to the screening stage again.',
			});
		});

		it('401 on the package list -> the API key was refused', async () => {
			nock(BASE)
				.post('/v1/orders')
				.reply(404, PACKAGE_NOT_FOUND)
				.get('/v1/packages')
				.reply(401, apiError('unauthorized', 'Invalid API key'));
			const { result } = await run(opportunity({ tags: ['Proforma_Standard'] }));
			expect(result).toMatchObject({
				outcome: 'problem',
				problem:
					'The Proforma API key was refused (401). Ask your n8n admin to check the API key in the Proforma API credential, then run again for this candidate.',
				retryLater: false,
			});
			expect(JSON.stringify(result)).not.toContain('test-api-key');
		});

		it('503 on the package list -> retry later, nothing for the recruiter to fix', async () => {
			nock(BASE)
				.post('/v1/orders')
				.reply(404, PACKAGE_NOT_FOUND)
				.get('/v1/packages')
				.times(7)
				.reply(503, apiError('unavailable', 'Maintenance'));
			const { result } = await run(opportunity({ tags: ['Proforma_Standard'] }));
			expect(result).toMatchObject({
				outcome: 'problem',
				problem:
					'Proforma could not be reached after 7 attempts (server error 503: Maintenance) while loading the package list. Run the workflow again for this candidate later (re-running never orders twice).',
				retryLater: true,
			});
		});

		it('401 on create -> the API key was refused', async () => {
			withPackages().post('/v1/orders').reply(401, apiError('unauthorized', 'Invalid API key'));
			const { result } = await run(opportunity());
			expect(result.problem).toBe(
				'The Proforma API key was refused (401). Ask your n8n admin to check the API key in the Proforma API credential, then run again for this candidate.',
			);
		});

		it('5xx after the retries -> could not be reached after N attempts', async () => {
			const scope = withPackages()
				.post('/v1/orders')
				.times(7)
				.reply(503, apiError('unavailable', 'Maintenance'));
			const { result } = await run(opportunity());
			expect(result).toMatchObject({
				outcome: 'problem',
				problem:
					'Proforma could not be reached after 7 attempts (server error 503: Maintenance) while ordering. Run the workflow again for this candidate later (re-running never orders twice).',
				retryLater: true,
			});
			expect(offline.sleep).toHaveBeenCalledTimes(6);
			expect(scope.isDone()).toBe(true);
		});

		it('429 after the retries -> could not be reached (rate limited)', async () => {
			withPackages()
				.post('/v1/orders')
				.times(41)
				.reply(429, apiError('rate_limited', 'Slow down'), { 'Retry-After': '1' });
			const { result } = await run(opportunity());
			expect(result.problem).toBe(
				'Proforma could not be reached after 41 attempts (rate limited) while ordering. Run the workflow again for this candidate later (re-running never orders twice).',
			);
			expect(result.retryLater).toBe(true);
			expect(offline.sleep.mock.calls.every(([ms]) => Number(ms) >= 1000)).toBe(true);
		});

		it('429 then success -> ordered', async () => {
			withPackages()
				.post('/v1/orders')
				.reply(429, apiError('rate_limited', 'Slow down'), { 'Retry-After': '2' })
				.post('/v1/orders', EXPECTED_BODY)
				.reply(201, order());
			const { result } = await run(opportunity());
			expect(result.outcome).toBe('ordered');
			expect(offline.sleep).toHaveBeenCalledTimes(1);
			expect(offline.sleep.mock.calls[0][0]).toBeGreaterThanOrEqual(2000);
		});

		it('unreachable -> could not be reached after N attempts, for every item, trying once per item', async () => {
			let failed: unknown[] = [];
			const { output } = await runNode({
				parameters: parameters(opportunity()),
				items: [{ json: {} }, { json: {} }],
				beforeRun: (harness) => {
					failed = failNextRequests(harness, Array(14).fill('ECONNREFUSED'));
				},
			});
			const problem =
				'Proforma could not be reached after 7 attempts (connection refused) while ordering. Run the workflow again for this candidate later (re-running never orders twice).';
			expect(
				output.map((o) => [o.json.outcome, o.json.problem, o.json.retryLater, o.pairedItem]),
			).toEqual([
				['problem', problem, true, { item: 0 }],
				['problem', problem, true, { item: 1 }],
			]);
			// Each item's order is tried once, with its bounded retries.
			expect(failed).toHaveLength(14);
		});

		it('throws when the credential is missing (a setup error, not a candidate problem)', async () => {
			await expect(
				runNode({ parameters: parameters(opportunity()), credentials: {} }),
			).rejects.toThrow('Node does not have credentials of type "proformaApi" set');
		});
	});
});

describe('name splitting', () => {
	it.each([
		['Ada Lovelace', 'Ada', 'Lovelace'],
		['Ada King Lovelace', 'Ada King', 'Lovelace'],
		['Lovelace, Ada', 'Ada', 'Lovelace'],
		['  Ada   Lovelace  ', 'Ada', 'Lovelace'],
		['Lovelace,Ada King', 'Ada King', 'Lovelace'],
		['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
		['Ada Lovelace, Jr.', 'Ada', 'Lovelace Jr.'],
		['Martin Luther King Jr', 'Martin Luther', 'King Jr'],
		['José  María  García', 'José María', 'García'],
	])('%p -> %p / %p', (name, firstName, lastName) => {
		expect(splitName(name)).toEqual({ ok: true, firstName, lastName });
	});

	it.each(['Cher', '  Cher  ', 'Prince,', 'Jr', ''])('%p -> problem', (name) => {
		const split = splitName(name);
		expect(split.ok).toBe(false);
		if (!split.ok)
			expect(split.problem).toMatch(
				/Proforma needs the first and last name for a legal background check/,
			);
	});
});

describe('opportunity helpers', () => {
	it('finds the package tag case-insensitively and ignores an empty one', () => {
		expect(findPackageTag(['Proforma_', 'x', 'PROFORMA_Standard'], 'Proforma_')).toEqual({
			kind: 'one',
			tag: 'PROFORMA_Standard',
			packageName: 'Standard',
		});
		expect(findPackageTag(undefined, 'Proforma_')).toEqual({ kind: 'none' });
	});

	it('resolves by code exactly first, then by name', () => {
		const packages = [
			{ code: 'Standard', name: 'Basic', description: null, screenings: [] },
			{ code: 'std', name: 'Standard', description: null, screenings: [] },
		];
		expect(resolvePackage('Standard', packages)?.code).toBe('Standard');
		expect(resolvePackage('standard', packages)?.code).toBe('std');
		expect(resolvePackage('nope', packages)).toBeUndefined();
	});

	it('falls back to the contact for email and location, and has no posting for unexpanded applications', () => {
		const opp = {
			id: 'o',
			emails: [],
			contact: { emails: [' c@example.com '], location: { name: 'Paris' } },
			applications: ['app-1'],
		};
		expect(firstEmail(opp)).toBe('c@example.com');
		expect(candidateLocation(opp)).toBe('Paris');
		expect(postingId(opp)).toBeNull();
	});
});
