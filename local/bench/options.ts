/** `npm run bench -- [flags]`: the benchmark's settings. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Emulated latency of every AWS call for the per-account and parallel figures. */
  readonly latencyMs: number;
  /** Emulated latency for the bulk runs. */
  readonly bulkLatencyMs: number;
  /** Accounts of each bulk run: one batch each (split in batches of 1000 above that). */
  readonly bulkSizes: readonly number[];
  /** Cold loads per bundle (median reported). */
  readonly coldRuns: number;
  /** Regions of the parallel-regions run. */
  readonly parallelRegions: number;
  /** Reads of each authorization mode for the signing figure. */
  readonly signingRequests: number;
  /** Where to write the JSON figures, if anywhere. */
  readonly jsonFile?: string;
  /** Members per region of the fleet-check run (17 regions); 0 skips it. */
  readonly fleetMembers?: number;
}

/** Bulk accounts the administrator can take on top of the other figures' few. */
export const MAX_BULK_ACCOUNTS = 4900;

export const BENCH_USAGE = `npm run bench -- [--latency-ms 100] [--bulk 1,10,100,500] [--bulk-latency-ms 10]
                 [--cold-runs 7] [--parallel-regions 16] [--signing-requests 200] [--fleet 5000] [--json FILE]`;

function integer(raw: string | undefined, name: string, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}; got "${raw}"\n${BENCH_USAGE}`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'latency-ms': { type: 'string' },
      'bulk-latency-ms': { type: 'string' },
      bulk: { type: 'string' },
      'cold-runs': { type: 'string' },
      'parallel-regions': { type: 'string' },
      'signing-requests': { type: 'string' },
      json: { type: 'string' },
      fleet: { type: 'string' },
    },
    strict: true,
  });
  const bulkSizes = (values.bulk ?? '1,10,100,500').split(',').map((s) => integer(s.trim(), 'bulk', 0, 1));
  // Every bulk account becomes a member of the one administrator, whom GuardDuty (and the
  // emulator) allows 5000 members; a few are used by the other figures.
  const members = bulkSizes.reduce((a, b) => a + b, 0);
  if (members > MAX_BULK_ACCOUNTS)
    throw new Error(`--bulk sizes add up to ${members} accounts; at most ${MAX_BULK_ACCOUNTS} fit under GuardDuty's 5000-member limit\n${BENCH_USAGE}`);
  return {
    latencyMs: integer(values['latency-ms'], 'latency-ms', 100, 1),
    bulkLatencyMs: integer(values['bulk-latency-ms'], 'bulk-latency-ms', 10, 0),
    bulkSizes,
    coldRuns: integer(values['cold-runs'], 'cold-runs', 7, 1),
    parallelRegions: integer(values['parallel-regions'], 'parallel-regions', 16, 1),
    signingRequests: integer(values['signing-requests'], 'signing-requests', 200, 1),
    jsonFile: values.json,
    // GuardDuty (and the emulator) allow an administrator 5000 members per region.
    fleetMembers: Math.min(integer(values.fleet, 'fleet', 5000, 0), 5000),
  };
}
