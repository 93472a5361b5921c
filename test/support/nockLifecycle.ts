/**
 * Every test file gets its own copy of nock (jest's module registry), but they
 * all patch the one `http` module of the process. Restoring it after each file
 * keeps a previous file's interceptor from handling (and crashing on) the next
 * file's requests when the suite runs in band.
 */
import { afterAll } from '@jest/globals';
import nock from 'nock';

afterAll(() => {
	nock.cleanAll();
	nock.restore();
});
