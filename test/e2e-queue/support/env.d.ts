/**
 * Types of support/env.js: the queue-mode environment started by ../globalSetup.js.
 */
import type { E2E, N8nClient } from '../../e2e/support/env';

export type QueueProcess = 'main' | 'worker' | 'webhook';

export interface QueueE2E extends E2E {
	/** Client of the main process; baseUrl, webhookUrl() and publishWorkflow() use the webhook processor. */
	n8n: N8nClient & { mainBaseUrl: string };
	/** Plain client of the main process. */
	main: N8nClient;
	/** Base URL of the `n8n webhook` process (production webhooks). */
	webhookBaseUrl: string;
	logs: Record<QueueProcess, string>;
	/** Current text of an n8n process's log. */
	logText(name: QueueProcess): string;
	/** Execution ids of "Worker started execution <id>" / "Worker finished…" / "Enqueued execution <id>" lines. */
	executionIdsIn(name: QueueProcess, kind: 'started' | 'finished' | 'enqueued'): string[];
}

export function getQueueE2E(): QueueE2E;
export { postJson, pause } from '../../e2e/support/env';
