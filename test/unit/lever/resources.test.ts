import { describe, expect, it } from '@jest/globals';
import nock from 'nock';

import { BASE, BASIC_AUTH, rl, runLever } from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

const TAG = 'Background Check:Ordered';
const auth = { reqheaders: { authorization: BASIC_AUTH } };

describe('Lever node: notes, stages, postings, tags, users', () => {
	useOfflineApi();

	describe('note', () => {
		it('creates a secret note with score, notifyFollowers and perform_as, and outputs the note id', async () => {
			const scope = nock(BASE, auth)
				.post('/opportunities/opp-1/notes', {
					value: `Proforma order ord_1 placed. Tag: ${TAG}`,
					secret: true,
					score: 4,
					notifyFollowers: true,
				})
				.query({ perform_as: 'user-9' })
				.reply(201, { data: { noteId: 'note-1' } });
			const { output } = await runLever({
				resource: 'note',
				operation: 'create',
				opportunityId: 'opp-1',
				value: `Proforma order ord_1 placed. Tag: ${TAG}`,
				secret: 'true', // from an expression
				performAs: rl('user-9'),
				additionalFields: { score: 4, notifyFollowers: true },
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{
					json: { success: true, opportunityId: 'opp-1', noteId: 'note-1' },
					pairedItem: { item: 0 },
				},
			]);
		});

		it('creates a plain note with only value and secret false; a score from an expression string is sent as a number', async () => {
			const plain = nock(BASE, auth)
				.post('/opportunities/opp-1/notes', { value: 'Report ready', secret: false })
				.query({})
				.reply(201, { data: { noteId: 'note-2' } });
			const { output } = await runLever({
				resource: 'note',
				operation: 'create',
				opportunityId: 'opp-1',
				value: 'Report ready',
			});
			expect(plain.isDone()).toBe(true);
			expect(output).toEqual([
				{
					json: { success: true, opportunityId: 'opp-1', noteId: 'note-2' },
					pairedItem: { item: 0 },
				},
			]);

			const scored = nock(BASE, auth)
				.post('/opportunities/opp-1/notes', {
					value: 'Scored',
					secret: false,
					score: 1,
					notifyFollowers: false,
				})
				.query({})
				.reply(201, { data: { noteId: 'note-3' } });
			await runLever({
				resource: 'note',
				operation: 'create',
				opportunityId: 'opp-1',
				value: 'Scored',
				secret: 'false',
				additionalFields: { score: '1', notifyFollowers: 'false' },
			});
			expect(scored.isDone()).toBe(true);
		});

		it('gets the notes of an opportunity across pages up to the limit', async () => {
			const scope = nock(BASE, auth)
				.get('/opportunities/opp-1/notes')
				.query({ limit: '2' })
				.reply(200, { data: [{ id: 'n1' }], hasNext: true, next: 'page-2' })
				.get('/opportunities/opp-1/notes')
				.query({ limit: '1', offset: 'page-2' })
				.reply(200, { data: [{ id: 'n2' }], hasNext: false });
			const { output } = await runLever({
				resource: 'note',
				operation: 'getAll',
				opportunityId: 'opp-1',
				returnAll: false,
				limit: 2,
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{ json: { id: 'n1' }, pairedItem: { item: 0 } },
				{ json: { id: 'n2' }, pairedItem: { item: 0 } },
			]);
		});
	});

	describe('stage', () => {
		it('gets all stages across pages', async () => {
			const scope = nock(BASE, auth)
				.get('/stages')
				.query({ limit: '100' })
				.reply(200, { data: [{ id: 'lead-new', text: 'New lead' }], hasNext: true, next: 's2' })
				.get('/stages')
				.query({ limit: '100', offset: 's2' })
				.reply(200, { data: [{ id: 'stage-bg', text: 'Background Check' }], hasNext: false });
			const { output } = await runLever({
				resource: 'stage',
				operation: 'getAll',
				returnAll: true,
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{ json: { id: 'lead-new', text: 'New lead' }, pairedItem: { item: 0 } },
				{ json: { id: 'stage-bg', text: 'Background Check' }, pairedItem: { item: 0 } },
			]);
		});
	});

	describe('posting', () => {
		it('gets one posting by id', async () => {
			const scope = nock(BASE, auth)
				.get('/postings/post-1')
				.reply(200, { data: { id: 'post-1', text: 'Driver', tags: ['Proforma:Standard'] } });
			const { output } = await runLever({
				resource: 'posting',
				operation: 'get',
				postingId: rl('post-1', 'id'),
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{
					json: { id: 'post-1', text: 'Driver', tags: ['Proforma:Standard'] },
					pairedItem: { item: 0 },
				},
			]);
		});

		it('gets postings filtered by state and tag (exact tag text in the query)', async () => {
			const scope = nock(BASE, auth)
				.get('/postings')
				.query({ state: 'published', tag: 'Proforma:Standard Package', limit: '10' })
				.reply(200, { data: [{ id: 'post-1' }], hasNext: false });
			const { output } = await runLever({
				resource: 'posting',
				operation: 'getAll',
				returnAll: false,
				limit: 10,
				filters: { state: 'published', tags: ['Proforma:Standard Package'] },
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([{ json: { id: 'post-1' }, pairedItem: { item: 0 } }]);
		});
	});

	describe('tag', () => {
		it('gets tags up to the limit', async () => {
			const scope = nock(BASE, auth)
				.get('/tags')
				.query({ limit: '1' })
				.reply(200, { data: [{ text: TAG, count: 2 }], hasNext: true, next: 't2' });
			const { output } = await runLever({
				resource: 'tag',
				operation: 'getAll',
				returnAll: false,
				limit: 1,
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([{ json: { text: TAG, count: 2 }, pairedItem: { item: 0 } }]);
		});
	});

	describe('user', () => {
		it('finds a user by email (for Perform As)', async () => {
			const scope = nock(BASE, auth)
				.get('/users')
				.query({ email: 'ops@example.com', limit: '100' })
				.reply(200, {
					data: [{ id: 'user-9', name: 'Ops', email: 'ops@example.com' }],
					hasNext: false,
				});
			const { output } = await runLever({
				resource: 'user',
				operation: 'getAll',
				returnAll: true,
				filters: { email: ' ops@example.com ' },
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{ json: { id: 'user-9', name: 'Ops', email: 'ops@example.com' }, pairedItem: { item: 0 } },
			]);
		});

		it('includes deactivated users when asked', async () => {
			const scope = nock(BASE, auth)
				.get('/users')
				.query({ includeDeactivated: 'true', limit: '50' })
				.reply(200, { data: [], hasNext: false });
			const { output } = await runLever({
				resource: 'user',
				operation: 'getAll',
				returnAll: false,
				limit: 50,
				filters: { includeDeactivated: true },
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([]);
		});
	});
});
