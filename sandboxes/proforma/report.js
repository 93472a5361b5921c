/**
 * The report of a completed order as a one-page PDF (served by the API and
 * by the report page).
 *
 * Plain CommonJS, no dependencies.
 */
'use strict';

const { PACKAGES } = require('./seed');
const { buildPdf } = require('./pdf');

/**
 * The report page's address: what `order.report.url` holds.
 * @param {string} baseUrl
 * @param {string} orderId
 */
const reportUrl = (baseUrl, orderId) => `${baseUrl}/portal/reports/${encodeURIComponent(orderId)}`;

/** @param {import('./server').ProformaOrder} o */
function reportPdf(o) {
	const pkg = PACKAGES.find((p) => p.code === o.package);
	return buildPdf('Proforma Screening Report (sandbox)', [
		`Order: ${o.id}`,
		`Candidate: ${o.candidate.firstName} ${o.candidate.lastName} <${o.candidate.email}>`,
		`Package: ${pkg ? pkg.name : o.package} (${o.package})`,
		`Screenings: ${pkg ? pkg.screenings.join(', ') : ''}`,
		`Client reference: ${o.clientReference ?? '-'}`,
		`Result: ${String(o.result).toUpperCase()}`,
		`Completed: ${o.completedAt}`,
		'',
		'Simulated data from the local Proforma sandbox. Not a consumer report.',
	]);
}

module.exports = { reportUrl, reportPdf };
