import { describe, expect, it } from '@jest/globals';

import { parseDateInZone } from '../../../nodes/shared/dates';

/** Dates from n8n's date picker carry no zone: they mean the workflow's time zone. */
describe('parseDateInZone', () => {
	it('reads a wall-clock time in the given zone', () => {
		expect(parseDateInZone('2024-05-01T09:00:00', 'Europe/Paris')).toBe(
			Date.UTC(2024, 4, 1, 7, 0, 0),
		);
		expect(parseDateInZone('2024-01-15T09:00:00', 'Europe/Paris')).toBe(
			Date.UTC(2024, 0, 15, 8, 0, 0),
		);
		expect(parseDateInZone('2024-05-01T09:00:00', 'America/New_York')).toBe(
			Date.UTC(2024, 4, 1, 13, 0, 0),
		);
		expect(parseDateInZone('2024-05-01T09:30:15.250', 'Asia/Kolkata')).toBe(
			Date.UTC(2024, 4, 1, 4, 0, 15, 250),
		);
	});

	it('reads a date alone as midnight in the zone, and a space instead of T', () => {
		expect(parseDateInZone('2024-05-01', 'Europe/Paris')).toBe(Date.UTC(2024, 3, 30, 22, 0, 0));
		expect(parseDateInZone('2024-05-01 09:00', 'UTC')).toBe(Date.UTC(2024, 4, 1, 9, 0, 0));
	});

	it('settles times next to a daylight-saving change', () => {
		// Paris moved from +01:00 to +02:00 at 2024-03-31 02:00 local.
		expect(parseDateInZone('2024-03-31T01:30:00', 'Europe/Paris')).toBe(
			Date.UTC(2024, 2, 31, 0, 30, 0),
		);
		expect(parseDateInZone('2024-03-31T03:30:00', 'Europe/Paris')).toBe(
			Date.UTC(2024, 2, 31, 1, 30, 0),
		);
	});

	it('keeps a string that names its zone as it is, whatever the workflow zone', () => {
		expect(parseDateInZone('2024-05-01T09:00:00Z', 'Europe/Paris')).toBe(
			Date.UTC(2024, 4, 1, 9, 0, 0),
		);
		expect(parseDateInZone('2024-05-01T09:00:00+05:00', 'America/New_York')).toBe(
			Date.UTC(2024, 4, 1, 4, 0, 0),
		);
	});

	it('falls back to UTC without a zone or with an unknown one', () => {
		expect(parseDateInZone('2024-05-01T09:00:00')).toBe(Date.UTC(2024, 4, 1, 9, 0, 0));
		expect(parseDateInZone('2024-05-01T09:00:00', 'Mars/Olympus_Mons')).toBe(
			Date.UTC(2024, 4, 1, 9, 0, 0),
		);
	});

	it('is NaN for text that is not a date', () => {
		expect(parseDateInZone('yesterday', 'UTC')).toBeNaN();
		expect(parseDateInZone('2024-13-45T99:00:00', 'UTC')).toBeNaN();
		expect(parseDateInZone('2024-02-30', 'Europe/Paris')).toBeNaN();
	});
});
