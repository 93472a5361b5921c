/**
 * Errors of the Lever sandbox's API, answered as Lever does: the HTTP status
 * and a body `{code, message}`.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code Lever's error code, such as 'BadRequest'
	 * @param {string} message
	 */
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** @param {string} message */
const badRequest = (message) => new ApiError(400, 'BadRequest', message);

/**
 * @param {string} resource the API's collection name, such as 'opportunities'
 * @param {string} id
 */
const notFound = (resource, id) =>
	new ApiError(404, 'ResourceNotFound', `${resource} ${id} was not found`);

module.exports = { ApiError, badRequest, notFound };
