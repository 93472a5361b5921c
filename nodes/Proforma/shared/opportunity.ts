import type { IDataObject } from 'n8n-workflow';

import type { ProformaPackage } from './transport';
import { asPlainObject } from '../../shared/objects';

/**
 * Pure helpers that turn a Lever opportunity (as the Lever Trigger outputs
 * it, with applications and contact expanded) into a Proforma order. Every
 * "problem" text is written for a recruiter: what is wrong and what to fix.
 */

export interface CandidateFields {
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	phone: string | null;
	location: string | null;
}

function nonEmptyString(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed ? trimmed : null;
}

/**
 * Accepts the opportunity object itself, Lever's `{data: {...}}` envelope, or
 * a JSON string of either. Undefined when there is no opportunity with an id.
 */
export function normaliseOpportunity(value: unknown): IDataObject | undefined {
	let candidate: unknown = value;
	if (typeof candidate === 'string') {
		const text = candidate.trim();
		if (!text) return undefined;
		try {
			candidate = JSON.parse(text);
		} catch {
			return undefined;
		}
	}
	let opportunity = asPlainObject(candidate);
	if (opportunity && !opportunity.id && asPlainObject(opportunity.data)?.id)
		opportunity = asPlainObject(opportunity.data);
	if (!opportunity || nonEmptyString(opportunity.id) === null) return undefined;
	return opportunity;
}

/** Lowercase, runs of spaces and underscores equal: "Standard Plus" = "standard_plus". */
export function normalisePackageName(value: string): string {
	return value
		.trim()
		.toLowerCase()
		.replace(/[\s_]+/g, ' ');
}

export type TagLookup =
	| { kind: 'none' }
	| { kind: 'several'; tags: string[] }
	| { kind: 'one'; tag: string; packageName: string };

/**
 * Finds the Proforma package tag(s): tags starting with `prefix`
 * (case-insensitive). Tags naming the same package (ignoring case, spaces and
 * underscores) count once.
 */
export function findPackageTag(tags: unknown, prefix: string): TagLookup {
	const list = Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
	const lowerPrefix = prefix.toLowerCase();
	const byPackage = new Map<string, string>();
	for (const tag of list) {
		const trimmed = tag.trim();
		if (!trimmed.toLowerCase().startsWith(lowerPrefix)) continue;
		const name = trimmed.slice(prefix.length).trim();
		if (!name) continue;
		const key = normalisePackageName(name);
		if (!byPackage.has(key)) byPackage.set(key, trimmed);
	}
	if (byPackage.size === 0) return { kind: 'none' };
	if (byPackage.size > 1) return { kind: 'several', tags: [...byPackage.values()] };
	const tag = [...byPackage.values()][0];
	return { kind: 'one', tag, packageName: tag.slice(prefix.length).trim() };
}

/** By `code` exactly, else by `name` case-insensitively with spaces and underscores equal. */
export function resolvePackage(
	packageName: string,
	packages: ProformaPackage[],
): ProformaPackage | undefined {
	const exact = packages.find((p) => p.code === packageName);
	if (exact) return exact;
	const wanted = normalisePackageName(packageName);
	return (
		packages.find((p) => typeof p.name === 'string' && normalisePackageName(p.name) === wanted) ??
		// Also accept the code written with other case or spaces ("Proforma_Standard" for code "standard").
		packages.find((p) => typeof p.code === 'string' && normalisePackageName(p.code) === wanted)
	);
}

/** Name suffixes kept with the last name ("Lovelace, Jr." style). */
const SUFFIXES = /^(jr|sr|ii|iii|iv|v|phd|md|esq)\.?$/i;

/** Lowercase particles that belong to the last name ("Ludwig van Beethoven"). */
const PARTICLES = new Set([
	'van',
	'von',
	'de',
	'der',
	'den',
	'del',
	'della',
	'da',
	'di',
	'du',
	'la',
	'le',
	'ter',
	'ten',
	'bin',
	'al',
]);

export type NameSplit =
	| { ok: true; firstName: string; lastName: string }
	| { ok: false; problem: string };

/**
 * Splits Lever's single `name` into first and last name:
 * "Ada Lovelace" -> Ada / Lovelace; "Ada King Lovelace" -> "Ada King" / Lovelace;
 * "Lovelace, Ada" -> Ada / Lovelace; "Ludwig van Beethoven" -> Ludwig / "van Beethoven";
 * "Ada Lovelace, Jr." -> Ada / "Lovelace Jr.". A single word is a problem: a
 * legal background check needs both names.
 */
export function splitName(value: unknown): NameSplit {
	const name = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
	if (!name) {
		return {
			ok: false,
			problem:
				'This candidate has no name in Lever. Proforma needs the first and last name for a legal background check: add the full name to the candidate profile in Lever.',
		};
	}
	const singleWord = () => ({
		ok: false as const,
		problem: `The candidate name "${name}" is a single word. Proforma needs the first and last name for a legal background check: edit the candidate's name in Lever to their full legal name.`,
	});

	let words: string[];
	let suffix = '';
	const commaParts = name
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	if (commaParts.length >= 2 && commaParts.slice(1).every((p) => SUFFIXES.test(p))) {
		// "Ada Lovelace, Jr."
		words = commaParts[0].split(' ');
		suffix = commaParts.slice(1).join(' ');
	} else if (commaParts.length >= 2) {
		// "Lovelace, Ada" (last name first)
		const last = commaParts[0];
		const first = commaParts.slice(1).join(' ');
		return { ok: true, firstName: first, lastName: last };
	} else {
		words = (commaParts[0] ?? '').split(' ');
	}
	if (words.length > 1 && SUFFIXES.test(words[words.length - 1])) {
		suffix = [words.pop(), suffix].filter(Boolean).join(' ');
	}
	if (words.length < 2) return singleWord();
	let start = words.length - 1;
	while (start > 1 && PARTICLES.has(words[start - 1])) start--;
	const firstName = words.slice(0, start).join(' ');
	const lastName = [words.slice(start).join(' '), suffix].filter(Boolean).join(' ');
	return { ok: true, firstName, lastName };
}

/** First email of the opportunity, else of the expanded contact. */
export function firstEmail(opportunity: IDataObject): string | null {
	const contact = asPlainObject(opportunity.contact);
	for (const list of [opportunity.emails, contact?.emails]) {
		if (!Array.isArray(list)) continue;
		for (const entry of list) {
			const email = nonEmptyString(entry) ?? nonEmptyString(asPlainObject(entry)?.value);
			if (email) return email;
		}
	}
	return null;
}

/** First phone value of the opportunity, else of the expanded contact. */
export function firstPhone(opportunity: IDataObject): string | null {
	const contact = asPlainObject(opportunity.contact);
	for (const list of [opportunity.phones, contact?.phones]) {
		if (!Array.isArray(list)) continue;
		for (const entry of list) {
			const phone = nonEmptyString(entry) ?? nonEmptyString(asPlainObject(entry)?.value);
			if (phone) return phone;
		}
	}
	return null;
}

/** `location` of the opportunity (a string), else the contact's `location.name`. */
export function candidateLocation(opportunity: IDataObject): string | null {
	const direct =
		nonEmptyString(opportunity.location) ??
		nonEmptyString(asPlainObject(opportunity.location)?.name);
	if (direct) return direct;
	const contact = asPlainObject(opportunity.contact);
	return (
		nonEmptyString(asPlainObject(contact?.location)?.name) ?? nonEmptyString(contact?.location)
	);
}

/** Posting id from `applications[0].posting` (an id or an expanded posting object). */
export function postingId(opportunity: IDataObject): string | null {
	const applications = Array.isArray(opportunity.applications) ? opportunity.applications : [];
	const application = asPlainObject(applications[0]);
	if (!application) return null;
	const posting = application.posting;
	return nonEmptyString(posting) ?? nonEmptyString(asPlainObject(posting)?.id);
}

/** The Lever flow's Idempotency-Key. */
export function leverIdempotencyKey(reference: string, packageCode: string): string {
	return `lever-${reference}-${packageCode}`;
}

/**
 * The client reference of a re-screen: Proforma takes one order per reference
 * and package, completed ones included, so a re-screen after a completed order
 * uses the first order's reference followed by `-after-<completed order id>`.
 */
export function rescreenReference(reference: string, completedOrderId: string): string {
	return `${reference}-after-${completedOrderId}`;
}
