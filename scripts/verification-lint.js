#!/usr/bin/env node
'use strict';
/**
 * The lint step of n8n's verification scanner (`@n8n/scan-community-package`),
 * reproduced here because the scanner itself only scans a version published
 * on npm with provenance (docs: ../shared/research/n8n.md §2.3):
 *   1. the source: package.json and {nodes,credentials}/**\/*.{ts,json} with the
 *      community `recommended` config and `no-console: error`;
 *   2. the packed tarball: its **\/*.js and package.json, the same way.
 * Passes with 0 errors (warnings are printed, as the scanner ignores them).
 *
 *   npm run build && node scripts/verification-lint.js
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'node_modules', '@n8n', 'node-cli', 'node_modules');
const { ESLint } = require('eslint');
const { n8nCommunityNodesPlugin } = require(path.join(CLI, '@n8n', 'eslint-plugin-community-nodes'));
const tseslint = require(path.join(CLI, 'typescript-eslint', 'dist', 'index.js'));

const nodesBase = require('eslint-plugin-n8n-nodes-base');

const recommended = n8nCommunityNodesPlugin.configs.recommended;

/**
 * What the scanner applies: community `recommended` and no console everywhere;
 * n8n-nodes-base's community rules on package.json, its credentials and nodes
 * rules on the source (with the rules node-cli also turns off).
 */
function scannerConfig() {
	return [
		{ ignores: ['**/node_modules/**'] },
		{ plugins: { 'n8n-nodes-base': nodesBase } },
		{ ...recommended, files: ['**/*.ts', '**/*.js'], rules: { ...recommended.rules, 'no-console': 'error' } },
		{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
		{
			...recommended,
			files: ['**/*.json'],
			rules: { ...recommended.rules, ...nodesBase.configs.community.rules },
			languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		},
		{
			files: ['credentials/**/*.ts'],
			rules: {
				...nodesBase.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['nodes/**/*.ts'],
			rules: {
				...nodesBase.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
	];
}

async function lint(cwd, patterns, label) {
	const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: scannerConfig(), errorOnUnmatchedPattern: false });
	const results = await eslint.lintFiles(patterns);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	const output = (await eslint.loadFormatter('stylish')).format(results);
	if (output.trim()) process.stdout.write(output);
	console.log(`${label}: ${results.length} files, ${errors} errors, ${warnings} warnings`);
	return errors;
}

/** npm pack into a temp folder and unpack it: the files n8n would install. */
function packedTree() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verification-lint-'));
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir, '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
	const tarball = path.join(dir, JSON.parse(out)[0].filename);
	execFileSync('tar', ['-xzf', tarball, '-C', dir]);
	return { dir, tree: path.join(dir, 'package') };
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		console.error('dist/ is missing: run `npm run build` first.');
		process.exit(2);
	}
	let errors = await lint(ROOT, ['package.json', 'nodes/**/*.ts', 'nodes/**/*.json', 'credentials/**/*.ts'], 'Source');
	const { dir, tree } = packedTree();
	try {
		errors += await lint(tree, ['package.json', '**/*.js'], 'Packed tarball');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	if (errors > 0) {
		console.error(`Verification lint failed: ${errors} error(s).`);
		process.exit(1);
	}
	console.log('Verification lint passed (0 errors).');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
