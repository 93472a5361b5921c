import type { INodeProperties } from 'n8n-workflow';

/** Package picker: a searchable list from GET /v1/packages, or a code. */
export const packageLocator: INodeProperties = {
	displayName: 'Package',
	name: 'package',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Proforma screening package to order',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'getPackages', searchable: true },
		},
		{
			displayName: 'By Code',
			name: 'id',
			type: 'string',
			placeholder: 'standard',
		},
	],
};

export const orderIdField: INodeProperties = {
	displayName: 'Order ID',
	name: 'orderId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'ord_01J...',
	description: 'The ID of the Proforma order',
};

/** Where Proforma sends an order's status events (both create operations). */
export const callbackUrlField: INodeProperties = {
	displayName: 'Callback URL',
	name: 'callbackUrl',
	type: 'string',
	default: '',
	placeholder: 'https://n8n.example.com/webhook/.../webhook',
	description:
		"Where Proforma sends the order's status events: the production URL of a Proforma Trigger. Leave empty to use the callback URL set in your Proforma account.",
};
