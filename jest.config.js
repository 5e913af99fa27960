// Test tiers as jest projects: unit (no network), integration (DynamoDB Local, fauxqs, Hardhat),
// e2e (the local runner over HTTP), infra (CDK assertions and cdk-nag).
/** ESM-only packages that handlers import; jest's CommonJS runtime needs them transpiled. */
const esmPackages = ['@middy', 'canonicalize', 'any-ascii'];

const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/helpers/quiet-logs.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/integration-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/integration-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/e2e-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/e2e-teardown.ts',
    },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
  ],
  testTimeout: 60_000,
  // `npm run test:coverage`: the unit tier alone must cover the modules' domain code (docs/ARCHITECTURE.md).
  collectCoverageFrom: ['<rootDir>/lambda/modules/*/*.ts', '!<rootDir>/lambda/modules/*/index.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: { global: { lines: 85 } },
};
