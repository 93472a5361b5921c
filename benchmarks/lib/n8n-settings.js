'use strict';
/**
 * The n8n settings every n8n of a benchmark run gets: the ones the README recommends for
 * this package (docs/scaling.md, "n8n settings"), the same for the comparator, the floor
 * and the template, so a ratio compares workflows and not configurations.
 *
 * BENCH_N8N_ENV overrides them: `BENCH_N8N_ENV=defaults` runs n8n with its own defaults,
 * `BENCH_N8N_ENV="N8N_A=1 N8N_B=2"` with exactly those settings.
 */
const path = require('node:path');

const { RECOMMENDED_SETTINGS: RECOMMENDED } = require('../../scripts/lib/n8n-instance');

/** @returns {{ settings: Record<string, string>, label: string }} */
function benchN8nSettings(raw = process.env.BENCH_N8N_ENV) {
	if (raw === undefined || raw.trim() === '') {
		return { settings: { ...RECOMMENDED }, label: `recommended (${describe(RECOMMENDED)})` };
	}
	if (raw.trim() === 'defaults') return { settings: {}, label: "n8n's defaults" };
	const settings = {};
	for (const pair of raw.trim().split(/\s+/)) {
		const at = pair.indexOf('=');
		if (at < 1) {
			throw new Error(
				`BENCH_N8N_ENV: "${pair}" is not NAME=value; use "N8N_A=1 N8N_B=2" or "defaults".`,
			);
		}
		settings[pair.slice(0, at)] = pair.slice(at + 1);
	}
	return { settings, label: describe(settings) };
}

/**
 * The environment of one benchmark n8n: `settings` plus, with BENCH_CPU_PROF=<folder>,
 * a V8 CPU profile of the process written into <folder>/<sub> when it stops.
 */
function n8nEnv(settings, sub = '') {
	const folder = process.env.BENCH_CPU_PROF;
	if (!folder) return { ...settings };
	return { ...settings, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(folder, sub)}` };
}

function describe(settings) {
	return Object.entries(settings)
		.map(([name, value]) => `${name}=${value}`)
		.join(' ');
}

module.exports = { benchN8nSettings, n8nEnv };
