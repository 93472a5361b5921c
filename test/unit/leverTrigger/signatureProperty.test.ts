import { describe, expect, it } from '@jest/globals';

import { verifyLeverSignature } from '../../../nodes/LeverTrigger/helpers/envelope';
import { mulberry32, runWebhook, signedEnvelope } from './fixtures';

/**
 * Property: every single-byte change to the signed parts of a delivery
 * (token, triggeredAt, signature) is refused, with 400 or 401 and no
 * execution, while the unchanged delivery is accepted.
 */
describe('Lever Trigger signature: single-byte mutations', () => {
	const text = JSON.stringify(signedEnvelope());
	const original = Buffer.from(text);

	/** Byte range [start, end) of a field's value inside the JSON text (quotes excluded). */
	function valueRange(field: string): [number, number] {
		const marker = `"${field}":`;
		const at = text.indexOf(marker) + marker.length;
		if (text[at] === '"') return [at + 1, text.indexOf('"', at + 1)];
		let end = at;
		while (/[0-9]/.test(text[end])) end++;
		return [at, end];
	}
	const ranges = {
		token: valueRange('token'),
		triggeredAt: valueRange('triggeredAt'),
		signature: valueRange('signature'),
	};

	it('finds the three signed fields in the fixture', () => {
		expect(ranges.token[1] - ranges.token[0]).toBe(48);
		expect(ranges.signature[1] - ranges.signature[0]).toBe(64);
		expect(text.slice(...ranges.triggeredAt)).toBe('1431454330072');
	});

	it('accepts the unmutated delivery', async () => {
		const run = await runWebhook({ body: JSON.parse(text), rawBody: original });
		expect(run.result.workflowData).toHaveLength(1);
	});

	it('refuses 3000 seeded single-byte mutations of token, triggeredAt and signature', async () => {
		const random = mulberry32(0x1e7e5);
		const fields = Object.keys(ranges) as Array<keyof typeof ranges>;
		const statuses: Record<string, number> = {};
		const perField: Record<string, number> = { token: 0, triggeredAt: 0, signature: 0 };
		for (let i = 0; i < 3000; i++) {
			const field = fields[Math.floor(random() * fields.length)];
			const [start, end] = ranges[field];
			const position = start + Math.floor(random() * (end - start));
			// A different byte (1..255 added modulo 256), so the body always changes.
			const replacement = (original[position] + 1 + Math.floor(random() * 255)) % 256;
			const mutated = Buffer.from(original);
			mutated[position] = replacement;
			let body: unknown;
			try {
				body = JSON.parse(mutated.toString('utf8'));
			} catch {
				body = {};
			}
			const run = await runWebhook({ body, rawBody: mutated });
			if (
				run.result.workflowData !== undefined ||
				![400, 401].includes(run.response.statusCode ?? 0)
			) {
				throw new Error(
					`Mutation ${i} of ${field} at byte ${position} to ${replacement} was accepted: ${mutated.toString('latin1')}`,
				);
			}
			expect(run.bodyReads()).toBe(0);
			statuses[String(run.response.statusCode)] =
				(statuses[String(run.response.statusCode)] ?? 0) + 1;
			perField[field]++;
		}
		// The mutations exercised both refusal paths and every field.
		expect(statuses['400']).toBeGreaterThan(100);
		expect(statuses['401']).toBeGreaterThan(100);
		for (const field of fields) expect(perField[field]).toBeGreaterThan(800);
	});

	it('never verifies a digit-for-digit change of the JSON number triggeredAt', () => {
		const envelope = signedEnvelope() as { token: string; triggeredAt: number; signature: string };
		const digits = String(envelope.triggeredAt);
		let checked = 0;
		for (let position = 0; position < digits.length; position++) {
			for (let digit = 0; digit <= 9; digit++) {
				const changed = digits.slice(0, position) + String(digit) + digits.slice(position + 1);
				if (changed === digits) continue;
				expect(
					verifyLeverSignature({ ...envelope, triggeredAt: Number(changed) }, [
						'test-signing-secret',
					]),
				).toBe(false);
				checked++;
			}
		}
		expect(checked).toBe(digits.length * 9);
		expect(verifyLeverSignature(envelope, ['test-signing-secret'])).toBe(true);
	});
});
