import { afterEach, beforeEach, jest } from '@jest/globals';
import * as workflow from 'n8n-workflow';
import nock from 'nock';

/**
 * For tests against a mocked API: no real network (nock only), and n8n's
 * `sleep` (the retry backoff) resolved at once but recorded, so tests assert
 * the delays instead of waiting them.
 */
export interface OfflineApi {
	/** The spy on n8n-workflow's `sleep` for the running test. */
	readonly sleep: jest.SpiedFunction<typeof workflow.sleep>;
}

/** Call inside a `describe` (or at the top of a file): sets up and restores around each test. */
export function useOfflineApi(): OfflineApi {
	let spy: jest.SpiedFunction<typeof workflow.sleep> | undefined;
	beforeEach(() => {
		nock.disableNetConnect();
		spy = jest.spyOn(workflow, 'sleep').mockResolvedValue(undefined);
	});
	afterEach(() => {
		nock.cleanAll();
		nock.enableNetConnect();
		spy?.mockRestore();
		spy = undefined;
	});
	return {
		get sleep() {
			if (!spy) throw new Error('useOfflineApi: sleep is spied only while a test runs');
			return spy;
		},
	};
}
