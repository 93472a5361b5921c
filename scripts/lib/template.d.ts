/** Types of scripts/lib/template.js for the TypeScript end-to-end tests. */
export function loadTemplate(): {
	name: string;
	nodes: Array<
		Record<string, unknown> & {
			name: string;
			type: string;
			parameters: Record<string, unknown>;
			webhookId?: string;
		}
	>;
	connections: Record<string, unknown>;
};
export const TEMPLATE_PATH: string;
export interface PrepareTemplateOptions {
	leverUrl: string;
	leverApiKey?: string;
	proforma: { url: string; apiKey?: string; signingSecret?: string };
	screeningStageId: string;
	name?: string;
	replaceExisting?: boolean;
	settings?: Record<string, unknown>;
	scheduleSeconds?: number;
	/** A cron expression for the scheduled check instead of every 15 minutes, such as '* * * * *'. */
	scheduleCron?: string;
	registration?: 'automatic' | 'manual';
	leverSigningToken?: string;
	proformaCallbacks?: boolean;
}
export function prepareTemplate(
	n8n: unknown,
	options: PrepareTemplateOptions,
): Promise<{
	workflowId: string;
	workflow: { nodes: Array<{ name: string; webhookId?: string }> };
	webhookUrls: { lever: string; leverArchive: string; proforma: string };
	credentials: { leverCredentialId: string; proformaCredentialId: string };
}>;
