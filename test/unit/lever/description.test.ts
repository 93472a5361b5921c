import { describe, expect, it } from '@jest/globals';
import type { INodeProperties } from 'n8n-workflow';

import { Lever } from '../../../nodes/Lever/Lever.node';
import { leverApiCredentials } from '../../../nodes/Lever/shared/descriptions';
import { LeverTrigger } from '../../../nodes/LeverTrigger/LeverTrigger.node';

/** The parameter names other pieces (the template workflow) rely on. */
const expected: Record<string, Record<string, string[]>> = {
	opportunity: {
		get: ['opportunityId', 'options'],
		getAll: ['returnAll', 'limit', 'filters', 'options'],
		addTags: ['opportunityId', 'tags', 'performAs', 'options'],
		removeTags: ['opportunityId', 'tags', 'performAs'],
		changeStage: ['opportunityId', 'stage', 'performAs'],
		archive: ['opportunityId', 'archiveReason', 'performAs', 'options'],
		unarchive: ['opportunityId', 'performAs'],
	},
	note: {
		create: ['opportunityId', 'value', 'secret', 'performAs', 'additionalFields'],
		getAll: ['opportunityId', 'returnAll', 'limit'],
	},
	stage: { getAll: ['returnAll', 'limit'] },
	posting: { get: ['postingId'], getAll: ['returnAll', 'limit', 'filters'] },
	tag: { getAll: ['returnAll', 'limit'] },
	user: { getAll: ['returnAll', 'limit', 'filters'] },
};

function shownFor(properties: INodeProperties[], resource: string, operation: string): string[] {
	return properties
		.filter((p) => {
			const show = p.displayOptions?.show;
			return show?.resource?.includes(resource) && show?.operation?.includes(operation);
		})
		.map((p) => p.name);
}

describe('Lever node description', () => {
	const { description } = new Lever();

	it('is an action node usable as a tool, with a subtitle and themed icons', () => {
		expect(description.name).toBe('lever');
		expect(description.displayName).toBe('Lever');
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toBeTruthy();
		expect(description.icon).toEqual({
			light: 'file:../../icons/lever.svg',
			dark: 'file:../../icons/lever.dark.svg',
		});
	});

	it('picks the credential with the authentication parameter', () => {
		const auth = description.properties.find((p) => p.name === 'authentication');
		expect(auth?.options?.map((o) => (o as { value: string }).value)).toEqual(['apiKey', 'oAuth2']);
		expect(description.credentials).toEqual([
			{
				name: 'leverApi',
				required: true,
				displayOptions: { show: { authentication: ['apiKey'] } },
			},
			{
				name: 'leverOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		]);
	});

	it('offers exactly the documented resources and operations, with the documented parameter names', () => {
		const resource = description.properties.find((p) => p.name === 'resource');
		expect(resource?.options?.map((o) => (o as { value: string }).value).sort()).toEqual(
			Object.keys(expected).sort(),
		);
		for (const [name, operations] of Object.entries(expected)) {
			const operation = description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(name),
			);
			expect(operation?.options?.map((o) => (o as { value: string }).value).sort()).toEqual(
				Object.keys(operations).sort(),
			);
			for (const [op, params] of Object.entries(operations)) {
				expect([name, op, shownFor(description.properties, name, op)]).toEqual([name, op, params]);
			}
		}
	});

	it('wires every picker to an existing method', () => {
		const node = new Lever();
		const searchMethods = new Set<string>();
		const loadMethods = new Set<string>();
		const visit = (props: INodeProperties[]) => {
			for (const p of props) {
				for (const mode of p.modes ?? []) {
					if (mode.typeOptions?.searchListMethod)
						searchMethods.add(mode.typeOptions.searchListMethod);
				}
				if (p.typeOptions?.loadOptionsMethod) loadMethods.add(p.typeOptions.loadOptionsMethod);
				if (p.options) visit(p.options.filter((o): o is INodeProperties => 'type' in o));
			}
		};
		visit(node.description.properties);
		expect([...searchMethods].sort()).toEqual([
			'searchArchiveReasons',
			'searchPostings',
			'searchStages',
			'searchUsers',
		]);
		expect([...loadMethods].sort()).toEqual(['getPostings', 'getStages']);
		for (const m of searchMethods)
			expect(typeof (node.methods.listSearch as Record<string, unknown>)[m]).toBe('function');
		for (const m of loadMethods)
			expect(typeof (node.methods.loadOptions as Record<string, unknown>)[m]).toBe('function');
	});
});

describe('Lever API credentials', () => {
	it('are the same list in the Lever node and the Lever Trigger (written out there for the lint rules)', () => {
		expect(new Lever().description.credentials).toEqual(leverApiCredentials);
		expect(new LeverTrigger().description.credentials?.slice(0, 2)).toEqual(leverApiCredentials);
	});
});
