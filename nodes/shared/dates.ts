import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Dates typed into n8n's date picker arrive as wall-clock times without a
 * zone ("2024-05-01T09:00:00"): they mean the workflow's time zone, not the
 * server's (which is what Date.parse would use). Strings with a zone ("Z",
 * "+02:00") are absolute and parsed as they are.
 */
const WALL_CLOCK =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** How far `timeZone` is ahead of UTC at the instant `utcMs`, in ms. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return wall - Math.floor(utcMs / 1000) * 1000;
}

function isValidZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/**
 * Milliseconds since the epoch for a date string; a string without a zone is
 * read in `timeZone` (an IANA name such as "Europe/Paris"; UTC when absent or
 * unknown). NaN when the text is not a date.
 */
export function parseDateInZone(text: string, timeZone?: string): number {
	const value = text.trim();
	const match = WALL_CLOCK.exec(value);
	if (!match) return Date.parse(value);
	const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = match;
	const wall = Date.UTC(
		Number(y),
		Number(mo) - 1,
		Number(d),
		Number(h),
		Number(mi),
		Number(s),
		Number(frac.padEnd(3, '0')),
	);
	// Date.UTC rolls 2024-13-45 over into 2025: refuse what does not round-trip.
	const back = new Date(wall);
	if (
		back.getUTCMonth() !== Number(mo) - 1 ||
		back.getUTCDate() !== Number(d) ||
		back.getUTCHours() !== Number(h) ||
		back.getUTCMinutes() !== Number(mi) ||
		back.getUTCSeconds() !== Number(s)
	) {
		return Number.NaN;
	}
	if (!timeZone || !isValidZone(timeZone)) return wall;
	// The offset at the wall time read as UTC is a first guess; a second pass
	// settles times next to a daylight-saving change.
	const guess = wall - zoneOffsetMs(wall, timeZone);
	return wall - zoneOffsetMs(guess, timeZone);
}

/**
 * A date parameter of item `itemIndex` (ISO string, Date, Luxon DateTime or
 * epoch milliseconds) as epoch milliseconds; a string without a zone is read
 * in the workflow's time zone. One reader for both action nodes: Lever wants
 * milliseconds, Proforma ISO-8601 (`new Date(ms).toISOString()`).
 */
export function readDateParameter(
	ctx: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): number {
	let ms = Number.NaN;
	if (typeof value === 'number') ms = value;
	else if (value instanceof Date) ms = value.getTime();
	else if (typeof value === 'string' && /^\d+$/.test(value.trim())) ms = Number(value.trim());
	else if (typeof value === 'string') ms = parseDateInZone(value, ctx.getTimezone());
	else if (value && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis: () => number }).toMillis();
	}
	if (!Number.isFinite(ms)) {
		throw new NodeOperationError(ctx.getNode(), `${label} "${String(value)}" is not a date`, {
			itemIndex,
			description:
				"Use a date such as 2024-05-01T00:00:00 (read in the workflow's time zone), 2024-05-01T00:00:00Z, or epoch milliseconds.",
		});
	}
	return Math.round(ms);
}
