import { describe, expect, it } from '@jest/globals';
import nock from 'nock';

import { Lever } from '../../../nodes/Lever/Lever.node';
import { createLoadOptionsContext } from '../../helpers/n8nContext';
import { BASE, BASIC_AUTH, credentials } from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

const auth = { reqheaders: { authorization: BASIC_AUTH } };

function loadContext(authentication = 'apiKey') {
	return createLoadOptionsContext({ credentials, parameters: { authentication } });
}

describe('Lever node: pickers (list search and load options)', () => {
	const { listSearch, loadOptions } = new Lever().methods;
	useOfflineApi();

	it("lists stages a page at a time, handing Lever's next token back as the pagination token", async () => {
		const scope = nock(BASE, auth)
			.get('/stages')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{ id: 'lead-new', text: 'New lead' },
					{ id: 'stage-bg', text: 'Background Check' },
				],
				hasNext: true,
				next: 'tok-2',
			})
			.get('/stages')
			.query({ limit: '100', offset: 'tok-2' })
			.reply(200, { data: [{ id: 'offer', text: 'Offer' }], hasNext: false });
		const { context } = loadContext();
		const first = await listSearch.searchStages.call(context);
		expect(first).toEqual({
			results: [
				{ name: 'New lead', value: 'lead-new' },
				{ name: 'Background Check', value: 'stage-bg' },
			],
			paginationToken: 'tok-2',
		});
		const second = await listSearch.searchStages.call(context, undefined, 'tok-2');
		expect(second).toEqual({
			results: [{ name: 'Offer', value: 'offer' }],
			paginationToken: undefined,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('filters stages by name or id (case-insensitive) over the whole list', async () => {
		const scope = nock(BASE, auth)
			.get('/stages')
			.query({ limit: '100' })
			.reply(200, { data: [{ id: 'lead-new', text: 'New lead' }], hasNext: true, next: 'tok-2' })
			.get('/stages')
			.query({ limit: '100', offset: 'tok-2' })
			.reply(200, { data: [{ id: 'stage-bg', text: 'Background Check' }], hasNext: false });
		const { context } = loadContext();
		await expect(listSearch.searchStages.call(context, 'backGROUND')).resolves.toEqual({
			results: [{ name: 'Background Check', value: 'stage-bg' }],
		});
		expect(scope.isDone()).toBe(true);
	});

	it('lists users with their email, through the OAuth2 credential when selected', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: 'Bearer oauth-access-1' } })
			.get('/users')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{ id: 'user-9', name: 'Ops Bot', email: 'ops@example.com' },
					{ id: 'user-10', name: 'No Mail' },
				],
				hasNext: false,
			});
		const { context, requests } = loadContext('oAuth2');
		await expect(listSearch.searchUsers.call(context)).resolves.toEqual({
			results: [
				{ name: 'Ops Bot (ops@example.com)', value: 'user-9' },
				{ name: 'No Mail', value: 'user-10' },
			],
			paginationToken: undefined,
		});
		expect(requests[0].credentialType).toBe('leverOAuth2Api');
		expect(scope.isDone()).toBe(true);
	});

	it('lists postings with location, state and link', async () => {
		const scope = nock(BASE, auth)
			.get('/postings')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{
						id: 'post-1',
						text: 'Driver',
						state: 'published',
						categories: { location: 'Toronto' },
						urls: { show: 'https://jobs.lever.co/acme/post-1' },
					},
				],
				hasNext: false,
			});
		const { context } = loadContext();
		await expect(listSearch.searchPostings.call(context)).resolves.toEqual({
			results: [
				{
					name: 'Driver (Toronto, published)',
					value: 'post-1',
					url: 'https://jobs.lever.co/acme/post-1',
				},
			],
			paginationToken: undefined,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('lists active archive reasons only, with their type', async () => {
		const scope = nock(BASE, auth)
			.get('/archive_reasons')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{ id: 'r1', text: 'Hired', status: 'active', type: 'hired' },
					{ id: 'r2', text: 'Old reason', status: 'inactive', type: 'non-hired' },
					{ id: 'r3', text: 'Failed background check', status: 'active', type: 'non-hired' },
				],
			});
		const { context } = loadContext();
		await expect(listSearch.searchArchiveReasons.call(context)).resolves.toEqual({
			results: [
				{ name: 'Hired (hired)', value: 'r1' },
				{ name: 'Failed background check (non-hired)', value: 'r3' },
			],
			paginationToken: undefined,
		});
		expect(scope.isDone()).toBe(true);
	});

	it('surfaces a Lever error in a picker instead of an empty list', async () => {
		nock(BASE)
			.get('/stages')
			.query(true)
			.reply(401, { code: 'Unauthorized', message: 'Invalid API key' });
		const { context } = loadContext();
		await expect(listSearch.searchStages.call(context)).rejects.toThrow(
			'Lever GET /stages failed with 401 Unauthorized: Invalid API key',
		);
	});

	it('loads stage options in pipeline order and posting options by title', async () => {
		const scope = nock(BASE, auth)
			.get('/stages')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{ id: 'lead-new', text: 'New lead' },
					{ id: 'stage-bg', text: 'Background Check' },
				],
				hasNext: false,
			})
			.get('/postings')
			.query({ limit: '100' })
			.reply(200, {
				data: [
					{ id: 'p2', text: 'Warehouse' },
					{ id: 'p1', text: 'Driver' },
				],
				hasNext: false,
			});
		const { context } = loadContext();
		await expect(loadOptions.getStages.call(context)).resolves.toEqual([
			{ name: 'New lead', value: 'lead-new' },
			{ name: 'Background Check', value: 'stage-bg' },
		]);
		await expect(loadOptions.getPostings.call(context)).resolves.toEqual([
			{ name: 'Driver', value: 'p1' },
			{ name: 'Warehouse', value: 'p2' },
		]);
		expect(scope.isDone()).toBe(true);
	});
});
