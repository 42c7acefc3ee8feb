/** The emulator's call counts (`GET /_emulator/calls`) and the differences between two readings. */

/** One row of `GET /_emulator/calls`. */
export interface CallRow {
  readonly service: string;
  readonly operation: string;
  readonly accountId: string | null;
  readonly region: string;
  readonly count: number;
}

/** GuardDuty/STS operations that change state: Create*, Invite*, Delete*, Update*, Accept*, Disassociate*. */
export const MUTATING_OPERATION = /^(Create|Invite|Delete|Update|Accept|Disassociate)/;

const keyOf = (row: Omit<CallRow, 'count'>) => `${row.service}|${row.operation}|${row.accountId ?? ''}|${row.region}`;

/** A reading of the call counts. */
export class CallSnapshot {
  constructor(readonly rows: readonly CallRow[]) {}

  /** The calls made between `earlier` and this reading, one row per operation/account/region. */
  since(earlier: CallSnapshot): CallRow[] {
    const before = new Map(earlier.rows.map((r) => [keyOf(r), r.count]));
    return this.rows.map((r) => ({ ...r, count: r.count - (before.get(keyOf(r)) ?? 0) })).filter((r) => r.count > 0);
  }
}

/** Total calls of some rows. */
export function total(rows: readonly CallRow[]): number {
  return rows.reduce((sum, r) => sum + r.count, 0);
}

/** Calls per operation, in first-seen order. */
export function byOperation(rows: readonly CallRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.operation] = (out[r.operation] ?? 0) + r.count;
  return out;
}
