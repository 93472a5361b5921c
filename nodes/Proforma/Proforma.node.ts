import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as order from './actions/order/Order.resource';
import * as pkg from './actions/package/Package.resource';
import * as report from './actions/report/Report.resource';
import { router } from './actions/router';
import { getPackages } from './methods/listSearch';

/**
 * Proforma Screening Solutions: packages, background-screening orders
 * (including the one-step "Create for Lever Opportunity") and reports.
 * All HTTP goes through shared/transport.ts.
 */
export class Proforma implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Proforma',
		name: 'proforma',
		icon: { light: 'file:../../icons/proforma.svg', dark: 'file:../../icons/proforma.dark.svg' },
		group: ['transform'],
		// 1.1: Create for Lever Opportunity reads the input item by default.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Order background screens from Proforma Screening Solutions and read their reports',
		defaults: { name: 'Proforma' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'proformaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Order', value: 'order' },
					{ name: 'Package', value: 'package' },
					{ name: 'Report', value: 'report' },
				],
				default: 'order',
			},
			...order.description,
			...pkg.description,
			...report.description,
		],
	};

	methods = {
		listSearch: { getPackages },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
