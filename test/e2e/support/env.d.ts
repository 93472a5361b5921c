/**
 * Types of support/env.js (the e2e environment started by globalSetup) and of the
 * n8n client of scripts/lib/n8n-instance.js.
 */

export interface N8nOwner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface N8nInfo {
	baseUrl: string;
	port: number;
	apiKey: string;
	owner: N8nOwner;
	userFolder: string;
	logFile: string;
	pid: number;
	n8nVersion: string;
	/** files: what the npm tarball shipped, as paths relative to the package root. */
	package: { name: string; version: string; dir: string; files: string[] } | null;
}

export interface N8nWorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	disabled?: boolean;
}

export interface N8nWorkflow {
	id?: string;
	name?: string;
	nodes: N8nWorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: Record<string, unknown>;
}

export interface N8nExecution {
	id: string | number;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
			error?: unknown;
		};
	};
}

export interface N8nWebhook {
	node: string;
	method: string;
	url: string;
}

export interface N8nNodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	credentials?: Array<{ name: string }>;
	webhooks?: unknown[];
	usableAsTool?: boolean;
	[key: string]: unknown;
}

export interface N8nClient {
	info: N8nInfo;
	baseUrl: string;
	apiKey: string;
	owner: N8nOwner;
	userFolder: string;
	logFile: string;
	/** Public API (/api/v1) with the key; throws with status and body on non-2xx. */
	api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	/** Internal REST/UI endpoints with the owner's cookie (e.g. '/types/nodes.json'). */
	rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	createCredential(input: {
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<string>;
	createWorkflow(workflow: N8nWorkflow): Promise<string>;
	/** Publishes and waits until the trigger webhooks are registered. */
	publishWorkflow(
		id: string,
		options?: { timeoutMs?: number; webhooks?: Array<string | N8nWebhook> },
	): Promise<N8nWorkflow>;
	unpublishWorkflow(id: string): Promise<unknown>;
	/** `${baseUrl}/webhook/<webhookId>/<path>` (production URL of a trigger node). */
	webhookUrl(webhookId: string, path?: string): string;
	webhooksOf(workflow: N8nWorkflow): Promise<N8nWebhook[]>;
	nodeTypes(): Promise<Map<string, N8nNodeTypeDescription>>;
	listExecutions(options?: {
		workflowId?: string;
		includeData?: boolean;
		status?: string;
	}): Promise<N8nExecution[]>;
	waitForExecutions(options: {
		workflowId: string;
		count?: number;
		timeoutMs?: number;
		includeData?: boolean;
	}): Promise<N8nExecution[]>;
	getExecution(id: string | number, options?: { includeData?: boolean }): Promise<N8nExecution>;
}

export interface ProformaSandbox {
	url: string;
	state(): Record<string, unknown>;
	reset(): void;
	close(): Promise<void>;
	[key: string]: unknown;
}

export interface E2E {
	n8n: N8nClient;
	leverUrl: string | null;
	leverOrigin: string | null;
	proformaUrl: string | null;
	/** The live Lever sandbox (sandboxes/lever/server.d.ts); throws if it is not running. */
	lever(): import('../../../sandboxes/lever/server').LeverSandbox;
	/** The live Proforma sandbox (sandboxes/proforma/server.js); throws if it is not running. */
	proforma(): ProformaSandbox;
	tarball: string;
	root: string;
}

export function getE2E(): E2E;
export function postJson(
	url: string,
	body: unknown,
	headers?: Record<string, string>,
): Promise<{ status: number; body: unknown; text: string }>;
export function pause(ms: number): Promise<void>;
/** E2E_TEMPLATE_LIFECYCLE=off: template.test.ts's second pass, progress and result tags off. */
export function templateLifecycleOff(): boolean;
