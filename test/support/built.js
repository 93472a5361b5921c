'use strict';
/**
 * The package as built (dist/), for tests that must exercise what ships.
 * Plain JS: the node lint's cloud rules forbid fs/path in .ts files.
 */
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist', 'nodes');

/** The exported class `name` of dist/nodes/<file>; a clear error when the build is missing. */
function loadBuiltNode(file, name) {
	const full = path.join(DIST, file);
	if (!fs.existsSync(full))
		throw new Error(`${full} is missing: run "npm run build" first (npm test does)`);
	return require(full)[name];
}

/** Bytes in a file now (0 when absent), and its text from an offset: to read what a run added to a log. */
function fileSize(file) {
	return fs.existsSync(file) ? fs.statSync(file).size : 0;
}
function readFrom(file, offset) {
	return fs.existsSync(file) ? fs.readFileSync(file).subarray(offset).toString('utf8') : '';
}

module.exports = { loadBuiltNode, fileSize, readFrom };
