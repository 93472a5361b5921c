/**
 * Types of the Proforma sandbox callback receiver (receiver.js, plain CommonJS).
 */

export interface ReceivedCallback {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	receivedAt: string;
	/** The status the receiver answered. */
	status: number | null;
}

export type ReceiverAnswer = number | { status?: number; delayMs?: number; body?: unknown };

export interface CallbackReceiver {
	url: string;
	baseUrl: string;
	received: ReceivedCallback[];
	events(): ReceivedCallback[];
	respondWith(
		spec: ReceiverAnswer[] | ((entry: ReceivedCallback, index: number) => ReceiverAnswer) | null,
	): void;
	waitFor(
		predicate: (received: ReceivedCallback[]) => boolean,
		timeoutMs?: number,
	): Promise<ReceivedCallback[]>;
	clear(): void;
	close(): Promise<void>;
}

export function startCallbackReceiver(options?: {
	port?: number;
	host?: string;
	path?: string;
}): Promise<CallbackReceiver>;
