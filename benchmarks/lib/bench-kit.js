'use strict';
/**
 * Helpers shared by benchmarks/order-path.js and benchmarks/trigger-alone.js:
 * statistics and formatting, the stop-everything harness, signed Lever
 * deliveries and how they are POSTed, a pass-through (optionally delaying)
 * proxy in front of the Lever sandbox, API-call counting from the sandboxes'
 * log lines, and waiting for n8n to be idle.
 *
 * Plain Node 20, 127.0.0.1 only. Nothing here changes the sandboxes or n8n.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { stopInOrder } = require('../../scripts/lib/stop');

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Integer from the environment, clamped; `fallback` when unset or not a number. */
function envInt(name, fallback, min, max) {
	const raw = process.env[name];
	const n = raw === undefined || raw === '' ? fallback : Math.round(Number(raw));
	if (!Number.isFinite(n)) return fallback;
	return Math.min(max, Math.max(min, n));
}

// ---------------------------------------------------------------------------
// Statistics and formatting
// ---------------------------------------------------------------------------

/** Nearest-rank percentile of a sorted array (for n < 100, p99 is the max). */
function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

function stats(values) {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	return {
		n: sorted.length,
		min: sorted[0],
		p50: percentile(sorted, 50),
		p95: percentile(sorted, 95),
		p99: percentile(sorted, 99),
		max: sorted[sorted.length - 1],
	};
}

/** Seconds with 2 decimals, or '–' when there is no value. */
const sec = (ms) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const fixed = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);

/** Left-aligned text table from rows of strings (first row = header). */
function table(rows) {
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
	return rows
		.map((r) =>
			r
				.map((c, i) => String(c).padEnd(widths[i]))
				.join('  ')
				.trimEnd(),
		)
		.join('\n');
}

/** "a: 3, b: 1" sorted by count, or 'none'. */
function mapLine(map, format = (v) => v) {
	return (
		[...map.entries()]
			.sort((a, b) => b[1] - a[1])
			.map(([k, v]) => `${k}: ${format(v)}`)
			.join(', ') || 'none'
	);
}

const loadavg = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');

// ---------------------------------------------------------------------------
// Harness: one deadline for the run, and everything started is stopped at the
// end, on error, on timeout and on Ctrl-C (the pattern of template-throughput.js).
// ---------------------------------------------------------------------------

class BenchTimeout extends Error {}

/**
 * Stop functions are grouped in stacks (one per n8n + sandboxes set), stopped in
 * reverse order of start. `arm(timeoutMs)` starts the deadline once the n8n
 * runtime is present (its first install is not part of the bound).
 */
function createHarness() {
	const stacks = new Set();
	let stopped = false;
	let deadline = Infinity;
	let timeoutMs = 0;
	let hardStop = null;

	/** Last started, first stopped; each stop bounded (scripts/lib/stop.js). */
	async function runStops(list) {
		const stops = list.splice(0).reverse();
		await stopInOrder(
			stops.map((stop, index) => [`step ${stops.length - index}`, stop, 90000]),
			(line) => say(`  (${line})`),
		);
	}

	function stack() {
		const list = [];
		stacks.add(list);
		return {
			add: (fn) => list.push(fn),
			stop: async () => {
				await runStops(list);
				stacks.delete(list);
			},
		};
	}

	async function stopAll() {
		if (stopped) return;
		stopped = true;
		if (hardStop) clearTimeout(hardStop);
		if ([...stacks].some((list) => list.length))
			say('\nStopping everything the benchmark started…');
		for (const list of [...stacks].reverse()) await runStops(list);
		stacks.clear();
	}

	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			say(`\n${signal}: interrupted.`);
			// Hard bound on the stop itself.
			setTimeout(() => process.exit(130), 30000).unref();
			stopAll().then(() => process.exit(130));
		});
	}

	function arm(ms) {
		timeoutMs = ms;
		deadline = Date.now() + ms;
		// Last resort if an await hangs past the bound: stop and exit.
		hardStop = setTimeout(() => {
			say(`\nTIMEOUT: still running ${ms / 1000 + 60} s after start; stopping everything.`);
			stopAll().then(() => process.exit(1));
		}, ms + 60000);
		hardStop.unref();
	}

	return {
		stack,
		stopAll,
		arm,
		deadline: () => deadline,
		remaining: () => deadline - Date.now(),
		checkDeadline(what) {
			if (Date.now() > deadline) {
				throw new BenchTimeout(`TIMEOUT: the run exceeded ${timeoutMs / 1000} s while ${what}.`);
			}
		},
	};
}

/**
 * A temp folder (n8n user folders, tarballs) removed when everything is stopped,
 * Ctrl-C included, unless `keep` is true by then (BENCH_KEEP=1, or a failed run).
 * Made before anything else, so its stack is stopped last.
 */
function tempFolder(harness, prefix, { keep = false } = {}) {
	const folder = { dir: fs.mkdtempSync(path.join(os.tmpdir(), prefix)), keep };
	harness.stack().add(() => {
		if (folder.keep) say(`Kept ${folder.dir} (n8n logs in its n8n-* folders)`);
		else fs.rmSync(folder.dir, { recursive: true, force: true });
	});
	return folder;
}

/** Resolves when `promise` settles or at `deadline` (ms epoch), whichever is first. */
async function until(promise, deadline) {
	let timer;
	const timeout = new Promise((resolve) => {
		timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
	});
	try {
		await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

// ---------------------------------------------------------------------------
// Signed Lever deliveries
// ---------------------------------------------------------------------------

/** Lever's scheme: HMAC-SHA256 hex of token + triggeredAt, keyed by the webhook's token. */
function leverSignature(signingToken, token, triggeredAt) {
	return crypto
		.createHmac('sha256', signingToken)
		.update(token + String(triggeredAt))
		.digest('hex');
}

/**
 * The raw body of a `candidateStageChange` delivery as Lever sends it. `forged`
 * signs with a random key instead (well-formed, wrong).
 */
function stageChangeBody({
	signingToken,
	opportunityId,
	contactId,
	toStageId,
	fromStageId,
	forged = false,
}) {
	const triggeredAt = Date.now();
	const token = crypto.randomBytes(24).toString('hex');
	const key = forged ? crypto.randomBytes(24).toString('hex') : signingToken;
	return JSON.stringify({
		id: crypto.randomUUID(),
		event: 'candidateStageChange',
		triggeredAt,
		token,
		signature: leverSignature(key, token, triggeredAt),
		data: {
			opportunityId,
			candidateId: opportunityId,
			contactId: contactId ?? `contact-${opportunityId}`,
			toStageId,
			fromStageId,
		},
	});
}

// One connection pool for the deliveries, like a webhook sender that keeps
// connections open; unbounded so that "N in flight" really means N requests.
const deliveryAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/**
 * POSTs a delivery body, resolves (never rejects) with
 * `{ status, error, sentAt, answeredAt, ms }`; status null when no answer.
 */
function postDelivery(url, bodyText, { timeoutMs = 60000 } = {}) {
	return new Promise((resolve) => {
		const sentAt = Date.now();
		let settled = false;
		const finish = (status, error) => {
			if (settled) return;
			settled = true;
			const answeredAt = Date.now();
			resolve({ status, error, sentAt, answeredAt, ms: answeredAt - sentAt });
		};
		const req = http.request(
			url,
			{
				method: 'POST',
				agent: deliveryAgent,
				headers: {
					'User-Agent': 'Lever-Webhooks',
					'Content-Type': 'application/json',
					'Content-Length': Buffer.byteLength(bodyText),
				},
				timeout: timeoutMs,
			},
			(res) => {
				res.resume();
				res.on('end', () => finish(res.statusCode, null));
				res.on('error', (err) => finish(res.statusCode, err.message));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (err) => finish(null, err.message));
		req.end(bodyText);
	});
}

const is2xx = (status) => typeof status === 'number' && status >= 200 && status < 300;

// ---------------------------------------------------------------------------
// Pass-through proxy in front of the Lever sandbox
// ---------------------------------------------------------------------------

/**
 * HTTP proxy on 127.0.0.1 that forwards everything to `targetOrigin`. Two jobs:
 *  - `setDelay(ms)`: each /v1 request reaches Lever `ms` later, i.e. Lever answers
 *    after ~ms (the sandbox has no latency option);
 *  - it reads `POST /v1/opportunities/:id/addTags` bodies and calls
 *    `onAddTags(opportunityId, tags)` before forwarding, so the benchmark knows
 *    which tag a call adds (the sandbox's log line does not say).
 */
/**
 * Sends `req` on to `upstream` and pipes the answer back to `res` (502 when the
 * upstream cannot be reached). Returns the outgoing request: end it with the
 * body, or pipe the incoming request into it.
 */
function forwardRequest(upstream, req, res) {
	const forward = http.request(
		{
			host: upstream.hostname,
			port: upstream.port,
			method: req.method,
			path: req.url,
			headers: req.headers,
		},
		(answer) => {
			res.writeHead(answer.statusCode, answer.headers);
			answer.pipe(res);
		},
	);
	forward.on('error', (error) => {
		if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ code: 'BadGateway', message: error.message }));
	});
	return forward;
}

async function startLeverProxy(targetOrigin, { onAddTags = () => {} } = {}) {
	const upstream = new URL(targetOrigin);
	let delayMs = 0;
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const body = Buffer.concat(chunks);
			const m = /^\/v1\/opportunities\/([^/?]+)\/addTags(?:\?|$)/.exec(req.url);
			if (m && req.method === 'POST') {
				try {
					onAddTags(decodeURIComponent(m[1]), JSON.parse(body.toString('utf8')).tags || []);
				} catch {
					/* not JSON: the sandbox will refuse it */
				}
			}
			if (delayMs > 0 && req.url.startsWith('/v1/')) await sleep(delayMs);
			forwardRequest(upstream, req, res).end(body);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const origin = `http://127.0.0.1:${server.address().port}`;
	return {
		url: `${origin}/v1`,
		origin,
		setDelay: (ms) => {
			delayMs = ms;
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
}

// ---------------------------------------------------------------------------
// Counting API calls from the sandboxes' log lines (their in-memory request
// logs keep only the last 500/1000 entries).
// ---------------------------------------------------------------------------

/** "METHOD /path/pattern" with ids replaced by placeholders. */
function endpointOf(method, rawPath) {
	const p = rawPath
		.split('?')[0]
		.replace(/\/opportunities\/[^/]+/, '/opportunities/:id')
		.replace(/\/orders\/[^/]+/, '/orders/:id')
		.replace(/\/webhooks\/[^/]+/, '/webhooks/:id')
		.replace(/\/postings\/[^/]+/, '/postings/:id')
		.replace(/\/notes\/[^/]+/, '/notes/:id');
	return `${method} ${p}`;
}

/** Calls per endpoint and per status, for the current bucket (a phase, or 'setup'). */
class CallCounter {
	constructor() {
		this.buckets = new Map();
		this.current = 'setup';
	}

	bucket(name = this.current) {
		if (!this.buckets.has(name)) {
			this.buckets.set(name, { total: 0, byEndpoint: new Map(), byStatus: new Map() });
		}
		return this.buckets.get(name);
	}

	count(method, rawPath, status) {
		const b = this.bucket();
		b.total++;
		const key = endpointOf(method, rawPath);
		b.byEndpoint.set(key, (b.byEndpoint.get(key) || 0) + 1);
		b.byStatus.set(status, (b.byStatus.get(status) || 0) + 1);
	}
}

/**
 * Log callback for the Lever sandbox: counts /v1 calls, and reports each
 * answered POST …/addTags (2xx) to `onAddTagsAnswered(opportunityId, at)`. The
 * sandbox calls it right after answering, so `at` is the answer time.
 */
function leverLogReader(counter, onAddTagsAnswered = () => {}) {
	return (line) => {
		const m = /^\[lever-sandbox\] (\d{3}) ([A-Z]+) (\/v1\/\S*) /.exec(line);
		if (!m) return;
		const status = Number(m[1]);
		counter.count(m[2], m[3], status);
		const tag = /^\/v1\/opportunities\/([^/?]+)\/addTags(?:\?|$)/.exec(m[3]);
		if (tag && m[2] === 'POST' && is2xx(status))
			onAddTagsAnswered(decodeURIComponent(tag[1]), Date.now());
	};
}

function proformaLogReader(counter) {
	return (line) => {
		const m = /^\[proforma-sandbox\] ([A-Z]+) (\/v1\S*) (\d{3})/.exec(line);
		if (m) counter.count(m[1], m[2], Number(m[3]));
	};
}

// ---------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------

const BUSY_STATUSES = ['new', 'running', 'waiting'];

/** Executions of the workflow not finished yet (three filtered listings). */
async function busyExecutions(n8n, workflowId) {
	let busy = 0;
	for (const status of BUSY_STATUSES)
		busy += (await n8n.listExecutions({ workflowId, status })).length;
	return busy;
}

/**
 * Waits (bounded by `deadline`) until `pending()` is 0 and the workflow has no
 * unfinished execution, twice in a row 500 ms apart (an answered webhook may
 * not have its execution saved yet). Returns the last busy count.
 */
async function waitIdle(n8n, workflowId, { deadline, pending = () => 0 }) {
	let quiet = 0;
	let busy = 0;
	while (Date.now() < deadline) {
		busy = pending() + (await busyExecutions(n8n, workflowId));
		quiet = busy === 0 ? quiet + 1 : 0;
		if (quiet >= 2) return 0;
		await sleep(500);
	}
	return busy;
}

/** A random webhook path for n8n's Webhook node (also used as its webhookId). */
const newWebhookPath = () => crypto.randomUUID();

/** n8n's built-in Webhook (POST, On Received) → No Operation. */
function webhookNoOpWorkflow(name) {
	const hookPath = newWebhookPath();
	return {
		name,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: hookPath,
				parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} },
			},
			{
				id: crypto.randomUUID(),
				name: 'No Operation',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { Webhook: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Creates and publishes a workflow; returns its id and the production URL of its trigger. */
async function publishWithWebhook(n8n, workflow) {
	const workflowId = await n8n.createWorkflow(workflow);
	const published = await n8n.publishWorkflow(workflowId);
	const hooks = await n8n.webhooksOf(published);
	if (hooks.length !== 1)
		throw new Error(`expected one webhook in "${workflow.name}", found ${hooks.length}`);
	return { workflowId, url: hooks[0].url };
}

module.exports = {
	say,
	sleep,
	envInt,
	percentile,
	stats,
	sec,
	fixed,
	ratio,
	table,
	mapLine,
	loadavg,
	BenchTimeout,
	createHarness,
	tempFolder,
	until,
	leverSignature,
	stageChangeBody,
	postDelivery,
	is2xx,
	startLeverProxy,
	forwardRequest,
	endpointOf,
	CallCounter,
	leverLogReader,
	proformaLogReader,
	busyExecutions,
	waitIdle,
	newWebhookPath,
	webhookNoOpWorkflow,
	publishWithWebhook,
};
