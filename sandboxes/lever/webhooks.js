/**
 * Lever's webhooks: the events, origin conditions, registration (through the
 * API or Lever's settings page) and the signature of a payload.
 *
 * Plain CommonJS, Node built-ins only.
 */
'use strict';

const crypto = require('node:crypto');
const { URL } = require('node:url');

const { badRequest } = require('./errors');
const { clone } = require('../shared/json');

/** @typedef {import('./server').LeverSandboxWebhook} Webhook */
/** @typedef {{ url: string, event: string, conditions: { origins: string[] } | null }} WebhookInput */

const WEBHOOK_EVENTS = [
	'applicationCreated',
	'candidateHired',
	'candidateStageChange',
	'candidateArchiveChange',
	'candidateDeleted',
	'interviewCreated',
	'interviewUpdated',
	'interviewDeleted',
	'contactCreated',
	'contactUpdated',
];
/** Lever allows origin conditions only on these events. */
const CONDITION_EVENTS = new Set([
	'applicationCreated',
	'candidateArchiveChange',
	'candidateHired',
	'candidateStageChange',
]);
const ORIGINS = ['applied', 'sourced', 'referred', 'university', 'agency', 'internal'];

/** @param {number} chars */
function randomHex(chars) {
	return crypto
		.randomBytes(Math.ceil(chars / 2))
		.toString('hex')
		.slice(0, chars);
}

/**
 * Lever's documented signature: HMAC-SHA256 of token + triggeredAt under the
 * webhook's signature token (the raw body is not hashed).
 * @param {string} signatureToken
 * @param {string} token
 * @param {number} triggeredAt
 */
function signPayload(signatureToken, token, triggeredAt) {
	return crypto
		.createHmac('sha256', signatureToken)
		.update(token + String(triggeredAt))
		.digest('hex');
}

/**
 * Checks a registration. Through the API the conditions come as
 * `configuration.conditions` (Lever's shape); through the settings page (the
 * control API) as `conditions`. No conditions on a conditional event means
 * every origin, as Lever's UI preselects.
 * @param {any} body
 * @param {{ requireConfigurationShape?: boolean }} [shape]
 * @returns {WebhookInput}
 */
function validateWebhookInput(body, { requireConfigurationShape = true } = {}) {
	if (!body || typeof body !== 'object') throw badRequest('Request body must be a JSON object');
	checkWebhookUrl(body.url);
	if (typeof body.event !== 'string' || body.event === '')
		throw badRequest('Missing required field: event');
	if (!WEBHOOK_EVENTS.includes(body.event)) {
		throw badRequest(`Invalid event "${body.event}". Valid events: ${WEBHOOK_EVENTS.join(', ')}`);
	}
	const conditions = requireConfigurationShape
		? body.configuration && body.configuration.conditions
		: body.conditions;
	if (conditions !== undefined && conditions !== null) {
		if (!CONDITION_EVENTS.has(body.event)) {
			throw badRequest(`Conditions are not supported for ${body.event} webhooks`);
		}
		const origins = conditions.origins;
		if (!Array.isArray(origins) || origins.some((o) => !ORIGINS.includes(o))) {
			throw badRequest(`conditions.origins must be a list of: ${ORIGINS.join(', ')}`);
		}
		return { url: body.url, event: body.event, conditions: { origins: [...new Set(origins)] } };
	}
	return {
		url: body.url,
		event: body.event,
		conditions: CONDITION_EVENTS.has(body.event) ? { origins: [...ORIGINS] } : null,
	};
}

/** @param {unknown} url */
function checkWebhookUrl(url) {
	if (typeof url !== 'string' || url === '') throw badRequest('Missing required field: url');
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		throw badRequest(`Invalid url: ${url}`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw badRequest('url must be an https:// URL (the sandbox also accepts http://)');
	}
}

/**
 * Adds a webhook with a fresh signature token of its own (Lever: one token per webhook).
 * @param {Webhook[]} webhooks
 * @param {WebhookInput} input
 * @param {'api' | 'settings'} source
 */
function createWebhook(webhooks, input, source) {
	const now = Date.now();
	/** @type {Webhook} */
	const webhook = {
		id: crypto.randomUUID(),
		url: input.url,
		event: input.event,
		conditions: input.conditions,
		signatureToken: randomHex(48),
		source,
		createdAt: now,
		updatedAt: now,
	};
	webhooks.push(webhook);
	return webhook;
}

/**
 * A webhook as GET /v1/webhooks lists it: without its signature token.
 * @param {Webhook} w
 */
function publicWebhook(w) {
	return {
		id: w.id,
		url: w.url,
		event: w.event,
		createdAt: w.createdAt,
		updatedAt: w.updatedAt,
		configuration: { conditions: clone(w.conditions) },
	};
}

/**
 * A new webhook as POST /v1/webhooks answers it: the only time the API shows its token.
 * @param {Webhook} w
 */
function createdWebhook(w) {
	return {
		id: w.id,
		event: w.event,
		url: w.url,
		configuration: { signatureToken: w.signatureToken, conditions: clone(w.conditions) },
		createdAt: w.createdAt,
		updatedAt: w.updatedAt,
	};
}

module.exports = {
	WEBHOOK_EVENTS,
	ORIGINS,
	randomHex,
	signPayload,
	validateWebhookInput,
	createWebhook,
	publicWebhook,
	createdWebhook,
};
