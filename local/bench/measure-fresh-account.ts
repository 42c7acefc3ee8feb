/**
 * What one account costs per region: the AWS calls a fresh account's enrollment makes, the calls
 * (mutating ones above all) that enrolling it again makes, and the state transitions it takes.
 */
import type { BenchStack } from './bench-stack';
import { MUTATING_OPERATION, byOperation, total } from './call-counts';

export interface FreshAccountFigures {
  readonly regions: readonly string[];
  /** AWS calls (GuardDuty and STS, AssumeRole included) per region of a fresh account. */
  readonly callsPerAccountRegion: number;
  /** The same, by operation. */
  readonly callsByOperation: Record<string, number>;
  /** Calls per region of another new account right after, with the Lambda caches warm. */
  readonly warmCallsPerAccountRegion: number;
  /** Mutating calls, in all regions together, when the enrolled account is enrolled again. */
  readonly mutatingCallsOnReenroll: number;
  /** All calls per region of that second enrollment, by operation. */
  readonly reenrollCallsByOperation: Record<string, number>;
  /** StateEntered events of the fresh enrollment's execution divided by its regions. */
  readonly transitionsPerAccountRegion: number;
  /** Of those, the states each region enters inside the Map... */
  readonly transitionsPerRegionInMap: number;
  /** ...and the states the execution enters once whatever the number of regions. */
  readonly transitionsPerExecution: number;
}

const perRegion = (counts: Record<string, number>, regions: number) => Object.fromEntries(Object.entries(counts).map(([op, n]) => [op, n / regions]));

/** Enrolls a new account and returns the calls it made, throwing unless it succeeded. */
async function enrollNew(bench: BenchStack, accountId: string, regions: readonly string[]) {
  const account = await bench.addAccount(accountId);
  const before = await bench.calls();
  const result = await bench.enroll({ ...account, regions: [...regions] });
  if (result.status !== 'SUCCEEDED') throw new Error(`Enrolling new account ${accountId} ended ${result.status}`);
  return { account, result, calls: (await bench.calls()).since(before) };
}

/**
 * Enrolls a new account (seeded through the control API) in `regions`, then enrolls it again, then
 * enrolls a second new account. Every function's module state is reset first, as in new Lambda
 * containers (each function has its own), so the main figure includes the ListDetectors a warm container
 * skips; the second account shows the warm figure. `accountIds` are two unused account ids.
 */
export async function measureFreshAccount(bench: BenchStack, accountIds: readonly [string, string], regions: readonly string[]): Promise<FreshAccountFigures> {
  // Every function's project modules load afresh, as in new containers: no cached detector id.
  await bench.local.functions.resetModuleState();
  const { account, result: first, calls: freshCalls } = await enrollNew(bench, accountIds[0], regions);

  const middle = await bench.calls();
  const again = await bench.enroll({ ...account, regions: [...regions] });
  if (again.status !== 'SUCCEEDED') throw new Error(`Enrolling the account again ended ${again.status}`);
  const reenrollCalls = (await bench.calls()).since(middle);
  const { calls: warmCalls } = await enrollNew(bench, accountIds[1], regions);
  const entered = first.events.filter((e) => e.type === 'StateEntered');
  // Events inside the Map carry the iteration index; the execution's own states do not.
  const inMap = entered.filter((e) => e.index !== undefined).length;
  return {
    regions,
    callsPerAccountRegion: total(freshCalls) / regions.length,
    callsByOperation: perRegion(byOperation(freshCalls), regions.length),
    warmCallsPerAccountRegion: total(warmCalls) / regions.length,
    mutatingCallsOnReenroll: total(reenrollCalls.filter((r) => MUTATING_OPERATION.test(r.operation))),
    reenrollCallsByOperation: perRegion(byOperation(reenrollCalls), regions.length),
    transitionsPerAccountRegion: entered.length / regions.length,
    transitionsPerRegionInMap: inMap / regions.length,
    transitionsPerExecution: entered.length - inMap,
  };
}
