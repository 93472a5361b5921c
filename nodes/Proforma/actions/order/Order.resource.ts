import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as createForOpportunity from './createForOpportunity.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as resendInvitation from './resendInvitation.operation';

export { cancel, create, createForOpportunity, get, getAll, resendInvitation };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel an order that has not completed',
				action: 'Cancel an order',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Order a background screen; Proforma emails the candidate a secure link',
				action: 'Create an order',
			},
			{
				name: 'Create for Lever Opportunity',
				value: 'createForOpportunity',
				description:
					"Order the package named by the candidate's Proforma_ tag, with the candidate data from Lever; never fails for candidate problems",
				action: 'Create an order for a lever opportunity',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an order with its status and result',
				action: 'Get an order',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List orders, optionally by reference, status or last change',
				action: 'Get many orders',
			},
			{
				name: 'Resend Invitation',
				value: 'resendInvitation',
				description: 'Email the candidate the invitation again (also renews an expired one)',
				action: 'Resend the invitation of an order',
			},
		],
		default: 'createForOpportunity',
	},
	...create.description,
	...createForOpportunity.description,
	...get.description,
	...getAll.description,
	...cancel.description,
	...resendInvitation.description,
];
