'use strict';
const { runCommand } = require('../../../scripts/lib/run');
/**
 * Throwaway Postgres and Redis for the queue-mode e2e suite (Debian packages:
 * `apt-get install -y postgresql redis-server`). Both listen on free 127.0.0.1
 * ports, keep their data in a temp folder, and are stopped by `stop()`.
 *
 *   const pg = await startPostgres({ root, log });    // { host, port, database, user, password, stop() }
 *   const redis = await startRedis({ root, log });    // { host, port, stop() }
 *
 * Postgres refuses to run as root: when this process is root, initdb/pg_ctl run as
 * the `postgres` user (runuser) in a folder owned by it. Every wait is bounded and
 * fails with the tail of the server's log.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const { freePort, tailFile } = require('../../../scripts/lib/n8n-instance');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Newest /usr/lib/postgresql/<ver>/bin holding initdb, or a clear error. */
function postgresBin() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs
				.readdirSync(base)
				.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) {
		throw new Error('Postgres is not installed: run `apt-get update && apt-get install -y postgresql redis-server` (as root).');
	}
	return path.join(base, versions[0], 'bin');
}

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs a command (as `postgres` when we are root); resolves with stdout, rejects with its output. */
function runAs(cmd, args, { timeoutMs = 60000, asPostgres = isRoot() } = {}) {
	const runuser = fs.existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : 'runuser';
	const [file, argv] = asPostgres ? [runuser, ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
	return runCommand(file, argv, { cwd: os.tmpdir(), timeoutMs, label: `${path.basename(cmd)} ${args.join(' ')}` });
}

/**
 * initdb + pg_ctl start on a free port, trust auth on 127.0.0.1, database `n8n`.
 * The data folder is `<os tmp>/n8n-queue-pg-XXXX` (owned by postgres when root).
 */
async function startPostgres({ log = () => {}, timeoutMs = 60000 } = {}) {
	const bin = postgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	if (isRoot()) execFileSync('chown', ['postgres:postgres', dir]);
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	const port = await freePort();
	const user = 'n8n';
	const database = 'n8n';
	let started = false;

	async function stop() {
		if (started) {
			try {
				await runAs(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '20', 'stop'], { timeoutMs: 30000 });
			} catch (error) {
				log(`pg_ctl stop failed (${error.message.split('\n')[0]}); killing the postmaster`);
				try {
					const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
					if (pid) process.kill(pid, 'SIGKILL');
				} catch {
					/* already gone */
				}
			}
			started = false;
		}
		fs.rmSync(dir, { recursive: true, force: true });
	}

	try {
		log(`Postgres: initdb in ${dataDir}…`);
		await runAs(path.join(bin, 'initdb'), ['-D', dataDir, '--username', user, '--auth', 'trust', '--encoding', 'UTF8', '--no-sync']);
		const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
		started = true; // from here on, stop() must try pg_ctl stop
		await runAs(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', String(Math.round(timeoutMs / 1000)), 'start'], {
			timeoutMs: timeoutMs + 5000,
		});
		await runAs(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database]);
		log(`Postgres on 127.0.0.1:${port} (database ${database})`);
	} catch (error) {
		const tail = tailFile(logFile, 20);
		await stop().catch(() => undefined);
		throw new Error(`Postgres did not start: ${error.message}${tail ? `\n--- postgres.log ---\n${tail}` : ''}`);
	}
	// Trust auth: the password is not checked, but n8n wants one.
	return { host: '127.0.0.1', port, database, user, password: 'n8n', dir, logFile, stop };
}

/** Answers true once `PING` gets `+PONG` from 127.0.0.1:port. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let data = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (c) => {
			data += c;
			if (data.includes('\r\n')) done(data.startsWith('+PONG'));
		});
	});
}

/** redis-server on a free port, no persistence, in its own process group. */
async function startRedis({ root, log = () => {}, timeoutMs = 30000 } = {}) {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(root || os.tmpdir(), 'redis-'));
	const logFile = path.join(dir, 'redis.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ detached: true, stdio: ['ignore', out, out], cwd: dir },
	);
	fs.closeSync(out);
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve((exited = { code, signal })));
		child.on('error', (error) => resolve((exited = { error })));
	});

	async function stop() {
		if (exited) return;
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			return;
		}
		let timer;
		const timedOut = await Promise.race([
			exitPromise.then(() => false),
			new Promise((resolve) => (timer = setTimeout(() => resolve(true), 5000))),
		]).finally(() => clearTimeout(timer));
		if (timedOut) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
	}

	const deadline = Date.now() + timeoutMs;
	while (!(await redisPing(port))) {
		if (exited || Date.now() > deadline) {
			await stop();
			const why = exited
				? exited.error
					? `${exited.error.message} (is redis-server installed? apt-get install -y redis-server)`
					: `it exited (code ${exited.code})`
				: `no PONG after ${timeoutMs} ms`;
			throw new Error(`Redis did not start: ${why}\n--- redis.log ---\n${tailFile(logFile, 20)}`);
		}
		await sleep(100);
	}
	log(`Redis on 127.0.0.1:${port} (pid ${child.pid})`);
	return { host: '127.0.0.1', port, pid: child.pid, logFile, stop };
}

module.exports = { startPostgres, startRedis };
