'use strict';
/**
 * Puts the template workflow into a running n8n, wired to given Lever and
 * Proforma accounts (the sandboxes in the demo and the end-to-end tests).
 * Used by `npm run demo` and test/e2e; real installs import the JSON in the
 * editor instead.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const TEMPLATE_PATH = path.join(ROOT, 'workflows', 'lever-proforma-background-check.json');

function loadTemplate() {
	return JSON.parse(fs.readFileSync(TEMPLATE_PATH, 'utf8'));
}

function nodeByName(workflow, name) {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`The template has no node named "${name}"`);
	return node;
}

function webhookUrl(n8n, workflow, nodeName) {
	const node = nodeByName(workflow, nodeName);
	return `${n8n.baseUrl}/webhook/${node.webhookId}/webhook`;
}

/** The trigger of the cancel path (archived or deleted candidates). */
const ARCHIVE_TRIGGER = 'Lever: archived or deleted';

/** A setting that is a node switched on (true) or off (false): the node is activated or deactivated. */
function nodeActive(name) {
	return (wf, value) => {
		const node = nodeByName(wf, name);
		if (value === true) delete node.disabled;
		else node.disabled = true;
	};
}

/** Where each of the template's settings lives: the node that uses it. */
const SETTINGS = {
	orderedTag: (wf, value) => (nodeByName(wf, 'Tag: Ordered').parameters.tags = [value]),
	errorTag: (wf, value) => (nodeByName(wf, 'Tag: Error').parameters.tags = [value]),
	completedTag: (wf, value) => (nodeByName(wf, 'Tag: Completed').parameters.tags[0] = value),
	// false: no Clear / Consider next to Completed (the second of Tag: Completed's tags).
	resultTags: (wf, value) => {
		if (value === false) nodeByName(wf, 'Tag: Completed').parameters.tags.splice(1, 1);
	},
	// false: the Proforma Trigger takes Order Completed only (no progress tags; on as imported).
	progressTags: (wf, value) => {
		nodeByName(wf, 'Proforma Trigger').parameters.events =
			value === true ? ['order.completed', 'order.status_changed'] : ['order.completed'];
	},
	advanceStageId: (wf, value) => {
		const node = nodeByName(wf, 'Advance on clear');
		node.parameters.stage.value = value;
		delete node.disabled;
	},
	// true: each new status tag removes the earlier ones (the history is kept as imported).
	latestStatusTagOnly: nodeActive('Keep only the latest status tag'),
	// true: Proforma re-sends an expired first invitation once (off as imported; needs progressTags).
	resendExpiredInvitation: nodeActive('Resend invitation'),
	packageTagPrefix: (wf, value) => (nodeByName(wf, 'Order screening').parameters.packageTagPrefix = value),
	defaultPackage: (wf, value) => (nodeByName(wf, 'Order screening').parameters.defaultPackage = value),
	// N: a candidate moved into the stage again more than N days after their screening completed gets a new order (0 as imported).
	rescreenAfterDays: (wf, value) => (nodeByName(wf, 'Order screening').parameters.rescreenAfterDays = value),
	proformaCallbackUrl: (wf, value) => (nodeByName(wf, 'Order screening').parameters.callbackUrl = value),
	secretNote: (wf, value) => (nodeByName(wf, 'Note: report').parameters.secret = value),
	// false: archiving or deleting a candidate leaves their order alone (on as imported).
	cancelOnArchive: nodeActive(ARCHIVE_TRIGGER),
};

/**
 * Creates the credentials, imports the template with them, sets the screening
 * stage (and optionally other settings), publishes it, and points the Proforma
 * account's callbacks at the Proforma Trigger.
 *
 * options: { leverUrl, leverApiKey, proforma: {url, apiKey?, signingSecret?},
 *   screeningStageId, name, replaceExisting, settings: {secretNote, ...},
 *   scheduleSeconds, scheduleCron (instead of every 15 minutes), registration: 'automatic' | 'manual',
 *   leverSigningToken }
 */
async function prepareTemplate(n8n, options) {
	const workflow = loadTemplate();
	workflow.name = options.name || workflow.name;

	if (options.replaceExisting) {
		const existing = await n8n.api('GET', '/workflows?limit=250');
		for (const wf of existing.data || []) {
			if (wf.name === workflow.name) {
				// Unpublishing first lets the Lever Trigger delete the webhook it registered;
				// n8n refuses the delete (409) until the unpublishing has finished.
				if (wf.active) await n8n.unpublishWorkflow(wf.id);
				await waitFor(`n8n to delete the earlier workflow ${wf.id}`, async () => {
					try {
						await n8n.api('DELETE', `/workflows/${wf.id}`);
						return true;
					} catch (error) {
						if (error.status === 409) return false;
						throw error;
					}
				});
			}
		}
	}

	const leverCredentialId = await n8n.createCredential({
		name: `Lever sandbox ${Date.now()}`,
		type: 'leverApi',
		data: { apiKey: options.leverApiKey || 'sandbox-lever-key', environment: 'custom', baseUrl: options.leverUrl },
	});
	const proformaCredentialId = await n8n.createCredential({
		name: `Proforma sandbox ${Date.now()}`,
		type: 'proformaApi',
		data: {
			baseUrl: options.proforma.url,
			apiKey: options.proforma.apiKey || 'sandbox-proforma-key',
			signingSecret: options.proforma.signingSecret || 'sandbox-signing-secret',
		},
	});
	let signingCredentialId;
	if (options.registration === 'manual') {
		signingCredentialId = await n8n.createCredential({
			name: `Lever webhook token ${Date.now()}`,
			type: 'leverWebhookSigningApi',
			data: { signatureToken: options.leverSigningToken },
		});
	}

	for (const node of workflow.nodes) {
		if (node.credentials?.leverApi) node.credentials.leverApi = { id: leverCredentialId, name: 'Lever account' };
		if (node.credentials?.proformaApi) node.credentials.proformaApi = { id: proformaCredentialId, name: 'Proforma account' };
	}

	const trigger = nodeByName(workflow, 'Lever Trigger');
	trigger.parameters.toStageIds = [options.screeningStageId];
	if (options.registration === 'manual') {
		trigger.parameters.registration = 'manual';
		trigger.credentials.leverWebhookSigningApi = { id: signingCredentialId, name: 'Lever webhook token' };
	}

	for (const [key, value] of Object.entries(options.settings || {})) {
		const place = SETTINGS[key];
		if (!place) throw new Error(`The template has no setting "${key}" (known: ${Object.keys(SETTINGS).join(', ')})`);
		place(workflow, value);
	}
	if (options.scheduleCron) {
		nodeByName(workflow, 'Every 15 minutes').parameters.rule = {
			interval: [{ field: 'cronExpression', expression: options.scheduleCron }],
		};
	}
	if (options.scheduleSeconds) {
		nodeByName(workflow, 'Every 15 minutes').parameters.rule = {
			interval: [{ field: 'seconds', secondsInterval: options.scheduleSeconds }],
		};
	}

	const urls = {
		lever: webhookUrl(n8n, workflow, 'Lever Trigger'),
		leverArchive: webhookUrl(n8n, workflow, ARCHIVE_TRIGGER),
		proforma: webhookUrl(n8n, workflow, 'Proforma Trigger'),
	};
	// The webhooks the Lever Triggers register themselves on publish.
	const registering = [];
	if (options.registration !== 'manual') registering.push(urls.lever);
	if (!nodeByName(workflow, ARCHIVE_TRIGGER).disabled) registering.push(urls.leverArchive);
	const leverOrigin = options.leverUrl.replace(/\/v1\/?$/, '');
	const before = new Set((await sandboxState(leverOrigin)).webhooks.map((w) => w.id));

	const workflowId = await n8n.createWorkflow(workflow);
	await n8n.publishWorkflow(workflowId);
	// n8n answers the publish before the triggers' `create` has registered the
	// webhooks with Lever: wait for the new registrations before anyone moves a candidate.
	await waitFor('the Lever Triggers to register their webhooks in the Lever sandbox', async () => {
		const fresh = (await sandboxState(leverOrigin)).webhooks.filter((w) => !before.has(w.id));
		return registering.every((url) => fresh.some((w) => w.url === url));
	});

	if (options.proformaCallbacks !== false) {
		const res = await fetch(`${options.proforma.url}/__sandbox/account`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ callbackUrl: urls.proforma }),
		});
		if (!res.ok) throw new Error(`Proforma sandbox refused the account callback URL: ${res.status}`);
	}
	return { workflowId, workflow, webhookUrls: urls, credentials: { leverCredentialId, proformaCredentialId } };
}

async function sandboxState(origin) {
	const res = await fetch(`${origin}/__sandbox/state`);
	if (!res.ok) throw new Error(`Lever sandbox state: HTTP ${res.status}`);
	return res.json();
}

async function waitFor(what, check, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

module.exports = { prepareTemplate, loadTemplate, TEMPLATE_PATH };
