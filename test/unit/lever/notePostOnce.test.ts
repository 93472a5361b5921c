import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';

import { BASE, BASIC_AUTH, runLever, runLeverError } from './helpers';

const REPORT =
	'Proforma background check completed. Report: https://proforma.example/r/1 (Proforma order ord_1)';

function leverNote(id: string, value: string, createdAt: number) {
	return {
		id,
		text: 'Note',
		fields: [{ type: 'note', text: 'Note', value, createdAt }],
		secret: true,
		createdAt,
	};
}

function params(value = REPORT) {
	return {
		resource: 'note',
		operation: 'create',
		opportunityId: 'opp-1',
		value,
		secret: true,
		additionalFields: { onceKey: 'ord_1' },
	};
}

/** The note list Lever answers with (one page). */
function listsNotes(lever: nock.Scope, notes: object[]) {
	lever
		.get('/opportunities/opp-1/notes')
		.query({ limit: '100' })
		.reply(200, { data: notes, hasNext: false });
}

/** The template's setting: post first, then keep the earliest copy. */
function withoutLooking() {
	const base = params();
	return { ...base, additionalFields: { ...base.additionalFields, lookBeforePosting: false } };
}

describe('Lever note: Post Once Per Key', () => {
	beforeEach(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());

	it('posts the note when no note carries the key, and keeps it when it is the only one', async () => {
		const lever = nock(BASE, { reqheaders: { authorization: BASIC_AUTH } });
		listsNotes(lever, [leverNote('n-0', 'Phone screen went well', 1)]);
		lever
			.post('/opportunities/opp-1/notes', { value: REPORT, secret: true })
			.reply(201, { data: { noteId: 'n-1' } });
		listsNotes(lever, [leverNote('n-0', 'Phone screen went well', 1), leverNote('n-1', REPORT, 5)]);

		const { output } = await runLever(params());

		expect(output).toEqual([
			{ json: { success: true, opportunityId: 'opp-1', noteId: 'n-1' }, pairedItem: { item: 0 } },
		]);
		expect(lever.isDone()).toBe(true);
	});

	it('does not post again when a note with the key exists (redelivered callback, backstop after callback)', async () => {
		const lever = nock(BASE);
		listsNotes(lever, [leverNote('n-1', REPORT, 5)]);

		const { output } = await runLever(params());

		expect(output[0].json).toEqual({
			success: true,
			opportunityId: 'opp-1',
			noteId: 'n-1',
			alreadyPosted: true,
		});
		expect(lever.isDone()).toBe(true);
	});

	it('Look Before Posting off: posts, then reads once (two calls), and keeps its note when alone', async () => {
		const lever = nock(BASE);
		lever
			.post('/opportunities/opp-1/notes', { value: REPORT, secret: true })
			.reply(201, { data: { noteId: 'n-1' } });
		listsNotes(lever, [leverNote('n-1', REPORT, 5)]);

		const { output } = await runLever(withoutLooking());

		expect(output[0].json).toEqual({ success: true, opportunityId: 'opp-1', noteId: 'n-1' });
		expect(lever.isDone()).toBe(true);
	});

	it('Look Before Posting off: a repeat posts, finds the earlier note and deletes its own copy', async () => {
		const lever = nock(BASE);
		lever
			.post('/opportunities/opp-1/notes', { value: REPORT, secret: true })
			.reply(201, { data: { noteId: 'n-2' } });
		listsNotes(lever, [leverNote('n-1', REPORT, 5), leverNote('n-2', REPORT, 9)]);
		lever.delete('/opportunities/opp-1/notes/n-2').reply(204);

		const { output } = await runLever(withoutLooking());

		expect(output[0].json).toEqual({
			success: true,
			opportunityId: 'opp-1',
			noteId: 'n-1',
			alreadyPosted: true,
		});
		expect(lever.isDone()).toBe(true);
	});

	it('deletes its own copy when a concurrent run posted the same note earlier', async () => {
		const lever = nock(BASE);
		listsNotes(lever, []);
		lever.post('/opportunities/opp-1/notes').reply(201, { data: { noteId: 'n-late' } });
		listsNotes(lever, [leverNote('n-late', REPORT, 9), leverNote('n-early', REPORT, 7)]);
		lever.delete('/opportunities/opp-1/notes/n-late').reply(204);

		const { output } = await runLever(params());

		expect(output[0].json).toEqual({
			success: true,
			opportunityId: 'opp-1',
			noteId: 'n-early',
			alreadyPosted: true,
		});
		expect(lever.isDone()).toBe(true);
	});

	it('keeps its note when it is the earliest of two concurrent copies (ties broken by id)', async () => {
		const lever = nock(BASE);
		listsNotes(lever, []);
		lever.post('/opportunities/opp-1/notes').reply(201, { data: { noteId: 'n-a' } });
		listsNotes(lever, [leverNote('n-b', REPORT, 7), leverNote('n-a', REPORT, 7)]);
		// The other run deletes its copy too: whichever comes second gets a 404.
		lever.delete('/opportunities/opp-1/notes/n-b').reply(404, {
			code: 'ResourceNotFound',
			message: 'Note not found',
		});

		const { output } = await runLever(params());

		expect(output[0].json).toEqual({ success: true, opportunityId: 'opp-1', noteId: 'n-a' });
		expect(lever.isDone()).toBe(true);
	});

	it('also deletes a copy left by an earlier run that died before its clean-up', async () => {
		const lever = nock(BASE);
		lever.post('/opportunities/opp-1/notes').reply(201, { data: { noteId: 'n-3' } });
		listsNotes(lever, [
			leverNote('n-3', REPORT, 9),
			leverNote('n-2', REPORT, 7),
			leverNote('n-0', 'Phone screen went well', 1),
			leverNote('n-1', REPORT, 5),
		]);
		lever.delete('/opportunities/opp-1/notes/n-2').reply(204);
		lever.delete('/opportunities/opp-1/notes/n-3').reply(204);

		const { output } = await runLever(withoutLooking());

		expect(output[0].json).toMatchObject({ noteId: 'n-1', alreadyPosted: true });
		expect(lever.isDone()).toBe(true);
	});

	it('fails on a clean-up answer other than 404, naming the call', async () => {
		const lever = nock(BASE);
		lever.post('/opportunities/opp-1/notes').reply(201, { data: { noteId: 'n-2' } });
		listsNotes(lever, [leverNote('n-1', REPORT, 5), leverNote('n-2', REPORT, 9)]);
		lever.delete('/opportunities/opp-1/notes/n-2').reply(403, {
			code: 'Forbidden',
			message: 'No access',
		});

		const { error } = await runLeverError(withoutLooking());

		expect(error.message).toBe(
			'Lever DELETE /opportunities/opp-1/notes/n-2 failed with 403 Forbidden: No access',
		);
		expect(lever.isDone()).toBe(true);
	});

	it('refuses a key that the note text does not contain, before any request', async () => {
		const { error, requests } = await runLeverError(params('Report ready, no order id here'));
		expect(error.message).toBe('The note does not contain its Post Once Per Key "ord_1"');
		expect(requests).toHaveLength(0);
	});
});
