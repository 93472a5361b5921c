/**
 * Queue-mode e2e suite: its own jest run (it starts Postgres and Redis, which the
 * root projects do not need); `npm test` runs it after the root projects.
 * Alone, after `npm run build`:
 *
 *   npx jest -c test/e2e-queue/jest.config.js --runInBand
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
	testMatch: ['<rootDir>/test/e2e-queue/**/*.test.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'],
	globalSetup: '<rootDir>/test/e2e-queue/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e-queue/globalTeardown.js',
};
