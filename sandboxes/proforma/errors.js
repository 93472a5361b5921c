/**
 * Errors of the Proforma sandbox, answered in the contract's shape:
 * `{"error": {"code", "message", "details": [{field, issue}], "orderId"?}}`,
 * with the status and any headers (Retry-After, WWW-Authenticate) they carry.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

/** @typedef {{ field: string, issue: string }} ErrorDetail */

class HttpError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code the contract's error code, such as 'validation_failed'
	 * @param {string} message
	 * @param {{ details?: ErrorDetail[], orderId?: string, headers?: Record<string, string> }} [extra]
	 */
	constructor(status, code, message, extra = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.details = extra.details || [];
		this.orderId = extra.orderId;
		this.headers = extra.headers || {};
	}
}

/**
 * @param {string | undefined} method
 * @param {string} path
 */
function notFound(method, path) {
	return new HttpError(404, 'not_found', `No route ${method} ${path}.`);
}

/**
 * An integer field of a control request within [min, max], else 422.
 * @param {unknown} value
 * @param {string} field its name in the error details
 * @param {number} min
 * @param {number} max
 */
function intIn(value, field, min, max) {
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > max) {
		throw new HttpError(
			422,
			'validation_failed',
			`${field} must be an integer from ${min} to ${max}.`,
			{
				details: [{ field, issue: 'invalid' }],
			},
		);
	}
	return n;
}

module.exports = { HttpError, notFound, intIn };
