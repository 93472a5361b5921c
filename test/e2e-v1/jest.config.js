/**
 * n8n 1.x e2e suite: the packed package and the template in the latest n8n 1.x
 * (1.123.81, on Node 22: the second runtime of scripts/n8n-runtime.js, installed
 * by globalSetup on first use). Its own jest run, since it starts another n8n than
 * the root e2e project; `npm test` runs it after the queue-mode suite.
 * Alone, after `npm run build`:
 *
 *   npx jest -c test/e2e-v1/jest.config.js --runInBand
 *
 * Besides its own tests it runs test/e2e/package.test.ts and
 * test/e2e/lever-trigger.test.ts unchanged: they use the same support/env.js.
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

module.exports = {
	rootDir: ROOT,
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	testEnvironment: 'node',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
	},
	testMatch: [
		'<rootDir>/test/e2e-v1/**/*.test.ts',
		'<rootDir>/test/e2e/package.test.ts',
		'<rootDir>/test/e2e/lever-trigger.test.ts',
	],
	setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'],
	globalSetup: '<rootDir>/test/e2e-v1/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e-v1/globalTeardown.js',
};
