interface ExecutionsClient {
	listExecutions(options: {
		workflowId: string;
	}): Promise<Array<{ id: string | number; status: string }>>;
	waitForExecutions(options: {
		workflowId: string;
		count: number;
		timeoutMs?: number;
	}): Promise<unknown>;
}

/** Back to the sandboxes' seed data, with no execution of the previous scenario still running or arriving. */
export function resetToSeed(options: {
	n8n: ExecutionsClient;
	lever: { reset(options: { keepWebhooks: boolean }): void };
	proforma: { reset(): void };
	workflowId: string;
	quietMs?: number;
	maxRounds?: number;
	timeoutMs?: number;
}): Promise<void>;
