import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ProformaType } from './node.type';
import * as order from './order/Order.resource';
import * as pkg from './package/Package.resource';
import * as report from './report/Report.resource';

type Operation = {
	execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
};

const operations: { [R in ProformaType['resource']]: Record<string, Operation> } = {
	package: pkg as unknown as Record<string, Operation>,
	order: order as unknown as Record<string, Operation>,
	report: report as unknown as Record<string, Operation>,
};

/** Dispatches to `actions/<resource>/<operation>.ts`. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as ProformaType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler || typeof handler.execute !== 'function') {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}
	return [await handler.execute.call(this, items)];
}
