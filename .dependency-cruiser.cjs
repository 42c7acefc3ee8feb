/**
 * The project's dependency rule (run by `npm run lint`, and so by CI): what each folder may import.
 * contract/ is what both sides share and imports nothing of ours and no CDK or SDK; lib/ (the
 * infrastructure) and lambda/ (the workflow's code) never import each other; the emulator
 * (local/emulator/) imports nothing outside itself but contract/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-not-lambda',
      comment: 'The infrastructure reads what it shares with the steps from contract/, never from lambda/.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(lambda|local|cli|test)/' },
    },
    {
      name: 'lambda-not-lib',
      comment: "The steps' code is bundled into Lambda: it must not pull in the CDK app (lib/) or local mode.",
      severity: 'error',
      from: { path: '^lambda/' },
      to: { path: '^(lib|local|cli|test)/' },
    },
    {
      name: 'lambda-not-cdk',
      comment: 'Lambda bundles stay small: no CDK in the steps.',
      severity: 'error',
      from: { path: '^lambda/' },
      to: { path: 'node_modules/(aws-cdk-lib|constructs|cdk-nag)/' },
    },
    {
      name: 'contract-imports-nothing',
      comment: 'contract/ is plain rules and types shared by every side: no CDK, no SDK, nothing of ours outside it.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { pathNot: '^contract/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'emulator-stands-alone',
      comment: 'The emulator models AWS: it imports nothing of ours outside local/emulator/ but contract/.',
      severity: 'error',
      from: { path: '^local/emulator/' },
      to: { path: '^(lib|lambda|cli|test)/|^local/(?!emulator/)' },
    },
    {
      name: 'cli-not-infrastructure',
      comment: 'The command line talks to the API; it shares rules through contract/, not the CDK app or the steps.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^(lib|lambda|local|test)/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other cannot be read or tested on their own.',
      severity: 'error',
      from: { path: '^(contract|lib|lambda|cli|local)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(cdk\\.out|node_modules)' },
  },
};
