import type { INodeProperties } from 'n8n-workflow';

import * as downloadPdf from './downloadPdf.operation';
import * as getLink from './getLink.operation';

export { downloadPdf, getLink };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{
				name: 'Download PDF',
				value: 'downloadPdf',
				description: 'Download the report of a completed order as a PDF file',
				action: 'Download a report PDF',
			},
			{
				name: 'Get Link',
				value: 'getLink',
				description: 'Get the portal link, result and completion time of a completed order',
				action: 'Get a report link',
			},
		],
		default: 'getLink',
	},
	...getLink.description,
	...downloadPdf.description,
];
