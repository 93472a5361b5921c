/**
 * A multi-options value as a list of ids. It arrives as an array from the
 * editor, or as one string from an expression ("a, b" or "a b"): splitting
 * that string keeps the filter an exact match per id, never a substring test.
 * Only for ids and event names, which never contain spaces (tags do: see
 * Lever's `toStringList`).
 */
export function toIdList(value: unknown): string[] {
	const entries = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[\s,]+/)
			: [];
	return entries.map((entry) => String(entry ?? '').trim()).filter((entry) => entry !== '');
}
