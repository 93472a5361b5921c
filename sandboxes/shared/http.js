/**
 * HTTP plumbing both sandboxes share: reading a request body under a size cap,
 * JSON answers, and starting and stopping a server.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('node:http').Server} Server */

/** @type {WeakMap<IncomingMessage, string>} */
const bodies = new WeakMap();

/**
 * Reads the whole request body as UTF-8. A second call for the same request
 * gets the same text: the Proforma sandbox reads every body before its fault
 * switches (so a delayed request is complete, like on a real server) and once
 * more when a route parses it.
 * @param {IncomingMessage} req
 * @param {{ maxBytes: number, tooLarge: () => Error }} limit the cap, and the
 *   error to reject with past it (each sandbox answers in its API's words)
 * @returns {Promise<string>}
 */
function readBody(req, { maxBytes, tooLarge }) {
	const cached = bodies.get(req);
	if (cached !== undefined) return Promise.resolve(cached);
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > maxBytes) {
				reject(tooLarge());
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			bodies.set(req, text);
			resolve(text);
		});
		req.on('error', reject);
	});
}

/**
 * @typedef {object} JsonStyle
 * @property {number} [indent] spaces per level; none = compact
 * @property {boolean} [contentLength] send a Content-Length (else the answer is chunked)
 * @property {import('node:http').OutgoingHttpHeaders} [headers] more headers, after the content ones
 */

/**
 * Answers with `body` as JSON, or with no body for a 204 or an undefined `body`.
 * The style differs per sandbox on purpose: the Lever sandbox answers like
 * Lever (compact, with a Content-Length); the Proforma sandbox indents its
 * answers, which people read with curl.
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {JsonStyle} [style]
 */
function sendJson(res, status, body, { indent, contentLength = false, headers = {} } = {}) {
	if (status === 204 || body === undefined) {
		res.writeHead(status);
		res.end();
		return;
	}
	const text = JSON.stringify(body, null, indent);
	const length = contentLength ? { 'Content-Length': Buffer.byteLength(text) } : {};
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		...length,
		...headers,
	});
	res.end(text);
}

/**
 * Starts listening; resolves with the bound address (port 0 picks a free port).
 * @param {Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<import('node:net').AddressInfo>}
 */
function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(/** @type {import('node:net').AddressInfo} */ (server.address()));
		});
	});
}

/**
 * Stops the server, dropping open connections too: a keep-alive client must
 * not keep a closed sandbox (and the test process) alive.
 * @param {Server} server
 * @returns {Promise<void>}
 */
function closeServer(server) {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

module.exports = { readBody, sendJson, listen, closeServer };
