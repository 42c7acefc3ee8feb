/**
 * A smoke run of the benchmark on tiny sizes: every measurement runs end to end and the JSON has
 * the documented shape. No timing is asserted: the benchmark is not a test of speed.
 */
import * as path from 'node:path';
import { HANDLER_ENTRY_METADATA } from '../../lib/step-lambda';
import { parseBenchOptions } from '../../local/bench/options';
import { renderReport, toJson } from '../../local/bench/report';
import type { BenchResults } from '../../local/bench/report';
import { runBench } from '../../local/bench/run-bench';
import { synthesizeTemplates } from '../../local/runtime/template/synth';

let results: BenchResults;

beforeAll(async () => {
  results = await runBench({ latencyMs: 1, bulkLatencyMs: 0, bulkSizes: [1, 2], coldRuns: 1, parallelRegions: 2, signingRequests: 3 });
}, 240_000);

const isPositiveInteger = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
const isPositiveNumber = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;

test('the JSON has exactly the documented top-level keys', () => {
  expect(Object.keys(toJson(results)).sort()).toEqual(
    [
      'bulk',
      'bundles',
      'callsByOperation',
      'callsPerAccountRegion',
      'mutatingCallsOnReenroll',
      'parallelRegionsRatio',
      'plans',
      'signing',
      'transitionsPerAccountRegion',
    ].sort(),
  );
});

test('protection plans: an account that ran every feature needs one UpdateMemberDetectors per region alone, and a batch shares them', () => {
  const { plans } = toJson(results);
  expect(plans.single.planCallsByOperation).toEqual({ GetMemberDetectors: 2, UpdateMemberDetectors: 1, GetRemainingFreeTrialDays: 1 });
  // The largest bulk size here is 2: one batch of 2 accounts, one call of each per region.
  expect(plans.batched).toMatchObject({ accounts: 2, planCallsPerRegionByOperation: { GetMemberDetectors: 2, UpdateMemberDetectors: 1 } });
  expect(plans.batched.planCallsPerAccountRegion).toBe(1.5);
});

test('call counts are positive whole numbers per account-region, AssumeRole included, and re-enrolling mutates nothing', () => {
  const json = toJson(results);
  expect(isPositiveInteger(json.callsPerAccountRegion)).toBe(true);
  expect(Object.values(json.callsByOperation).every(isPositiveInteger)).toBe(true);
  expect(json.callsByOperation.AssumeRole).toBe(1);
  expect(Object.values(json.callsByOperation).reduce((a, b) => a + b, 0)).toBe(json.callsPerAccountRegion);
  expect(Number.isInteger(json.mutatingCallsOnReenroll) && json.mutatingCallsOnReenroll >= 0).toBe(true);
  expect(isPositiveNumber(json.transitionsPerAccountRegion)).toBe(true);
  expect(isPositiveNumber(json.parallelRegionsRatio)).toBe(true);
});

test('bulk goes through the batch route: administrator calls per operation are batched, AssumeRole is one per account-region', () => {
  const { bulk } = toJson(results);
  expect(bulk.map((b) => [b.accounts, b.regions, b.batches])).toEqual([
    [1, 3, 1],
    [2, 3, 1],
  ]);
  for (const b of bulk) {
    expect(Object.keys(b).sort()).toEqual([
      'accounts',
      'adminCalls',
      'adminCallsPerRegionByOperation',
      'adminMutatingCalls',
      'batches',
      'mutatingCalls',
      'regions',
      'wallMs',
    ]);
    expect(isPositiveNumber(b.wallMs)).toBe(true);
    // One batched call per operation and region whether the batch holds 1 or 2 accounts (⌈N/50⌉).
    // DescribeAccount: the email check with Organizations, once per account to create (checkEmailWithOrganizations).
    expect(b.adminCallsPerRegionByOperation).toMatchObject({
      GetMembers: 2,
      CreateMembers: 1,
      InviteMembers: 1,
      AssumeRole: b.accounts,
      DescribeAccount: b.accounts,
    });
    expect(Object.values(b.adminCallsPerRegionByOperation).reduce((x, y) => x + y, 0) * b.regions).toBe(b.adminCalls);
    expect(b.adminMutatingCalls).toBe(2 * b.regions);
    // The members' side: CreateDetector and AcceptAdministratorInvitation per account-region.
    expect(b.mutatingCalls).toBe(b.adminMutatingCalls + 2 * b.accounts * b.regions);
  }
  // Twice the accounts: the same batched calls, one more AssumeRole and DescribeAccount per region.
  expect(bulk[1].adminCalls - bulk[0].adminCalls).toBe(2 * bulk[0].regions);
});

/** The handler module of every Lambda function the CDK app deploys (StepLambda's metadata on each). */
function deployedHandlers(): string[] {
  const { enrollment } = synthesizeTemplates();
  return Object.values(enrollment.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[HANDLER_ENTRY_METADATA])
    .map((r) => path.basename(String(r.Metadata![HANDLER_ENTRY_METADATA]), '.ts'))
    .sort();
}

test('every Lambda the app deploys has a bundle with a size and a cold load time', () => {
  const { bundles } = toJson(results);
  const deployed = deployedHandlers();
  expect(deployed).toEqual(expect.arrayContaining(['accept-invitation', 'enroll-from-event', 'prepare-members', 'remove-member', 'verify-members']));
  expect(bundles.map((b) => b.name)).toEqual(deployed);
  for (const b of bundles) {
    expect(Object.keys(b).sort()).toEqual(['bytes', 'coldLoadMs', 'name']);
    expect(isPositiveInteger(b.bytes)).toBe(true);
    expect(isPositiveNumber(b.coldLoadMs)).toBe(true);
  }
});

test('the printed report says how each figure was measured', () => {
  const text = renderReport(results);
  for (const phrase of [
    'AWS calls per account-region',
    'GET /_emulator/calls',
    'StateEntered',
    'critical path',
    'Bulk:',
    'POST /v1/enrollments/batch',
    '⌈N/50⌉',
    'median of 1 runs',
  ])
    expect(text).toContain(phrase);
});

test('the bench defaults are the ones documented: 100 ms latency, bulk 1/10/100/500', () => {
  expect(parseBenchOptions([])).toMatchObject({ latencyMs: 100, bulkSizes: [1, 10, 100, 500], parallelRegions: 16, jsonFile: undefined });
  expect(parseBenchOptions(['--latency-ms', '50', '--bulk', '2,4', '--json', 'out.json'])).toMatchObject({
    latencyMs: 50,
    bulkSizes: [2, 4],
    jsonFile: 'out.json',
  });
  expect(() => parseBenchOptions(['--latency-ms', 'fast'])).toThrow(/--latency-ms must be a whole number/);
  // One batch per size now: there is no concurrency to set.
  expect(() => parseBenchOptions(['--bulk-concurrency', '25'])).toThrow(/bulk-concurrency/);
});

test('the signing figure compares signed reads with authorization iam to key-only reads with apiKey, in the same run', () => {
  const { signing } = toJson(results);
  expect(signing.requests).toBe(3);
  expect([signing.iamMedianMs, signing.apiKeyMedianMs, signing.ratio].every(isPositiveNumber)).toBe(true);
  expect(renderReport(results)).toMatch(/Signing \(authorization 'iam' against 'apiKey'\)[\s\S]*ratio: /);
});
