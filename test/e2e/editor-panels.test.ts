/**
 * Every parameter of every node of the package is on its panel in the real
 * n8n editor (Chromium), for each resource and operation and each Lever
 * Trigger registration mode: the panel's labels are listed against what the
 * node's own description shows for those settings. One setting is changed
 * through the panel (Registration), to show the hidden-until-now parameters
 * can be set. n8n's own rule moves the Lever node's Authentication into the
 * credential dialog (its credential choice); that is the one exception.
 */
import { randomUUID } from 'crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Lever } from '../../nodes/Lever/Lever.node';
import { LeverTrigger } from '../../nodes/LeverTrigger/LeverTrigger.node';
import { Proforma } from '../../nodes/Proforma/Proforma.node';
import { ProformaTrigger } from '../../nodes/ProformaTrigger/ProformaTrigger.node';
import { launchEditor } from './support/browser';
import type { EditorSession } from './support/browser';
import { getE2E } from './support/env';

const TIMEOUT_MS = 180_000;
const PACKAGE = 'n8n-nodes-lever-proforma';

type Values = Record<string, unknown>;

function matches(property: INodeProperties, values: Values): boolean {
	const test = (condition: Record<string, unknown[] | undefined> | undefined, all: boolean) => {
		const keys = Object.keys(condition ?? {}).filter((key) => !key.startsWith('@'));
		const hit = (key: string) => {
			const value = values[key];
			const allowed = condition![key] ?? [];
			return Array.isArray(value)
				? value.some((v) => allowed.includes(v))
				: allowed.includes(value);
		};
		return all ? keys.every(hit) : keys.some(hit);
	};
	const { show, hide } = property.displayOptions ?? {};
	return test(show as never, true) && !(hide && test(hide as never, false));
}

/** The node's values: those given, then each shown parameter's default, until stable. */
function resolve(description: INodeTypeDescription, given: Values): Values {
	const values: Values = { ...given };
	for (let round = 0; round < 5; round++) {
		for (const property of description.properties) {
			if (!(property.name in given) && matches(property, values))
				values[property.name] = property.default;
		}
	}
	return values;
}

/** The labels a panel must show: the displayName of every shown parameter that takes a value. */
function expectedLabels(
	description: INodeTypeDescription,
	given: Values,
	exclude: string[] = [],
): string[] {
	const values = resolve(description, given);
	return [
		...new Set(
			description.properties
				.filter(
					(p) =>
						p.type !== 'notice' &&
						p.type !== 'hidden' &&
						!exclude.includes(p.name) &&
						matches(p, values),
				)
				.map((p) => p.displayName),
		),
	].sort();
}

interface Panel {
	node: string;
	parameters: Values;
	exclude?: string[];
}

/** One panel per resource and operation of an action node. */
function actionPanels(
	description: INodeTypeDescription,
	base: Values,
	exclude: string[] = [],
): Panel[] {
	const resources = description.properties.find((p) => p.name === 'resource')!.options as Array<{
		value: string;
		name: string;
	}>;
	const panels: Panel[] = [];
	for (const resource of resources) {
		const operations = description.properties.find(
			(p) => p.name === 'operation' && matches(p, { resource: resource.value }),
		)!;
		for (const operation of operations.options as Array<{ value: string; name: string }>) {
			panels.push({
				node: `${resource.name}: ${operation.name}`.slice(0, 60),
				parameters: { ...base, resource: resource.value, operation: operation.value },
				exclude,
			});
		}
	}
	return panels;
}

const e2e = getE2E();
const n8n = e2e.n8n;

describe("every parameter on each node's panel in the n8n editor (Chromium)", () => {
	let editor: EditorSession;
	const created: string[] = [];

	async function workflowOf(
		type: string,
		panels: Panel[],
		credentials: Record<string, { id: string; name: string }>,
	): Promise<void> {
		const id = await n8n.createWorkflow({
			name: `E2E panels: ${type}`,
			nodes: panels.map((panel, index) => ({
				id: randomUUID(),
				name: panel.node,
				type: `${PACKAGE}.${type}`,
				typeVersion: 1,
				position: [(index % 6) * 260, Math.floor(index / 6) * 200],
				parameters: panel.parameters,
				credentials,
				...(type.endsWith('Trigger') ? { webhookId: randomUUID() } : {}),
			})),
			connections: {},
		});
		created.push(id);
		await editor.openWorkflow(id, panels.length);
		await editor.dismissPopups();
		await editor.zoomToFit();
	}

	async function checkPanels(description: INodeTypeDescription, panels: Panel[]): Promise<void> {
		const missing: string[] = [];
		for (const panel of panels) {
			const shown = await editor.openNode(panel.node);
			const expected = expectedLabels(description, panel.parameters, panel.exclude);
			for (const label of expected)
				if (!shown.labels.includes(label)) missing.push(`${panel.node}: ${label}`);
			expect(expected.length).toBeGreaterThan(0);
			await editor.closeNode();
		}
		expect(missing).toEqual([]);
	}

	let leverCredential: { id: string; name: string };
	let proformaCredential: { id: string; name: string };

	beforeAll(async () => {
		editor = await launchEditor(n8n, { viewport: { width: 1600, height: 900 } });
		const lever = e2e.lever();
		leverCredential = {
			id: await n8n.createCredential({
				name: 'Lever (panels)',
				type: 'leverApi',
				data: { apiKey: lever.apiKey, environment: 'custom', baseUrl: lever.url },
			}),
			name: 'Lever (panels)',
		};
		proformaCredential = {
			id: await n8n.createCredential({
				name: 'Proforma (panels)',
				type: 'proformaApi',
				data: {
					baseUrl: e2e.proforma().url,
					apiKey: 'sandbox-proforma-key',
					signingSecret: 'panels-signing-secret',
				},
			}),
			name: 'Proforma (panels)',
		};
	}, TIMEOUT_MS);

	afterAll(async () => {
		await editor?.close();
		for (const id of created) await n8n.api('DELETE', `/workflows/${id}`).catch(() => undefined);
	}, TIMEOUT_MS);

	it(
		'Lever Trigger: Registration, Authentication, Fetch Opportunity and the rest, in each registration mode',
		async () => {
			const description = new LeverTrigger().description;
			const panels: Panel[] = [
				{
					node: 'Automatic',
					parameters: {
						registration: 'automatic',
						authentication: 'apiKey',
						events: ['candidateStageChange'],
					},
				},
				{
					node: 'Manual, fetching',
					parameters: {
						registration: 'manual',
						fetchOpportunity: true,
						authentication: 'apiKey',
						events: ['candidateStageChange'],
					},
				},
				{
					node: 'Manual, no API',
					parameters: {
						registration: 'manual',
						fetchOpportunity: false,
						events: ['candidateStageChange'],
					},
				},
			];
			await workflowOf('leverTrigger', panels, { leverApi: leverCredential });
			await checkPanels(description, panels);
			for (const labels of ['Registration', 'Authentication', 'Fetch Opportunity']) {
				expect(expectedLabels(description, panels[0].parameters)).toContain(labels);
			}

			// Set through the panel: Registration from Automatic to Manual.
			await editor.openNode('Automatic');
			await editor.page.locator('[data-test-id="parameter-input-registration"]').click();
			await editor.page
				.locator('.el-select-dropdown__item:visible', { hasText: /^\s*Manual/ })
				.first()
				.click();
			await editor.page
				.locator('[data-test-id="ndv"]', { hasText: 'Lever Webhook Signature Token' })
				.waitFor({ state: 'visible' });
			const manual = await editor.openNode('Automatic');
			expect(manual.values.registration).toBe('Manual');
			expect(manual.labels).toEqual(
				expect.arrayContaining(['Registration', 'Authentication', 'Fetch Opportunity', 'Events']),
			);
			expect(manual.text).toContain('Lever Webhook Signature Token');
			await editor.closeNode();
		},
		TIMEOUT_MS,
	);

	it(
		'Proforma Trigger',
		async () => {
			const panels: Panel[] = [
				{ node: 'Proforma Trigger', parameters: { events: ['order.completed'] } },
			];
			await workflowOf('proformaTrigger', panels, { proformaApi: proformaCredential });
			await checkPanels(new ProformaTrigger().description, panels);
		},
		TIMEOUT_MS,
	);

	it(
		'Lever: every resource and operation (Authentication is the credential choice)',
		async () => {
			const description = new Lever().description;
			const panels = actionPanels(description, { authentication: 'apiKey' }, ['authentication']);
			expect(panels.length).toBeGreaterThanOrEqual(14);
			await workflowOf('lever', panels, { leverApi: leverCredential });
			await checkPanels(description, panels);
		},
		TIMEOUT_MS,
	);

	it(
		'Proforma: every resource and operation',
		async () => {
			const description = new Proforma().description;
			const panels = actionPanels(description, {});
			expect(panels.length).toBeGreaterThanOrEqual(9);
			await workflowOf('proforma', panels, { proformaApi: proformaCredential });
			await checkPanels(description, panels);
		},
		TIMEOUT_MS,
	);
});
