/**
 * Two projects: unit tests of each package, and integration suites against a real Kafka broker and
 * registry (started once per run by the global setup). Tests run against each package's built dist,
 * imported by package name, as users import it.
 */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/packages'], testMatch: ['**/test/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/integration-tests'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/integration-tests/global-setup.js',
      globalTeardown: '<rootDir>/integration-tests/global-teardown.js',
    },
  ],
  // A project-level testTimeout is ignored: it belongs here.
  testTimeout: 60000,
};
