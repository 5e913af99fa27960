/**
 * The module boundaries of docs/ARCHITECTURE.md, checked on every `npm test` (`npm run lint:deps`).
 * Layers, bottom up: lambda/shared (vocabulary, errors, queue message contracts) → lambda/modules/<m>
 * (domain, then its adapters) → lambda/platform (AWS clients, observability, front doors) →
 * lambda/functions/<name> (a handler and its composition root) → bin/, lib/, test/, bench/.
 */
const DOMAIN = '^lambda/modules/[^/]+/(?!adapters/|fakes/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No cycles, within a module or between modules: a lower module declares a port instead of importing a higher one.',
      severity: 'error',
      from: { path: '^lambda/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-plain-typescript',
      comment: 'Domain code imports no AWS SDK, Lambda types, middy, Powertools or ethers: adapters implement the ports it declares.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: 'node_modules/(@aws-sdk|@types/aws-lambda|@middy|@aws-lambda-powertools|ethers)/' },
    },
    {
      name: 'modules-meet-through-their-contract',
      comment: 'A module reaches another module only through its index.ts (its adapters only through adapters/index.ts).',
      severity: 'error',
      from: { path: '^lambda/modules/([^/]+)/' },
      to: { path: '^lambda/modules/', pathNot: ['^lambda/modules/$1/', '^lambda/modules/[^/]+/index\\.ts$', '^lambda/modules/[^/]+/adapters/index\\.ts$'] },
    },
    {
      name: 'outsiders-use-the-contract',
      comment: 'Functions, the CLI, the runner and benchmarks use a module through its index.ts, adapters/index.ts or fakes/index.ts.',
      severity: 'error',
      from: { path: '^(lambda/functions|lambda/platform|bin|lib|bench)/' },
      to: { path: '^lambda/modules/', pathNot: '^lambda/modules/[^/]+/(adapters/|fakes/)?index\\.ts$' },
    },
    {
      name: 'only-functions-and-bin-build-adapters',
      comment: 'Adapters are chosen by composition roots (lambda/functions, bin, bench, tests), never by domain code.',
      severity: 'error',
      from: { path: '^lambda/', pathNot: ['^lambda/functions/', '^lambda/modules/[^/]+/adapters/'] },
      to: { path: '^lambda/modules/[^/]+/adapters/' },
    },
    {
      name: 'fakes-are-for-tests',
      comment: 'In-memory fakes of the ports serve unit tests; nothing that ships builds them.',
      severity: 'error',
      from: { path: '^(lambda|bin|lib)/', pathNot: '^lambda/modules/[^/]+/fakes/' },
      to: { path: '^lambda/modules/[^/]+/fakes/' },
    },
    {
      name: 'domain-reads-no-configuration',
      comment: 'Domain and shared code get their settings as arguments: no lambda/config/env, platform or function code.',
      severity: 'error',
      from: { path: [DOMAIN, '^lambda/shared/'] },
      to: { path: '^lambda/(config/env|config/chains|platform/|functions/)' },
    },
    {
      name: 'shared-is-the-bottom',
      comment: 'lambda/shared depends on nothing of ours.',
      severity: 'error',
      from: { path: '^lambda/shared/' },
      to: { path: '^lambda/(modules|platform|functions|config)/' },
    },
    {
      name: 'platform-knows-no-module',
      comment: 'Front doors and AWS clients serve every function alike.',
      severity: 'error',
      from: { path: '^lambda/platform/' },
      to: { path: '^lambda/(modules|functions)/' },
    },
    {
      name: 'functions-stand-alone',
      comment: 'A function builds only what it declares: no function imports another one.',
      severity: 'error',
      from: { path: '^lambda/functions/([^/]+)/' },
      to: { path: '^lambda/functions/', pathNot: '^lambda/functions/$1/' },
    },
    {
      name: 'console-calls-only-the-api',
      comment:
        "The console (console/src) runs in people's browsers and talks to the system only through the public HTTP API: of ours it imports only the route table (lambda/config/system.ts, plain data), to hide what a role may not do.",
      severity: 'error',
      from: { path: '^console/src/' },
      to: { path: '^(lambda|bin|lib|test|bench)/', pathNot: '^lambda/config/system\\.ts$' },
    },
    {
      name: 'nothing-imports-the-console-app',
      comment: 'The console app is bundled for the browser by console/build.ts; server code never imports it.',
      severity: 'error',
      from: { path: '^(lambda|bin|lib|test|bench)/' },
      to: { path: '^console/src/' },
    },
    {
      name: 'shipped-code-imports-no-tooling',
      comment: 'Lambda code never imports the CLI, the runner, tests or benchmarks.',
      severity: 'error',
      from: { path: '^lambda/' },
      to: { path: '^(bin|test|bench|lib)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.local|coverage|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
