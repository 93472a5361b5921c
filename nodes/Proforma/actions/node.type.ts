import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	package: 'getAll';
	order: 'create' | 'createForOpportunity' | 'get' | 'getAll' | 'cancel' | 'resendInvitation';
	report: 'getLink' | 'downloadPdf';
};

export type ProformaType = AllEntities<NodeMap>;
