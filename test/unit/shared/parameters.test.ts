import { describe, expect, it, jest } from '@jest/globals';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readParameter } from '../../../nodes/shared/parameters';

/** n8n's getNodeParameter: the raw text with rawExpressions, else `evaluated` for an expression. */
function contextWith(raw: unknown, evaluated: unknown, items: INodeExecutionData[]) {
	const getNodeParameter = jest.fn(
		(_name: string, _item: number, _fallback: unknown, options?: { rawExpressions?: boolean }) =>
			options?.rawExpressions || typeof raw !== 'string' || !raw.startsWith('=') ? raw : evaluated,
	);
	const ctx = { getNodeParameter, getInputData: () => items } as unknown as IExecuteFunctions;
	return { ctx, getNodeParameter };
}

const items: INodeExecutionData[] = [
	{ json: { opportunityId: 'opp-1', nested: { id: 'n-1' } } },
	{ json: { opportunityId: 'opp-2' } },
];

describe('readParameter', () => {
	it.each([
		'={{ $json.opportunityId }}',
		'={{$json.opportunityId}}',
		'={{  $json.opportunityId  }}',
	])('reads the mapped field %s from the item itself, without asking n8n to evaluate it', (raw) => {
		const { ctx, getNodeParameter } = contextWith(raw, 'evaluated', items);
		expect(readParameter(ctx, 'opportunityId', 1, '')).toBe('opp-2');
		expect(getNodeParameter).toHaveBeenCalledTimes(1);
	});

	it('gives undefined for a mapped field the item lacks, as n8n does', () => {
		const { ctx } = contextWith('={{ $json.missing }}', 'evaluated', items);
		expect(readParameter(ctx, 'opportunityId', 0, '')).toBeUndefined();
	});

	it('reads a nested field, and a setting of another node (params), without n8n', () => {
		const { ctx, getNodeParameter } = contextWith('={{ $json.nested.id }}', 'evaluated', items);
		expect(readParameter(ctx, 'opportunityId', 0, '')).toBe('n-1');
		const params = { tags: ['Background Check:Ordered'] };
		const $ = jest.fn((name: string) => ({ params: name === 'Tag: Ordered' ? params : {} }));
		(ctx as unknown as { getWorkflowDataProxy: () => unknown }).getWorkflowDataProxy = () => ({
			$,
		});
		const list = contextWith(["={{ $('Tag: Ordered').params.tags[0] }}", 'Plain'], 'x', items);
		Object.assign(list.ctx, { getWorkflowDataProxy: () => ({ $ }) });
		expect(readParameter(list.ctx, 'tags', 0, [])).toEqual(['Background Check:Ordered', 'Plain']);
		expect($).toHaveBeenCalledWith('Tag: Ordered');
		expect(getNodeParameter).toHaveBeenCalledTimes(1);
	});

	it('leaves a list or collection to n8n when any entry is another expression', () => {
		const { ctx, getNodeParameter } = contextWith(
			{ expand: ['applications'], skipTagged: ['={{ $json.tags.join() }}'] },
			'evaluated',
			items,
		);
		expect(readParameter(ctx, 'options', 0, {})).toEqual({
			expand: ['applications'],
			skipTagged: ['={{ $json.tags.join() }}'],
		});
		expect(getNodeParameter).toHaveBeenCalledTimes(2);
		expect(getNodeParameter.mock.calls[1][3]).toBeUndefined();
	});

	it.each([
		"={{ $('Lever Trigger').item.json.opportunityId }}",
		'=opp-{{ $json.opportunityId }}',
		'={{ $json.opportunityId }} ',
		'={{ $json.opportunityId.toUpperCase() }}',
	])('leaves any other expression (%s) to n8n', (raw) => {
		const { ctx, getNodeParameter } = contextWith(raw, 'evaluated', items);
		expect(readParameter(ctx, 'opportunityId', 0, '')).toBe('evaluated');
		expect(getNodeParameter).toHaveBeenCalledTimes(2);
	});

	it('returns plain values as they are', () => {
		const { ctx } = contextWith('opp-literal', 'unused', items);
		expect(readParameter(ctx, 'opportunityId', 0, '')).toBe('opp-literal');
	});
});
