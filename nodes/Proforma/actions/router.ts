import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationOf, runForEachItem, type OperationTable } from '../../shared/operation';
import type { ProformaExecutionState } from '../shared/utils';
import type { ProformaType } from './node.type';
import * as order from './order/Order.resource';
import * as pkg from './package/Package.resource';
import * as report from './report/Report.resource';

/** Every resource/operation of the node and the code that runs it. */
const operations: OperationTable<ProformaType, ProformaExecutionState> = {
	package: { getAll: pkg.getAll },
	order: {
		create: order.create,
		createForOpportunity: order.createForOpportunity,
		get: order.get,
		getAll: order.getAll,
		cancel: order.cancel,
		resendInvitation: order.resendInvitation,
	},
	report: { getLink: report.getLink, downloadPdf: report.downloadPdf },
};

/** Runs the chosen operation once per input item (nodes/shared/operation.ts). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await runForEachItem(this, operationOf(this, operations), {})];
}
