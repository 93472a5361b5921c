'use strict';
/**
 * Starts and drives a real, headless n8n for the end-to-end tests and the demo:
 * n8n 2.x (2.40.7, the default) or, with `version: '1'`, n8n 1.x (1.123.81).
 *
 *   const { startN8n } = require('./scripts/lib/n8n-instance');
 *   const n8n = await startN8n({ userFolder, port: 0, packageTarball, log: console.log });
 *   const n8nV1 = await startN8n({ version: '1', userFolder, port: 0, packageTarball });
 *   const credId = await n8n.createCredential({ name, type, data });
 *   const wfId = await n8n.createWorkflow(workflowJson);
 *   await n8n.publishWorkflow(wfId);            // resolves once its webhooks answer
 *   await n8n.waitForExecutions({ workflowId: wfId, count: 1 });
 *   await n8n.stop();
 *
 * What it does, in order:
 *  1. `ensureRuntime()` from scripts/n8n-runtime.js: the pinned n8n and the Node it needs
 *     (Node 24 for 2.x, Node 22 for 1.x).
 *  2. Installs the package the way n8n 2.40.7 installs a community package (and
 *     1.123.81 alike: CommunityPackagesService.downloadPackage is the same in both,
 *     as is the user folder's `.n8n/nodes`): the npm tarball is unpacked into
 *     `<userFolder>/.n8n/nodes/node_modules/<name>`, its dev/peer/optional
 *     dependencies are dropped from its package.json, `npm install --ignore-scripts`
 *     runs inside it, and `<userFolder>/.n8n/nodes/package.json` lists it. n8n then
 *     loads it at start-up as `<name>.<node>` (e.g. `n8n-nodes-lever-proforma.leverTrigger`).
 *  3. Spawns `n8n start` (own process group, loopback only, free ports), n8n's
 *     stdout/stderr going to `<userFolder>/n8n.log`, and waits for /healthz/readiness.
 *  4. Creates the owner and a public-API key, saved in `<userFolder>/n8n-instance.json`
 *     (mode 0600) together with the encryption key. If the folder already holds a
 *     set-up n8n (the demo's persistent folder), it is reused: the saved key is
 *     checked, and if it no longer works the owner logs in and a new key is made.
 *
 * `connectN8n(info)` rebuilds the HTTP client (everything but `stop`) from the plain
 * object `instance.info` (JSON-serialisable), e.g. inside a jest test file.
 * Every wait is bounded and fails with a message that says what was waited for.
 *
 * What differs in n8n 1.x (the client picks it from `info.n8nVersion`): owner setup,
 * login and API keys (with scopes) are the same; a workflow is published with the
 * public API's `POST /workflows/:id/activate` (`/deactivate` to unpublish) instead of
 * `/publish` (`/unpublish`); the workflow settings schema lacks binaryMode and
 * timeSavedMode and has availableInMCP; and credential types that authenticate
 * requests get n8n's "Allowed HTTP Request Domains" field, which 1.x's public API
 * wants sent (see createCredential).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { runCommand } = require('./run');
const { ensureRuntime } = require('../n8n-runtime');

const STATE_FILE = 'n8n-instance.json';
/** Workflow settings the public API accepts (openapi.yml `workflowSettings`, additionalProperties: false). */
const COMMON_WORKFLOW_SETTINGS = [
	'saveExecutionProgress',
	'saveManualExecutions',
	'saveDataErrorExecution',
	'saveDataSuccessExecution',
	'executionTimeout',
	'errorWorkflow',
	'timezone',
	'executionOrder',
	'callerPolicy',
	'callerIds',
	'timeSavedPerExecution',
];
const WORKFLOW_SETTINGS = [...COMMON_WORKFLOW_SETTINGS, 'binaryMode', 'timeSavedMode'];
/** n8n 1.x: no binaryMode or timeSavedMode, but availableInMCP. */
const WORKFLOW_SETTINGS_V1 = [...COMMON_WORKFLOW_SETTINGS, 'availableInMCP'];
const LOG_FILE = 'n8n.log';
const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const TIMED_OUT = Symbol('timed out');

/** Resolves with the promise's value, or TIMED_OUT after ms; leaves no timer behind. */
function raceTimeout(promise, ms) {
	let timer;
	const timeout = new Promise((resolve) => {
		timer = setTimeout(() => resolve(TIMED_OUT), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A free TCP port on 127.0.0.1 (the OS picks it; released before returning). */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const START_MARKER = '===== n8n start';

/** True when nothing listens on 127.0.0.1:port. */
function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * The last `lines` lines of a file ('' if it does not exist). With `sinceLastStart`,
 * only what the latest start wrote (the log is appended to across restarts).
 */
function tailFile(file, lines = 60, { sinceLastStart = false } = {}) {
	try {
		let text = fs.readFileSync(file, 'utf8');
		if (sinceLastStart) {
			const at = text.lastIndexOf(START_MARKER);
			if (at >= 0) text = text.slice(at);
		}
		return text.trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Runs a command with the default 5-minute bound (scripts/lib/run.js). */
function run(cmd, args, { cwd, env = process.env, timeoutMs = 300000 } = {}) {
	return runCommand(cmd, args, { cwd, env, timeoutMs });
}

const npmCmd = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `npm pack`s a project directory into destDir; returns the tarball path. */
async function packPackage(packageDir, destDir, { log = () => {} } = {}) {
	fs.mkdirSync(destDir, { recursive: true });
	log(`Packing ${packageDir} (npm pack)…`);
	const out = await run(
		npmCmd,
		['pack', '--json', '--ignore-scripts', '--pack-destination', destDir],
		{ cwd: packageDir },
	);
	const [info] = JSON.parse(out.slice(out.indexOf('[')));
	return path.join(destDir, info.filename);
}

/**
 * Installs an npm tarball as an n8n community package into `<userFolder>/.n8n/nodes`,
 * mirroring n8n 2.40.7's own installer (see the header). Replaces an earlier install.
 * Returns `{ name, version, dir, files }` (files: the tarball's contents, relative paths).
 */
async function installPackage({ userFolder, tarball, log = () => {} }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pkg-'));
	try {
		await run('tar', ['-xzf', path.resolve(tarball), '-C', staging, '--strip-components=1']);
		// What the tarball ships, for the package test (nothing but nodes, credentials, icons, the template).
		const files = fs
			.readdirSync(staging, { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => path.relative(staging, path.join(entry.parentPath ?? entry.path, entry.name)))
			.sort();
		const pkgJsonPath = path.join(staging, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
		// n8n drops these before installing (peer n8n-workflow is n8n's own copy).
		delete pkg.devDependencies;
		delete pkg.peerDependencies;
		delete pkg.optionalDependencies;
		fs.writeFileSync(pkgJsonPath, JSON.stringify(pkg, null, 2));
		const dir = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(dir), { recursive: true });
		fs.cpSync(staging, dir, { recursive: true });
		log(`Installing ${pkg.name}@${pkg.version} as a community package into ${nodesDir}…`);
		await run(
			npmCmd,
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: dir },
		);
		const nodesPkgPath = path.join(nodesDir, 'package.json');
		let nodesPkg = { name: 'installed-nodes', private: true, dependencies: {} };
		if (fs.existsSync(nodesPkgPath)) nodesPkg = JSON.parse(fs.readFileSync(nodesPkgPath, 'utf8'));
		nodesPkg.dependencies = { ...(nodesPkg.dependencies || {}), [pkg.name]: pkg.version };
		fs.writeFileSync(nodesPkgPath, JSON.stringify(nodesPkg, null, 2));
		return { name: pkg.name, version: pkg.version, dir, files };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

function readState(userFolder) {
	try {
		return JSON.parse(fs.readFileSync(path.join(userFolder, STATE_FILE), 'utf8'));
	} catch {
		return null;
	}
}

function writeState(userFolder, state) {
	const file = path.join(userFolder, STATE_FILE);
	fs.writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
	fs.chmodSync(file, 0o600);
}

/** The encryption key: saved one, else the one n8n wrote in .n8n/config, else a new one. */
function resolveEncryptionKey(userFolder, state) {
	if (state && state.encryptionKey) return state.encryptionKey;
	try {
		const cfg = JSON.parse(fs.readFileSync(path.join(userFolder, '.n8n', 'config'), 'utf8'));
		if (cfg.encryptionKey) return cfg.encryptionKey;
	} catch {
		/* no config yet */
	}
	return crypto.randomBytes(24).toString('hex');
}

/** Owner password that satisfies n8n's rules (8-64 chars, a digit, an uppercase letter). */
function generatePassword() {
	return `Pw1-${crypto.randomBytes(12).toString('hex')}`;
}

// ---------------------------------------------------------------------------------
// HTTP client
// ---------------------------------------------------------------------------------

class N8nHttpError extends Error {
	constructor(method, url, status, body) {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		super(`n8n ${method} ${url} answered ${status}: ${text.slice(0, 1500)}`);
		this.name = 'N8nHttpError';
		this.status = status;
		this.body = body;
	}
}

async function httpRequest(method, url, { headers = {}, body, timeoutMs = 30000 } = {}) {
	const init = { method, headers: { accept: 'application/json', ...headers }, redirect: 'manual' };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		if (!init.headers['content-type']) init.headers['content-type'] = 'application/json';
	}
	init.signal = AbortSignal.timeout(timeoutMs);
	let res;
	try {
		res = await fetch(url, init);
	} catch (err) {
		const why =
			err && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message;
		throw new Error(
			`n8n ${method} ${url} failed: ${why}${err.cause ? ` (${err.cause.code || err.cause.message})` : ''}`,
		);
	}
	const text = await res.text();
	let parsed = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		/* keep text */
	}
	return { status: res.status, headers: res.headers, body: parsed, text };
}

/**
 * The HTTP client for a running n8n. `info` = `{ baseUrl, apiKey, owner, userFolder, logFile }`
 * (what `instance.info` holds). Methods throw N8nHttpError (status + body) on non-2xx.
 */
function connectN8n(info) {
	const { baseUrl, apiKey } = info;
	const v1 = isN8nV1(info);
	let cookie = null;

	async function api(method, apiPath, body) {
		const url = `${baseUrl}/api/v1${apiPath.startsWith('/') ? apiPath : `/${apiPath}`}`;
		const res = await httpRequest(method, url, { headers: { 'X-N8N-API-KEY': apiKey }, body });
		if (res.status < 200 || res.status >= 300)
			throw new N8nHttpError(method, url, res.status, res.body);
		return res.body;
	}

	async function login() {
		const url = `${baseUrl}/rest/login`;
		const send = () =>
			httpRequest('POST', url, {
				body: { emailOrLdapLoginId: info.owner.email, password: info.owner.password },
			});
		let res = await send();
		// n8n rate-limits logins per address; a test run logs in once per test file and
		// per restarted process, which can exceed it. Wait as asked, bounded (about 2 minutes).
		for (let attempt = 0; res.status === 429 && attempt < 8; attempt++) {
			const asked = Number(res.headers.get('retry-after'));
			await new Promise((resolve) =>
				setTimeout(resolve, Number.isFinite(asked) && asked > 0 ? Math.min(asked, 30) * 1000 : 15000),
			);
			res = await send();
		}
		if (res.status !== 200) throw new N8nHttpError('POST', url, res.status, res.body);
		cookie = authCookie(res.headers);
		return cookie;
	}

	/** Internal REST / UI endpoints (e.g. /types/nodes.json) with the owner's session cookie. */
	async function rest(method, restPath, body) {
		if (!cookie) await login();
		const url = `${baseUrl}${restPath}`;
		let res = await httpRequest(method, url, { headers: { cookie }, body });
		if (res.status === 401) {
			await login();
			res = await httpRequest(method, url, { headers: { cookie }, body });
		}
		if (res.status < 200 || res.status >= 300)
			throw new N8nHttpError(method, url, res.status, res.body);
		return res.body &&
			typeof res.body === 'object' &&
			'data' in res.body &&
			restPath.startsWith('/rest/')
			? res.body.data
			: res.body;
	}

	async function createCredential({ name, type, data }) {
		const created = await api('POST', '/credentials', {
			name,
			type,
			data: v1 ? await credentialDataV1(type, data) : data,
		});
		return created.id;
	}

	/**
	 * n8n 1.x adds "Allowed HTTP Request Domains" (`allowedHttpRequestDomains`, then
	 * `allowedDomains` when it is `domains`) to every credential type that authenticates
	 * requests, and the JSON schema its public API checks the data against requires
	 * `allowedDomains` unless `allowedHttpRequestDomains` is given: send the field's
	 * default, `all` (what the editor saves), when the type has it and the caller did not set it.
	 */
	async function credentialDataV1(type, data) {
		if (!data || data.allowedHttpRequestDomains !== undefined) return data;
		let schema;
		try {
			schema = await api('GET', `/credentials/schema/${encodeURIComponent(type)}`);
		} catch {
			return data; // an unknown type: the POST gives n8n's own answer
		}
		if (!schema || !schema.properties || !schema.properties.allowedHttpRequestDomains) return data;
		return { ...data, allowedHttpRequestDomains: 'all' };
	}

	/**
	 * Creates a workflow from editor/export JSON. The public API of 2.40.7 refuses
	 * read-only and unknown fields (id, active, versionId, tags, meta, pinData, and
	 * settings outside its schema), so only name, nodes, connections, the schema's
	 * settings and staticData are sent. Returns the new id (unpublished).
	 */
	async function createWorkflow(workflow) {
		const settings = {};
		const accepted = v1 ? WORKFLOW_SETTINGS_V1 : WORKFLOW_SETTINGS;
		for (const [key, value] of Object.entries(workflow.settings || {})) {
			if (accepted.includes(key)) settings[key] = value;
		}
		if (!settings.executionOrder) settings.executionOrder = 'v1';
		const body = {
			name: workflow.name || 'E2E workflow',
			nodes: workflow.nodes || [],
			connections: workflow.connections || {},
			settings,
		};
		if (workflow.staticData) body.staticData = workflow.staticData;
		const created = await api('POST', '/workflows', body);
		return created.id;
	}

	function webhookUrl(webhookId, webhookPath = '') {
		const p = webhookPath ? `/${String(webhookPath).replace(/^\/+/, '')}` : '';
		return `${baseUrl}/webhook/${webhookId}${p}`;
	}

	let nodeTypesCache = null;
	/** Node descriptions n8n knows (GET /types/nodes.json with the owner's cookie), by `name`. */
	async function nodeTypes() {
		if (!nodeTypesCache) {
			const list = await rest('GET', '/types/nodes.json');
			nodeTypesCache = new Map();
			for (const d of list) {
				const versions = Array.isArray(d.version) ? d.version : [d.version];
				for (const v of versions) nodeTypesCache.set(`${d.name}@${v}`, d);
				if (!nodeTypesCache.has(d.name)) nodeTypesCache.set(d.name, d);
			}
		}
		return nodeTypesCache;
	}

	/** Literal value, or `={{$parameter["x"]}}` (optionally `|| "default"`) resolved from the node. */
	function resolveSimple(value, node) {
		if (typeof value !== 'string' || !value.startsWith('=')) return value;
		const m =
			/^=\{\{\s*\$parameter(?:\[["']([^"']+)["']\]|\.([A-Za-z0-9_]+))(?:\s*(?:\|\||\?\?)\s*["']([^"']*)["'])?\s*\}\}$/.exec(
				value,
			);
		if (!m) return undefined;
		const v = (node.parameters || {})[m[1] || m[2]];
		return v === undefined || v === '' ? m[3] : v;
	}

	/**
	 * Production webhook URLs of a workflow's enabled nodes, computed like n8n does
	 * (NodeHelpers.getNodeWebhookPath) from the node types' `webhooks` descriptions.
	 * Returns [{ node, method, url }]. Webhooks whose path is a complex expression are skipped.
	 */
	async function webhooksOf(workflow) {
		const types = await nodeTypes();
		const out = [];
		for (const node of workflow.nodes || []) {
			if (node.disabled) continue;
			const desc = types.get(`${node.type}@${node.typeVersion}`) || types.get(node.type);
			if (!desc || !Array.isArray(desc.webhooks)) continue;
			for (const hook of desc.webhooks) {
				if (hook.restartWebhook === true || (hook.name && hook.name !== 'default')) continue;
				const method = resolveSimple(hook.httpMethod, node) || 'POST';
				let hookPath = resolveSimple(hook.path, node);
				const isFullPath = resolveSimple(hook.isFullPath, node) === true;
				if (typeof hookPath !== 'string' || typeof method !== 'string') continue;
				hookPath = hookPath.replace(/^\/+/, '');
				let full;
				if (node.webhookId === undefined) {
					full = `${workflow.id}/${encodeURIComponent(node.name.toLowerCase())}/${hookPath}`;
				} else if (isFullPath && !(hookPath.startsWith(':') || hookPath.includes('/:'))) {
					full = hookPath || node.webhookId;
				} else {
					full = `${node.webhookId}/${hookPath}`;
				}
				out.push({
					node: node.name,
					method: method.toUpperCase(),
					url: `${baseUrl}/webhook/${full}`,
				});
			}
		}
		return out;
	}

	/**
	 * n8n answers a request with the wrong method on a registered webhook with
	 * 404 "This webhook is not registered for GET. Did you mean to make a POST request?",
	 * and an unknown webhook with 404 'The requested webhook "GET …" is not registered.'
	 * Neither starts an execution, so GET tells "registered" apart from "not yet".
	 */
	async function webhookIsLive(url, method = 'POST') {
		// Probe with a method the webhook does not serve, so nothing can start an execution.
		const probe = method === 'PATCH' ? 'PUT' : 'PATCH';
		const res = await httpRequest(probe, url, { timeoutMs: 10000 });
		if (res.status !== 404) return true;
		const message = (res.body && res.body.message) || res.text || '';
		return /not registered for/i.test(message);
	}

	async function waitForWebhooks(hooks, { timeoutMs = 30000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		const pending = new Map(
			hooks.map((h) => (typeof h === 'string' ? [h, 'POST'] : [h.url, h.method || 'POST'])),
		);
		while (pending.size > 0) {
			for (const [url, method] of [...pending])
				if (await webhookIsLive(url, method)) pending.delete(url);
			if (pending.size === 0) break;
			if (Date.now() > deadline) {
				throw new Error(
					`Timed out after ${timeoutMs} ms waiting for these webhooks to be registered: ${[...pending.keys()].join(', ')}` +
						(info.logFile ? ` (n8n log: ${info.logFile})` : ''),
				);
			}
			await sleep(200);
		}
	}

	/**
	 * Publishes (activates) a workflow and waits until every production webhook of its
	 * trigger nodes answers as registered. Returns the workflow as the API returns it.
	 * n8n 1.x has no publishing: there the workflow is activated.
	 */
	async function publishWorkflow(id, { timeoutMs = 30000, webhooks } = {}) {
		const published = await api('POST', `/workflows/${id}/${v1 ? 'activate' : 'publish'}`);
		const workflow =
			published && published.nodes ? published : await api('GET', `/workflows/${id}`);
		await waitForWebhooks(webhooks || (await webhooksOf(workflow)), { timeoutMs });
		return workflow;
	}

	async function unpublishWorkflow(id) {
		return api('POST', `/workflows/${id}/${v1 ? 'deactivate' : 'unpublish'}`);
	}

	/** All executions of a workflow (newest first), following the cursor. */
	async function listExecutions({ workflowId, includeData = false, status } = {}) {
		const all = [];
		let cursor;
		do {
			const q = new URLSearchParams({ limit: '100' });
			if (workflowId) q.set('workflowId', String(workflowId));
			if (includeData) q.set('includeData', 'true');
			if (status) q.set('status', status);
			if (cursor) q.set('cursor', cursor);
			const page = await api('GET', `/executions?${q}`);
			all.push(...(page.data || []));
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	}

	/**
	 * Waits until the workflow has at least `count` finished executions (not running,
	 * new or waiting) and returns them. Throws a clear timeout error otherwise.
	 */
	async function waitForExecutions({
		workflowId,
		count = 1,
		timeoutMs = 30000,
		includeData = false,
	} = {}) {
		const deadline = Date.now() + timeoutMs;
		let last = [];
		for (;;) {
			last = await listExecutions({ workflowId, includeData });
			const done = last.filter((e) => !['running', 'new', 'waiting'].includes(e.status));
			if (done.length >= count && done.length === last.length) return done;
			if (Date.now() > deadline) {
				const seen = last.map((e) => `#${e.id}:${e.status}`).join(', ') || 'none';
				throw new Error(
					`Timed out after ${timeoutMs} ms waiting for ${count} finished execution(s) of workflow ${workflowId}; seen: ${seen}` +
						(info.logFile ? ` (n8n log: ${info.logFile})` : ''),
				);
			}
			await sleep(250);
		}
	}

	async function getExecution(id, { includeData = true } = {}) {
		return api('GET', `/executions/${id}?includeData=${includeData ? 'true' : 'false'}`);
	}

	return {
		info,
		baseUrl,
		apiKey,
		owner: info.owner,
		userFolder: info.userFolder,
		logFile: info.logFile,
		api,
		rest,
		login,
		createCredential,
		createWorkflow,
		publishWorkflow,
		unpublishWorkflow,
		webhookUrl,
		webhooksOf,
		nodeTypes,
		webhookIsLive,
		waitForWebhooks,
		listExecutions,
		waitForExecutions,
		getExecution,
	};
}

/** True for an n8n 1.x (`info.n8nVersion` '1.…'); 2.x otherwise. */
function isN8nV1(info) {
	return /^1\./.test(String((info && info.n8nVersion) || ''));
}

function authCookie(headers) {
	const all =
		typeof headers.getSetCookie === 'function'
			? headers.getSetCookie()
			: [headers.get('set-cookie')];
	const auth = all.filter(Boolean).map((c) => c.split(';')[0]);
	if (auth.length === 0) throw new Error('n8n did not set an auth cookie on login/owner setup');
	return auth.join('; ');
}

// ---------------------------------------------------------------------------------
// Process management
// ---------------------------------------------------------------------------------

/** Process groups still alive; killed if this process exits or is interrupted. */
const liveGroups = new Set();
let exitHooksInstalled = false;

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	// A crash or process.exit() must not leave n8n running (it is in its own group).
	process.on('exit', () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	});
	// Ctrl-C: n8n does not receive the terminal's SIGINT (own process group). When
	// nobody else handles the signal (the jest case), kill n8n and die as usual;
	// when the caller has its own handler (the demo), leave the graceful stop to it.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		const onSignal = () => {
			if (process.listenerCount(signal) > 1) return;
			for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
			liveGroups.clear();
			process.removeListener(signal, onSignal);
			process.kill(process.pid, signal);
		};
		process.on(signal, onSignal);
	}
}

/**
 * The n8n settings the README recommends for this package (docs/scaling.md, "n8n
 * settings"). n8n 2.x acquires an expression isolate for the webhook phase of every
 * trigger but its own Webhook node, and the execution then builds a second one; lazy
 * acquisition builds one only when an expression is evaluated, and the package's triggers
 * evaluate none while answering a delivery. n8n 1.x ignores the setting.
 */
const RECOMMENDED_SETTINGS = Object.freeze({ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' });

/**
 * Environment every n8n process of ours starts with (main, worker, webhook
 * processor): loopback only, no telemetry, community packages on, executions
 * saved. Nothing from the caller's environment may reconfigure n8n (jest sets
 * NODE_ENV=test, a shell may carry N8N_* or DB_* settings).
 */
function baseN8nEnv(runtime) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (
			/^(N8N_|DB_|QUEUE_|EXECUTIONS_|GENERIC_|NODE_OPTIONS$|NODE_ENV$|WEBHOOK_URL$|JEST_|npm_)/.test(
				k,
			)
		)
			continue;
		env[k] = v;
	}
	return Object.assign(env, {
		PATH: `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
		NODE_ENV: 'production',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		// Stop in seconds: nothing of ours needs n8n's default 30 s drain on SIGTERM.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	});
}

function buildEnv({ userFolder, port, brokerPort, encryptionKey, runtime, extra }) {
	return Object.assign(
		baseN8nEnv(runtime),
		{
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_SECURE_COOKIE: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
		},
		extra || {},
	);
}

/**
 * Starts n8n. Options:
 *  - version: '2' (default, n8n 2.40.7 on Node 24) or '1' (n8n 1.123.81 on Node 22),
 *    the runtimes of scripts/n8n-runtime.js.
 *  - userFolder (required): fresh temp dir (tests) or a persistent one (demo, reused).
 *  - port: 0 (default) picks a free port.
 *  - packageTarball: npm tarball to install as a community package, or
 *    packageDir: a built project to `npm pack` first. Neither: nothing installed.
 *  - env: extra environment for n8n (wins over the defaults above).
 *  - log: progress lines (n8n's own output goes to <userFolder>/n8n.log).
 *  - owner: { email, password, firstName, lastName }; defaults provided, the password
 *    is generated and saved in <userFolder>/n8n-instance.json (0600).
 *  - startTimeoutMs: bound on start-up (default 180 s: the machine may be busy).
 * Resolves with the client of connectN8n() plus `stop()`, `info`, `pid`.
 */
async function startN8n(options = {}) {
	const {
		version = '2',
		userFolder,
		port: wantedPort = 0,
		packageTarball,
		packageDir,
		env: extraEnv = {},
		log = () => {},
		owner: ownerOption = {},
		startTimeoutMs = 180000,
	} = options;
	if (!userFolder) throw new Error('startN8n: userFolder is required');
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, LOG_FILE);

	const runtime = await ensureRuntime({ version, log });

	let tarball = packageTarball;
	if (!tarball && packageDir)
		tarball = await packPackage(packageDir, path.join(userFolder, 'packages'), { log });
	let installed = null;
	if (tarball) installed = await installPackage({ userFolder, tarball, log });

	const saved = readState(userFolder);
	const encryptionKey = resolveEncryptionKey(userFolder, saved);
	const owner = {
		...DEFAULT_OWNER,
		...(saved && saved.owner),
		...ownerOption,
	};
	if (!owner.password) owner.password = generatePassword();
	// Persist the secrets before n8n writes its own config with the same encryption key.
	writeState(userFolder, { ...(saved || {}), encryptionKey, owner });

	if (wantedPort && !(await portIsFree(wantedPort))) {
		throw new Error(
			`Port ${wantedPort} on 127.0.0.1 is already in use (another n8n?). Stop it or choose another port.`,
		);
	}
	const port = wantedPort || (await freePort());
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const env = buildEnv({ userFolder, port, brokerPort, encryptionKey, runtime, extra: extraEnv });

	log(
		`Starting n8n ${runtime.n8nVersion} on ${baseUrl} (user folder ${userFolder}, log ${logFile})…`,
	);
	const out = fs.openSync(logFile, 'a');
	fs.writeSync(out, `\n${START_MARKER} ${new Date().toISOString()} on ${baseUrl} =====\n`);
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		cwd: userFolder,
		env,
		detached: true, // own process group: stop() also reaches the task runner it spawns
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	installExitHooks();
	liveGroups.add(child.pid);

	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			liveGroups.delete(child.pid);
			resolve(exited);
		});
		child.on('error', (err) => {
			exited = { code: null, signal: null, error: err };
			liveGroups.delete(child.pid);
			resolve(exited);
		});
	});

	let stopping = null;
	async function stop({ graceMs = 15000 } = {}) {
		if (stopping) return stopping;
		stopping = (async () => {
			if (exited) return exited;
			log(`Stopping n8n (pid ${child.pid})…`);
			killGroup(child.pid, 'SIGTERM');
			if ((await raceTimeout(exitPromise, graceMs)) === TIMED_OUT) {
				log(`n8n did not stop within ${graceMs} ms: SIGKILL`);
				killGroup(child.pid, 'SIGKILL');
				await raceTimeout(exitPromise, 5000);
			}
			// The task runner may outlive the main process: sweep the group.
			killGroup(child.pid, 'SIGKILL');
			liveGroups.delete(child.pid);
			return exited;
		})();
		return stopping;
	}

	const failStart = async (reason) => {
		await stop({ graceMs: 5000 });
		const err = new Error(
			`n8n did not start: ${reason}\n--- last lines of ${logFile} ---\n${tailFile(logFile, 40, { sinceLastStart: true })}\n--- end of n8n log ---`,
		);
		err.logFile = logFile;
		throw err;
	};

	// 1. Wait for readiness (DB connected and migrated), failing fast if n8n exits.
	const deadline = Date.now() + startTimeoutMs;
	let ready = false;
	let lastSeen = 'no answer yet';
	while (!ready) {
		if (exited)
			return failStart(`the process exited (code ${exited.code}, signal ${exited.signal})`);
		if (Date.now() > deadline)
			return failStart(`not ready after ${startTimeoutMs} ms (last: ${lastSeen})`);
		try {
			const res = await httpRequest('GET', `${baseUrl}/healthz/readiness`, { timeoutMs: 5000 });
			lastSeen = `readiness ${res.status}`;
			if (res.status === 200) {
				// The REST API is mounted with the rest of the server; make sure it answers.
				const settings = await httpRequest('GET', `${baseUrl}/rest/settings`, { timeoutMs: 5000 });
				lastSeen = `settings ${settings.status}`;
				ready = settings.status === 200;
			}
		} catch (err) {
			lastSeen = err.message;
		}
		if (!ready) await sleep(500);
	}
	log(`n8n is up (pid ${child.pid}).`);

	// 2. Owner and API key (reusing what the folder already holds when possible).
	let apiKey;
	try {
		apiKey = await ensureOwnerAndKey({ baseUrl, userFolder, owner, saved, log });
	} catch (err) {
		return failStart(err.message);
	}
	writeState(userFolder, { ...(readState(userFolder) || {}), encryptionKey, owner, apiKey });

	const info = {
		baseUrl,
		port,
		apiKey,
		owner,
		userFolder,
		logFile,
		pid: child.pid,
		n8nVersion: runtime.n8nVersion,
		package: installed,
	};
	const client = connectN8n(info);
	return { ...client, info, pid: child.pid, port, package: installed, stop, exited: () => exited };
}

async function ensureOwnerAndKey({ baseUrl, owner, saved, log }) {
	if (saved && saved.apiKey) {
		const res = await httpRequest('GET', `${baseUrl}/api/v1/workflows?limit=1`, {
			headers: { 'X-N8N-API-KEY': saved.apiKey },
		});
		if (res.status === 200) {
			log('Reusing the owner and API key saved in the user folder.');
			return saved.apiKey;
		}
		log(`The saved API key was refused (${res.status}); creating a new one.`);
	}

	let cookie;
	const setup = await httpRequest('POST', `${baseUrl}/rest/owner/setup`, {
		body: {
			email: owner.email,
			firstName: owner.firstName,
			lastName: owner.lastName,
			password: owner.password,
		},
	});
	if (setup.status === 200) {
		log(`Owner ${owner.email} created.`);
		cookie = authCookie(setup.headers);
	} else {
		const message = (setup.body && setup.body.message) || setup.text;
		if (!/already setup|already set up/i.test(String(message))) {
			throw new N8nHttpError('POST', `${baseUrl}/rest/owner/setup`, setup.status, setup.body);
		}
		log('An owner already exists: logging in.');
		const login = await httpRequest('POST', `${baseUrl}/rest/login`, {
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
		if (login.status !== 200) {
			throw new Error(
				`this user folder already has an owner, and logging in as ${owner.email} with the saved password failed ` +
					`(${login.status}). Pass the right owner to startN8n or use a fresh user folder.`,
			);
		}
		cookie = authCookie(login.headers);
	}

	const scopesRes = await httpRequest('GET', `${baseUrl}/rest/api-keys/scopes`, {
		headers: { cookie },
	});
	if (scopesRes.status !== 200) {
		throw new N8nHttpError(
			'GET',
			`${baseUrl}/rest/api-keys/scopes`,
			scopesRes.status,
			scopesRes.body,
		);
	}
	const scopes = scopesRes.body.data;
	const created = await httpRequest('POST', `${baseUrl}/rest/api-keys`, {
		headers: { cookie },
		body: {
			label: `harness-${Date.now()}-${crypto.randomBytes(3).toString('hex')}`,
			scopes,
			expiresAt: null,
		},
	});
	if (created.status !== 200)
		throw new N8nHttpError('POST', `${baseUrl}/rest/api-keys`, created.status, created.body);
	log('Public API key created.');
	return created.body.data.rawApiKey;
}

module.exports = {
	isN8nV1,
	RECOMMENDED_SETTINGS,
	baseN8nEnv,
	startN8n,
	connectN8n,
	installPackage,
	packPackage,
	freePort,
	tailFile,
	N8nHttpError,
	STATE_FILE,
	LOG_FILE,
};
