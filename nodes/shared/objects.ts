import type { IDataObject } from 'n8n-workflow';

/**
 * Whether `key` is an own property of `object` (Object.hasOwn, which the
 * package's ES2019 target does not have). Used wherever a key comes from
 * outside, so "constructor" or "__proto__" never reach Object.prototype.
 */
export function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

/** A JSON object (not null, not an array): what n8n calls IDataObject. */
export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a JSON object, else undefined. */
export function asPlainObject(value: unknown): IDataObject | undefined {
	return isPlainObject(value) ? value : undefined;
}
