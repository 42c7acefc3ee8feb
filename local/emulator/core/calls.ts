/** Per-operation call counts, reported by `GET /_emulator/calls`. */
import type { CallCount } from './types';

/** Counts every AWS call the emulator receives, failed ones included, by service, operation, account and region. */
export class CallLog {
  private readonly rows = new Map<string, CallCount>();
  private totalCalls = 0;

  /** Counts one call. `accountId` is null when the access key was not recognised. */
  record(service: string, operation: string, accountId: string | null, region: string): void {
    const key = `${service}|${operation}|${accountId ?? ''}|${region}`;
    const row = this.rows.get(key) ?? { service, operation, accountId, region, count: 0 };
    row.count += 1;
    this.rows.set(key, row);
    this.totalCalls += 1;
  }

  /** Total number of calls and one row per operation/account/region, in first-seen order. */
  report(): { total: number; calls: CallCount[] } {
    return { total: this.totalCalls, calls: [...this.rows.values()].map((row) => ({ ...row })) };
  }

  /** Forgets every count. */
  clear(): void {
    this.rows.clear();
    this.totalCalls = 0;
  }
}
