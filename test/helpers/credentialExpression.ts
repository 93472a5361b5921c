import { Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeTypes,
	IWorkflowDataProxyAdditionalKeys,
} from 'n8n-workflow';

/**
 * Evaluates a credential's `={{ … }}` default, header or test-request
 * expression with n8n-workflow's own expression engine, with `$credentials`
 * and `$self` set to the credential's data as n8n provides them.
 */
export function evaluateCredentialExpression(expression: unknown, data: IDataObject): unknown {
	const nodeTypes = {
		getByName: () => ({ description: { properties: [] } }),
		getByNameAndVersion: () => ({ description: { properties: [] } }),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const node: INode = {
		id: '1',
		name: 'Credential test',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const flow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return flow.expression.getSimpleParameterValue(
		node,
		String(expression),
		'internal',
		{ $credentials: data, $self: data } as unknown as IWorkflowDataProxyAdditionalKeys,
		undefined,
		'',
	);
}
