/**
 * Issue 2: the npm-packed package, installed into a real n8n 2.x as a community
 * package (test/e2e/globalSetup.js), is loaded by n8n: its nodes and credential
 * types are listed by the editor's type endpoints and accepted by the public API.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { getE2E } from './support/env';
import type { N8nNodeTypeDescription } from './support/env';

const PACKAGE = 'n8n-nodes-lever-proforma';
const e2e = getE2E();

interface CredentialTypeDescription {
	name: string;
	displayName: string;
	properties: Array<{ name: string }>;
}

describe('the packed package installed as an n8n community package', () => {
	let nodes: Map<string, N8nNodeTypeDescription>;
	let credentials: Map<string, CredentialTypeDescription>;

	beforeAll(async () => {
		const nodeList = await e2e.n8n.rest<N8nNodeTypeDescription[]>('GET', '/types/nodes.json');
		nodes = new Map(nodeList.map((d) => [d.name, d]));
		const credentialList = await e2e.n8n.rest<CredentialTypeDescription[]>(
			'GET',
			'/types/credentials.json',
		);
		credentials = new Map(credentialList.map((d) => [d.name, d]));
	});

	it('was installed from the npm tarball under .n8n/nodes/node_modules', () => {
		expect(e2e.tarball).toMatch(/n8n-nodes-lever-proforma-\d+\.\d+\.\d+\.tgz$/);
		expect(e2e.n8n.info.package).toEqual(
			expect.objectContaining({
				name: PACKAGE,
				dir: expect.stringContaining('/.n8n/nodes/node_modules/'),
			}),
		);
	});

	it('ships only the compiled nodes, credentials, icons and the template (no tests, screenshots or build state)', () => {
		const files = e2e.n8n.info.package?.files ?? [];
		const unexpected = files.filter(
			(file) =>
				![
					'package.json',
					'README.md',
					'LICENSE.md',
					'workflows/lever-proforma-background-check.json',
				].includes(file) &&
				!/^dist\/(nodes|credentials)\/.+\.(js|d\.ts|js\.map|json)$/.test(file) &&
				!/^dist\/icons\/[a-z.]+\.svg$/.test(file),
		);
		expect(unexpected).toEqual([]);
		for (const node of [
			'Lever/Lever.node.js',
			'LeverTrigger/LeverTrigger.node.js',
			'Proforma/Proforma.node.js',
			'ProformaTrigger/ProformaTrigger.node.js',
			'ProformaOrderOutcome/ProformaOrderOutcome.node.js',
		]) {
			expect(files).toContain(`dist/nodes/${node}`);
		}
		expect(files).toContain('dist/credentials/LeverApi.credentials.js');
		expect(files).toContain('dist/icons/lever.svg');
	});

	it.each([
		['lever', 'Lever', ['leverApi', 'leverOAuth2Api']],
		['leverTrigger', 'Lever Trigger', ['leverApi', 'leverOAuth2Api', 'leverWebhookSigningApi']],
		['proforma', 'Proforma', ['proformaApi']],
		['proformaTrigger', 'Proforma Trigger', ['proformaApi']],
		['proformaOrderOutcome', 'Proforma Order Outcome', []],
	])('knows the node type %s.%s', (name, displayName, credentialNames) => {
		const node = nodes.get(`${PACKAGE}.${name}`);
		expect(node).toBeDefined();
		expect(node?.displayName).toBe(displayName);
		expect((node?.credentials ?? []).map((c) => c.name).sort()).toEqual(
			[...credentialNames].sort(),
		);
	});

	it('offers the action nodes, and only them, as AI tools (usableAsTool)', () => {
		expect(nodes.has(`${PACKAGE}.leverTool`)).toBe(true);
		expect(nodes.has(`${PACKAGE}.proformaTool`)).toBe(true);
		expect(nodes.has(`${PACKAGE}.leverTriggerTool`)).toBe(false);
		expect(nodes.has(`${PACKAGE}.proformaTriggerTool`)).toBe(false);
	});

	it('gives the trigger nodes a POST webhook and the action nodes none', () => {
		for (const name of ['leverTrigger', 'proformaTrigger']) {
			const webhooks = nodes.get(`${PACKAGE}.${name}`)?.webhooks as
				| Array<{ httpMethod: string }>
				| undefined;
			expect(webhooks?.map((w) => w.httpMethod)).toEqual(['POST']);
		}
		expect(nodes.get(`${PACKAGE}.lever`)?.webhooks ?? []).toEqual([]);
		expect(nodes.get(`${PACKAGE}.proforma`)?.webhooks ?? []).toEqual([]);
	});

	it.each([
		['leverApi', ['apiKey']],
		['leverOAuth2Api', []],
		['leverWebhookSigningApi', ['signatureToken']],
		['proformaApi', ['baseUrl', 'apiKey', 'signingSecret']],
	])('knows the credential type %s', (name, fields) => {
		const credential = credentials.get(name);
		expect(credential).toBeDefined();
		const fieldNames = (credential?.properties ?? []).map((p) => p.name);
		expect(fieldNames).toEqual(expect.arrayContaining(fields));
	});

	it('accepts credentials of the package types through the public API', async () => {
		const suffix = Date.now().toString(36);
		const credentials = [
			{
				name: `Lever API ${suffix}`,
				type: 'leverApi',
				data: {
					apiKey: 'placeholder-lever-key',
					environment: 'custom',
					baseUrl: 'http://127.0.0.1:9/v1',
				},
			},
			{
				name: `Lever signing ${suffix}`,
				type: 'leverWebhookSigningApi',
				data: { signatureToken: 'placeholder-signing-value' },
			},
			{
				name: `Proforma ${suffix}`,
				type: 'proformaApi',
				data: {
					baseUrl: 'http://127.0.0.1:9/v1',
					apiKey: 'placeholder-proforma-key',
					signingSecret: 'placeholder',
				},
			},
		];
		// One at a time: n8n 1.x on SQLite can fail concurrent credential writes ("no such savepoint").
		const created: string[] = [];
		for (const credential of credentials) created.push(await e2e.n8n.createCredential(credential));
		for (const id of created) expect(id).toMatch(/^\w+$/);
		// A type n8n does not know is refused by the same endpoint, so the above is meaningful.
		await expect(
			e2e.n8n.createCredential({ name: 'unknown', type: 'leverDoesNotExistApi', data: {} }),
		).rejects.toThrow(/400/);
	});
});
