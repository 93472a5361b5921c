/**
 * A tiny, valid one-page PDF (PDF 1.4, Helvetica, correct xref table) used by the
 * Proforma sandbox for GET /v1/orders/{id}/report.pdf. Non-ASCII characters are
 * replaced by '?'. Plain CommonJS, Node built-ins only.
 */
'use strict';

/** @param {string} text */
function pdfString(text) {
	return `(${String(text)
		.replace(/[^\x20-\x7e]/g, '?')
		.replace(/([\\()])/g, '\\$1')})`;
}

/**
 * @param {string} title  first line, large
 * @param {string[]} lines following lines, one per row
 * @returns {Buffer}
 */
function buildPdf(title, lines) {
	const rows = [`BT /F1 18 Tf 72 730 Td ${pdfString(title)} Tj ET`, 'BT /F1 11 Tf 72 700 Td 16 TL'];
	for (const line of lines) rows.push(`${pdfString(line)} Tj T*`);
	rows.push('ET');
	const content = rows.join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
		`<< /Producer ${pdfString('Proforma sandbox')} /Title ${pdfString(title)} >>`,
	];
	let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	/** @type {number[]} */
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xrefAt = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

module.exports = { buildPdf };
