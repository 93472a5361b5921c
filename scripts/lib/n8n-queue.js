'use strict';
/**
 * Runs n8n 2.x in queue mode for the queue-mode e2e suite and bench:scale: a main
 * process, one or more workers (`n8n worker --concurrency=5`) and one webhook
 * processor (`n8n webhook`), sharing a Postgres database, a Redis queue and the
 * encryption key.
 *
 *   const { startN8nQueue } = require('./scripts/lib/n8n-queue');
 *   const q = await startN8nQueue({ root, packageTarball, postgres, redis, workers: 2, log });
 *   q.main        // client of n8n-instance.js (public API, REST) on the main process
 *   q.client      // the same, but webhook URLs point at the webhook processor
 *   q.workers     // [worker, worker-2, …]: each has pid, logFile, stop(), kill(), start(), restart()
 *   q.webhook     // the webhook processor, with the same methods
 *   q.info        // JSON-serialisable: { main, webhookBaseUrl, logs: { main, worker, …, webhook }, pids }
 *   await q.workers[0].kill(); await q.workers[0].start();   // a crashed worker back
 *   await q.stop();
 *
 * - main: startN8n() from n8n-instance.js with the queue env and
 *   N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true (it serves the UI/API, activates
 *   triggers and runs the schedules, but no production webhooks); WEBHOOK_URL
 *   points at the webhook processor, so the Lever Trigger registers that URL.
 * - workers and webhook processor: spawned with the runtime's Node 24 in their own
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

/** Spawns `n8n <command>` in its own process group, output appended to logFile. */
function spawnGroup({ name, command, args, userFolder, env, runtime, logFile }) {
	const out = fs.openSync(logFile, 'a');
	fs.writeSync(out, `\n===== n8n ${command} ${new Date().toISOString()} =====\n`);
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, command, ...args], {
		cwd: userFolder,
		env: { ...env, N8N_USER_FOLDER: userFolder },
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const run = { name, child, exited: null };
	run.exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve((run.exited = { code, signal })));
		child.on('error', (error) => resolve((run.exited = { code: null, signal: null, error })));
	});
	// A crash of this process must not leave it running.
	run.onExit = () => killGroup(child.pid, 'SIGKILL');
	process.on('exit', run.onExit);
	return run;
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		/* gone */
	}
}

/** `promise`'s value, or `fallback` after ms. */
async function within(promise, ms, fallback) {
	let timer;
	return Promise.race([
		promise,
		new Promise((resolve) => (timer = setTimeout(() => resolve(fallback), ms))),
	]).finally(() => clearTimeout(timer));
}

/** SIGTERM (SIGKILL after graceMs, or at once with `signal: 'SIGKILL'`), then sweeps the group (task runner). */
async function stopGroup(run, { graceMs = 15000, signal = 'SIGTERM', log }) {
	if (!run.exited) {
		log(
			`${signal === 'SIGKILL' ? 'Killing' : 'Stopping'} the n8n ${run.name} (pid ${run.child.pid})…`,
		);
		killGroup(run.child.pid, signal);
		const timedOut = await within(
			run.exitPromise.then(() => false),
			graceMs,
			true,
		);
		if (timedOut) log(`The n8n ${run.name} did not stop within ${graceMs} ms: SIGKILL`);
	}
	run.onExit(); // SIGKILL sweeps what is left of the group
	process.removeListener('exit', run.onExit);
	await within(run.exitPromise, 5000, null);
	return run.exited;
}

/** Waits until readyUrl answers 200; on exit or timeout stops the process and throws with the log's tail. */
async function waitReady(run, { readyUrl, startTimeoutMs, logFile, log }) {
	const deadline = Date.now() + startTimeoutMs;
	let last = 'no answer yet';
	while (!run.exited && Date.now() <= deadline) {
		const status = await statusOf(readyUrl);
		if (status === 200) return;
		last = status === null ? 'no answer' : `HTTP ${status}`;
		await sleep(500);
	}
	const exited = run.exited;
	await stopGroup(run, { graceMs: 5000, log });
	const why = exited
		? `the process exited (code ${exited.code}, signal ${exited.signal})`
		: `not ready after ${startTimeoutMs} ms (last: ${last})`;
	const err = new Error(
		`The n8n ${run.name} did not start: ${why}\n--- last lines of ${logFile} ---\n${tailFile(logFile, 40)}\n--- end ---`,
	);
	err.logFile = logFile;
	throw err;
}

/**
 * One `n8n <command>` process (worker or webhook processor) that can be started,
 * stopped, killed and started again with the same settings, ports and user folder
 * (a copy of `nodesDir`, the installed community packages). `pid` is the current run's.
 */
function n8nProcess(spec) {
	const { name, userFolder, nodesDir, log } = spec;
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	fs.cpSync(nodesDir, path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
	const logFile = path.join(userFolder, `n8n-${name}.log`);
	let run = null;
	let stopping = null;
	const handle = {
		name,
		logFile,
		get pid() {
			return run ? run.child.pid : null;
		},
		exited: () => (run ? run.exited : null),
		/** Starts it (again) and waits until it is ready. */
		async start() {
			if (run && !run.exited)
				throw new Error(`The n8n ${name} is already running (pid ${run.child.pid})`);
			log(`Starting the n8n ${name} (log ${logFile})…`);
			stopping = null;
			run = spawnGroup({ ...spec, args: spec.args || [], logFile });
			await waitReady(run, { ...spec, logFile });
			log(`n8n ${name} is up (pid ${run.child.pid}).`);
			return handle;
		},
		/** SIGTERM, SIGKILL after graceMs; resolves with how it exited. */
		stop({ graceMs = 15000 } = {}) {
			if (!run) return Promise.resolve(null);
			stopping = stopping || stopGroup(run, { graceMs, log });
			return stopping;
		},
		/** SIGKILL to the whole group at once, as a crash or the OOM killer would. */
		kill() {
			if (!run) return Promise.resolve(null);
			stopping = stopping || stopGroup(run, { graceMs: 5000, signal: 'SIGKILL', log });
			return stopping;
		},
		async restart() {
			await handle.stop();
			return handle.start();
		},
	};
	return handle;
}

/**
 * A client of the main process whose webhook URLs point at the webhook processor:
 * `baseUrl` (used by prepareTemplate for the trigger URLs) and `webhookUrl()` are
 * the processor's, and `publishWorkflow` probes the processor for the webhooks.
 */
function webhookProcessorClient(main, webhookBaseUrl) {
	const toProcessor = (url) =>
		url.startsWith(main.baseUrl) ? webhookBaseUrl + url.slice(main.baseUrl.length) : url;
	return {
		...main,
		baseUrl: webhookBaseUrl,
		mainBaseUrl: main.baseUrl,
		webhookUrl: (webhookId, webhookPath) => toProcessor(main.webhookUrl(webhookId, webhookPath)),
		webhooksOf: async (workflow) =>
			(await main.webhooksOf(workflow)).map((h) => ({ ...h, url: toProcessor(h.url) })),
		async publishWorkflow(id, { timeoutMs = 30000, webhooks } = {}) {
			const published = await main.api('POST', `/workflows/${id}/publish`);
			const workflow =
				published && published.nodes ? published : await main.api('GET', `/workflows/${id}`);
			const hooks = webhooks
				? webhooks.map((h) =>
						typeof h === 'string' ? toProcessor(h) : { ...h, url: toProcessor(h.url) },
					)
				: (await main.webhooksOf(workflow)).map((h) => ({ ...h, url: toProcessor(h.url) }));
			await main.waitForWebhooks(hooks, { timeoutMs });
			return workflow;
		},
	};
}

/** Settings of worker number i (0-based): its own user folder, health and task-runner ports. */
function workerSpec(i, { root, concurrency, env, ports }) {
	const [healthPort, brokerPort] = ports;
	return {
		name: i === 0 ? 'worker' : `worker-${i + 1}`,
		command: 'worker',
		args: [`--concurrency=${concurrency}`],
		userFolder: path.join(root, i === 0 ? 'worker' : `worker-${i + 1}`),
		readyUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
		env: {
			...env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		},
	};
}

/** Settings of the webhook processor: its user folder, its port (the one Lever knows) and task-runner port. */
function webhookSpec({ root, env, webhookPort, brokerPort }) {
	return {
		name: 'webhook',
		command: 'webhook',
		userFolder: path.join(root, 'webhook'),
		readyUrl: `http://127.0.0.1:${webhookPort}/healthz/readiness`,
		env: { ...env, N8N_PORT: String(webhookPort), N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
	};
}

function checkQueueOptions({ root, postgres, redis, workers, concurrency }) {
	if (!root || !postgres || !redis)
		throw new Error('startN8nQueue: root, postgres and redis are required');
	if (!Number.isInteger(workers) || workers < 1 || workers > 8) {
		throw new Error(`startN8nQueue: workers must be an integer from 1 to 8 (got ${workers})`);
	}
	if (!Number.isInteger(concurrency) || concurrency < 1) {
		throw new Error(`startN8nQueue: concurrency must be a positive integer (got ${concurrency})`);
	}
}

/**
 * Starts main, the workers and the webhook processor. Options:
 *  - root (required): folder for the user folders (main/, worker/, worker-2/…, webhook/).
 *  - packageTarball: npm tarball installed as a community package (by startN8n, copied to the others).
 *  - postgres: { host, port, database, user, password }; redis: { host, port }.
 *  - workers: how many `n8n worker` processes (default 1); concurrency: each one's (default 5).
 *  - env: extra environment for every process (main included).
 *  - log, startTimeoutMs (default 180 s per process).
 * Resolves with { main, client, worker, workers, webhook, info, stop }: `worker` is
 * workers[0]; each worker and the webhook processor has stop(), kill() (SIGKILL),
 * start() and restart() (same ports and folders). On failure, stops what started.
 */
async function startN8nQueue(options) {
	const {
		root,
		packageTarball,
		postgres,
		redis,
		workers: workerCount = 1,
		concurrency = 5,
		env: extraEnv = {},
	} = options;
	const { log = () => {}, startTimeoutMs = 180000 } = options;
	checkQueueOptions({ root, postgres, redis, workers: workerCount, concurrency });
	const runtime = await ensureRuntime({ log });
	const [webhookPort, webhookBrokerPort, ...workerPorts] = await freePorts(2 + 2 * workerCount);
	const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
	const started = { main: null, workers: [], webhook: null };

	async function stop() {
		// Receivers first, then the workers (they may still finish a job), then main.
		for (const handle of [started.webhook, ...started.workers, started.main]) {
			if (!handle) continue;
			try {
				await handle.stop();
			} catch (error) {
				log(`while stopping the n8n ${handle.name || 'main'}: ${error.message}`);
			}
		}
		Object.assign(started, { main: null, workers: [], webhook: null });
	}

	try {
		const mainFolder = path.join(root, 'main');
		started.main = await startN8n({
			userFolder: mainFolder,
			port: 0,
			packageTarball,
			log,
			startTimeoutMs,
			env: {
				...queueEnv({ postgres, redis, webhookBaseUrl }),
				N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
				...extraEnv,
			},
		});
		// The key startN8n generated (and gave main): every process must use the same one.
		const { encryptionKey } = JSON.parse(
			fs.readFileSync(path.join(mainFolder, STATE_FILE), 'utf8'),
		);
		const env = {
			...baseN8nEnv(runtime),
			...queueEnv({ postgres, redis, encryptionKey, webhookBaseUrl }),
			...extraEnv,
		};
		const common = {
			nodesDir: path.join(mainFolder, '.n8n', 'nodes'),
			runtime,
			log,
			startTimeoutMs,
		};
		for (let i = 0; i < workerCount; i++) {
			const ports = workerPorts.slice(2 * i, 2 * i + 2);
			const worker = n8nProcess({ ...common, ...workerSpec(i, { root, concurrency, env, ports }) });
			started.workers.push(worker);
			await worker.start();
		}
		started.webhook = n8nProcess({
			...common,
			...webhookSpec({ root, env, webhookPort, brokerPort: webhookBrokerPort }),
		});
		await started.webhook.start();
	} catch (error) {
		await stop();
		throw error;
	}
	return queueHandle(started, webhookBaseUrl, stop);
}

/** What startN8nQueue resolves with. `info` is a JSON-serialisable snapshot (pids at start). */
function queueHandle({ main, workers, webhook }, webhookBaseUrl, stop) {
	const all = [...workers, webhook];
	const info = {
		main: main.info,
		webhookBaseUrl,
		logs: { main: main.logFile, ...Object.fromEntries(all.map((p) => [p.name, p.logFile])) },
		pids: { main: main.pid, ...Object.fromEntries(all.map((p) => [p.name, p.pid])) },
	};
	return {
		main,
		client: webhookProcessorClient(main, webhookBaseUrl),
		worker: workers[0],
		workers,
		webhook,
		info,
		stop,
	};
}

module.exports = { startN8nQueue, webhookProcessorClient };
