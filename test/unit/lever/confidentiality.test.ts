/**
 * Opportunity > Get Many's Confidentiality filter: Lever returns only
 * non-confidential opportunities unless asked, so the filter must reach Lever
 * exactly as `confidentiality`.
 */
import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import * as workflow from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { Lever } from '../../../nodes/Lever/Lever.node';
import { BASE, BASIC_AUTH, runLever, runLeverError } from './helpers';
import { useOfflineApi } from '../../support/offlineApi';

const auth = { reqheaders: { authorization: BASIC_AUTH } };

describe('Lever node: Opportunity Get Many confidentiality', () => {
	useOfflineApi();

	it('offers a Confidentiality filter with the three values Lever accepts', () => {
		const filters = new Lever().description.properties.find(
			(p) => p.name === 'filters' && p.displayOptions?.show?.resource?.includes('opportunity'),
		);
		const option = (filters?.options as INodeProperties[] | undefined)?.find(
			(o) => o.name === 'confidentiality',
		);
		expect(option).toMatchObject({
			displayName: 'Confidentiality',
			type: 'options',
			default: 'non-confidential',
		});
		expect(
			option?.options?.map((o) => [(o as { name: string }).name, (o as { value: string }).value]),
		).toEqual([
			['All', 'all'],
			['Confidential', 'confidential'],
			['Non-Confidential', 'non-confidential'],
		]);
		expect(option?.description).toContain('confidential access');
	});

	it.each(['all', 'confidential', 'non-confidential'])(
		'sends confidentiality=%s with the other filters',
		async (value) => {
			const scope = nock(BASE, auth)
				.get('/opportunities')
				.query({ confidentiality: value, tag: 'Background Check:Ordered', limit: '50' })
				.reply(200, { data: [{ id: 'opp-1', confidentiality: 'confidential' }], hasNext: false });
			const { output, requests } = await runLever({
				resource: 'opportunity',
				operation: 'getAll',
				returnAll: false,
				limit: 50,
				filters: { confidentiality: value, tags: ['Background Check:Ordered'] },
			});
			expect(scope.isDone()).toBe(true);
			expect(requests[0].options.qs).toEqual({
				tag: ['Background Check:Ordered'],
				confidentiality: value,
				limit: 50,
			});
			expect(output).toEqual([
				{ json: { id: 'opp-1', confidentiality: 'confidential' }, pairedItem: { item: 0 } },
			]);
		},
	);

	it('keeps confidentiality on every page (Return All)', async () => {
		const scope = nock(BASE, auth)
			.get('/opportunities')
			.query({ confidentiality: 'all', limit: '100' })
			.reply(200, { data: [{ id: 'opp-1' }], hasNext: true, next: 'page-2' })
			.get('/opportunities')
			.query({ confidentiality: 'all', limit: '100', offset: 'page-2' })
			.reply(200, { data: [{ id: 'opp-2' }], hasNext: false });
		const { output } = await runLever({
			resource: 'opportunity',
			operation: 'getAll',
			returnAll: true,
			filters: { confidentiality: 'all' },
		});
		expect(scope.isDone()).toBe(true);
		expect(output.map((item) => item.json.id)).toEqual(['opp-1', 'opp-2']);
	});

	it('sends no confidentiality without the filter (Lever default: non-confidential only)', async () => {
		const scope = nock(BASE, auth)
			.get('/opportunities')
			.query({ limit: '50' })
			.reply(200, { data: [], hasNext: false });
		const { output, requests } = await runLever({
			resource: 'opportunity',
			operation: 'getAll',
			returnAll: false,
			limit: 50,
		});
		expect(scope.isDone()).toBe(true);
		expect(requests[0].options.qs).toEqual({ limit: 50 });
		expect(output).toEqual([]);
	});

	it('normalises an expression value such as " All " and refuses an unknown one without calling Lever', async () => {
		const scope = nock(BASE, auth)
			.get('/opportunities')
			.query({ confidentiality: 'all', limit: '50' })
			.reply(200, { data: [], hasNext: false });
		await runLever({
			resource: 'opportunity',
			operation: 'getAll',
			limit: 50,
			filters: { confidentiality: ' All ' },
		});
		expect(scope.isDone()).toBe(true);

		const { error, requests } = await runLeverError({
			resource: 'opportunity',
			operation: 'getAll',
			limit: 50,
			filters: { confidentiality: 'secret' },
		});
		expect(error).toBeInstanceOf(workflow.NodeOperationError);
		expect(error.message).toBe('Confidentiality "secret" is not allowed');
		expect(error.description).toBe('Use non-confidential, confidential or all.');
		expect(requests).toHaveLength(0);
	});
});
