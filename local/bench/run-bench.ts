/** Runs every measurement against one local stack, in an order that keeps each independent. */
import { SAMPLE_ADMIN_REGIONS } from '../seed/sample-organization';
import { BenchStack } from './bench-stack';
import { measureBulk } from './measure-bulk';
import { measureBundles } from './measure-bundles';
import { measureFreshAccount } from './measure-fresh-account';
import { measureParallelRegions } from './measure-parallel-regions';
import { measurePlans } from './measure-plans';
import { measureSigning } from './measure-signing';
import type { BenchOptions } from './options';
import type { BenchResults } from './report';

/** The regions of the per-account and bulk figures. */
export const BENCH_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
/** Accounts of the protection-plans batch (fewer when the largest bulk size is smaller). */
const PLANS_BATCH_SIZE = 100;
/** Retries wait this long instead of the deployed backoff's seconds: a retry must not dominate a timing. */
const RETRY_DELAY_MS = 10;

/** Progress lines go to stderr, so stdout holds only the report. */
export type Progress = (line: string) => void;

export async function runBench(options: BenchOptions, progress: Progress = () => undefined): Promise<BenchResults> {
  if (options.parallelRegions > SAMPLE_ADMIN_REGIONS.length)
    throw new Error(`--parallel-regions is at most ${SAMPLE_ADMIN_REGIONS.length} (the sample administrator's regions)`);
  progress('Starting local mode…');
  const bench = await BenchStack.start({ retryDelayMs: RETRY_DELAY_MS });
  try {
    // Call counts do not depend on latency, but the emulator applies it anyway: use the stated one.
    await bench.setLatency(options.latencyMs);
    // Not measured: local mode loads (and tsx compiles) each handler module on its first use, which a
    // deployed Lambda does at init; one enrollment first keeps that out of the timings below.
    progress('Warm-up enrollment (not measured)…');
    const warmUp = await bench.addAccount('600000000000');
    await bench.enroll({ ...warmUp, regions: ['us-east-1'] });
    progress(`One account in ${options.parallelRegions} regions at ${options.latencyMs} ms per call…`);
    const parallel = await measureParallelRegions(bench, '600000000003', SAMPLE_ADMIN_REGIONS.slice(0, options.parallelRegions), options.latencyMs);
    // After the parallel run, which empties the detector-id cache: this one leaves the bulk
    // regions' detector ids cached, so bulk runs on warm caches whatever the parallel regions were.
    progress(`Fresh account in ${BENCH_REGIONS.length} regions, then again…`);
    const fresh = await measureFreshAccount(bench, ['600000000001', '600000000002'], BENCH_REGIONS);
    await bench.setLatency(options.bulkLatencyMs);
    const bulk = [];
    let firstAccountId = 610_000_000_000;
    for (const size of options.bulkSizes) {
      progress(`Bulk: ${size} account(s) × ${BENCH_REGIONS.length} regions through the batch route at ${options.bulkLatencyMs} ms per call…`);
      // One size at a time, each with new accounts.
      bulk.push(...(await measureBulk(bench, { sizes: [size], regions: BENCH_REGIONS, firstAccountId })));
      firstAccountId += size;
    }
    progress(`Protection plans: accounts that ran GuardDuty's defaults, one alone and ${PLANS_BATCH_SIZE} as a batch…`);
    const plans = await measurePlans(bench, {
      regions: BENCH_REGIONS,
      batchSize: options.bulkSizes.length > 0 ? Math.min(PLANS_BATCH_SIZE, Math.max(...options.bulkSizes)) : PLANS_BATCH_SIZE,
      firstAccountId: 690_000_000_000,
    });
    progress('Bundling the Lambdas and loading each cold…');
    const bundles = await measureBundles(options.coldRuns);
    // Last: it replaces this stack by one with authorization 'apiKey' (one local stack per process).
    progress(`Signing: ${options.signingRequests} signed reads (authorization 'iam'), then as many with the key alone (authorization 'apiKey')…`);
    await bench.setLatency(0);
    const signing = await measureSigning(bench.local, () => bench.close(), options.signingRequests);
    return { latencyMs: options.latencyMs, bulkLatencyMs: options.bulkLatencyMs, coldRuns: options.coldRuns, fresh, parallel, bulk, plans, bundles, signing };
  } finally {
    await bench.close();
  }
}
