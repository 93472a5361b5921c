/**
 * Types of the local Lever sandbox (server.js). See docs/lever-sandbox.md.
 */

export interface LeverSandboxOptions {
	/** 0 picks a free port. Default 0. */
	port?: number;
	/** Loopback only. Default '127.0.0.1'. */
	host?: string;
	/** Basic auth username (password empty). Default 'sandbox-lever-key'. */
	apiKey?: string;
	/** More API keys accepted besides apiKey, each with its own rate-limit bucket. Default none. */
	extraApiKeys?: string[];
	/** Load the seed data. Default true. */
	seed?: boolean;
	/** Waits before the retries of a failed delivery. Default [1000, 2000, 4000, 8000, 16000]. */
	webhookRetryScheduleMs?: number[];
	/** A delivery attempt with no answer after this long fails. Default 10000. */
	webhookTimeoutMs?: number;
	/**
	 * Lever's rate limit per API key: a token bucket refilled at perSecond, holding up to burst.
	 * Default on: { perSecond: 10, burst: 20 } (a number left out keeps Lever's). false: off.
	 */
	rateLimit?: { perSecond?: number; burst?: number } | false;
	/** The rate limit's time source in ms (tests freeze or step it). Default Date.now. */
	clock?: () => number;
	/** true: one line per request on stdout; a function receives the lines. */
	log?: boolean | ((line: string) => void);
}

/** What POST /__sandbox/rate-limit and setRateLimit() take; a number left out keeps its value. */
export interface LeverRateLimitInput {
	/** Tokens per second per API key; a positive number. */
	perSecond?: number;
	/** Most requests a full bucket lets through at once; at least 1. */
	burst?: number;
	/** false switches the limit off (with no other field). */
	enabled?: boolean;
}

/** state().rateLimit when the limit is on. */
export interface LeverRateLimitState {
	perSecond: number;
	burst: number;
	/** 429s the rate limit answered since the last reset (injected ones not counted). */
	limited: number;
}

/** What bulkMoveToStage() and POST /__sandbox/opportunities/bulk-stage answer. */
export interface LeverBulkMoveResult {
	/** Candidates moved (the ones already at the stage are not). */
	moved: number;
	/** One per candidate moved and matching webhook; they go out after the answer. */
	deliveryIds: string[];
}

/** GET /__sandbox/deliveries/summary and deliverySummary(). */
export interface LeverDeliverySummary {
	total: number;
	/** Not settled yet: pending or retrying. */
	pending: number;
	succeeded: number;
	failed: number;
	/** Deliveries whose first attempt got a 2xx. */
	firstAttemptOk: number;
	/** Attempts of all deliveries, manual reruns included. */
	attempts: number;
	/** Over every attempt's durationMs (nearest rank); null when there is no attempt. */
	answerMs: { p50: number | null; p99: number | null; max: number | null };
}

export interface LeverWebhookPayload {
	id?: string;
	event: string;
	triggeredAt: number;
	token: string;
	signature: string;
	data: Record<string, unknown>;
}

export interface LeverDeliveryAttempt {
	attempt: number;
	manual: boolean;
	at: number;
	status: number | null;
	error: string | null;
	responseBody: string | null;
	/** The answer time: from sending to the whole answer (or to the failure, such as the timeout). */
	durationMs: number;
}

export interface LeverDelivery {
	id: string;
	kind: 'event' | 'ping';
	webhookId: string;
	event: string;
	url: string;
	payload: LeverWebhookPayload;
	status: 'pending' | 'retrying' | 'succeeded' | 'failed';
	nextAttemptAt: number | null;
	createdAt: number;
	attempts: LeverDeliveryAttempt[];
}

export interface LeverSandboxWebhook {
	id: string;
	url: string;
	event: string;
	conditions: { origins: string[] } | null;
	signatureToken: string;
	source: 'api' | 'settings';
	createdAt: number;
	updatedAt: number;
}

export interface LeverRequestLogEntry {
	at: number;
	method: string;
	path: string;
	query: string;
	status: number;
	durationMs: number;
	body?: unknown;
	/** An injected fault answered it. */
	fault?: boolean;
	/** The rate limit answered it (429). */
	rateLimited?: boolean;
}

export interface LeverNote {
	id: string;
	opportunityId: string;
	text: string;
	fields: Array<{
		type: string;
		text: string;
		value: string;
		createdAt: number;
		user: string | null;
		score: number | null;
		stage: string;
	}>;
	user: string | null;
	secret: boolean;
	notifyFollowers: boolean;
	createdAt: number;
	completedAt: number;
	deletedAt: number | null;
}

export interface LeverSandboxState {
	opportunities: Array<Record<string, unknown> & { id: string; stage: string; tags: string[] }>;
	contacts: Array<Record<string, unknown>>;
	applications: Array<Record<string, unknown>>;
	notes: LeverNote[];
	stages: Array<{ id: string; text: string }>;
	postings: Array<Record<string, unknown> & { id: string; tags: string[] }>;
	users: Array<Record<string, unknown>>;
	archiveReasons: Array<Record<string, unknown>>;
	deletedOpportunities: Array<{ id: string; deletedAt: number }>;
	webhooks: LeverSandboxWebhook[];
	deliveries: LeverDelivery[];
	requests: LeverRequestLogEntry[];
	faults: {
		failNext: { count: number; status: number };
		rateLimitNext: { count: number };
		slowNext: { count: number; ms: number; pathIncludes: string; bodyIncludes: string };
	};
	/** null when the rate limit is off. */
	rateLimit: LeverRateLimitState | null;
}

export interface LeverFaults {
	failNext?: { count?: number; status?: number };
	rateLimitNext?: { count?: number };
	/** The next `count` requests whose path contains `pathIncludes` (and JSON body `bodyIncludes`) are handled after `ms`. */
	slowNext?: { count?: number; ms?: number; pathIncludes?: string; bodyIncludes?: string };
}

export interface LeverSeedIds {
	apiKey: string;
	stages: {
		newLead: string;
		newApplicant: string;
		phoneScreen: string;
		onsiteInterview: string;
		backgroundScreening: string;
		offer: string;
	};
	users: { riley: string; morgan: string; casey: string };
	archiveReasons: {
		hired: string;
		withdrew: string;
		underqualified: string;
		backgroundCheck: string;
	};
	postings: { standard: string; executivePlus: string; unknownPackage: string; noPackage: string };
	opportunities: {
		ada: string;
		grace: string;
		alan: string;
		katherine: string;
		edsger: string;
		barbara: string;
		margaret: string;
		donald: string;
		radia: string;
		frances: string;
	};
	contacts: Record<string, string>;
	applications: Record<string, string>;
	opportunityCount: number;
}

export interface LeverSandbox {
	/** http://127.0.0.1:PORT/v1 */
	url: string;
	/** http://127.0.0.1:PORT */
	origin: string;
	port: number;
	apiKey: string;
	SEED: LeverSeedIds;
	state(): LeverSandboxState;
	reset(options?: { keepWebhooks?: boolean }): void;
	/** A recruiter moving the candidate in Lever's UI; returns the ids of the deliveries it started. */
	moveToStage(opportunityId: string, stageId: string, performAs?: string): string[];
	/**
	 * Lever's bulk action: every listed candidate to one stage, checked first (an unknown id
	 * throws, nothing moved). Returns at once; the deliveries go out at most `concurrency`
	 * (default 10) at a time.
	 */
	bulkMoveToStage(
		opportunityIds: string[],
		stageId: string,
		options?: { concurrency?: number; performAs?: string },
	): LeverBulkMoveResult;
	/** Manual registration in Lever's settings page. */
	registerWebhook(input: { url: string; event: string; conditions?: { origins: string[] } }): {
		id: string;
		signatureToken: string;
	};
	createOpportunity(input: {
		name: string;
		email?: string;
		phone?: string;
		location?: string;
		postingId?: string;
		stageId?: string;
		tags?: string[];
		origin?: string;
		id?: string;
	}): Record<string, unknown> & { id: string };
	/** A recruiter archiving (a reason id) or unarchiving (null) the candidate; returns the delivery ids. */
	archive(opportunityId: string, reason: string | null): string[];
	/** A recruiter deleting the candidate (404 from then on); returns the delivery ids. */
	deleteOpportunity(opportunityId: string): string[];
	rerunDelivery(deliveryId: string): Promise<LeverDeliveryAttempt | null>;
	pingWebhook(webhookId: string): Promise<LeverDelivery>;
	setFaults(input: LeverFaults): LeverSandboxState['faults'];
	/** Sets the rate limit (full buckets), or switches it off with false; returns state().rateLimit. */
	setRateLimit(config: LeverRateLimitInput | false): LeverRateLimitState | null;
	/** The delivery history in figures. */
	deliverySummary(): LeverDeliverySummary;
	/** Polls `predicate(state())` until it returns a truthy value (resolved) or the timeout passes (rejected). */
	waitFor<T>(
		predicate: (state: LeverSandboxState) => T | undefined | null | false,
		timeoutMs?: number,
		intervalMs?: number,
	): Promise<T>;
	close(): Promise<void>;
}

export function startLeverSandbox(options?: LeverSandboxOptions): Promise<LeverSandbox>;
export function signPayload(signatureToken: string, token: string, triggeredAt: number): string;
export const SEED: LeverSeedIds;
export const WEBHOOK_EVENTS: string[];
