#!/usr/bin/env node
'use strict';
/**
 * Micro-benchmark of webhook signature verification, on the compiled helpers
 * the triggers run (needs `npm run build` first; nothing is built here).
 *
 *   node benchmarks/signature.js            # 2 s per case
 *   BENCH_CASE_MS=500 node benchmarks/signature.js
 *
 * Cases, each with a ~1 KB and a ~100 KB body:
 *  - Lever envelope, valid / forged: what the Lever Trigger does before anything
 *    else: `readEnvelope()` (size check + JSON.parse of the raw body, since Lever's
 *    signature is a body field) then `verifyLeverSignature()` (HMAC-SHA256 of
 *    token + triggeredAt, constant-time compare).
 *  - Proforma signature, valid / forged: what the Proforma Trigger does before it
 *    reads the body: parse the `Proforma-Signature` header, HMAC-SHA256 over
 *    `<t>.<raw body>`, constant-time compare, timestamp window (300 s).
 *
 * Prints ops/s and µs/op per case. Every case is bounded in time (BENCH_CASE_MS,
 * default 2000, max 10000) and in count (5 million calls).
 */
const crypto = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');

const DIST = path.resolve(__dirname, '..', 'dist', 'nodes');
if (!fs.existsSync(path.join(DIST, 'LeverTrigger', 'helpers', 'envelope.js'))) {
	process.stderr.write('dist/ is missing: run `npm run build` first.\n');
	process.exit(2);
}
const { readEnvelope, verifyLeverSignature } = require(path.join(DIST, 'LeverTrigger', 'helpers', 'envelope.js'));
const { hmacSha256Hex, safeEqualHex, isWithinAge } = require(path.join(DIST, 'shared', 'webhookSignature.js'));
const { parseSignatureHeader, signedPayload } = require(path.join(DIST, 'Proforma', 'shared', 'callbacks.js'));

const CASE_MS = Math.min(10000, Math.max(100, Number(process.env.BENCH_CASE_MS) || 2000));
const WARMUP_MS = Math.min(300, CASE_MS / 4);
const MAX_CALLS = 5_000_000;
const BATCH = 64;

// Placeholders built at runtime (not real secrets).
const leverSigningToken = crypto.randomBytes(24).toString('hex');
const proformaSigningSecret = `bench-signing-${crypto.randomBytes(8).toString('hex')}`;

/** A JSON body of about `bytes` bytes: the realistic fields plus padding in `data`. */
function leverBody(bytes, { forged }) {
	const token = crypto.randomBytes(24).toString('hex');
	const triggeredAt = Date.now();
	const signature = forged
		? crypto.randomBytes(32).toString('hex')
		: hmacSha256Hex(leverSigningToken, token + String(triggeredAt));
	const envelope = {
		id: crypto.randomUUID(),
		event: 'candidateStageChange',
		triggeredAt,
		token,
		signature,
		data: {
			opportunityId: 'opp-ada',
			candidateId: 'opp-ada',
			contactId: 'contact-ada',
			toStageId: 'stage-background-screening',
			fromStageId: 'stage-onsite-interview',
			padding: '',
		},
	};
	const base = Buffer.byteLength(JSON.stringify(envelope));
	envelope.data.padding = 'x'.repeat(Math.max(0, bytes - base));
	return Buffer.from(JSON.stringify(envelope), 'utf8');
}

function proformaBody(bytes) {
	const event = {
		id: 'evt_01JBENCH',
		type: 'order.completed',
		createdAt: new Date().toISOString(),
		data: { order: { id: 'ord_01JBENCH', status: 'completed', result: 'clear', clientReference: 'opp-ada', notes: '' } },
	};
	const base = Buffer.byteLength(JSON.stringify(event));
	event.data.order.notes = 'x'.repeat(Math.max(0, bytes - base));
	return Buffer.from(JSON.stringify(event), 'utf8');
}

function proformaHeader(rawBody, { forged }) {
	const t = Math.floor(Date.now() / 1000);
	const v1 = forged ? crypto.randomBytes(32).toString('hex') : hmacSha256Hex(proformaSigningSecret, signedPayload(t, rawBody));
	return `t=${t},v1=${v1}`;
}

/** The Lever Trigger's first step (LeverTrigger.node.ts): parse the envelope, verify. */
function verifyLever(rawBody, secrets) {
	const read = readEnvelope(undefined, rawBody);
	if (!read.ok) return false;
	return verifyLeverSignature(read.envelope, secrets);
}

/** The Proforma Trigger's first step (ProformaTrigger.node.ts), before the body is read. */
function verifyProforma(headerValue, rawBody, secret) {
	const header = parseSignatureHeader(headerValue);
	if (!header) return false;
	const expected = hmacSha256Hex(secret, signedPayload(header.timestamp, rawBody));
	let matched = false;
	for (const signature of header.signatures) {
		if (safeEqualHex(expected, signature)) matched = true;
	}
	return matched && isWithinAge(header.timestamp * 1000, 300);
}

let sink = 0;

/** Runs fn in batches until `ms` elapse or MAX_CALLS; returns { ops, ns }. */
function timeLoop(fn, ms) {
	const limit = BigInt(Math.round(ms * 1e6));
	const start = process.hrtime.bigint();
	let calls = 0;
	let elapsed = 0n;
	while (calls < MAX_CALLS) {
		for (let i = 0; i < BATCH; i++) if (fn()) sink++;
		calls += BATCH;
		elapsed = process.hrtime.bigint() - start;
		if (elapsed >= limit) break;
	}
	return { ops: calls, ns: Number(elapsed) };
}

function runCase({ name, size, fn, expect }) {
	const got = fn();
	if (got !== expect) {
		throw new Error(`${name} (${size}): expected ${expect} from one call, got ${got}. The benchmark input is wrong or the verifier changed.`);
	}
	timeLoop(fn, WARMUP_MS);
	const { ops, ns } = timeLoop(fn, CASE_MS);
	return { name, size, result: expect ? 'accepted' : 'rejected', opsPerSec: ops / (ns / 1e9), usPerOp: ns / ops / 1000, ops };
}

function pad(value, width, right = false) {
	const s = String(value);
	return right ? s.padStart(width) : s.padEnd(width);
}

function main() {
	const sizes = [
		['1 KB', 1024],
		['100 KB', 100 * 1024],
	];
	const cases = [];
	for (const [label, bytes] of sizes) {
		const validLever = leverBody(bytes, { forged: false });
		const forgedLever = leverBody(bytes, { forged: true });
		const secrets = [leverSigningToken];
		cases.push({ name: 'Lever envelope, valid', size: label, bytes: validLever.length, fn: () => verifyLever(validLever, secrets), expect: true });
		cases.push({ name: 'Lever envelope, forged', size: label, bytes: forgedLever.length, fn: () => verifyLever(forgedLever, secrets), expect: false });
		const body = proformaBody(bytes);
		const validHeader = proformaHeader(body, { forged: false });
		const forgedHeader = proformaHeader(body, { forged: true });
		cases.push({ name: 'Proforma signature, valid', size: label, bytes: body.length, fn: () => verifyProforma(validHeader, body, proformaSigningSecret), expect: true });
		cases.push({ name: 'Proforma signature, forged', size: label, bytes: body.length, fn: () => verifyProforma(forgedHeader, body, proformaSigningSecret), expect: false });
	}

	const cpu = os.cpus()[0];
	process.stdout.write(
		`Signature verification benchmark — ${new Date().toISOString()}\n` +
			`Node ${process.version}, ${os.cpus().length} cores (${cpu ? cpu.model.trim() : 'unknown CPU'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n` +
			`${CASE_MS} ms per case after ${WARMUP_MS} ms warm-up, single thread\n\n`,
	);
	const header = `${pad('case', 28)} ${pad('body', 8)} ${pad('bytes', 7, true)} ${pad('ops/s', 11, true)} ${pad('µs/op', 9, true)}  result`;
	process.stdout.write(`${header}\n${'-'.repeat(header.length + 2)}\n`);
	for (const c of cases) {
		const r = runCase(c);
		process.stdout.write(
			`${pad(r.name, 28)} ${pad(r.size, 8)} ${pad(c.bytes, 7, true)} ${pad(Math.round(r.opsPerSec).toLocaleString('en-US'), 11, true)} ${pad(r.usPerOp.toFixed(2), 9, true)}  ${r.result}\n`,
		);
	}
	process.stdout.write(`\n(sink ${sink > 0 ? 'ok' : 'empty'}; one verification per op; figures are per core)\n`);
}

try {
	main();
} catch (error) {
	process.stderr.write(`signature benchmark failed: ${error.message}\n`);
	process.exit(1);
}
