'use strict';
/**
 * Back to the sandboxes' seed data between end-to-end scenarios, with nothing
 * of the previous scenario still writing into it.
 *
 * Resetting stops the sandboxes' pending deliveries (Lever webhooks, Proforma
 * callbacks), but one already on the wire may start an execution just after,
 * and that execution would tag or annotate a candidate of the fresh state (a
 * late "Completed" made the next scenario see the candidate as screened). So:
 * reset, wait until n8n has been quiet (every execution finished, none new for
 * a moment), reset again, and accept only when nothing started after that.
 * Plain CommonJS (not linted), shared by test/e2e and test/e2e-queue.
 */

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every execution of the workflow has finished; returns how many there are. */
async function settledCount(n8n, workflowId, timeoutMs) {
	const all = await n8n.listExecutions({ workflowId });
	await n8n.waitForExecutions({ workflowId, count: all.length, timeoutMs });
	return (await n8n.listExecutions({ workflowId })).length;
}

/** Finished and quiet: no new execution for `quietMs`. Returns the count. */
async function quiet(n8n, workflowId, quietMs, timeoutMs) {
	let count = await settledCount(n8n, workflowId, timeoutMs);
	for (;;) {
		await pause(quietMs);
		const now = await settledCount(n8n, workflowId, timeoutMs);
		if (now === count) return count;
		count = now;
	}
}

async function resetToSeed({ n8n, lever, proforma, workflowId, quietMs = 400, maxRounds = 5, timeoutMs = 90000 }) {
	const reset = () => {
		// The Lever Trigger registered its webhook through Lever's API when published: keep it.
		lever.reset({ keepWebhooks: true });
		proforma.reset();
	};
	for (let round = 0; round < maxRounds; round++) {
		reset();
		await quiet(n8n, workflowId, quietMs, timeoutMs);
		reset();
		const count = await settledCount(n8n, workflowId, timeoutMs);
		await pause(quietMs);
		if ((await settledCount(n8n, workflowId, timeoutMs)) === count) return;
	}
	throw new Error(`Executions of workflow ${workflowId} kept starting after ${maxRounds} sandbox resets`);
}

module.exports = { resetToSeed };
