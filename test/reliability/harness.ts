/**
 * What every reliability test shares: a local stack, and a client that is the end-to-end tests'
 * `LocalClient` plus what these tests do more often (fault injection scoped to one cell, call counts
 * per account and region, SDK clients acting as an account, bounded requests).
 */
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { LOCAL_ADMIN_ACCOUNT, startLocalStack } from '../../local/runtime/stack';
import type { LocalStack, LocalStackOptions } from '../../local/runtime/stack';
import { LocalClient } from '../e2e/local-client';
import type { EnrollmentView, HttpAnswer } from '../e2e/local-client';

export { LOCAL_ADMIN_ACCOUNT };
export type { EnrollmentView, HttpAnswer };

/** The administrator's email in the sample organisation (re-seeding the account must keep it). */
export const ADMIN_EMAIL = 'security@example.com';

/** A fault as `POST /_emulator/faults` takes it (local/emulator/README.md). */
export interface FaultSpec {
  operation: string;
  region?: string;
  accountId?: string;
  error?: 'throttle' | 'internal' | 'accessDenied';
  latencyMs?: number;
  /** Hold the matching calls until {@link ReliabilityClient.releaseFault}. */
  hold?: boolean;
  count: number;
}

/**
 * Starts local mode for a reliability test: small retry delays (the state machine's retry counts are
 * kept, only the waits shrink) and quiet Lambda logs unless the test reads them.
 */
export function startReliabilityStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({ retryDelayMs: 5, lambdaLogLevel: 'SILENT', ...options });
}

/** The end-to-end client, extended for reliability tests. */
export class ReliabilityClient extends LocalClient {
  constructor(readonly local: LocalStack) {
    super(local);
  }

  /**
   * The enrollment's view through the API once its execution has stopped. It waits on the local
   * Step Functions service rather than polling the API, so a hundred enrollments waiting at once do
   * not flood the two cores with status requests.
   */
  async outcome(enrollmentId: string): Promise<EnrollmentView> {
    await this.local.stepFunctions.waitFor(enrollmentId);
    const { status, json, text } = await this.request('GET', `/enrollments/${encodeURIComponent(enrollmentId)}`);
    if (status !== 200) throw new Error(`GET /enrollments/${enrollmentId} answered ${status}: ${text}`);
    return json as EnrollmentView;
  }

  /** Enrolls and waits for the outcome (however long a busy machine takes: Jest's testTimeout is the only ceiling). */
  async enrollAndWaitForOutcome(body: unknown, headers: Record<string, string> = {}): Promise<EnrollmentView> {
    const started = await this.enroll(body, headers);
    if (started.status !== 202) throw new Error(`POST /enrollments answered ${started.status}: ${started.text}`);
    return this.outcome(started.json.enrollmentId as string);
  }

  /** Seeds an account with the default member role; its root email is `owner-<id>@example.com`. */
  async addAccount(accountId: string, extra: Record<string, unknown> = {}): Promise<{ accountId: string; email: string }> {
    const email = (extra.email as string | undefined) ?? `owner-${accountId}@example.com`;
    await this.control('POST', 'accounts', { accountId, email, ...extra });
    return { accountId, email };
  }

  /** Gives the administrator an enabled detector in each region (keeping its email and other detectors). */
  async addAdminDetectors(regions: readonly string[]): Promise<void> {
    await this.control('POST', 'accounts', {
      accountId: LOCAL_ADMIN_ACCOUNT,
      email: ADMIN_EMAIL,
      detectors: Object.fromEntries(regions.map((region) => [region, 'ENABLED'])),
    });
  }

  /** Adds a fault; returns its id. */
  async addFault(spec: FaultSpec): Promise<number> {
    const fault = (await this.control('POST', 'faults', spec)) as { id: number };
    return fault.id;
  }

  /** Lets the calls a held fault keeps waiting go on. */
  async releaseFault(id: number): Promise<void> {
    await this.control('POST', `faults/${id}/release`);
  }

  /** Ids of the faults not yet used up. */
  async pendingFaultIds(): Promise<number[]> {
    const { faults } = (await this.control('GET', 'faults')) as { faults: { id: number }[] };
    return faults.map((f) => f.id);
  }

  /** Calls the emulator received for one operation from one calling account in one region. */
  async callCount(operation: string, callerAccountId: string, region: string): Promise<number> {
    const { calls } = (await this.control('GET', 'calls')) as { calls: { operation: string; accountId: string | null; region: string; count: number }[] };
    return calls.filter((c) => c.operation === operation && c.accountId === callerAccountId && c.region === region).reduce((sum, c) => sum + c.count, 0);
  }

  /** A GuardDuty client acting as `accountId` (the emulator's static key `AKID<account>`); destroy it after use. */
  guardDuty(accountId: string, region: string): GuardDutyClient {
    return new GuardDutyClient({
      region,
      endpoint: this.local.emulatorUrl,
      credentials: { accessKeyId: `AKID${accountId}`, secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  }

  /** The member detector id the emulator holds for an account in a region, if any. */
  async detectorIdOf(accountId: string, region: string): Promise<string | undefined> {
    const view = (await this.control('GET', `accounts/${accountId}`)) as { regions: Record<string, { detector: { detectorId: string } | null }> };
    return view.regions[region]?.detector?.detectorId;
  }
}

/** Runs `work` over `items` with at most `limit` at once; results in input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}
