import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { orderIdField } from '../../shared/descriptions';
import { downloadReportPdf } from '../../shared/api';
import { getOrderId } from '../../shared/utils';

const properties: INodeProperties[] = [
	orderIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['report'], operation: ['downloadPdf'] } },
	properties,
);

/** GET /v1/orders/{id}/report.pdf as n8n binary data. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData> {
	const orderId = getOrderId(this, i);
	const binaryPropertyName =
		String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim() || 'data';
	const pdf = await downloadReportPdf.call(this, orderId);
	const fileName = `proforma-report-${orderId}.pdf`;
	const binary = await this.helpers.prepareBinaryData(pdf, fileName, 'application/pdf');
	return {
		json: { orderId, fileName, mimeType: 'application/pdf', fileSize: pdf.length },
		binary: { [binaryPropertyName]: binary },
	};
}
