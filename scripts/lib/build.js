'use strict';
/**
 * Is dist/ there and newer than the sources? Lets `npm run demo` skip the
 * TypeScript build on a second run (it takes longer than starting n8n), and
 * lets the end-to-end setup warn when it would test stale code.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

function newestMtime(dirs, pattern) {
	let newest = 0;
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (pattern.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
		}
	};
	for (const dir of dirs) if (fs.existsSync(dir)) walk(dir);
	return newest;
}

/** `{ missing: [paths of package.json's n8n entries not built], stale: sources newer than dist }` */
function buildState(root = ROOT) {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const expected = [...(pkg.n8n.nodes || []), ...(pkg.n8n.credentials || [])];
	const missing = expected.filter((file) => !fs.existsSync(path.join(root, file)));
	if (missing.length > 0) return { missing, stale: true };
	const newestSource = newestMtime(
		['nodes', 'credentials', 'icons'].map((d) => path.join(root, d)),
		/\.(ts|svg|json)$/,
	);
	const oldestBuilt = Math.min(...expected.map((file) => fs.statSync(path.join(root, file)).mtimeMs));
	return { missing, stale: newestSource > oldestBuilt };
}

/** Runs `npm run build` when dist/ is missing or older than the sources. */
function buildIfNeeded({ root = ROOT, log = () => {} } = {}) {
	const state = buildState(root);
	if (!state.stale) {
		log('dist/ is up to date: no build needed.');
		return false;
	}
	log('Building the package (npm run build)…');
	const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('`npm run build` failed: see its output above.');
	return true;
}

module.exports = { buildState, buildIfNeeded };
