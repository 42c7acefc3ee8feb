/**
 * A smoke run of the benchmark on tiny sizes: every measurement runs end to end and the JSON has
 * the documented shape. No timing is asserted: the benchmark is not a test of speed.
 */
import { parseBenchOptions } from '../../local/bench/options';
import { renderReport, toJson } from '../../local/bench/report';
import type { BenchResults } from '../../local/bench/report';
import { runBench } from '../../local/bench/run-bench';

let results: BenchResults;

beforeAll(async () => {
  results = await runBench({ latencyMs: 1, bulkLatencyMs: 0, bulkSizes: [1, 2], bulkConcurrency: 2, coldRuns: 1, parallelRegions: 2 });
}, 120_000);

const isPositiveInteger = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
const isPositiveNumber = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;

test('the JSON has exactly the documented top-level keys', () => {
  expect(Object.keys(toJson(results)).sort()).toEqual(
    ['bulk', 'bundles', 'callsByOperation', 'callsPerAccountRegion', 'mutatingCallsOnReenroll', 'parallelRegionsRatio', 'transitionsPerAccountRegion'].sort(),
  );
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

test('bulk reports each size with positive admin-call counts and wall times', () => {
  const { bulk } = toJson(results);
  expect(bulk.map((b) => [b.accounts, b.regions])).toEqual([[1, 3], [2, 3]]);
  for (const b of bulk) {
    expect(Object.keys(b).sort()).toEqual(['accounts', 'adminCalls', 'regions', 'wallMs']);
    expect(isPositiveInteger(b.adminCalls)).toBe(true);
    expect(isPositiveNumber(b.wallMs)).toBe(true);
  }
  // Single enrollments: twice the accounts, twice the administrator's calls.
  expect(bulk[1].adminCalls).toBe(2 * bulk[0].adminCalls);
});

test('every Lambda handler has a bundle with a size and a cold load time', () => {
  const { bundles } = toJson(results);
  expect(bundles.map((b) => b.name)).toEqual(['accept-invitation', 'create-member', 'enroll-from-event', 'invite-member', 'leave-administrator', 'remove-member', 'verify-membership']);
  for (const b of bundles) {
    expect(Object.keys(b).sort()).toEqual(['bytes', 'coldLoadMs', 'name']);
    expect(isPositiveInteger(b.bytes)).toBe(true);
    expect(isPositiveNumber(b.coldLoadMs)).toBe(true);
  }
});

test('the printed report says how each figure was measured', () => {
  const text = renderReport(results);
  for (const phrase of ['AWS calls per account-region', 'GET /_emulator/calls', 'StateEntered', 'critical path', 'Bulk:', 'median of 1 runs']) expect(text).toContain(phrase);
});

test('the bench defaults are the ones documented: 100 ms latency, bulk 1/10/100/500', () => {
  expect(parseBenchOptions([])).toMatchObject({ latencyMs: 100, bulkSizes: [1, 10, 100, 500], parallelRegions: 16, jsonFile: undefined });
  expect(parseBenchOptions(['--latency-ms', '50', '--bulk', '2,4', '--json', 'out.json'])).toMatchObject({ latencyMs: 50, bulkSizes: [2, 4], jsonFile: 'out.json' });
  expect(() => parseBenchOptions(['--latency-ms', 'fast'])).toThrow(/--latency-ms must be a whole number/);
});
