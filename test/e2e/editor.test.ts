/**
 * Issue 5: the template as a user sees it in the n8n editor. A real Chromium
 * (support/browser.js, Debian's `chromium` driven by playwright-core) logs into the
 * e2e n8n as the owner and opens the imported template:
 * - every node of the template is drawn, with its name, and none as an uninstalled
 *   node (n8n's "not installed" mark or "?" placeholder icon); our nodes show their
 *   own icons, served by n8n from the community package;
 * - our nodes' parameter panels render their fields, with the imported credentials
 *   and the Lever stage names loaded from the sandbox;
 * - a workflow with a bogus node type shows that the "not installed" check does fail.
 * Saves test-results/template.png on every run (and docs/images/template.png, the
 * README's picture, with UPDATE_SCREENSHOTS=1).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { loadTemplate, prepareTemplate } from '../../scripts/lib/template';
import { launchEditor } from './support/browser';
import type { CanvasNode, EditorSession } from './support/browser';
import { getE2E } from './support/env';

const PACKAGE = 'n8n-nodes-lever-proforma';
/** Per test and hook: jest 30 ignores the e2e project's testTimeout (only the global one counts). */
const TIMEOUT_MS = 90000;
const STICKY = 'n8n-nodes-base.stickyNote';
const INSTALL_HINT = 'Install this node to use it';

const e2e = getE2E();
const n8n = e2e.n8n;
const template = loadTemplate();
const templateNodes = template.nodes.filter((node) => node.type !== STICKY);
const templateStickies = template.nodes.filter((node) => node.type === STICKY);

const isUnknown = (node: CanvasNode) => node.notInstalledMark || node.placeholderIcon;
/** `## Title\n…` → `Title` (the sticky's rendered heading). */
const headingOf = (content: unknown) =>
	String(content)
		.split('\n')[0]
		.replace(/^#+\s*/, '')
		.trim();
/** Our node types draw icons/lever.svg or icons/proforma.svg (light theme): the brand's. */
const iconFileOf = (type: string) =>
	`/icons/${PACKAGE}/dist/icons/${type.split('.')[1].replace(/(Trigger|OrderOutcome)$/, '')}.svg`;

describe('the template in the n8n editor (Chromium)', () => {
	let editor: EditorSession;
	let workflowId: string | undefined;
	let opened = false;

	async function openTemplate(): Promise<void> {
		if (opened) return;
		await editor.openWorkflow(workflowId!, template.nodes.length);
		opened = true;
	}

	beforeAll(async () => {
		// First: without Chromium this fails at once, saying how to install it.
		// 2x pixels: the README's picture stays sharp.
		editor = await launchEditor(n8n, {
			viewport: { width: 1600, height: 780 },
			deviceScaleFactor: 2,
		});
		const prepared = await prepareTemplate(n8n, {
			leverUrl: e2e.lever().url,
			proforma: { url: e2e.proforma().url },
			screeningStageId: e2e.lever().SEED.stages.backgroundScreening,
			// The template's own name: it is what the README's picture shows.
			name: template.name,
			// Leave the Proforma sandbox's callback URL to the template tests.
			proformaCallbacks: false,
		});
		workflowId = prepared.workflowId;
	}, TIMEOUT_MS);

	afterAll(async () => {
		await editor?.close();
		// Its trigger webhooks have the template's fixed ids: free them for other imports.
		if (workflowId) await n8n.unpublishWorkflow(workflowId).catch(() => undefined);
	}, TIMEOUT_MS);

	it(
		'draws every node of the template by name, none as an uninstalled node, and saves template.png',
		async () => {
			await editor.capture('template', async () => {
				await openTemplate();
				const nodes = await editor.settledCanvasNodes();

				expect(nodes.map((node) => node.id).sort()).toEqual(
					template.nodes.map((node) => String(node.id)).sort(),
				);
				const drawn = nodes.filter((node) => node.kind === 'node');
				expect(drawn.map((node) => `${node.name} (${node.type})`).sort()).toEqual(
					templateNodes.map((node) => `${node.name} (${node.type})`).sort(),
				);
				expect(
					drawn.filter((node) => node.label !== node.name).map((node) => [node.name, node.label]),
				).toEqual([]);
				expect(nodes.filter(isUnknown).map((node) => node.name ?? node.id)).toEqual([]);

				// Our nodes: the package's own SVG icons, served by n8n and loaded.
				const ours = drawn.filter((node) => node.type!.startsWith(`${PACKAGE}.`));
				expect(ours).toHaveLength(
					templateNodes.filter((node) => node.type.startsWith(`${PACKAGE}.`)).length,
				);
				expect(
					ours.map(({ name, type, iconKind, iconSrc, iconLoaded }) => ({
						name,
						iconKind,
						iconSrc,
						iconLoaded,
						type,
					})),
				).toEqual(
					ours.map(({ name, type }) => ({
						name,
						iconKind: 'img',
						iconSrc: iconFileOf(type!),
						iconLoaded: true,
						type,
					})),
				);
				// Everything else has an icon too (n8n's own nodes use inline SVGs).
				expect(
					drawn
						.filter((node) => node.iconKind === null || node.iconKind === 'other')
						.map((node) => node.name),
				).toEqual([]);

				// The sticky notes, with their headings.
				for (const sticky of templateStickies) {
					const shown = nodes.find((node) => node.id === String(sticky.id));
					expect(shown?.kind).toBe('sticky');
					expect(shown?.text).toContain(headingOf(sticky.parameters.content));
				}

				// The picture: all of it in view, nothing covering it.
				await editor.dismissPopups();
				await editor.zoomToFit();
				expect(await editor.nodesOutsideView()).toEqual([]);
				await editor.dismissPopups();
				expect(await editor.screenshot('template')).toContain('test-results/template.png');
			});
		},
		TIMEOUT_MS,
	);

	it(
		'opens "Order screening" with the Proforma node\'s fields and the imported credential',
		async () => {
			await editor.capture('order-screening', async () => {
				await openTemplate();
				const panel = await editor.openNode('Order screening');
				expect(panel.title).toBe('Order screening');
				expect(panel.values).toMatchObject({
					resource: 'Order',
					operation: 'Create for Lever Opportunity',
					opportunitySource: 'From the Input Item',
					packageTagPrefix: 'Proforma_',
				});
				expect(panel.labels).toEqual(
					expect.arrayContaining([
						'Resource',
						'Operation',
						'Lever Opportunity',
						'Package Tag Prefix',
						'Callback URL',
						'Metadata',
					]),
				);
				expect(panel.credential).toMatch(/^Proforma sandbox \d+$/);
				expect(panel.text).not.toContain(INSTALL_HINT);
				await editor.closeNode();
				expect(await editor.nodePanelOpen()).toBe(false);
			});
		},
		TIMEOUT_MS,
	);

	it(
		'opens "Lever Trigger" with its fields, the stage name loaded from Lever',
		async () => {
			await editor.capture('lever-trigger', async () => {
				await openTemplate();
				const panel = await editor.openNode('Lever Trigger');
				expect(panel.title).toBe('Lever Trigger');
				expect(panel.parameterNames).toEqual(
					expect.arrayContaining(['events', 'toStageIds', 'fromStageIds']),
				);
				expect(panel.values.events).toBe('Candidate Stage Change');
				expect(panel.labels).toEqual(
					expect.arrayContaining(['Events', 'To Stage Names or IDs', 'Options']),
				);
				expect(panel.credential).toMatch(/^Lever sandbox \d+$/);
				expect(panel.text).not.toContain(INSTALL_HINT);
				// The stored id shows as the stage's name: its options came from the Lever sandbox.
				const stages = editor.page.locator(
					'[data-test-id="parameter-input-toStageIds"] .el-select__tags-text',
				);
				await stages.filter({ hasText: 'Background Screening' }).waitFor({ state: 'visible' });
				expect(await stages.allInnerTexts()).toEqual(['Background Screening']);
				await editor.closeNode();
				expect(await editor.nodePanelOpen()).toBe(false);
			});
		},
		TIMEOUT_MS,
	);

	it(
		'marks a node whose type is not installed (so the checks above can fail)',
		async () => {
			const getOpportunity = template.nodes.find((node) => node.name === 'Get opportunity')!;
			const id = await n8n.createWorkflow({
				name: 'E2E editor: a node that is not installed',
				nodes: [
					{
						id: 'e2e-known',
						name: 'Get opportunity',
						type: getOpportunity.type,
						typeVersion: 1,
						position: [0, 0],
						parameters: getOpportunity.parameters,
					},
					{
						id: 'e2e-unknown',
						name: 'Not installed',
						type: `${PACKAGE}.doesNotExist`,
						typeVersion: 1,
						position: [300, 0],
						parameters: {},
					},
				],
				connections: {
					'Get opportunity': { main: [[{ node: 'Not installed', type: 'main', index: 0 }]] },
				},
			});
			try {
				await editor.capture('not-installed', async () => {
					opened = false;
					await editor.openWorkflow(id, 2);
					const nodes = await editor.settledCanvasNodes(3000);
					expect(nodes.filter(isUnknown).map((node) => node.name)).toEqual(['Not installed']);
					expect(nodes.find((node) => node.name === 'Not installed')).toMatchObject({
						notInstalledMark: true,
						placeholderIcon: true,
						iconKind: 'other',
					});
					expect(nodes.find((node) => node.name === 'Get opportunity')).toMatchObject({
						notInstalledMark: false,
						placeholderIcon: false,
						iconKind: 'img',
						iconLoaded: true,
					});

					const panel = await editor.openNode('Not installed');
					expect(panel.text).toContain(INSTALL_HINT);
					expect(panel.parameterNames).toEqual([]);
					await editor.closeNode();
				});
			} finally {
				await n8n.api('DELETE', `/workflows/${id}`).catch(() => undefined);
			}
		},
		TIMEOUT_MS,
	);
});
