/**
 * Types of the test webhook receiver (receiver.js).
 */

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	json: unknown;
	status: number | 'hang';
	receivedAt: number;
}

export interface Receiver {
	url: string;
	origin: string;
	requests: ReceivedRequest[];
	setStatuses(list: Array<number | 'hang'>, fallback?: number): void;
	clear(): void;
	waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	close(): Promise<void>;
}

export function startReceiver(options?: {
	host?: string;
	port?: number;
	path?: string;
	statuses?: Array<number | 'hang'>;
	defaultStatus?: number;
}): Promise<Receiver>;
