/**
 * JSON helpers both sandboxes share. Plain CommonJS, no dependencies.
 */
'use strict';

/**
 * A deep copy through JSON: what a client would get, so that nothing handed
 * out (state snapshots, answers) aliases the sandbox's live records.
 * @template T
 * @param {T} value
 * @returns {T}
 */
function clone(value) {
	return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

module.exports = { clone };
