import type { INodePropertyOptions } from 'n8n-workflow';

/** The ten webhook events of Lever's Data API ("Event payloads"). */
export const LEVER_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Application Created',
		value: 'applicationCreated',
		description: 'A candidate application is created',
	},
	{
		name: 'Candidate Archive Change',
		value: 'candidateArchiveChange',
		description: 'A candidate is archived or unarchived',
	},
	{
		name: 'Candidate Deleted',
		value: 'candidateDeleted',
		description: 'A candidate is deleted',
	},
	{
		name: 'Candidate Hired',
		value: 'candidateHired',
		description: 'A candidate is marked as hired',
	},
	{
		name: 'Candidate Stage Change',
		value: 'candidateStageChange',
		description: 'A candidate moves from one stage to another',
	},
	{
		name: 'Contact Created',
		value: 'contactCreated',
		description: 'A contact is created',
	},
	{
		name: 'Contact Updated',
		value: 'contactUpdated',
		description: 'A contact is updated',
	},
	{
		name: 'Interview Created (Beta)',
		value: 'interviewCreated',
		description: 'An interview is created',
	},
	{
		name: 'Interview Deleted (Beta)',
		value: 'interviewDeleted',
		description: 'An interview is deleted',
	},
	{
		name: 'Interview Updated (Beta)',
		value: 'interviewUpdated',
		description: 'An interview is updated',
	},
];

export const LEVER_EVENT_NAMES = LEVER_EVENTS.map((option) => String(option.value));
