/**
 * Dependency rules of the code base (docs/architecture.md, "The shape of a service" and
 * "Conventions checked by tests"). `test/contract/boundaries.test.ts` cruises the repository
 * with these rules in `npm test`, and plants one violation per rule to show each one bites;
 * `npm run deps` prints the same findings on the command line.
 *
 * Paths are relative to the cruise's base directory (the repository root). Type-only imports
 * count (`tsPreCompilationDeps`): a type import still couples the importer to the imported
 * module's shape, and a type-only cycle is still a cycle in the design.
 */
/** Product code: everything that ships or runs outside the test suite. */
const PRODUCT = '^(services|shared|events|infra|scripts)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment:
        'A cycle makes module load order matter (an ESM cycle can throw "cannot access before ' +
        'initialization" at import time) and means two modules are really one; break it by moving ' +
        'the shared part down a layer.',
      severity: 'error',
      from: { path: PRODUCT },
      to: { circular: true },
    },
    {
      name: 'no-cross-service-imports',
      comment:
        'A service never imports another service: what it needs from another service arrives in ' +
        'events (events/) or through shared/. Otherwise services could not be deployed, versioned or ' +
        'reasoned about one at a time.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'registry-imports-only-manifests-and-routes',
      comment:
        'services/registry.ts is the one list of services both runtimes read: it may import each ' +
        "service's manifest (service.ts) and route list (routes/index.ts), nothing deeper, so that " +
        'loading the registry never loads handlers, stores or jobs.',
      severity: 'error',
      from: { path: '^services/registry\\.ts$' },
      to: { path: '^services/[^/]+/', pathNot: '^services/[^/]+/(service\\.ts|routes/index\\.ts)$' },
    },
    {
      name: 'domain-is-pure',
      comment:
        'services/<name>/domain/ holds pure rules: no AWS, no clock, no I/O, so it is tested without ' +
        'mocks and reused by every part of the service. It may import its own domain/, events/ ' +
        '(vocabulary and event shapes), shared/pure/, zod, ipaddr.js (parsing addresses), ' +
        'fast-json-stable-stringify (JSON with sorted keys, for text that must compare equal), and ' +
        'node:crypto (hashing is a pure function); nothing else: no other shared/ module, no AWS SDK, no node: built-in that does I/O.',
      severity: 'error',
      from: { path: '^services/([^/]+)/domain/' },
      to: {
        pathNot: ['^services/$1/domain/', '^events/', '^shared/pure/', '(^|/)node_modules/zod/', '(^|/)node_modules/ipaddr\\.js/', '(^|/)node_modules/fast-json-stable-stringify/', '^(node:)?crypto$'],
      },
    },
    {
      name: 'shared-does-not-import-services',
      comment:
        'shared/ is what every service builds on; if it imported a service, every service would ' +
        'depend on that one (and the registry on itself). Pass what shared code needs as arguments.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^services/' },
    },
    {
      name: 'events-imports-only-events-and-zod',
      comment:
        'events/ is the published contract (event schemas are generated from it, every service ' +
        'imports it): it stands alone, importing only other events/ modules and zod. In particular ' +
        'not shared/, which imports events/ (a cycle) and carries runtime code into the schemas.',
      severity: 'error',
      from: { path: '^events/' },
      to: { pathNot: ['^events/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'runtime-code-does-not-import-infra',
      comment:
        'services/, shared/ and events/ are bundled into Lambda functions; infra/ is CDK and the ' +
        'local runtime, which describe how that code is deployed and must never be bundled with it.',
      severity: 'error',
      from: { path: '^(services|shared|events)/' },
      to: { path: '^infra/' },
    },
    {
      name: 'product-does-not-import-local-runtime',
      comment:
        'infra/local is the embedded local runtime (DynamoDB Local, local bus, workers): a developer ' +
        'tool. Product code that imported it would behave differently, or not load, in AWS.',
      severity: 'error',
      from: { path: PRODUCT, pathNot: '^infra/local/' },
      to: { path: '^infra/local/' },
    },
    {
      name: 'product-does-not-import-tests',
      comment: 'test/ depends on the product, never the other way round: test helpers and fixtures do not ship.',
      severity: 'error',
      from: { path: PRODUCT },
      to: { path: '^test/' },
    },
  ],
  options: {
    // Only product code is cruised (the CLI and the test pass the folders); npm packages are
    // recorded as dependencies but not followed into.
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    moduleSystems: ['es6', 'cjs'],
    // The repository imports with explicit `.ts` extensions (allowImportingTsExtensions).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
