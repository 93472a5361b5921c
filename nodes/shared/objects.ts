/**
 * Whether `key` is an own property of `object` (Object.hasOwn, which the
 * package's ES2019 target does not have). Used wherever a key comes from
 * outside, so "constructor" or "__proto__" never reach Object.prototype.
 */
export function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}
