import { STAGE_NAME } from '../../lib/enrollment-api';
import type { RegionOutcome } from '../../contract/workflow-types';
import { signedFetch } from '../../local/runtime/signed-fetch';
import type { LocalStack } from '../../local/runtime/stack';

export interface EnrollmentView {
  enrollmentId: string;
  accountId: string | null;
  status: string;
  startedAt: number;
  stoppedAt: number | null;
  regions: RegionOutcome[];
  error: { code: string; message: string } | null;
}

/** An HTTP answer: its status, its body as JSON when it parses, and as text. */
export interface AccountOutcomeView {
  accountId: string;
  outcome: 'ENABLED' | 'FAILED';
  relationshipStatus: string | null;
  memberDetectorId: string | null;
  error: { code: string; message: string } | null;
}

export interface BatchView {
  batchId: string;
  status: string;
  accountCount: number;
  regions: string[];
  enabled: number | null;
  failed: number | null;
  parts: { partId: string; region: string; enabled: number; failed: number; error: { code: string; message: string } | null; outcomesUrl: string }[];
  error: { code: string; message: string } | null;
}

export interface HttpAnswer {
  status: number;
  json: any;
  text: string;
}

/** What an HTTP caller and an operator of the emulator do in the end-to-end tests. */
export class LocalClient {
  constructor(private readonly stack: LocalStack) {}

  private get base(): string {
    return `${this.stack.apiUrl}/${STAGE_NAME}`;
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; apiKey?: string | null; signed?: boolean } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    const key = options.apiKey === undefined ? this.stack.apiKey : options.apiKey;
    if (key !== null) headers['x-api-key'] = key;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    // Signed as a caller of local mode (the administrator's root) unless a test says otherwise.
    const init = { method, headers, body };
    const response = options.signed === false ? await fetch(`${this.base}${path}`, init) : await signedFetch(`${this.base}${path}`, init);
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  }

  enroll(body: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', '/enrollments', { body, headers });
  }

  /**
   * The enrollment's view through the status route once it has stopped. It waits on the local Step
   * Functions service (the execution's end, not a clock: a busy machine only makes it later), then
   * polls the route until it reports the end too, as a caller would.
   */
  async waitFor(enrollmentId: string): Promise<EnrollmentView> {
    for (;;) {
      await this.stack.stepFunctions.waitFor(enrollmentId);
      const { status, json } = await this.request('GET', `/enrollments/${enrollmentId}`);
      if (status !== 200) throw new Error(`GET /enrollments/${enrollmentId} answered ${status}: ${JSON.stringify(json)}`);
      if (json.status !== 'RUNNING') return json as EnrollmentView;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until the fleet check's execution has stopped: an event, not a deadline. */
  fleetCheckStopped(checkId: string): Promise<unknown> {
    return this.stack.stepFunctions.waitFor(checkId, this.stack.stepFunctions.stateMachineArnOf('fleet-check'));
  }

  /** Enrolls and waits for the outcome. */
  async enrollAndWait(body: unknown): Promise<EnrollmentView> {
    const started = await this.enroll(body);
    if (started.status !== 202) throw new Error(`POST /enrollments answered ${started.status}: ${started.text}`);
    return this.waitFor(started.json.enrollmentId);
  }

  /** POST /enrollments/batch with a JSON body, or a CSV text (sent as text/csv). */
  batch(body: unknown, options: { headers?: Record<string, string>; query?: string } = {}) {
    const path = `/enrollments/batch${options.query ? `?${options.query}` : ''}`;
    if (typeof body === 'string') return this.request('POST', path, { rawBody: body, headers: { 'content-type': 'text/csv', ...options.headers } });
    return this.request('POST', path, { body, headers: options.headers });
  }

  /** The batch's view through its status route once it has stopped (waiting as {@link waitFor} does). */
  async waitForBatch(batchId: string): Promise<BatchView> {
    for (;;) {
      await this.stack.stepFunctions.waitFor(batchId);
      const { status, json } = await this.request('GET', `/enrollments/batch/${batchId}`);
      if (status !== 200) throw new Error(`GET /enrollments/batch/${batchId} answered ${status}: ${JSON.stringify(json)}`);
      if (json.status !== 'RUNNING') return json as BatchView;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every account's outcome in every region of a finished batch, read part by part through the API. */
  async batchOutcomes(batch: BatchView): Promise<(AccountOutcomeView & { region: string })[]> {
    const outcomes: (AccountOutcomeView & { region: string })[] = [];
    for (const part of batch.parts) {
      const { status, json } = await this.request('GET', part.outcomesUrl.replace(`/${STAGE_NAME}`, ''));
      if (status !== 200) throw new Error(`GET ${part.outcomesUrl} answered ${status}: ${JSON.stringify(json)}`);
      for (const account of json.accounts as AccountOutcomeView[]) outcomes.push({ ...account, region: json.region });
    }
    return outcomes;
  }

  async control(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.stack.emulatorUrl}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Adds `count` accounts with their root emails to the emulator, from account id `first` on. */
  async addAccounts(first: number, count: number): Promise<{ accountId: string; email: string }[]> {
    const accounts = Array.from({ length: count }, (_, i) => {
      const accountId = String(first + i).padStart(12, '0');
      return { accountId, email: `root+${accountId}@example.com` };
    });
    for (const account of accounts) await this.control('POST', 'accounts', account);
    return accounts;
  }

  /** Calls per operation so far (all accounts and regions). */
  async callCounts(): Promise<Record<string, number>> {
    const { calls } = (await this.control('GET', 'calls')) as { calls: { operation: string; count: number }[] };
    const counts: Record<string, number> = {};
    for (const c of calls) counts[c.operation] = (counts[c.operation] ?? 0) + c.count;
    return counts;
  }
}

/** GuardDuty operations that change state. */
export const MUTATING = [
  'CreateMembers',
  'InviteMembers',
  'DeleteMembers',
  'CreateDetector',
  'UpdateDetector',
  'AcceptAdministratorInvitation',
  'AcceptInvitation',
  'DisassociateMembers',
  'UpdateMemberDetectors',
];

/** Calls made between two snapshots of the counts. */
export function callsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const [op, count] of Object.entries(after)) if (count - (before[op] ?? 0) > 0) diff[op] = count - (before[op] ?? 0);
  return diff;
}
