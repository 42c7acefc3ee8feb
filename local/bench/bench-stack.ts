/**
 * Local mode as the benchmark drives it: the API over HTTP as a caller uses it, the emulator's
 * control API to seed accounts, set the per-call latency and read call counts, and the local Step
 * Functions service to know when an execution has stopped and which states it entered.
 */
import { EnrollmentApiClient } from '../../cli/api-client';
import type { BatchView } from '../../cli/types';
import { STAGE_NAME } from '../../lib/enrollment-api';
import { seedSampleOrganization } from '../seed/sample-organization';
import { signLocalRequest, signedFetch } from '../runtime/signed-fetch';
import { LOCAL_ADMIN_ACCOUNT, startLocalStack } from '../runtime/stack';
import type { LocalStack } from '../runtime/stack';
import type { ExecutionEvent } from '../runtime/step-functions/runner';
import { CallSnapshot } from './call-counts';
import type { CallRow } from './call-counts';

export { LOCAL_ADMIN_ACCOUNT };

/** One enrollment the benchmark ran: its id, how it ended and every event of its execution. */
export interface BenchEnrollment {
  readonly enrollmentId: string;
  readonly status: string;
  readonly events: readonly ExecutionEvent[];
}

export class BenchStack {
  private readonly events = new Map<string, ExecutionEvent[]>();
  private readonly unsubscribe: () => void;

  private constructor(readonly local: LocalStack) {
    this.unsubscribe = local.stepFunctions.onEvent((name, event) => {
      let list = this.events.get(name);
      if (!list) {
        list = [];
        this.events.set(name, list);
      }
      list.push(event);
    });
  }

  /**
   * Starts local mode with the sample organisation (its administrator has a detector in 17 regions).
   * `retryDelayMs` replaces the state machine's retry intervals so that a retry, if any, costs
   * milliseconds and not the seconds of the deployed backoff.
   */
  static async start(options: { retryDelayMs: number }): Promise<BenchStack> {
    const local = await startLocalStack({ retryDelayMs: options.retryDelayMs, lambdaLogLevel: 'SILENT' });
    try {
      await seedSampleOrganization(local.emulatorUrl);
    } catch (error) {
      await local.close();
      throw error;
    }
    return new BenchStack(local);
  }

  get apiBase(): string {
    return `${this.local.apiUrl}/${STAGE_NAME}`;
  }

  get maxConcurrentRegions(): number {
    return this.local.settings.maxConcurrentRegions;
  }

  /** A call to the emulator's control API; throws on anything but 2xx. */
  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.local.emulatorUrl}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** The latency the emulator adds to every AWS call from now on. */
  async setLatency(latencyMs: number): Promise<void> {
    await this.control('POST', 'settings', { latencyMs });
  }

  /** Adds a new account with the member role, no detector and this root email. */
  async addAccount(accountId: string): Promise<{ accountId: string; email: string }> {
    const email = `bench-${accountId}@example.com`;
    await this.control('POST', 'accounts', { accountId, email });
    return { accountId, email };
  }

  /**
   * The enrollment's own AWS calls counted so far (GuardDuty, STS, and Organizations for the email
   * check). The API's Step Functions
   * calls, which local mode also routes through the emulator, and the bench's status polls are not
   * the enrollment's.
   */
  async calls(): Promise<CallSnapshot> {
    const { calls } = await this.control<{ calls: CallRow[] }>('GET', 'calls');
    return new CallSnapshot(calls.filter((row) => ['guardduty', 'sts', 'organizations'].includes(row.service)));
  }

  /** A POST to the API with the key; the answer's JSON, or an error unless it answered 202. */
  private async start<T>(path: string, body: unknown): Promise<T> {
    const response = await signedFetch(`${this.apiBase}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': this.local.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as T & { message?: string };
    if (response.status !== 202) throw new Error(`POST ${path} answered ${response.status}: ${answer.message ?? JSON.stringify(answer)}`);
    return answer;
  }

  /**
   * Enrolls through `POST /v1/enrollments` as a caller would, then waits for the execution to stop
   * (in process: no polling traffic to distort the timing).
   */
  async enroll(body: { accountId: string; email: string; regions: string[] }): Promise<BenchEnrollment> {
    const { enrollmentId } = await this.start<{ enrollmentId: string }>('/enrollments', body);
    const result = await this.local.stepFunctions.waitFor(enrollmentId);
    const events = this.events.get(enrollmentId) ?? [];
    this.events.delete(enrollmentId);
    return { enrollmentId, status: result?.status ?? 'UNKNOWN', events };
  }

  /**
   * Starts a batch through `POST /v1/enrollments/batch` and waits in process for its execution to
   * stop; `read` then gives its status as `GET /v1/enrollments/batch/{batchId}` answers it (not
   * timed: call it after taking the time).
   */
  async batch(body: { accounts: { accountId: string; email: string }[]; regions: string[] }): Promise<{ batchId: string; read: () => Promise<BatchView> }> {
    const { batchId } = await this.start<{ batchId: string }>('/enrollments/batch', body);
    await this.local.stepFunctions.waitFor(batchId);
    // Its parts' events are not needed: drop them with the batch's.
    for (const name of [...this.events.keys()]) if (name === batchId || name.startsWith(`${batchId}-`)) this.events.delete(name);
    return {
      batchId,
      read: () =>
        new EnrollmentApiClient({
          baseUrl: this.apiBase,
          apiKey: this.local.apiKey,
          signer: ({ method, url, headers, body }) => signLocalRequest(method, url, headers, body),
        }).getBatch(batchId),
    };
  }

  private closing: Promise<void> | undefined;

  /** Stops local mode; once, however often it is called. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.unsubscribe();
      await this.local.close();
    })();
    return this.closing;
  }
}
