/**
 * How well regions overlap: the wall time of one account in many regions against the critical path
 * of one region, the emulated latency of the calls a region makes one after another. 1.0 would be
 * every region fully in parallel; N would be regions one after another.
 */
import type { BenchStack } from './bench-stack';
import { total } from './call-counts';

export interface ParallelRegionsFigures {
  readonly regions: number;
  readonly latencyMs: number;
  /** From POST /enrollments to the execution's stop. */
  readonly wallMs: number;
  /** Calls of one region's flow, all sequential (one step after another, one call after another). */
  readonly callsPerRegion: number;
  /** callsPerRegion × latencyMs. */
  readonly criticalPathMs: number;
  /** wallMs / criticalPathMs. */
  readonly ratio: number;
  /** Waves the Map needs: regions / maxConcurrentRegions, rounded up. The ratio cannot be below it. */
  readonly waves: number;
  /** The Map's MaxConcurrency in this deployment's settings: regions processed at once. */
  readonly maxConcurrentRegions: number;
}

/**
 * Enrolls a new account in `regions` with `latencyMs` on every AWS call and times it. The
 * administrator's detector-id cache is emptied first so that every region makes the same calls
 * (a region seen before would skip ListDetectors and be shorter than the rest).
 */
export async function measureParallelRegions(
  bench: BenchStack,
  accountId: string,
  regions: readonly string[],
  latencyMs: number,
): Promise<ParallelRegionsFigures> {
  const account = await bench.addAccount(accountId);
  // Module state reset (as in new containers; the SDK stays loaded), so no region skips ListDetectors.
  await bench.local.functions.resetModuleState();
  await bench.setLatency(latencyMs);
  const before = await bench.calls();
  const started = performance.now();
  const result = await bench.enroll({ ...account, regions: [...regions] });
  const wallMs = performance.now() - started;
  if (result.status !== 'SUCCEEDED') throw new Error(`The ${regions.length}-region enrollment ended ${result.status}`);
  // Every region of a fresh account makes the same calls, so one region's share is the mean.
  const callsPerRegion = total((await bench.calls()).since(before)) / regions.length;
  const criticalPathMs = callsPerRegion * latencyMs;
  return {
    regions: regions.length,
    latencyMs,
    wallMs,
    callsPerRegion,
    criticalPathMs,
    ratio: wallMs / criticalPathMs,
    waves: Math.ceil(regions.length / bench.maxConcurrentRegions),
    maxConcurrentRegions: bench.maxConcurrentRegions,
  };
}
