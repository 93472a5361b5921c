/**
 * Two projects:
 * - unit: TypeScript tests of the nodes with nock, plus contract tests that run
 *   the Proforma client against the in-process sandbox. Fast, no n8n needed.
 * - e2e: a real n8n 2.x (provided by scripts/n8n-runtime.js) running the built
 *   package and the template against the Lever and Proforma sandboxes.
 * Two more e2e suites have their own configs (`npm test` runs them after these):
 * test/e2e-queue/jest.config.js (queue mode) and test/e2e-v1/jest.config.js (n8n 1.x).
 */
const tsTransform = {
	'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
};

module.exports = {
	// dist/ holds a copy of package.json: keep jest's module map from seeing two.
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform: tsTransform,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
			// nock patches the process-wide http module; jest's soft global cleanup only warns about it.
			testEnvironmentOptions: { globalsCleanup: 'off' },
			setupFilesAfterEnv: ['<rootDir>/test/support/nockLifecycle.ts'],
			// n8n's sleep() is mocked per test where backoff is asserted.
			clearMocks: true,
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: tsTransform,
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			// One n8n for the whole suite: run with --runInBand (see package.json).
			setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'],
			globalSetup: '<rootDir>/test/e2e/globalSetup.js',
			globalTeardown: '<rootDir>/test/e2e/globalTeardown.js',
		},
	],
};
