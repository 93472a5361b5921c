/**
 * Types of support/env.js: the queue-mode environment started by ../globalSetup.js.
 */
import type { E2E, N8nClient } from '../../e2e/support/env';

export type QueueProcess = 'main' | 'worker' | 'webhook';

/** A worker or the webhook processor (scripts/lib/n8n-queue.js): same ports and folder on every start. */
export interface QueueProcessHandle {
	name: string;
	/** The current run's pid; null before the first start. */
	readonly pid: number | null;
	/** How the current run exited; null while it runs. */
	exited(): { code: number | null; signal: string | null } | null;
	/** SIGKILL to its process group (task runner included), as a crash would. */
	kill(): Promise<unknown>;
	/** Starts it again and waits until it is ready. */
	start(): Promise<unknown>;
	/** Graceful stop, then start. */
	restart(): Promise<unknown>;
}

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
	/** The live worker(s) and webhook processor; throws unless jest runs --runInBand. */
	processes(): { workers: QueueProcessHandle[]; webhook: QueueProcessHandle };
}

export function getQueueE2E(): QueueE2E;
export { postJson, pause } from '../../e2e/support/env';
