/**
 * A fake of the batch routes behind `fetch`, for running `gde bulk` in process without local mode:
 * it records each request, answers like the mapping templates (lib/api/*batch*.vtl), and can be told
 * to fail accounts, refuse a batch, or keep a batch RUNNING for some polls.
 */
import type { AccountOutcome, BatchView } from '../../cli/types';

export const FAKE_API_URL = 'http://fake-api.test/v1';

interface FakeBatch {
  batchId: string;
  accounts: { accountId: string; email: string }[];
  regions: string[];
  pollsLeft: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: any;
}

export class FakeBatchApi {
  readonly requests: RecordedRequest[] = [];
  readonly batches = new Map<string, FakeBatch>();
  /** Accounts that end FAILED, with the error they get (in every region). */
  readonly failing = new Map<string, { code: string; message: string }>();
  /** Polls a new batch answers RUNNING before it has finished. */
  runningPolls = 1;
  /** The nth POST (1-based) is answered with this status and message instead of starting. */
  refuse?: { nth: number; status: number; message: string };
  private spy?: jest.SpyInstance;
  private count = 0;

  install(): this {
    this.spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => this.answer(String(input), init ?? {}));
    return this;
  }

  uninstall(): void {
    this.spy?.mockRestore();
  }

  /** The POSTed batch bodies, in order. */
  get posted(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  private answer(url: string, init: RequestInit): Response {
    const path = url.slice(FAKE_API_URL.length);
    const method = init.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    this.requests.push({ method, path, headers, body });
    const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

    if (method === 'POST' && path === '/enrollments/batch') {
      this.count++;
      if (this.refuse?.nth === this.count) return json(this.refuse.status, { message: this.refuse.message });
      const key = headers['idempotency-key'];
      if (key !== undefined && this.batches.has(key))
        return json(409, {
          message:
            'An enrollment with this Idempotency-Key already exists (finished, or started with a different request). GET /enrollments/{Idempotency-Key} for its status.',
        });
      const batchId = key ?? `request-${this.count}`;
      this.batches.set(batchId, { batchId, accounts: body.accounts, regions: body.regions ?? ['us-east-1'], pollsLeft: this.runningPolls });
      return json(202, { batchId, status: 'RUNNING', statusUrl: `/v1/enrollments/batch/${batchId}` });
    }
    const part = /^\/enrollments\/batch\/([^/]+)\/parts\/([^/]+)$/.exec(path);
    if (method === 'GET' && part) {
      const batch = this.batches.get(part[1]);
      const [, region, index] = /^(.*)-(\d+)$/.exec(part[2])!;
      if (!batch) return json(404, { message: 'No batch has this id.' });
      const accounts = batch.accounts.slice(Number(index) * 100, (Number(index) + 1) * 100).map((a) => this.outcome(a.accountId));
      return json(200, { batchId: batch.batchId, partId: part[2], region, status: 'SUCCEEDED', ...this.counts(accounts), accounts });
    }
    const status = /^\/enrollments\/batch\/([^/]+)$/.exec(path);
    if (method === 'GET' && status) {
      const batch = this.batches.get(status[1]);
      if (!batch) return json(404, { message: 'No batch has this id.' });
      return json(200, this.view(batch));
    }
    return json(403, { message: 'Missing Authentication Token' });
  }

  private outcome(accountId: string): AccountOutcome {
    const error = this.failing.get(accountId);
    if (error) return { accountId, outcome: 'FAILED', relationshipStatus: 'Invited', memberDetectorId: null, error };
    return { accountId, outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: `det${accountId}`, error: null };
  }

  private counts(accounts: AccountOutcome[]) {
    return { enabled: accounts.filter((a) => a.outcome === 'ENABLED').length, failed: accounts.filter((a) => a.outcome === 'FAILED').length };
  }

  private view(batch: FakeBatch): BatchView {
    const base = { batchId: batch.batchId, startedAt: 1_700_000_000, accountCount: batch.accounts.length, regions: batch.regions, error: null };
    if (batch.pollsLeft-- > 0) return { ...base, status: 'RUNNING', stoppedAt: null, enabled: null, failed: null, parts: [] };
    const parts = batch.regions.flatMap((region) =>
      Array.from({ length: Math.ceil(batch.accounts.length / 100) }, (_, i) => {
        const outcomes = batch.accounts.slice(i * 100, (i + 1) * 100).map((a) => this.outcome(a.accountId));
        return {
          partId: `${region}-${i}`,
          region,
          ...this.counts(outcomes),
          error: null,
          outcomesUrl: `/v1/enrollments/batch/${batch.batchId}/parts/${region}-${i}`,
        };
      }),
    );
    const sum = (k: 'enabled' | 'failed') => parts.reduce((n, p) => n + p[k], 0);
    return { ...base, status: 'SUCCEEDED', stoppedAt: 1_700_000_010, enabled: sum('enabled'), failed: sum('failed'), parts };
  }
}

/** A console CSV of `count` accounts numbered from `first`. */
export function consoleCsv(count: number, first = 100000000000): string {
  const rows = Array.from({ length: count }, (_, i) => `${first + i},root+${first + i}@example.com`);
  return ['Account ID,Email', ...rows, ''].join('\n');
}
