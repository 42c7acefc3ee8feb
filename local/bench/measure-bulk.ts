/**
 * How cost grows with the work: N accounts × R regions, as N single enrollments through
 * `POST /v1/enrollments` (there is no batch route yet), a bounded number in flight. Counts the
 * administrator-side calls (the emulator's rows whose caller is the administrator account, STS
 * AssumeRole included) and the wall time.
 */
import { mapBounded } from '../../cli/bounded';
import { LOCAL_ADMIN_ACCOUNT } from './bench-stack';
import type { BenchStack } from './bench-stack';
import { total } from './call-counts';

/** One bulk size's figures, as the JSON reports them. */
export interface BulkFigure {
  readonly accounts: number;
  readonly regions: number;
  readonly adminCalls: number;
  readonly wallMs: number;
}

export interface BulkOptions {
  readonly sizes: readonly number[];
  readonly regions: readonly string[];
  /** Enrollments in flight at once. */
  readonly concurrency: number;
  /** First account id of the run; each size takes the next block of ids. */
  readonly firstAccountId: number;
}

/** Runs every size in turn with fresh accounts; throws if any enrollment does not succeed. */
export async function measureBulk(bench: BenchStack, options: BulkOptions): Promise<BulkFigure[]> {
  const figures: BulkFigure[] = [];
  let nextId = options.firstAccountId;
  for (const size of options.sizes) {
    const ids = Array.from({ length: size }, () => String(nextId++).padStart(12, '0'));
    const accounts = await mapBounded(ids, 25, (id) => bench.addAccount(id));
    const before = await bench.calls();
    const started = performance.now();
    const results = await mapBounded(accounts, options.concurrency, (account) => bench.enroll({ ...account, regions: [...options.regions] }));
    const wallMs = performance.now() - started;
    const failed = results.filter((r) => r.status !== 'SUCCEEDED');
    if (failed.length > 0) throw new Error(`${failed.length} of ${size} bulk enrollments did not succeed (first: ${failed[0].enrollmentId} ${failed[0].status})`);
    const adminCalls = total((await bench.calls()).since(before).filter((r) => r.accountId === LOCAL_ADMIN_ACCOUNT));
    figures.push({ accounts: size, regions: options.regions.length, adminCalls, wallMs });
  }
  return figures;
}
