/**
 * How cost grows with the work: N accounts × R regions through `POST /v1/enrollments/batch`, one
 * batch per size (a size above the API's 1000 accounts is split as `gde bulk` splits a file, the
 * batches running side by side). Counts the administrator-side calls (the emulator's rows whose
 * caller is the administrator account, STS AssumeRole included) per operation, the mutating calls
 * and the wall time from the first POST until every batch's execution has stopped.
 */
import { mapBounded } from '../../cli/bounded';
import { planBatches } from '../../cli/batches';
import { LOCAL_ADMIN_ACCOUNT } from './bench-stack';
import type { BenchStack } from './bench-stack';
import { MUTATING_OPERATION, byOperation, total } from './call-counts';

/** One bulk size's figures, as the JSON reports them. */
export interface BulkFigure {
  readonly accounts: number;
  readonly regions: number;
  /** Batches the accounts were sent in (⌈accounts / 1000⌉). */
  readonly batches: number;
  /** Calls made by the administrator account: GuardDuty's administrator side and STS AssumeRole. */
  readonly adminCalls: number;
  /** Of those, the mutating ones (CreateMembers, InviteMembers, …). */
  readonly adminMutatingCalls: number;
  /** Mutating calls of every caller: the administrator's and the members' (CreateDetector, AcceptAdministratorInvitation). */
  readonly mutatingCalls: number;
  /** The administrator's calls per operation in one region (the regions make the same calls). */
  readonly adminCallsPerRegionByOperation: Record<string, number>;
  readonly wallMs: number;
}

export interface BulkOptions {
  readonly sizes: readonly number[];
  readonly regions: readonly string[];
  /** First account id of the run; each size takes the next block of ids. */
  readonly firstAccountId: number;
}

/** Runs every size in turn with fresh accounts; throws unless every account ends ENABLED in every region. */
export async function measureBulk(bench: BenchStack, options: BulkOptions): Promise<BulkFigure[]> {
  const figures: BulkFigure[] = [];
  let nextId = options.firstAccountId;
  // Warm-up batch (not measured): each batch-part function has its own container, so its first
  // run in a region looks the administrator's detector id up; the figures are for warm containers.
  const warmUp = await bench.addAccount(String(nextId++).padStart(12, '0'));
  await (await bench.batch({ accounts: [warmUp], regions: [...options.regions] })).read();
  for (const size of options.sizes) {
    const ids = Array.from({ length: size }, () => String(nextId++).padStart(12, '0'));
    const accounts = await mapBounded(ids, 25, (id) => bench.addAccount(id));
    const batches = planBatches(accounts);
    const before = await bench.calls();
    const started = performance.now();
    const done = await Promise.all(batches.map((b) => bench.batch({ accounts: [...b.accounts], regions: [...options.regions] })));
    const wallMs = performance.now() - started;
    const calls = (await bench.calls()).since(before);
    for (const view of await Promise.all(done.map((d) => d.read()))) {
      const expected = view.accountCount * options.regions.length;
      if (view.status !== 'SUCCEEDED' || view.enabled !== expected) {
        throw new Error(
          `Bulk batch ${view.batchId} of ${view.accountCount} account(s) ended ${view.status} with ${view.enabled ?? 0} of ${expected} account-regions ENABLED (${view.failed ?? 0} FAILED)`,
        );
      }
    }
    const admin = calls.filter((r) => r.accountId === LOCAL_ADMIN_ACCOUNT);
    const isMutating = (r: { operation: string }) => MUTATING_OPERATION.test(r.operation);
    figures.push({
      accounts: size,
      regions: options.regions.length,
      batches: batches.length,
      adminCalls: total(admin),
      adminMutatingCalls: total(admin.filter(isMutating)),
      mutatingCalls: total(calls.filter(isMutating)),
      adminCallsPerRegionByOperation: Object.fromEntries(Object.entries(byOperation(admin)).map(([op, n]) => [op, n / options.regions.length])),
      wallMs,
    });
  }
  return figures;
}
