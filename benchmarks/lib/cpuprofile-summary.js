#!/usr/bin/env node
'use strict';
/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, e.g. BENCH_CPU_PROF of
 * order-path.js): self time by package and by function, to see where an n8n
 * process spends its CPU before optimising anything.
 *
 *   node benchmarks/lib/cpuprofile-summary.js <file-or-folder> [top=25]
 */
const fs = require('node:fs');
const path = require('node:path');

function files(target) {
	if (fs.statSync(target).isFile()) return [target];
	return fs
		.readdirSync(target)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => path.join(target, f));
}

/** node_modules/<pkg> (scoped too), our dist/, node: internals, or the program itself. */
function packageOf(url) {
	if (!url) return '(native / idle / gc)';
	if (url.startsWith('node:')) return 'node internals';
	const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)(?!.*node_modules)/);
	if (match) return match[1];
	return url
		.replace(/^file:\/\//, '')
		.split('/')
		.slice(-3)
		.join('/');
}

function summarise(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const ticks = new Map();
	for (const id of profile.samples) ticks.set(id, (ticks.get(id) || 0) + 1);
	const total = profile.samples.length || 1;
	const perPackage = new Map();
	const perFunction = new Map();
	for (const [id, count] of ticks) {
		const { functionName, url, lineNumber } = byId.get(id).callFrame;
		const pkg = packageOf(url);
		perPackage.set(pkg, (perPackage.get(pkg) || 0) + count);
		const key = `${functionName || '(anonymous)'}  ${pkg}:${lineNumber + 1}`;
		perFunction.set(key, (perFunction.get(key) || 0) + count);
	}
	const ms = (profile.endTime - profile.startTime) / 1000;
	return { file, total, ms, perPackage, perFunction };
}

function top(map, total, n) {
	return [...map]
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([key, count]) => `  ${((100 * count) / total).toFixed(1).padStart(5)} %  ${key}`)
		.join('\n');
}

const [target, topArg] = process.argv.slice(2);
if (!target) {
	process.stderr.write('usage: cpuprofile-summary.js <file-or-folder> [top]\n');
	process.exit(2);
}
const n = Number(topArg) || 25;
for (const file of files(target)) {
	const s = summarise(file);
	process.stdout.write(`\n${s.file}: ${(s.ms / 1000).toFixed(1)} s profiled, ${s.total} samples\n`);
	process.stdout.write(`By package (self time):\n${top(s.perPackage, s.total, 15)}\n`);
	process.stdout.write(`By function (self time):\n${top(s.perFunction, s.total, n)}\n`);
}
