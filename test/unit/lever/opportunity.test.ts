import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';

import { BASE, BASIC_AUTH, rl, runLever, runLeverError } from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

const TAG = 'Background Check:Ordered';
const auth = { reqheaders: { authorization: BASIC_AUTH } };

/**
 * Opportunity: Get once per candidate (Lever answers each GET with it), with
 * these options; the input item of each from `item`.
 */
async function getEach(
	candidates: Record<string, object>,
	options: workflow.IDataObject,
	item: (id: string) => workflow.IDataObject = () => ({}),
) {
	const ids = Object.keys(candidates);
	let scope = nock(BASE, auth);
	for (const id of ids)
		scope = scope.get(`/opportunities/${id}`).reply(200, { data: candidates[id] });
	const { output } = await runLever(
		(i) => ({ resource: 'opportunity', operation: 'get', opportunityId: ids[i], options }),
		{ items: ids.map((id) => ({ json: item(id) })) },
	);
	expect(scope.isDone()).toBe(true);
	return output;
}

describe('Lever node: opportunity', () => {
	useOfflineApi();

	describe('get', () => {
		it('GETs the opportunity with repeated expand keys and outputs the unwrapped record', async () => {
			const scope = nock(BASE, auth)
				.get('/opportunities/opp-1')
				.query({ expand: ['applications', 'contact'] })
				.reply(200, { data: { id: 'opp-1', name: 'Ada Lovelace', tags: [TAG] } });
			const { output, requests } = await runLever({
				resource: 'opportunity',
				operation: 'get',
				opportunityId: ' opp-1 ',
				options: { expand: ['applications', 'contact'] },
			});
			expect(scope.isDone()).toBe(true);
			expect(requests).toHaveLength(1);
			expect(requests[0].credentialType).toBe('leverApi');
			expect(requests[0].options.method).toBe('GET');
			expect(output).toEqual([
				{ json: { id: 'opp-1', name: 'Ada Lovelace', tags: [TAG] }, pairedItem: { item: 0 } },
			]);
		});

		it('sends no query string without expand, and takes the id out of a Lever candidate URL', async () => {
			const scope = nock(BASE, auth)
				.get('/opportunities/250d8f03-738a-4bba-a671-8a3d73477145')
				.query({})
				.reply(200, { data: { id: '250d8f03-738a-4bba-a671-8a3d73477145' } });
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'get',
				opportunityId:
					'https://hire.lever.co/candidates/250d8f03-738a-4bba-a671-8a3d73477145?stage=x',
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{ json: { id: '250d8f03-738a-4bba-a671-8a3d73477145' }, pairedItem: { item: 0 } },
			]);
		});

		it('runs once per input item and pairs each output with its input', async () => {
			const scope = nock(BASE, auth)
				.get('/opportunities/opp-a')
				.reply(200, { data: { id: 'opp-a' } })
				.get('/opportunities/opp-b')
				.reply(200, { data: { id: 'opp-b' } });
			const ids = ['opp-a', 'opp-b'];
			const { output } = await runLever(
				(i) => ({ resource: 'opportunity', operation: 'get', opportunityId: ids[i] }),
				{ items: [{ json: {} }, { json: {} }] },
			);
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{ json: { id: 'opp-a' }, pairedItem: { item: 0 } },
				{ json: { id: 'opp-b' }, pairedItem: { item: 1 } },
			]);
		});

		it('Only If Still in the Stage and Skip If Tagged: output only a candidate in the delivered stage, not archived, without those tags', async () => {
			const SCREEN = 'stage-screen';
			const candidates: Record<string, object> = {
				'opp-ready': { id: 'opp-ready', stage: SCREEN, archived: null, tags: ['Other'] },
				'opp-moved': { id: 'opp-moved', stage: 'stage-offer', archived: null, tags: [] },
				'opp-archived': { id: 'opp-archived', stage: SCREEN, archived: { reason: 'r' }, tags: [] },
				'opp-ordered': { id: 'opp-ordered', stage: { id: SCREEN }, archived: null, tags: [TAG] },
			};
			const output = await getEach(
				candidates,
				{ stillInStage: true, skipTagged: [TAG] },
				(opportunityId) => ({ opportunityId, toStageId: SCREEN }),
			);
			expect(output).toEqual([{ json: candidates['opp-ready'], pairedItem: { item: 0 } }]);
		});

		it('Unless Also Tagged: a candidate with a skip tag is output after all when it also has one of these', async () => {
			const DONE = 'Background Check:Completed';
			const candidates: Record<string, object> = {
				'opp-active': { id: 'opp-active', tags: [TAG] },
				'opp-done': { id: 'opp-done', tags: [TAG, DONE] },
				'opp-new': { id: 'opp-new', tags: [] },
			};
			const output = await getEach(candidates, { skipTagged: [TAG], unlessTagged: [DONE] });
			expect(output).toEqual([
				{ json: candidates['opp-done'], pairedItem: { item: 1 } },
				{ json: candidates['opp-new'], pairedItem: { item: 2 } },
			]);
		});

		it('Only If Still in the Stage: an input item without toStageId is an error that says what to connect', async () => {
			const { error, requests } = await runLeverError(
				{
					resource: 'opportunity',
					operation: 'get',
					opportunityId: 'opp-1',
					options: { stillInStage: true },
				},
				{ items: [{ json: { opportunityId: 'opp-1' } }] },
			);
			expect(error.message).toBe('The input item has no toStageId');
			expect(error.description).toMatch(/connect the Lever Trigger/);
			expect(requests).toHaveLength(0);
		});

		it('Include Archive Reason: reads the reason of an archived candidate, and nothing more for one not archived', async () => {
			const scope = nock(BASE, auth)
				.get('/opportunities/opp-1')
				.reply(200, { data: { id: 'opp-1', archived: { archivedAt: 1, reason: 'r-hired' } } })
				.get('/archive_reasons/r-hired')
				.reply(200, { data: { id: 'r-hired', text: 'Hired', type: 'hired' } })
				.get('/opportunities/opp-2')
				.reply(200, { data: { id: 'opp-2', archived: null } });
			const ids = ['opp-1', 'opp-2'];
			const { output, requests } = await runLever(
				(i) => ({
					resource: 'opportunity',
					operation: 'get',
					opportunityId: ids[i],
					options: { archiveReason: true },
				}),
				{ items: [{ json: {} }, { json: {} }] },
			);
			expect(scope.isDone()).toBe(true);
			expect(requests).toHaveLength(3);
			expect(output.map((o) => o.json.archiveReason)).toEqual([
				{ id: 'r-hired', text: 'Hired', type: 'hired' },
				null,
			]);
		});

		it('Include Archive Reason: a reason Lever answers without its type is an error, never a guess', async () => {
			nock(BASE, auth)
				.get('/opportunities/opp-1')
				.reply(200, { data: { id: 'opp-1', archived: { archivedAt: 1, reason: 'r-x' } } })
				.get('/archive_reasons/r-x')
				.reply(200, { data: { id: 'r-x' } });
			const { error } = await runLeverError({
				resource: 'opportunity',
				operation: 'get',
				opportunityId: 'opp-1',
				options: { archiveReason: true },
			});
			expect(error.message).toMatch(/without the reason's type/);
		});

		it('Return Deleted Candidates: a 404 becomes { id, deleted: true }; other errors still fail', async () => {
			nock(BASE, auth)
				.get('/opportunities/gone')
				.reply(404, { code: 'ResourceNotFound', message: 'opportunities gone was not found' });
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'get',
				opportunityId: 'gone',
				options: { returnDeleted: true },
			});
			expect(output).toEqual([{ json: { id: 'gone', deleted: true }, pairedItem: { item: 0 } }]);

			nock(BASE, auth)
				.get('/opportunities/gone')
				.reply(404, { code: 'ResourceNotFound', message: 'opportunities gone was not found' });
			const { error } = await runLeverError({
				resource: 'opportunity',
				operation: 'get',
				opportunityId: 'gone',
			});
			expect(error.message).toMatch(/not found|404/i);

			nock(BASE, auth).get('/opportunities/opp-1').reply(403, { code: 'Forbidden', message: 'no' });
			const { error: forbidden } = await runLeverError({
				resource: 'opportunity',
				operation: 'get',
				opportunityId: 'opp-1',
				options: { returnDeleted: true },
			});
			expect(forbidden.message).toMatch(/403|forbidden|permission/i);
		});
	});

	describe('get many', () => {
		it('sends every filter the way Lever wants it and follows pagination (Return All)', async () => {
			const since = '2024-05-01T00:00:00.000Z';
			const query = {
				tag: [TAG, 'Priority'],
				stage_id: ['lead-new', 'stage-2'],
				posting_id: 'post-1',
				email: 'ada@example.com',
				archived: 'false',
				updated_at_start: String(Date.parse(since)),
				expand: 'stage',
			};
			const scope = nock(BASE, auth)
				.get('/opportunities')
				.query({ ...query, limit: '100' })
				.reply(200, {
					data: [{ id: 'o1' }, { id: 'o2' }],
					hasNext: true,
					next: '0.1414895548650.a6070140',
				})
				.get('/opportunities')
				.query({ ...query, limit: '100', offset: '0.1414895548650.a6070140' })
				.reply(200, { data: [{ id: 'o3' }], hasNext: false });
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'getAll',
				returnAll: true,
				filters: {
					tags: [TAG, '', '  ', 'Priority'],
					stageIds: ['lead-new', 'stage-2'],
					postingIds: ['post-1'],
					email: ' ada@example.com ',
					archived: false,
					updatedSince: since,
				},
				options: { expand: ['stage'] },
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{ json: { id: 'o1' }, pairedItem: { item: 0 } },
				{ json: { id: 'o2' }, pairedItem: { item: 0 } },
				{ json: { id: 'o3' }, pairedItem: { item: 0 } },
			]);
		});

		it("reads a picked Updated Since (no zone) in the workflow's time zone", async () => {
			const scope = nock(BASE, auth)
				.get('/opportunities')
				.query({ updated_at_start: String(Date.UTC(2024, 4, 1, 7, 0, 0)), limit: '100' })
				.reply(200, { data: [{ id: 'o1' }], hasNext: false });
			const { output } = await runLever(
				{
					resource: 'opportunity',
					operation: 'getAll',
					returnAll: true,
					filters: { updatedSince: '2024-05-01T09:00:00' },
				},
				{ timezone: 'Europe/Paris' },
			);
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([{ json: { id: 'o1' }, pairedItem: { item: 0 } }]);
		});

		it('encodes a tag with a colon and a space so Lever receives it exactly', async () => {
			let rawPath = '';
			const scope = nock(BASE, auth)
				.get('/opportunities')
				.query(true)
				.reply(function (uri) {
					rawPath = uri;
					return [200, { data: [], hasNext: false }];
				});
			const { output, requests } = await runLever({
				resource: 'opportunity',
				operation: 'getAll',
				returnAll: true,
				filters: { tags: [TAG] },
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([]);
			expect(requests[0].options.qs).toEqual({ tag: [TAG], limit: 100 });
			expect(requests[0].options.arrayFormat).toBe('repeat');
			const search = rawPath.slice(rawPath.indexOf('?') + 1);
			expect(search).not.toContain('%25'); // not double-encoded
			expect(search).not.toMatch(/tag%5B|tag\[/); // not tag[0]= or tag[]=
			expect(new URLSearchParams(search).getAll('tag')).toEqual([TAG]);
		});

		it('stops at the limit, asking only for what is still missing', async () => {
			const scope = nock(BASE, auth)
				.get('/opportunities')
				.query({ limit: '3' })
				.reply(200, { data: [{ id: 'o1' }, { id: 'o2' }], hasNext: true, next: 'tok-2' })
				.get('/opportunities')
				.query({ limit: '1', offset: 'tok-2' })
				.reply(200, { data: [{ id: 'o3' }], hasNext: true, next: 'tok-3' });
			const { output, requests } = await runLever({
				resource: 'opportunity',
				operation: 'getAll',
				returnAll: false,
				limit: 3,
			});
			expect(scope.isDone()).toBe(true);
			expect(requests).toHaveLength(2);
			expect(output.map((item) => item.json.id)).toEqual(['o1', 'o2', 'o3']);
		});

		it('rejects an unreadable Updated Since date without calling Lever', async () => {
			const { error, requests } = await runLeverError({
				resource: 'opportunity',
				operation: 'getAll',
				returnAll: true,
				filters: { updatedSince: 'yesterday-ish' },
			});
			expect(error).toBeInstanceOf(workflow.NodeOperationError);
			expect(error.message).toBe('Updated Since "yesterday-ish" is not a date');
			expect(requests).toHaveLength(0);
		});
	});

	describe('add and remove tags', () => {
		it('POSTs the tags exactly as typed (blank entries dropped) with perform_as, and outputs the returned opportunity', async () => {
			const scope = nock(BASE, auth)
				.post('/opportunities/opp-1/addTags', { tags: [TAG, ' spaced tag '] })
				.query({ perform_as: 'user-9' })
				.reply(200, { data: { id: 'opp-1', tags: [TAG, ' spaced tag '] } });
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'addTags',
				opportunityId: 'opp-1',
				tags: [TAG, '', '   ', ' spaced tag '],
				performAs: rl('user-9'),
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{ json: { id: 'opp-1', tags: [TAG, ' spaced tag '] }, pairedItem: { item: 0 } },
			]);
		});

		it('Then Remove If Present: removes only the listed tags the candidate carries, and calls nothing more when none', async () => {
			const ERROR = 'Background Check:Error';
			const RETRYING = 'Background Check:Retrying';
			const scope = nock(BASE, auth)
				.post('/opportunities/opp-1/addTags', { tags: [TAG] })
				.query({})
				.reply(200, { data: { id: 'opp-1', tags: [ERROR, TAG] } })
				.post('/opportunities/opp-1/removeTags', { tags: [ERROR] })
				.query({})
				.reply(200, { data: { id: 'opp-1', tags: [TAG] } })
				.post('/opportunities/opp-2/addTags', { tags: [TAG] })
				.query({})
				.reply(200, { data: { id: 'opp-2', tags: [TAG] } });
			const ids = ['opp-1', 'opp-2'];
			const { output, requests } = await runLever(
				(i) => ({
					resource: 'opportunity',
					operation: 'addTags',
					opportunityId: ids[i],
					tags: [TAG],
					options: { removeIfPresent: [ERROR, RETRYING] },
				}),
				{ items: [{ json: {} }, { json: {} }] },
			);
			expect(scope.isDone()).toBe(true);
			expect(requests).toHaveLength(3);
			expect(output).toEqual([
				{ json: { id: 'opp-1', tags: [TAG] }, pairedItem: { item: 0 } },
				{ json: { id: 'opp-2', tags: [TAG] }, pairedItem: { item: 1 } },
			]);
		});

		it('accepts tags given by an expression as a JSON array string', async () => {
			const scope = nock(BASE, auth)
				.post('/opportunities/opp-1/addTags', { tags: [TAG, 'Proforma'] })
				.query({})
				.reply(200, {});
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'addTags',
				opportunityId: 'opp-1',
				tags: JSON.stringify([TAG, 'Proforma']),
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{
					json: { success: true, opportunityId: 'opp-1', addedTags: [TAG, 'Proforma'] },
					pairedItem: { item: 0 },
				},
			]);
		});

		it('removes tags and reports success when Lever answers 204', async () => {
			const scope = nock(BASE, auth)
				.post('/opportunities/opp-1/removeTags', { tags: [TAG] })
				.query({})
				.reply(204);
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'removeTags',
				opportunityId: 'opp-1',
				tags: [TAG],
				performAs: rl('', 'list'),
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{
					json: { success: true, opportunityId: 'opp-1', removedTags: [TAG] },
					pairedItem: { item: 0 },
				},
			]);
		});
	});

	describe('change stage', () => {
		it('checks the stage exists (once per execution) and PUTs it for every item', async () => {
			const stages = nock(BASE, auth)
				.get('/stages')
				.query({ limit: '100' })
				.once()
				.reply(200, {
					data: [
						{ id: 'lead-new', text: 'New lead' },
						{ id: 'stage-bg', text: 'Background Check' },
					],
				});
			const puts = nock(BASE, auth)
				.put('/opportunities/opp-a/stage', { stage: 'stage-bg' })
				.query({ perform_as: 'user-9' })
				.reply(200, { data: { id: 'opp-a', stage: 'stage-bg' } })
				.put('/opportunities/opp-b/stage', { stage: 'stage-bg' })
				.query({ perform_as: 'user-9' })
				.reply(200, {});
			const ids = ['opp-a', 'opp-b'];
			const { output, requests } = await runLever(
				(i) => ({
					resource: 'opportunity',
					operation: 'changeStage',
					opportunityId: ids[i],
					stage: rl('stage-bg'),
					performAs: rl('user-9', 'id'),
				}),
				{ items: [{ json: {} }, { json: {} }] },
			);
			expect(stages.isDone()).toBe(true);
			expect(puts.isDone()).toBe(true);
			expect(requests.map((r) => r.options.method)).toEqual(['GET', 'PUT', 'PUT']);
			expect(output).toEqual([
				{ json: { id: 'opp-a', stage: 'stage-bg' }, pairedItem: { item: 0 } },
				{
					json: { success: true, opportunityId: 'opp-b', stage: 'stage-bg' },
					pairedItem: { item: 1 },
				},
			]);
		});

		it('refuses an unknown stage: names the id, says how to pick one, and never PUTs', async () => {
			const scope = nock(BASE, auth)
				.get('/stages')
				.query({ limit: '100' })
				.reply(200, { data: [{ id: 'lead-new', text: 'New lead' }] });
			const { error, requests } = await runLeverError({
				resource: 'opportunity',
				operation: 'changeStage',
				opportunityId: 'opp-1',
				stage: rl('stage-typo', 'id'),
			});
			expect(scope.isDone()).toBe(true);
			expect(requests.map((r) => r.options.method)).toEqual(['GET']);
			expect(error).toBeInstanceOf(workflow.NodeOperationError);
			expect(error.message).toBe('Stage "stage-typo" does not exist in this Lever account');
			expect(error.description).toContain('pick the stage from the list');
			expect(error.description).toContain('Reveal stage ID');
			expect(error.description).toContain('"New lead" (lead-new)');
		});

		it('refuses an empty stage without any request', async () => {
			const { error, requests } = await runLeverError({
				resource: 'opportunity',
				operation: 'changeStage',
				opportunityId: 'opp-1',
				stage: rl('  '),
			});
			expect(error.message).toBe('Stage is empty');
			expect(requests).toHaveLength(0);
		});
	});

	describe('archive and unarchive', () => {
		it('PUTs the archive reason and options', async () => {
			const scope = nock(BASE, auth)
				.put('/opportunities/opp-1/archived', {
					reason: 'reason-1',
					cleanInterviews: true,
					requisitionId: 'req-7',
				})
				.query({ perform_as: 'user-9' })
				.reply(200, {
					data: { id: 'opp-1', archived: { reason: 'reason-1', archivedAt: 1700000000000 } },
				});
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'archive',
				opportunityId: 'opp-1',
				archiveReason: rl('reason-1'),
				performAs: rl('user-9'),
				options: { cleanInterviews: true, requisitionId: ' req-7 ' },
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{
					json: { id: 'opp-1', archived: { reason: 'reason-1', archivedAt: 1700000000000 } },
					pairedItem: { item: 0 },
				},
			]);
		});

		it('archives with only the reason and reports success when Lever returns no opportunity', async () => {
			const scope = nock(BASE, auth)
				.put('/opportunities/opp-1/archived', { reason: 'reason-1' })
				.query({})
				.reply(200, { data: {} });
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'archive',
				opportunityId: 'opp-1',
				archiveReason: rl('reason-1', 'id'),
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([
				{
					json: {
						success: true,
						opportunityId: 'opp-1',
						archived: true,
						archiveReason: 'reason-1',
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('refuses an empty archive reason without any request', async () => {
			const { error, requests } = await runLeverError({
				resource: 'opportunity',
				operation: 'archive',
				opportunityId: 'opp-1',
				archiveReason: rl(''),
			});
			expect(error.message).toBe('Archive Reason is empty');
			expect(requests).toHaveLength(0);
		});

		it('unarchives by sending reason null', async () => {
			const scope = nock(BASE, auth)
				.put('/opportunities/opp-1/archived', (body) => JSON.stringify(body) === '{"reason":null}')
				.query({})
				.reply(200, { data: { id: 'opp-1', archived: null } });
			const { output } = await runLever({
				resource: 'opportunity',
				operation: 'unarchive',
				opportunityId: 'opp-1',
			});
			expect(scope.isDone()).toBe(true);
			expect(output).toEqual([{ json: { id: 'opp-1', archived: null }, pairedItem: { item: 0 } }]);
		});
	});
});
