/**
 * Fault injection on /v1: the next N requests answer 429 (Lever's rate limit,
 * with no Retry-After since Lever documents none) or an error status, before
 * authentication, like a gateway in front of the API would.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { ApiError, badRequest } = require('./errors');
const { clone } = require('../shared/json');

/** @typedef {import('./state').Faults} Faults */
/** @typedef {import('./server').LeverFaults} FaultsInput */

/**
 * Sets the counters given (the others stay), as POST /__sandbox/faults does.
 * @param {import('./state').LeverState} state
 * @param {FaultsInput} input
 * @returns {Faults} a copy of the counters now
 */
function setFaults(state, input) {
	if (input.failNext) {
		const count = Number(input.failNext.count ?? 1);
		const status = Number(input.failNext.status ?? 500);
		if (!Number.isInteger(count) || count < 0)
			throw badRequest('failNext.count must be a non-negative integer');
		if (!Number.isInteger(status) || status < 400 || status > 599)
			throw badRequest('failNext.status must be 400-599');
		state.faults.failNext = { count, status };
	}
	if (input.rateLimitNext) {
		const count = Number(input.rateLimitNext.count ?? 1);
		if (!Number.isInteger(count) || count < 0)
			throw badRequest('rateLimitNext.count must be a non-negative integer');
		state.faults.rateLimitNext = { count };
	}
	return clone(state.faults);
}

/**
 * Uses up one injected fault, rate limits first; null when none is pending.
 * @param {import('./state').LeverState} state
 * @returns {ApiError | null}
 */
function takeFault(state) {
	const { faults } = state;
	if (faults.rateLimitNext.count > 0) {
		faults.rateLimitNext.count -= 1;
		return new ApiError(
			429,
			'TooManyRequests',
			'Rate limit exceeded: 10 requests per second per API key',
		);
	}
	if (faults.failNext.count > 0) {
		faults.failNext.count -= 1;
		const status = faults.failNext.status;
		const code =
			status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalServerError' : 'BadRequest';
		return new ApiError(status, code, `Injected sandbox fault (${status})`);
	}
	return null;
}

module.exports = { setFaults, takeFault };
