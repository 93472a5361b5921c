'use strict';
/**
 * Runs a command to completion, the one way the tooling does it (npm, tar,
 * Postgres's tools): output collected, an optional time bound (the child is
 * killed), an optional heartbeat so a long install never looks hung, and an
 * error that ends with the output's tail.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

/**
 * Resolves with stdout; rejects with `<label> failed (exit N)` or `timed out`,
 * plus the last 4,000 characters of its output.
 * options: { cwd, env, timeoutMs (none by default), label, heartbeat: (seconds) => void }
 */
function runCommand(cmd, args, { cwd, env = process.env, timeoutMs, label, heartbeat } = {}) {
	const name = label || `${path.basename(cmd)} ${args.join(' ')}`;
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let tail = '';
		const keep = (chunk) => (tail = (tail + chunk.toString()).slice(-4000));
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			keep(chunk);
		});
		child.stderr.on('data', keep);
		const beat = heartbeat
			? setInterval(() => heartbeat(Math.round((Date.now() - started) / 1000)), 15000)
			: undefined;
		const timer =
			timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						child.kill('SIGKILL');
						finish(
							new Error(
								`${name} timed out after ${timeoutMs} ms${cwd ? ` (in ${cwd})` : ''}:\n${tail}`,
							),
						);
					}, timeoutMs);
		let done = false;
		function finish(error, value) {
			if (done) return;
			done = true;
			clearInterval(beat);
			clearTimeout(timer);
			if (error) reject(error);
			else resolve(value);
		}
		child.on('error', (error) => finish(error));
		child.on('close', (code) => {
			if (code === 0) finish(null, stdout);
			else finish(new Error(`${name} failed (exit ${code})${cwd ? ` in ${cwd}` : ''}:\n${tail}`));
		});
	});
}

module.exports = { runCommand };
