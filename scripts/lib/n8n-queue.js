'use strict';
/**
 * Runs n8n 2.x in queue mode for the queue-mode e2e suite: a main process, one
 * worker (`n8n worker --concurrency=5`) and one webhook processor (`n8n webhook`),
 * sharing a Postgres database, a Redis queue and the encryption key.
 *
 *   const { startN8nQueue } = require('./scripts/lib/n8n-queue');
 *   const q = await startN8nQueue({ root, packageTarball, postgres, redis, log });
 *   q.main        // client of n8n-instance.js (public API, REST) on the main process
 *   q.client      // the same, but webhook URLs point at the webhook processor
 *   q.info        // JSON-serialisable: { main, webhookBaseUrl, logs: { main, worker, webhook } }
 *   await q.stop();
 *
 * - main: startN8n() from n8n-instance.js with the queue env and
 *   N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true (it serves the UI/API, activates
 *   triggers and runs the schedules, but no production webhooks); WEBHOOK_URL
 *   points at the webhook processor, so the Lever Trigger registers that URL.
 * - worker and webhook processor: spawned with the runtime's Node 24 in their own
 *   process groups, each with its own user folder (n8n keeps a crash journal per
 *   folder) holding a copy of main's installed community package, its own log,
 *   its own task-runner broker port; the worker's health server on a free port.
 * Every wait is bounded; a failed start stops whatever was started and shows the
 * tail of the failing process's log.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { ensureRuntime } = require('../n8n-runtime');
const { baseN8nEnv, startN8n, freePort, tailFile, STATE_FILE } = require('./n8n-instance');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Distinct free ports on 127.0.0.1. */
async function freePorts(count) {
	const ports = new Set();
	while (ports.size < count) ports.add(await freePort());
	return [...ports];
}

/** Queue-mode settings every process shares. */
function queueEnv({ postgres, redis, encryptionKey, webhookBaseUrl }) {
	const env = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		WEBHOOK_URL: `${webhookBaseUrl}/`,
	};
	if (encryptionKey) env.N8N_ENCRYPTION_KEY = encryptionKey;
	return env;
}

/** GET url; resolves with the status, or null when nothing answers. */
async function statusOf(url) {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
		await res.arrayBuffer();
		return res.status;
	} catch {
		return null;
	}
}

/**
 * Spawns `n8n <command>` in its own process group with its own user folder (a copy
 * of `nodesDir`, the installed community packages) and waits for readyUrl to answer 200.
 */
async function spawnN8nProcess({ name, command, args = [], userFolder, nodesDir, env, runtime, readyUrl, log, startTimeoutMs }) {
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	fs.cpSync(nodesDir, path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
	const logFile = path.join(userFolder, `n8n-${name}.log`);
	const out = fs.openSync(logFile, 'a');
	fs.writeSync(out, `\n===== n8n ${command} ${new Date().toISOString()} =====\n`);
	log(`Starting the n8n ${name} (log ${logFile})…`);
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, command, ...args], {
		cwd: userFolder,
		env: { ...env, N8N_USER_FOLDER: userFolder },
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve((exited = { code, signal })));
		child.on('error', (error) => resolve((exited = { code: null, signal: null, error })));
	});
	// A crash of the jest process must not leave it running.
	const onExit = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	};
	process.on('exit', onExit);

	let stopping = null;
	function stop({ graceMs = 15000 } = {}) {
		if (stopping) return stopping;
		stopping = (async () => {
			if (!exited) {
				log(`Stopping the n8n ${name} (pid ${child.pid})…`);
				try {
					process.kill(-child.pid, 'SIGTERM');
				} catch {
					/* gone */
				}
				let timer;
				const timedOut = await Promise.race([
					exitPromise.then(() => false),
					new Promise((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
				]).finally(() => clearTimeout(timer));
				if (timedOut) log(`The n8n ${name} did not stop within ${graceMs} ms: SIGKILL`);
			}
			onExit(); // sweep the group (task runner)
			process.removeListener('exit', onExit);
			return exited;
		})();
		return stopping;
	}

	const deadline = Date.now() + startTimeoutMs;
	let last = 'no answer yet';
	for (;;) {
		if (exited || Date.now() > deadline) {
			await stop({ graceMs: 5000 });
			const why = exited ? `the process exited (code ${exited.code}, signal ${exited.signal})` : `not ready after ${startTimeoutMs} ms (last: ${last})`;
			const err = new Error(`The n8n ${name} did not start: ${why}\n--- last lines of ${logFile} ---\n${tailFile(logFile, 40)}\n--- end ---`);
			err.logFile = logFile;
			throw err;
		}
		const status = await statusOf(readyUrl);
		if (status === 200) break;
		last = status === null ? 'no answer' : `HTTP ${status}`;
		await sleep(500);
	}
	log(`n8n ${name} is up (pid ${child.pid}).`);
	return { name, pid: child.pid, logFile, stop, exited: () => exited };
}

/**
 * A client of the main process whose webhook URLs point at the webhook processor:
 * `baseUrl` (used by prepareTemplate for the trigger URLs) and `webhookUrl()` are
 * the processor's, and `publishWorkflow` probes the processor for the webhooks.
 */
function webhookProcessorClient(main, webhookBaseUrl) {
	const toProcessor = (url) => (url.startsWith(main.baseUrl) ? webhookBaseUrl + url.slice(main.baseUrl.length) : url);
	return {
		...main,
		baseUrl: webhookBaseUrl,
		mainBaseUrl: main.baseUrl,
		webhookUrl: (webhookId, webhookPath) => toProcessor(main.webhookUrl(webhookId, webhookPath)),
		webhooksOf: async (workflow) => (await main.webhooksOf(workflow)).map((h) => ({ ...h, url: toProcessor(h.url) })),
		async publishWorkflow(id, { timeoutMs = 30000, webhooks } = {}) {
			const published = await main.api('POST', `/workflows/${id}/publish`);
			const workflow = published && published.nodes ? published : await main.api('GET', `/workflows/${id}`);
			const hooks = webhooks
				? webhooks.map((h) => (typeof h === 'string' ? toProcessor(h) : { ...h, url: toProcessor(h.url) }))
				: (await main.webhooksOf(workflow)).map((h) => ({ ...h, url: toProcessor(h.url) }));
			await main.waitForWebhooks(hooks, { timeoutMs });
			return workflow;
		},
	};
}

/**
 * Starts main, worker and webhook processor. Options:
 *  - root (required): folder for the three user folders (main/, worker/, webhook/).
 *  - packageTarball: npm tarball installed as a community package (by startN8n, copied to the others).
 *  - postgres: { host, port, database, user, password }; redis: { host, port }.
 *  - concurrency: worker concurrency (default 5).
 *  - log, startTimeoutMs (default 180 s per process).
 * Resolves with { main, client, worker, webhook, info, stop }. On failure, stops what started.
 */
async function startN8nQueue(options) {
	const { root, packageTarball, postgres, redis, concurrency = 5, log = () => {}, startTimeoutMs = 180000 } = options;
	if (!root || !postgres || !redis) throw new Error('startN8nQueue: root, postgres and redis are required');
	const runtime = await ensureRuntime({ log });
	const [webhookPort, workerHealthPort, workerBrokerPort, webhookBrokerPort] = await freePorts(4);
	const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
	const started = { main: null, worker: null, webhook: null };

	async function stop() {
		// Receivers first, then the worker (it may still finish a job), then main.
		for (const key of ['webhook', 'worker', 'main']) {
			const handle = started[key];
			if (!handle) continue;
			try {
				await handle.stop();
			} catch (error) {
				log(`while stopping the n8n ${key}: ${error.message}`);
			}
			started[key] = null;
		}
	}

	try {
		const mainFolder = path.join(root, 'main');
		started.main = await startN8n({
			userFolder: mainFolder,
			port: 0,
			packageTarball,
			log,
			startTimeoutMs,
			env: { ...queueEnv({ postgres, redis, webhookBaseUrl }), N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		// The key startN8n generated (and gave main): every process must use the same one.
		const { encryptionKey } = JSON.parse(fs.readFileSync(path.join(mainFolder, STATE_FILE), 'utf8'));
		const env = { ...baseN8nEnv(runtime), ...queueEnv({ postgres, redis, encryptionKey, webhookBaseUrl }) };
		const nodesDir = path.join(mainFolder, '.n8n', 'nodes');

		started.worker = await spawnN8nProcess({
			name: 'worker',
			command: 'worker',
			args: [`--concurrency=${concurrency}`],
			userFolder: path.join(root, 'worker'),
			nodesDir,
			runtime,
			log,
			startTimeoutMs,
			readyUrl: `http://127.0.0.1:${workerHealthPort}/healthz/readiness`,
			env: {
				...env,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(workerHealthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(workerBrokerPort),
			},
		});
		started.webhook = await spawnN8nProcess({
			name: 'webhook',
			command: 'webhook',
			userFolder: path.join(root, 'webhook'),
			nodesDir,
			runtime,
			log,
			startTimeoutMs,
			readyUrl: `${webhookBaseUrl}/healthz/readiness`,
			env: { ...env, N8N_PORT: String(webhookPort), N8N_RUNNERS_BROKER_PORT: String(webhookBrokerPort) },
		});
	} catch (error) {
		await stop();
		throw error;
	}

	const info = {
		main: started.main.info,
		webhookBaseUrl,
		logs: { main: started.main.logFile, worker: started.worker.logFile, webhook: started.webhook.logFile },
		pids: { main: started.main.pid, worker: started.worker.pid, webhook: started.webhook.pid },
	};
	return {
		main: started.main,
		client: webhookProcessorClient(started.main, webhookBaseUrl),
		worker: started.worker,
		webhook: started.webhook,
		info,
		stop,
	};
}

module.exports = { startN8nQueue, webhookProcessorClient };
