/** The benchmark's figures: the JSON written by --json and the table printed for people. */
import type { FreshAccountFigures } from './measure-fresh-account';
import type { ParallelRegionsFigures } from './measure-parallel-regions';
import type { BulkFigure } from './measure-bulk';
import type { BundleFigure } from './measure-bundles';
import type { PlanFigures } from './measure-plans';
import type { SigningFigures } from './measure-signing';
import { MAX_ACCOUNTS_PER_BATCH } from '../../cli/batches';

/** The JSON document `npm run bench -- --json FILE` writes: these keys and no others. */
export interface BenchJson {
  callsPerAccountRegion: number;
  callsByOperation: Record<string, number>;
  mutatingCallsOnReenroll: number;
  transitionsPerAccountRegion: number;
  parallelRegionsRatio: number;
  bulk: BulkFigure[];
  plans: PlanFigures;
  bundles: BundleFigure[];
  signing: SigningFigures;
}

/** Everything measured, with the settings it was measured under. */
export interface BenchResults {
  readonly latencyMs: number;
  readonly bulkLatencyMs: number;
  readonly coldRuns: number;
  readonly fresh: FreshAccountFigures;
  readonly parallel: ParallelRegionsFigures;
  readonly bulk: readonly BulkFigure[];
  readonly plans: PlanFigures;
  readonly bundles: readonly BundleFigure[];
  readonly signing: SigningFigures;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function toJson(results: BenchResults): BenchJson {
  return {
    callsPerAccountRegion: round(results.fresh.callsPerAccountRegion),
    callsByOperation: Object.fromEntries(Object.entries(results.fresh.callsByOperation).map(([op, n]) => [op, round(n)])),
    mutatingCallsOnReenroll: results.fresh.mutatingCallsOnReenroll,
    transitionsPerAccountRegion: round(results.fresh.transitionsPerAccountRegion),
    parallelRegionsRatio: round(results.parallel.ratio),
    bulk: results.bulk.map((b) => ({
      accounts: b.accounts,
      regions: b.regions,
      batches: b.batches,
      adminCalls: b.adminCalls,
      adminMutatingCalls: b.adminMutatingCalls,
      mutatingCalls: b.mutatingCalls,
      adminCallsPerRegionByOperation: Object.fromEntries(Object.entries(b.adminCallsPerRegionByOperation).map(([op, n]) => [op, round(n)])),
      wallMs: Math.round(b.wallMs),
    })),
    plans: results.plans,
    bundles: results.bundles.map((b) => ({ name: b.name, bytes: b.bytes, coldLoadMs: round(b.coldLoadMs, 1) })),
    signing: {
      requests: results.signing.requests,
      iamMedianMs: round(results.signing.iamMedianMs),
      apiKeyMedianMs: round(results.signing.apiKeyMedianMs),
      ratio: round(results.signing.ratio),
    },
  };
}

/** The administrator's operations the bulk table has a column for; any other is named below it. */
const BULK_COLUMNS = ['GetMembers', 'CreateMembers', 'InviteMembers', 'AssumeRole'];

const verdict = (value: number, goal: number) => (value <= goal ? 'met' : 'NOT met');

/** Renders rows as a Markdown table (readable in a terminal, pasteable in the README). */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** The figures, their goals and how each was measured, for a terminal. */
export function renderReport(results: BenchResults): string {
  const { fresh, parallel } = results;
  const ops = Object.entries(fresh.callsByOperation)
    .map(([op, n]) => `${op} ${round(n)}`)
    .join(', ');
  const reOps = Object.entries(fresh.reenrollCallsByOperation)
    .map(([op, n]) => `${op} ${round(n)}`)
    .join(', ');
  const figures = markdownTable(
    ['figure', 'value', 'goal', 'verdict'],
    [
      ['AWS calls per account-region (fresh account)', round(fresh.callsPerAccountRegion), '≤ 8', verdict(fresh.callsPerAccountRegion, 8)],
      ['  the same with warm Lambda caches', round(fresh.warmCallsPerAccountRegion), '≤ 8', verdict(fresh.warmCallsPerAccountRegion, 8)],
      ['mutating calls when re-enrolling', fresh.mutatingCallsOnReenroll, '0', verdict(fresh.mutatingCallsOnReenroll, 0)],
      ['state transitions per account-region', round(fresh.transitionsPerAccountRegion), '≤ 12', verdict(fresh.transitionsPerAccountRegion, 12)],
      [`wall time ${parallel.regions} regions / one region's critical path`, round(parallel.ratio), '≤ 1.5', verdict(parallel.ratio, 1.5)],
    ],
  );
  const bulk = markdownTable(
    [
      'accounts',
      'regions',
      'batches',
      'admin calls',
      'admin mutating',
      'all mutating',
      'per region: GetMembers / CreateMembers / InviteMembers / AssumeRole',
      'wall time',
    ],
    results.bulk.map((b) => {
      const op = (name: string) => round(b.adminCallsPerRegionByOperation[name] ?? 0);
      return [
        b.accounts,
        b.regions,
        b.batches,
        b.adminCalls,
        b.adminMutatingCalls,
        b.mutatingCalls,
        `${op('GetMembers')} / ${op('CreateMembers')} / ${op('InviteMembers')} / ${op('AssumeRole')}`,
        `${(b.wallMs / 1000).toFixed(1)} s`,
      ];
    }),
  );
  const otherOps = [...new Set(results.bulk.flatMap((b) => Object.keys(b.adminCallsPerRegionByOperation)))].filter((op) => !BULK_COLUMNS.includes(op));
  const bundles = markdownTable(
    ['Lambda', 'bundle', 'cold load (median)'],
    results.bundles.map((b) => [b.name, `${(b.bytes / 1024).toFixed(0)} KiB`, `${b.coldLoadMs.toFixed(1)} ms`]),
  );
  const regions = fresh.regions.join(', ');
  return `GuardDuty Enrollment API: benchmark (local mode, emulated AWS latency ${results.latencyMs} ms per call)

${figures}

How each figure was measured:
- AWS calls: a new account enrolled in ${fresh.regions.length} regions (${regions}) through POST /v1/enrollments;
  the emulator's per-operation call counts (GET /_emulator/calls) before and after, divided by the regions.
  The administrator's detector-id cache was emptied first (a Lambda container's first call), so ListDetectors
  is included. Per account-region: ${ops}.
  A second new account enrolled right after (warm containers, the detector id cached) made ${round(fresh.warmCallsPerAccountRegion)} per region.
- Mutating calls: the same account enrolled again in the same regions; calls named Create*, Invite*, Delete*,
  Update*, Accept* or Disassociate* in the counts' difference (all regions together).
  Per region it made: ${reOps}.
- State transitions: StateEntered events of the fresh enrollment's execution (LocalStepFunctions.onEvent),
  divided by its ${fresh.regions.length} regions: ${round(fresh.transitionsPerRegionInMap)} per region inside the Map + ${fresh.transitionsPerExecution} per execution
  (so ${round(fresh.transitionsPerRegionInMap + fresh.transitionsPerExecution)} for a one-region enrollment).
- Parallel regions: a new account in ${parallel.regions} regions with ${parallel.latencyMs} ms on every AWS call, after a warm-up enrollment
  (handler modules loaded) and with the detector-id cache emptied, timed from POST to the execution's stop:
  ${(parallel.wallMs / 1000).toFixed(2)} s. Critical path of one region = its ${round(parallel.callsPerRegion)} sequential calls × ${parallel.latencyMs} ms = ${(parallel.criticalPathMs / 1000).toFixed(2)} s.
  The Map runs ${parallel.maxConcurrentRegions} regions at once (setting maxConcurrentRegions), so ${parallel.regions} regions take ${parallel.waves} wave(s)
  and the ratio cannot go below ${parallel.waves} until maxConcurrentRegions ≥ ${parallel.regions}; per wave it is ${round(parallel.ratio / parallel.waves)}
  (the rest is Step Functions, Lambda and HTTP overhead in local mode).

Bulk: N accounts × ${results.bulk[0]?.regions ?? 0} regions, ${results.bulkLatencyMs} ms emulated latency per call (lower than above so that 500
accounts finish in minutes), as one POST /v1/enrollments/batch per size (${MAX_ACCOUNTS_PER_BATCH} accounts at most per batch: a larger size is
split as gde bulk splits a file, the batches running side by side), timed from the first POST until every batch's execution
has stopped; every account must end ENABLED in every region. Admin calls = the counts' difference (GET /_emulator/calls)
for calls made by the administrator account ${'111111111111'} (GuardDuty admin side and STS AssumeRole), with warm Lambda
caches (the administrator's detector ids known from the runs above). GetMembers, CreateMembers and InviteMembers take up to
50 accounts a call, so they grow as ⌈N/50⌉ per region (GetMembers twice: before any change and to verify); the member side
stays per account: one AssumeRole per account-region. Mutating = calls named Create*, Invite*, Delete*, Update*, Accept* or
Disassociate*: the administrator's (batched), and all callers' (the members' CreateDetector and AcceptAdministratorInvitation
are one per account-region).${otherOps.length > 0 ? ` Other administrator operations counted: ${otherOps.join(', ')}.` : ''}

${bulk}

Protection plans: accounts that already ran GuardDuty with its default features (every optional feature on
but runtime monitoring), so the profile must change them, enrolled in ${results.plans.regions} regions; the administrator's
GetMemberDetectors, UpdateMemberDetectors and GetRemainingFreeTrialDays from the counts' difference.
- One account alone, per region: ${Object.entries(results.plans.single.planCallsByOperation)
    .map(([op, n]) => `${op} ${round(n)}`)
    .join(', ')}
  (all its calls: ${round(results.plans.single.callsPerAccountRegion)} per account-region; a new account needs no UpdateMemberDetectors: its own
  CreateDetector already follows the profile).
- ${results.plans.batched.accounts} accounts as one batch, per region: ${Object.entries(results.plans.batched.planCallsPerRegionByOperation)
    .map(([op, n]) => `${op} ${round(n)}`)
    .join(', ')};
  ${round(results.plans.batched.planCallsPerAccountRegion, 3)} plan calls per account-region (50 accounts a call; no trial-days read in batches).

Lambda bundles: built with the CDK construct's esbuild options (minify, node24, cjs, SDK bundled and tree-shaken from its ES modules); cold load =
require() of the bundle in a fresh node process (not counting node's own start), median of ${results.coldRuns} runs.

${bundles}

Signing (authorization 'iam' against 'apiKey'), in this run: ${results.signing.requests} reads of an unknown enrollment (route, authorization,
key, DescribeExecution, 404 template) one after the other, no emulated latency. With 'iam' the client signs each request (the SDK's
SigV4 signer) and local mode verifies the signature and evaluates the identity and resource policies; with 'apiKey' it checks the key.
- median per request: ${round(results.signing.iamMedianMs)} ms signed, ${round(results.signing.apiKeyMedianMs)} ms with the key alone
- ratio: ${round(results.signing.ratio)} (${round(results.signing.iamMedianMs - results.signing.apiKeyMedianMs)} ms added per request, client and local API Gateway together)
`;
}
