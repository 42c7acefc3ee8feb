/**
 * What applying protection plans costs per account-region: accounts that already ran GuardDuty with
 * GuardDuty's default features (so the profile must change them), enrolled one by one and as one
 * batch. Counts the administrator's protection-plan calls (GetMemberDetectors,
 * UpdateMemberDetectors, GetRemainingFreeTrialDays) from the emulator's call counts.
 */
import { mapBounded } from '../../cli/bounded';
import { LOCAL_ADMIN_ACCOUNT } from './bench-stack';
import type { BenchStack } from './bench-stack';
import { byOperation, total } from './call-counts';
import type { CallRow } from './call-counts';

/** The administrator's operations that read, apply or report protection plans. */
export const PLAN_OPERATIONS = ['GetMemberDetectors', 'UpdateMemberDetectors', 'GetRemainingFreeTrialDays'];

export interface PlanFigures {
  readonly regions: number;
  /** One account enrolled alone: its plan calls per region, by operation, and all its calls per region. */
  readonly single: { readonly planCallsByOperation: Record<string, number>; readonly callsPerAccountRegion: number };
  /** `accounts` enrolled as one batch: plan calls per region by operation, and per account-region. */
  readonly batched: { readonly accounts: number; readonly planCallsPerRegionByOperation: Record<string, number>; readonly planCallsPerAccountRegion: number };
}

function planCalls(rows: readonly CallRow[]): CallRow[] {
  return rows.filter((r) => r.accountId === LOCAL_ADMIN_ACCOUNT && PLAN_OPERATIONS.includes(r.operation));
}

const divided = (counts: Record<string, number>, by: number) => Object.fromEntries(Object.entries(counts).map(([op, n]) => [op, n / by]));

/** Accounts with a detector of GuardDuty's default features in every region, ids from `first` on. */
async function runningAccounts(bench: BenchStack, first: number, count: number, regions: readonly string[]) {
  const ids = Array.from({ length: count }, (_, i) => String(first + i).padStart(12, '0'));
  return mapBounded(ids, 25, async (accountId) => {
    const email = `bench-${accountId}@example.com`;
    await bench.control('POST', 'accounts', { accountId, email, detectors: Object.fromEntries(regions.map((r) => [r, 'ENABLED'])) });
    return { accountId, email };
  });
}

export async function measurePlans(
  bench: BenchStack,
  options: { regions: readonly string[]; batchSize: number; firstAccountId: number },
): Promise<PlanFigures> {
  const regions = options.regions.length;
  const [alone] = await runningAccounts(bench, options.firstAccountId, 1, options.regions);
  let before = await bench.calls();
  const single = await bench.enroll({ ...alone, regions: [...options.regions] });
  if (single.status !== 'SUCCEEDED') throw new Error(`Enrolling running account ${alone.accountId} ended ${single.status}`);
  const singleCalls = (await bench.calls()).since(before);

  const accounts = await runningAccounts(bench, options.firstAccountId + 1, options.batchSize, options.regions);
  before = await bench.calls();
  const batch = await bench.batch({ accounts, regions: [...options.regions] });
  const view = await batch.read();
  if (view.status !== 'SUCCEEDED' || view.enabled !== options.batchSize * regions)
    throw new Error(`The plans batch ended ${view.status} with ${view.enabled ?? 0} account-regions ENABLED`);
  const batchPlanCalls = planCalls((await bench.calls()).since(before));
  return {
    regions,
    single: { planCallsByOperation: divided(byOperation(planCalls(singleCalls)), regions), callsPerAccountRegion: total(singleCalls) / regions },
    batched: {
      accounts: options.batchSize,
      planCallsPerRegionByOperation: divided(byOperation(batchPlanCalls), regions),
      planCallsPerAccountRegion: total(batchPlanCalls) / (regions * options.batchSize),
    },
  };
}
