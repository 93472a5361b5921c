/**
 * Backoff policy shared by the Lever and Proforma transports.
 *
 * Both APIs rate-limit with a token bucket (10 r/s, bursts of 20) and ask
 * clients to retry 429/503 with exponential backoff. Jitter spreads retries of
 * concurrent executions (queue-mode workers) so they do not hit the API in step.
 */
export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Delay before the first retry, doubled on each further retry. */
	baseDelayMs: number;
	/** Backoff waits are never longer than this. */
	maxDelayMs: number;
	/**
	 * A server's Retry-After is honoured up to this (default: maxDelayMs).
	 * Retrying earlier than asked would only burn the retry budget.
	 */
	maxRetryAfterMs?: number;
	/**
	 * Retries after a 429, when different from maxRetries. A rate limit clears
	 * with time (the bucket refills), so it deserves a longer budget than an
	 * outage: a burst of executions can keep a 10 r/s bucket empty for a minute.
	 */
	maxRateLimitRetries?: number;
	/**
	 * Longest wait between retries after a 429, when shorter than maxDelayMs.
	 * A token bucket refills within a second or two: an execution that waited
	 * 30 s would lose its turn to every execution that arrived meanwhile.
	 */
	maxRateLimitDelayMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	// 0.5 + 1 + 2 + 4 + 8 + 16 s at most (16-32 s with jitter): outlasts a
	// half-minute outage or restart of either API.
	maxRetries: 6,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
	// 2.5-5 min of waiting in steps of 4-8 s, unless the server's Retry-After
	// asks for longer: a bulk move of 1,000 candidates keeps Lever's bucket
	// empty for minutes, and no execution should fail for it (docs/scaling.md).
	maxRateLimitRetries: 40,
	maxRateLimitDelayMs: 8_000,
};

/** The policy for the wait after `status`: 429s take shorter steps. */
export function policyForStatus(policy: RetryPolicy, status: number): RetryPolicy {
	if (status !== 429 || policy.maxRateLimitDelayMs === undefined) return policy;
	return {
		...policy,
		maxDelayMs: Math.min(policy.maxDelayMs, policy.maxRateLimitDelayMs),
		maxRetryAfterMs: policy.maxRetryAfterMs ?? policy.maxDelayMs,
	};
}

/**
 * Reads a Retry-After header: delta-seconds or an HTTP date.
 * Returns milliseconds, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (0-based).
 * Exponential with jitter between half and the whole step, capped by
 * maxDelayMs; a server's Retry-After wins when it asks for longer, up to
 * maxRetryAfterMs.
 */
export function retryDelayMs(
	retry: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	const jittered = Math.round(step / 2 + (random() * step) / 2);
	if (retryAfterMs === undefined || retryAfterMs <= jittered) return jittered;
	return Math.min(
		Math.max(policy.maxRetryAfterMs ?? policy.maxDelayMs, policy.maxDelayMs),
		retryAfterMs,
	);
}
