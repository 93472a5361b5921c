'use strict';
/**
 * Peak memory of processes and their children (an n8n and its task runner, the
 * postmaster and its backends), sampled from /proc (Linux only); and the CPU
 * time of a process group (groupCpuSeconds).
 *
 *   const rss = startRssSampler(() => [{ label: 'n8n main', pid }, …], { intervalMs: 1000 });
 *   …
 *   rss.stop();  rss.peaks  // Map label → { rssKb, anonKb, processes } at the highest Σ VmRSS
 *
 * Σ VmRSS counts memory shared between the processes once per process (Postgres's
 * shared buffers in every backend); Σ RssAnon is each process's own memory.
 * `targets()` is called at every sample, so a restarted process is followed by its new pid.
 */
const fs = require('node:fs');

/** The pid folder of every process now, or none where /proc cannot be read. */
function procEntries() {
	try {
		return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
	} catch {
		return [];
	}
}

/** pid → { ppid, rssKb, anonKb } of every process now. */
function processTable() {
	const table = new Map();
	for (const name of procEntries()) {
		try {
			const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
			const field = (key) =>
				Number((new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status) || [])[1] || 0);
			table.set(Number(name), {
				ppid: field('PPid'),
				rssKb: field('VmRSS'),
				anonKb: field('RssAnon'),
			});
		} catch {
			/* gone meanwhile */
		}
	}
	return table;
}

/** The pid and all its descendants, summed. */
function treeUsage(table, pid) {
	const children = new Map();
	for (const [p, info] of table) {
		if (!children.has(info.ppid)) children.set(info.ppid, []);
		children.get(info.ppid).push(p);
	}
	const usage = { rssKb: 0, anonKb: 0, processes: 0 };
	const stack = table.has(pid) ? [pid] : [];
	while (stack.length && usage.processes < 10000) {
		const p = stack.pop();
		const info = table.get(p);
		usage.rssKb += info.rssKb;
		usage.anonKb += info.anonKb;
		usage.processes++;
		stack.push(...(children.get(p) || []));
	}
	return usage;
}

function startRssSampler(targets, { intervalMs = 1000 } = {}) {
	const peaks = new Map();
	const sample = () => {
		const table = processTable();
		for (const { label, pid } of targets()) {
			if (!pid) continue;
			const usage = treeUsage(table, pid);
			const peak = peaks.get(label);
			if (!peak || usage.rssKb > peak.rssKb) peaks.set(label, usage);
		}
	};
	sample();
	const timer = setInterval(sample, intervalMs);
	timer.unref();
	return {
		peaks,
		stop() {
			clearInterval(timer);
			sample();
		},
	};
}

/** The postmaster's pid from its data folder, or null. */
function postmasterPid(dataDir) {
	try {
		return Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]) || null;
	} catch {
		return null;
	}
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by every live process of a process
 * group: an n8n started detached and the task runner it spawned.
 */
function groupCpuSeconds(pgid) {
	let ticks = 0;
	for (const name of procEntries()) {
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			// The fields after the command name, which may itself hold spaces and parentheses.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			/* gone meanwhile */
		}
	}
	return ticks / TICKS_PER_SECOND;
}

module.exports = { startRssSampler, postmasterPid, groupCpuSeconds };
