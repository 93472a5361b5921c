/**
 * Lever's offset pagination (`next` + `hasNext`) through the list operations,
 * including a server that keeps answering with the same `next`.
 */
import { describe, expect, it } from '@jest/globals';
import nock from 'nock';

import { BASE, BASIC_AUTH, runLever } from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

const auth = { reqheaders: { authorization: BASIC_AUTH } };

describe('Lever node: pagination', () => {
	useOfflineApi();

	it('posting getAll (Return All) follows next as offset until hasNext is false, keeping the filters', async () => {
		const scope = nock(BASE, auth)
			.get('/postings')
			.query({ state: 'published', tag: 'Background Check:Standard', limit: '100' })
			.reply(200, {
				data: [{ id: 'post-1' }, { id: 'post-2' }],
				hasNext: true,
				next: '0.1700000000000.post-2',
			})
			.get('/postings')
			.query({
				state: 'published',
				tag: 'Background Check:Standard',
				limit: '100',
				offset: '0.1700000000000.post-2',
			})
			.reply(200, { data: [{ id: 'post-3' }], hasNext: false, next: '0.1700000000001.post-3' });
		const { output, requests } = await runLever({
			resource: 'posting',
			operation: 'getAll',
			returnAll: true,
			filters: { state: 'published', tags: ['Background Check:Standard'] },
		});
		expect(scope.isDone()).toBe(true);
		expect(requests).toHaveLength(2);
		expect(output).toEqual([
			{ json: { id: 'post-1' }, pairedItem: { item: 0 } },
			{ json: { id: 'post-2' }, pairedItem: { item: 0 } },
			{ json: { id: 'post-3' }, pairedItem: { item: 0 } },
		]);
	});

	it('posting getAll with a limit asks the second page only for what is missing', async () => {
		const scope = nock(BASE, auth)
			.get('/postings')
			.query({ limit: '3' })
			.reply(200, { data: [{ id: 'post-1' }, { id: 'post-2' }], hasNext: true, next: 'tok-2' })
			.get('/postings')
			.query({ limit: '1', offset: 'tok-2' })
			.reply(200, { data: [{ id: 'post-3' }], hasNext: true, next: 'tok-3' });
		const { output } = await runLever({
			resource: 'posting',
			operation: 'getAll',
			returnAll: false,
			limit: 3,
		});
		expect(scope.isDone()).toBe(true);
		expect(output.map((item) => item.json.id)).toEqual(['post-1', 'post-2', 'post-3']);
	});

	it('user getAll (Return All) reads two pages with the email and includeDeactivated filters', async () => {
		const scope = nock(BASE, auth)
			.get('/users')
			.query({ email: 'ops@example.com', includeDeactivated: 'true', limit: '100' })
			.reply(200, {
				data: [{ id: 'user-1', email: 'ops@example.com' }],
				hasNext: true,
				next: 'user-page-2',
			})
			.get('/users')
			.query({
				email: 'ops@example.com',
				includeDeactivated: 'true',
				limit: '100',
				offset: 'user-page-2',
			})
			.reply(200, {
				data: [{ id: 'user-2', email: 'ops@example.com', deactivatedAt: 1714564800000 }],
				hasNext: false,
			});
		const { output, requests } = await runLever({
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
			filters: { email: ' ops@example.com ', includeDeactivated: true },
		});
		expect(scope.isDone()).toBe(true);
		expect(requests).toHaveLength(2);
		expect(output).toEqual([
			{ json: { id: 'user-1', email: 'ops@example.com' }, pairedItem: { item: 0 } },
			{
				json: { id: 'user-2', email: 'ops@example.com', deactivatedAt: 1714564800000 },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('does not follow next when hasNext is false', async () => {
		const scope = nock(BASE, auth)
			.get('/users')
			.query({ limit: '100' })
			.reply(200, { data: [{ id: 'user-1' }], hasNext: false, next: 'would-loop' });
		const { output, requests } = await runLever({
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
		});
		expect(scope.isDone()).toBe(true);
		expect(requests).toHaveLength(1);
		expect(output.map((item) => item.json.id)).toEqual(['user-1']);
	});

	it('stops (Return All) when Lever answers with the same next again instead of looping', async () => {
		// disableNetConnect: a third request would find no interceptor and fail the run.
		const scope = nock(BASE, auth)
			.get('/postings')
			.query({ limit: '100' })
			.reply(200, { data: [{ id: 'post-1' }], hasNext: true, next: 'stuck' })
			.get('/postings')
			.query({ limit: '100', offset: 'stuck' })
			.reply(200, { data: [{ id: 'post-2' }], hasNext: true, next: 'stuck' });
		const { output, requests } = await runLever({
			resource: 'posting',
			operation: 'getAll',
			returnAll: true,
		});
		expect(scope.isDone()).toBe(true);
		expect(requests).toHaveLength(2);
		expect(requests.map((r) => r.options.qs)).toEqual([
			{ limit: 100 },
			{ limit: 100, offset: 'stuck' },
		]);
		expect(output.map((item) => item.json.id)).toEqual(['post-1', 'post-2']);
	});
});
