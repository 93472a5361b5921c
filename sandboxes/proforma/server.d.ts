/**
 * Types of the local Proforma sandbox (server.js, plain CommonJS). See docs/proforma-sandbox.md.
 */

export type ProformaOrderStatus =
	| 'invited'
	| 'submitted'
	| 'in_progress'
	| 'action_required'
	| 'completed'
	| 'expired'
	| 'cancelled';
export type ProformaResult = 'clear' | 'review' | 'adverse';
export type SandboxOutcome = 'clear' | 'review' | 'adverse' | 'expire' | 'action' | 'bounce';

export interface ProformaPackage {
	code: string;
	name: string;
	description: string;
	screenings: string[];
}

export interface ProformaOrder {
	id: string;
	package: string;
	clientReference: string | null;
	status: ProformaOrderStatus;
	result: ProformaResult | null;
	candidate: {
		firstName: string;
		lastName: string;
		email: string;
		phone: string | null;
		location: string | null;
	};
	invitation: { url: string; sentAt: string; expiresAt: string } | null;
	report: { url: string; completedAt: string } | null;
	createdAt: string;
	updatedAt: string;
	completedAt: string | null;
	metadata: Record<string, unknown>;
}

export interface ProformaEvent {
	id: string;
	type: 'order.created' | 'order.status_changed' | 'order.completed';
	createdAt: string;
	data: { order: ProformaOrder };
}

export interface SandboxFaults {
	failNext: { count: number; status: number };
	rateLimitNext: { count: number; retryAfterSeconds: number };
	delayNext: { count: number; ms: number };
	duplicateCallbacks: boolean;
	outOfOrderCallbacks: boolean;
	dropCallbacks: SandboxDropCallbacks;
}

/**
 * The dropCallbacks fault: a fraction of the events get no callback at all (every copy
 * of it; the event is recorded with `dropped: true`). Deterministic: of the events it
 * applies to, the k-th is dropped whenever floor(k × ratio) goes up (0.1: the 10th,
 * 20th, 30th…). Off when ratio is 0.
 */
export interface SandboxDropCallbacks {
	/** From 0 (off) to 1 (every callback). */
	ratio: number;
	/** The event types it applies to; empty: every type. */
	types: Array<ProformaEvent['type']>;
	/** Events it has looked at since it was set. */
	seen: number;
	/** Events whose callback it dropped since it was set. */
	dropped: number;
}

export interface SandboxFaultsInput {
	clear?: boolean;
	failNext?: { count?: number; status?: number } | number;
	rateLimitNext?: { count?: number; retryAfterSeconds?: number } | number;
	delayNext?: { count?: number; ms?: number } | number;
	duplicateCallbacks?: boolean;
	outOfOrderCallbacks?: boolean;
	/** A bare number is the ratio; false turns it off. A ratio outside 0–1 or an unknown type: 422. */
	dropCallbacks?: { ratio: number; types?: Array<ProformaEvent['type']> } | number | false;
	rateLimit?: { perSecond?: number; burst?: number } | false;
}

export interface SandboxOrder extends ProformaOrder {
	sandbox: {
		outcome: SandboxOutcome;
		callbackUrl: string | null;
		idempotencyKey: string;
		nextStepAt: string | null;
		heldCallbacks: number;
		history: Array<{ status: ProformaOrderStatus; at: string }>;
	};
}

export interface SandboxInvitationEmail {
	id: string;
	orderId: string;
	kind: 'initial' | 'resend' | 'reissue';
	to: string;
	subject: string;
	url: string;
	sentAt: string;
	expiresAt: string;
}

export interface SandboxDeliveryAttempt {
	attempt: number;
	at: string;
	/** Unix seconds used in this attempt's Proforma-Signature. */
	t?: number;
	/** HTTP status answered by the receiver, null when none. */
	status: number | null;
	error: string | null;
	ms: number | null;
}

export interface SandboxDelivery {
	id: string;
	eventId: string;
	type: ProformaEvent['type'];
	orderId: string;
	url: string;
	duplicate: boolean;
	status: 'pending' | 'held' | 'retrying' | 'delivered' | 'failed';
	attempts: SandboxDeliveryAttempt[];
	nextAttemptAt: string | null;
	payload: ProformaEvent;
}

export interface SandboxState {
	url: string;
	stepMs: number;
	callbackRetryScheduleMs: number[];
	callbackTimeoutMs: number;
	rateLimit: { perSecond: number; burst: number } | false;
	account: { callbackUrl: string | null };
	faults: SandboxFaults;
	orders: SandboxOrder[];
	invitations: SandboxInvitationEmail[];
	events: Array<{
		id: string;
		type: ProformaEvent['type'];
		orderId: string;
		status: ProformaOrderStatus;
		createdAt: string;
		callbackUrl: string | null;
		/** The dropCallbacks fault kept its callback from being sent. */
		dropped?: boolean;
	}>;
	deliveries: SandboxDelivery[];
	requests: Array<{
		at: string;
		method: string;
		path: string;
		status: number;
		ms: number;
		idempotencyKey?: string;
	}>;
}

export interface ProformaSandboxOptions {
	/** 0 (default from code) = a random free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Bearer key accepted (default 'sandbox-proforma-key'). */
	apiKey?: string;
	/** Callback signing secret (default 'sandbox-signing-secret'). */
	signingSecret?: string;
	/** Compressed clock: ms per status step (default 2000; 0 = paused, orders move only via advance). */
	stepMs?: number;
	/** Callback retry waits (default [17, 83, 500, 2000, 6000, 24000]: the contract's schedule / 3600). */
	callbackRetryScheduleMs?: number[];
	/** A callback attempt with no answer within this is a failure (default 10000). */
	callbackTimeoutMs?: number;
	/** Token bucket per API key (default {perSecond: 10, burst: 20}); false disables it. */
	rateLimit?: { perSecond?: number; burst?: number } | false;
	/** One line per request: true = stdout, a function receives each line; default false from code. */
	log?: boolean | ((line: string) => void);
}

export interface ProformaSandbox {
	url: string;
	port: number;
	apiKey: string;
	signingSecret: string;
	state(): SandboxState;
	reset(): void;
	setStepMs(ms: number): void;
	setAccountCallbackUrl(url: string | null): void;
	setFaults(faults: SandboxFaultsInput): SandboxFaults;
	advance(
		orderId: string,
		body?: { to?: ProformaOrderStatus; result?: ProformaResult },
	): ProformaOrder;
	/** Moves every date of the order `days` (1–3650) back, as if it happened that long ago. */
	backdate(orderId: string, days: number): ProformaOrder;
	close(): Promise<void>;
}

export function startProformaSandbox(options?: ProformaSandboxOptions): Promise<ProformaSandbox>;
export function signPayload(secret: string, rawBody: string, t?: number): string;
export function verifySignature(
	header: string | undefined,
	rawBody: string,
	secret: string,
	options?: { toleranceSeconds?: number; nowSeconds?: number },
): boolean;
export const PACKAGES: ProformaPackage[];
export const DEFAULT_API_KEY: string;
export const DEFAULT_SIGNING_SECRET: string;
export const DEFAULT_STEP_MS: number;
export const CONTRACT_RETRY_SCHEDULE_MS: number[];
export const DEFAULT_CALLBACK_RETRY_SCHEDULE_MS: number[];
