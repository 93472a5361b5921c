/**
 * The HTML pages a person reaches from the links the sandbox hands out: the
 * report page of a completed order (and its PDF), and the candidate's
 * invitation page, whose "Give consent and submit" button moves an invited
 * order to submitted.
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { PACKAGES } = require('./seed');
const { notFound } = require('./errors');
const { reportPdf, reportUrl } = require('./report');
const { readRawBody } = require('./http');
const { transition } = require('./orders');
const { escapeHtml } = require('./util');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

const STYLE =
	'<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}' +
	'.badge{display:inline-block;padding:.2rem .6rem;border-radius:1rem;background:#eee}.clear{background:#d4f5dd}' +
	'.review{background:#fff1c2}.adverse{background:#ffd6d6}dt{font-weight:600}footer{margin-top:3rem;color:#777;font-size:.85rem}</style>';

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {string} title plain text
 * @param {string} bodyHtml
 */
function sendHtml(res, status, title, bodyHtml) {
	res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
	res.end(
		`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
			STYLE +
			`</head><body><h1>${escapeHtml(title)}</h1>${bodyHtml}<footer>Proforma sandbox: simulated data, not a consumer report.</footer></body></html>`,
	);
}

/**
 * Answers a /portal request: a report page (GET) or an invitation page.
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {URL} url
 */
async function handlePortal(ctx, req, res, url) {
	const path = url.pathname.replace(/\/+$/, '');
	const report = /^\/portal\/reports\/([^/]+?)(\.pdf)?$/.exec(path);
	if (report && req.method === 'GET')
		return reportPage(ctx, res, decodeURIComponent(report[1]), Boolean(report[2]));
	const invite = /^\/portal\/invite\/([^/]+?)(\/submit)?$/.exec(path);
	if (invite) {
		const answered = await invitePage(ctx, req, res, invite[1], Boolean(invite[2]));
		if (answered) return;
	}
	throw notFound(req.method, url.pathname);
}

/**
 * The report page of a completed order, or its PDF.
 * @param {import('./state').SandboxContext} ctx
 * @param {ServerResponse} res
 * @param {string} id the order's
 * @param {boolean} pdf
 */
function reportPage(ctx, res, id, pdf) {
	const rec = ctx.state.orders.get(id);
	if (!rec)
		return sendHtml(
			res,
			404,
			'Report not found',
			'<p>No order has this id. The sandbox may have been reset.</p>',
		);
	const o = rec.order;
	if (o.status !== 'completed') {
		return sendHtml(
			res,
			409,
			'Report not ready',
			`<p>Order <code>${escapeHtml(o.id)}</code> is <b>${escapeHtml(o.status)}</b>; the report appears once it is completed.</p>`,
		);
	}
	if (pdf) {
		const bytes = reportPdf(o);
		res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': bytes.length });
		return res.end(bytes);
	}
	const pkg = PACKAGES.find((p) => p.code === o.package);
	return sendHtml(
		res,
		200,
		`Screening report: ${o.candidate.firstName} ${o.candidate.lastName}`,
		`<p>Result: <span class="badge ${escapeHtml(o.result)}">${escapeHtml(o.result)}</span></p><dl>` +
			`<dt>Order</dt><dd><code>${escapeHtml(o.id)}</code></dd>` +
			`<dt>Package</dt><dd>${escapeHtml(pkg ? pkg.name : o.package)}</dd>` +
			`<dt>Screenings</dt><dd>${escapeHtml(pkg ? pkg.screenings.join(', ') : '')}</dd>` +
			`<dt>Client reference</dt><dd>${escapeHtml(o.clientReference ?? '-')}</dd>` +
			`<dt>Candidate email</dt><dd>${escapeHtml(o.candidate.email)}</dd>` +
			`<dt>Completed</dt><dd>${escapeHtml(o.completedAt)}</dd></dl>` +
			`<p><a href="${escapeHtml(reportUrl(ctx.baseUrl, o.id))}.pdf">Download PDF</a></p>`,
	);
}

/**
 * The invitation page (GET) and its consent form (POST .../submit).
 * @param {import('./state').SandboxContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} token
 * @param {boolean} submit
 * @returns {Promise<boolean>} false: no such page for this method
 */
async function invitePage(ctx, req, res, token, submit) {
	const tok = ctx.state.tokens.get(token);
	const rec = tok && ctx.state.orders.get(tok.orderId);
	if (!tok || !rec) {
		sendHtml(
			res,
			404,
			'Invitation not found',
			'<p>This link is not valid. The sandbox may have been reset.</p>',
		);
		return true;
	}
	if (submit && req.method === 'POST') {
		await readRawBody(req);
		if (tok.active && rec.order.status === 'invited') transition(ctx, rec, 'submitted');
		res.writeHead(303, { Location: `/portal/invite/${token}` });
		res.end();
		return true;
	}
	if (submit || req.method !== 'GET') return false;
	const o = rec.order;
	if (!tok.active || o.status === 'expired') {
		sendHtml(
			res,
			410,
			'Invitation expired',
			'<p>This invitation has expired. Ask the employer to resend it.</p>',
		);
		return true;
	}
	const form =
		o.status === 'invited'
			? `<form method="post" action="/portal/invite/${escapeHtml(token)}/submit"><button type="submit">Give consent and submit</button></form>`
			: `<p>Thank you. Your screening is <b>${escapeHtml(o.status)}</b>.</p>`;
	sendHtml(
		res,
		200,
		`Background screening for ${o.candidate.firstName} ${o.candidate.lastName}`,
		`<p>Order <code>${escapeHtml(o.id)}</code>, package <b>${escapeHtml(o.package)}</b>.</p>${form}`,
	);
	return true;
}

module.exports = { handlePortal };
