/**
 * A small client of the enrollment API: the routes the CLI uses, the API key header (and a SigV4
 * signature when the deployment uses IAM authorization), and a
 * bounded retry of 429 answers (throttled by the usage plan, or too many running enrollments),
 * which mean nothing was started and the call is safe to repeat.
 */
import { ApiError, ConnectionError } from './errors';
import type { RequestSigner } from './request-signer';
import type {
  BatchPartView,
  BatchRequestBody,
  BatchView,
  EnrollmentProgress,
  EnrollmentRequestBody,
  EnrollmentView,
  StartedBatch,
  StartedEnrollment,
} from './types';

export interface ApiClientOptions {
  /** The stage base URL, e.g. `https://abc.execute-api.us-east-1.amazonaws.com/v1`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Signs each request (SigV4, execute-api) for a deployment with IAM authorization; none sends the key alone. */
  readonly signer?: RequestSigner;
  /** Waits before a retry. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts for a call answered 429. @default 5 */
  readonly maxAttempts?: number;
}

/** An HTTP answer: status and the body, parsed when it is JSON. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  text: string;
  /** The Retry-After header in seconds, when the API sent one. */
  retryAfterSeconds?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The `message` of an API error body, or the body's text when it has none. */
function messageOf(answer: ApiAnswer): string {
  const message = (answer.body as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message !== '') return message;
  return answer.text.trim() === '' ? '(empty body)' : answer.text.trim().slice(0, 500);
}

export interface StartedFleetCheck {
  checkId: string;
  status: string;
  statusUrl: string;
}

export interface FleetCheckSummary {
  checkId: string;
  status: string;
  startedAt: number;
  stoppedAt: number | null;
}

export type FleetCounts = Record<'members' | 'enabled' | 'pending' | 'drifted' | 'unmanaged', number>;

export interface FleetCheckView {
  checkId: string;
  status: string;
  mode: string | null;
  startedAt: number;
  stoppedAt: number | null;
  regions: { region: string; counts: FleetCounts; error: { code: string; message: string } | null; parts: { partId: string; driftedUrl: string }[] }[];
  totals: FleetCounts;
  error: { code: string; message: string } | null;
}

export interface FleetPartView {
  checkId: string;
  partId: string;
  region: string;
  status: string;
  drifted: { accountId: string; reason: string; relationshipStatus: string | null; action: string; repairBatchId: string | null }[];
  repair: { batchId: string; status: string; statusUrl: string; error: { code: string; message: string } | null } | null;
}

export class EnrollmentApiClient {
  /** The stage URL, without a trailing slash. */
  readonly baseUrl: string;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** `POST /enrollments`; the Idempotency-Key, when given, makes a repeated call start nothing new. */
  async startEnrollment(body: EnrollmentRequestBody, idempotencyKey?: string): Promise<StartedEnrollment> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    return this.call<StartedEnrollment>('POST', '/enrollments', 202, { headers, body: JSON.stringify(body) });
  }

  /** `GET /enrollments/{enrollmentId}`. */
  async getEnrollment(enrollmentId: string): Promise<EnrollmentView> {
    return this.call<EnrollmentView>('GET', `/enrollments/${encodeURIComponent(enrollmentId)}`, 200);
  }

  /**
   * `GET /enrollments/{enrollmentId}/progress`: each started region's current step. Progress is a
   * nicety: any answer but 200 (a deployment without the route answers 403) gives undefined.
   */
  async getProgress(enrollmentId: string): Promise<EnrollmentProgress | undefined> {
    const answer = await this.send('GET', `/enrollments/${encodeURIComponent(enrollmentId)}/progress`);
    return answer.status === 200 ? (answer.body as EnrollmentProgress) : undefined;
  }

  /**
   * `DELETE /enrollments/{accountId}`: starts offboarding the account (202, like POST). The
   * Idempotency-Key, when given, makes a repeated call start nothing new.
   */
  async offboard(accountId: string, options: { regions?: string[]; deleteDetector?: boolean } = {}, idempotencyKey?: string): Promise<StartedEnrollment> {
    const query = new URLSearchParams();
    if (options.regions) query.set('regions', options.regions.join(','));
    if (options.deleteDetector) query.set('deleteDetector', 'true');
    const path = `/enrollments/${encodeURIComponent(accountId)}`;
    const search = query.toString();
    const headers: Record<string, string> = {};
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    const answer = await this.send('DELETE', `${path}${search ? `?${search.replace(/%2C/g, ',')}` : ''}`, { headers });
    if (answer.status !== 202) throw new ApiError('DELETE', path, answer.status, messageOf(answer));
    return answer.body as StartedEnrollment;
  }

  /**
   * `POST /enrollments/batch` (JSON): starts one batch of 1 to 1000 accounts. The Idempotency-Key,
   * when given, is the batch id: repeated while the batch runs it answers the same batch, once it
   * has finished 409.
   */
  async startBatch(body: BatchRequestBody, idempotencyKey?: string): Promise<StartedBatch> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
    return this.call<StartedBatch>('POST', '/enrollments/batch', 202, { headers, body: JSON.stringify(body) });
  }

  /** `GET /enrollments/batch/{batchId}`: the batch's status and, once stopped, each part's counts. */
  async getBatch(batchId: string): Promise<BatchView> {
    return this.call<BatchView>('GET', `/enrollments/batch/${encodeURIComponent(batchId)}`, 200);
  }

  /** `GET /enrollments/batch/{batchId}/parts/{partId}`: each account's outcome in the part's region. */
  async getBatchPart(batchId: string, partId: string): Promise<BatchPartView> {
    return this.call<BatchPartView>('GET', `/enrollments/batch/${encodeURIComponent(batchId)}/parts/${encodeURIComponent(partId)}`, 200);
  }

  /** `POST /fleet-checks`: starts a fleet check. */
  async startFleetCheck(): Promise<StartedFleetCheck> {
    return this.call<StartedFleetCheck>('POST', '/fleet-checks', 202);
  }

  /** `GET /fleet-checks`: the recent checks, newest first. */
  async listFleetChecks(): Promise<{ checks: FleetCheckSummary[] }> {
    return this.call<{ checks: FleetCheckSummary[] }>('GET', '/fleet-checks', 200);
  }

  /** `GET /fleet-checks/{checkId}`: counts per region and status, and each region's parts. */
  async getFleetCheck(checkId: string): Promise<FleetCheckView> {
    return this.call<FleetCheckView>('GET', `/fleet-checks/${encodeURIComponent(checkId)}`, 200);
  }

  /** `GET /fleet-checks/{checkId}/parts/{partId}`: one part's drifted accounts. */
  async getFleetPart(checkId: string, partId: string): Promise<FleetPartView> {
    return this.call<FleetPartView>('GET', `/fleet-checks/${encodeURIComponent(checkId)}/parts/${encodeURIComponent(partId)}`, 200);
  }

  /** One call that must answer `expected`; its body, or an ApiError with the API's message. */
  private async call<T>(method: string, path: string, expected: number, init?: { headers?: Record<string, string>; body?: string }): Promise<T> {
    const answer = await this.send(method, path, init);
    if (answer.status !== expected) throw new ApiError(method, path, answer.status, messageOf(answer));
    return answer.body as T;
  }

  /** One HTTP call with the API key, retried while it answers 429. */
  private async send(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<ApiAnswer> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.sendOnce(method, path, init);
      if (answer.status !== 429 || attempt >= maxAttempts) return answer;
      // Full jitter on 1, 2, 4, 8 s: many bulk workers throttled together do not retry in step;
      // never sooner than the API's Retry-After (a status read throttled by Step Functions).
      const jittered = Math.round(Math.random() * 1000 * 2 ** (attempt - 1));
      await sleep(Math.max(jittered, (answer.retryAfterSeconds ?? 0) * 1000));
    }
  }

  private async sendOnce(method: string, path: string, init: { headers?: Record<string, string>; body?: string }): Promise<ApiAnswer> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      let headers: Record<string, string> = { ...init.headers, 'x-api-key': this.options.apiKey };
      if (this.options.signer) headers = await this.options.signer({ method, url, headers, body: init.body });
      response = await fetch(url, { method, headers, body: init.body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ConnectionError(`Could not reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return { status: response.status, body, text, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) };
  }
}
