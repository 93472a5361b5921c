import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * Parameters several Lever operations share. Operations attach them to their
 * resource/operation with `updateDisplayOptions`.
 */

/**
 * How a node reaches Lever: API key (`leverApi`) or OAuth2 (`leverOAuth2Api`);
 * the transport picks the credential from this parameter.
 */
/** The Lever API credentials, each shown for its Authentication choice (Lever node and trigger). */
export const leverApiCredentials: INodeCredentialDescription[] = [
	{ name: 'leverApi', required: true, displayOptions: { show: { authentication: ['apiKey'] } } },
	{
		name: 'leverOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
];

export function authenticationField(extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'API Key', value: 'apiKey' },
			{ name: 'OAuth2', value: 'oAuth2' },
		],
		default: 'apiKey',
		...extra,
	};
}

export const opportunityIdField: INodeProperties = {
	displayName: 'Opportunity ID',
	name: 'opportunityId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 250d8f03-738a-4bba-a671-8a3d73477145',
	description:
		'The Lever opportunity (candidate application). Map it from the Lever Trigger (opportunityId) or paste a Lever candidate URL.',
};

export const performAsField: INodeProperties = {
	displayName: 'Perform As',
	name: 'performAs',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		"The Lever user the change is attributed to in the candidate's history. Leave empty to act as the API key or OAuth user.",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: {
				searchListMethod: 'searchUsers',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 8d49b010-cc6a-4f40-ace5-e86061c677ed',
		},
	],
};

export const stageLocatorField: INodeProperties = {
	displayName: 'Stage',
	name: 'stage',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The pipeline stage to move the opportunity to',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a stage...',
			typeOptions: {
				searchListMethod: 'searchStages',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. lead-new or 9b0a1a4e-…',
			hint: 'In Lever: Settings > Pipeline and archive reasons > Reveal stage ID',
		},
	],
};

export const archiveReasonLocatorField: INodeProperties = {
	displayName: 'Archive Reason',
	name: 'archiveReason',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'Why the opportunity is archived (hired or not hired)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an archive reason...',
			typeOptions: {
				searchListMethod: 'searchArchiveReasons',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 63dd55b2-a99f-4e7b-985f-22c7bf80ab42',
		},
	],
};

export const postingLocatorField: INodeProperties = {
	displayName: 'Posting',
	name: 'postingId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The job posting',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a posting...',
			typeOptions: {
				searchListMethod: 'searchPostings',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. f2f01e16-27f8-4711-a728-7d49499795a0',
		},
	],
};

export const tagsField: INodeProperties = {
	displayName: 'Tags',
	name: 'tags',
	type: 'string',
	required: true,
	typeOptions: {
		multipleValues: true,
		multipleValueButtonText: 'Add Tag',
	},
	default: [],
	placeholder: 'e.g. Background Check:Ordered',
	description:
		'Tags exactly as they should appear in Lever (case-sensitive; colons and spaces are fine). Blank entries are ignored.',
};

export { returnAllAndLimit } from '../../shared/descriptions';

/** The Options collection of an operation: its optional settings. */
export function optionsField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}
