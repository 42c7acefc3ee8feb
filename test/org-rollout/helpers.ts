/**
 * Shared helpers for the Organizations rollout tests: an emulator per test file, an organization
 * seeded through the control API, SDK clients pointed at the emulator, the command run in process,
 * and the emulator's call counts.
 */
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { runCommand } from '../../cli/org-rollout/main';
import type { CredentialsProvider, RolloutClients, RolloutReport } from '../../cli/org-rollout/types';

export const MANAGEMENT = '999999999999';
export const ADMIN = '111111111111';
export const REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** Every GuardDuty and Organizations operation that changes something (the dry-run test counts them). */
export const MUTATING_OPERATIONS = [
  'EnableOrganizationAdminAccount',
  'DisableOrganizationAdminAccount',
  'UpdateOrganizationConfiguration',
  'CreateDetector',
  'UpdateDetector',
  'DeleteDetector',
  'CreateMembers',
  'InviteMembers',
  'DeleteMembers',
  'DisassociateMembers',
  'StartMonitoringMembers',
  'StopMonitoringMembers',
  'AcceptAdministratorInvitation',
  'AcceptInvitation',
];

/** Static credentials of an account (`AKID` + account id = that account, emulator README). */
export function credentialsOf(accountId: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKID${accountId}`, secretAccessKey: 'x' };
}

/** Member account ids: 200000000000, 200000000001, ... */
export function memberId(index: number): string {
  return String(200_000_000_000 + index);
}

/** One emulator for the test file, reset before each test. */
export { useEmulator } from '../emulator/helpers';

/** Calls the control API; fails the test on a status other than `expected`. */
export async function control<T = Record<string, unknown>>(url: string, method: string, path: string, body?: unknown, expected = 200): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await response.json()) as T;
  if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** An organization account as the control API takes it. */
export interface SeedAccount {
  accountId: string;
  email: string;
  name?: string;
  status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
  accessRole?: string | null;
}

/** What {@link seedOrganization} built. */
export interface SeededOrganization {
  accounts: SeedAccount[];
  /** ACTIVE accounts other than the delegated administrator: the ones to become members. */
  expectedMembers: string[];
  /** Accounts that are not ACTIVE. */
  inactive: string[];
}

/**
 * Seeds an organization of `total` accounts: the management account, the delegated administrator,
 * members, and the last ones SUSPENDED / PENDING_CLOSURE / CLOSED (`inactive` of them). The
 * management account has an ENABLED detector in `managementDetectorRegions`.
 */
export async function seedOrganization(
  url: string,
  options: { total: number; inactive?: number; managementDetectorRegions?: readonly string[]; adminAccessRole?: string | null },
): Promise<SeededOrganization> {
  const inactiveCount = options.inactive ?? 0;
  const statuses = ['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'] as const;
  const accounts: SeedAccount[] = [
    { accountId: MANAGEMENT, email: 'management@example.com', name: 'Management' },
    {
      accountId: ADMIN,
      email: 'security@example.com',
      name: 'Security',
      ...(options.adminAccessRole !== undefined ? { accessRole: options.adminAccessRole } : {}),
    },
  ];
  const memberCount = options.total - accounts.length;
  for (let index = 0; index < memberCount; index += 1) {
    const inactiveIndex = index - (memberCount - inactiveCount);
    const account: SeedAccount = { accountId: memberId(index), email: `member-${index}@example.com`, name: `Workload ${index}` };
    if (inactiveIndex >= 0) account.status = statuses[inactiveIndex % statuses.length];
    accounts.push(account);
  }
  await control(url, 'POST', '/_emulator/accounts', {
    accountId: MANAGEMENT,
    email: 'management@example.com',
    detectors: Object.fromEntries((options.managementDetectorRegions ?? REGIONS).map((region) => [region, 'ENABLED'])),
  });
  await control(url, 'POST', '/_emulator/organization', { managementAccountId: MANAGEMENT, accounts });
  return {
    accounts,
    expectedMembers: accounts.filter((a) => a.accountId !== ADMIN && (a.status ?? 'ACTIVE') === 'ACTIVE').map((a) => a.accountId),
    inactive: accounts.filter((a) => (a.status ?? 'ACTIVE') !== 'ACTIVE').map((a) => a.accountId),
  };
}

/** The rollout's clients pointed at the emulator, acting as `callerId` (the management account by default). */
export function emulatorClients(url: string, callerId = MANAGEMENT): RolloutClients {
  const credentials = credentialsOf(callerId);
  return {
    organizations: new OrganizationsClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
    sts: new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
    guardDuty: (region: string, assumed?: CredentialsProvider) =>
      new GuardDutyClient({ endpoint: url, region, credentials: assumed ?? credentials, maxAttempts: 1 }),
  };
}

/** What one run of the command printed and returned. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The parsed report when the run used --json and produced one. */
  report: RolloutReport | undefined;
}

/** Runs `org-rollout` in process against the emulator, with retries that do not wait. */
export async function runOrgRollout(url: string, args: string[], callerId = MANAGEMENT): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    sleep: async () => undefined,
    clients: () => emulatorClients(url, callerId),
    tuning: { retry: { random: () => 0.5 }, settle: { attempts: 2, delayMs: 0 } },
  });
  let report: RolloutReport | undefined;
  if (args.includes('--json')) {
    const parsed = JSON.parse(stdout) as RolloutReport | { error: string };
    if ('regions' in parsed) report = parsed;
  }
  return { code, stdout, stderr, report };
}

/** The standard arguments: both regions, the delegated administrator, JSON output. */
export function rolloutArgs(...extra: string[]): string[] {
  return ['--regions', REGIONS.join(','), '--delegated-admin', ADMIN, '--json', ...extra];
}

/** One row of `GET /_emulator/calls`. */
export interface CallRow {
  operation: string;
  accountId: string | null;
  region: string;
  count: number;
}

/** The emulator's call counts. */
export async function calls(url: string): Promise<CallRow[]> {
  return (await control<{ calls: CallRow[] }>(url, 'GET', '/_emulator/calls')).calls;
}

/** Sum of the counts matching an operation (and optionally a region and caller). */
export function countOf(rows: CallRow[], operation: string, filter: { region?: string; accountId?: string } = {}): number {
  return rows
    .filter((row) => row.operation === operation)
    .filter((row) => filter.region === undefined || row.region === filter.region)
    .filter((row) => filter.accountId === undefined || row.accountId === filter.accountId)
    .reduce((sum, row) => sum + row.count, 0);
}

/** Mutating calls in the report, by operation (only those with a count). */
export function mutatingCalls(rows: CallRow[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const operation of MUTATING_OPERATIONS) {
    const count = countOf(rows, operation);
    if (count > 0) result[operation] = count;
  }
  return result;
}

/** Temporary credentials of OrganizationAccountAccessRole in `accountId`, assumed from the management account. */
export async function assumeAccessRole(url: string, accountId: string): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> {
  const sts = new STSClient({ endpoint: url, region: 'us-east-1', credentials: credentialsOf(MANAGEMENT), maxAttempts: 1 });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'test' }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** A GuardDuty client for the emulator with an account's static credentials (or given ones). */
export function guardDutyAs(url: string, accountId: string, region: string, credentials = credentialsOf(accountId)): GuardDutyClient {
  return new GuardDutyClient({ endpoint: url, region, credentials, maxAttempts: 1 });
}

/** An Organizations client for the emulator with an account's static credentials. */
export function organizationsAs(url: string, accountId: string): OrganizationsClient {
  return new OrganizationsClient({ endpoint: url, region: 'us-east-1', credentials: credentialsOf(accountId), maxAttempts: 1 });
}

/** What an SDK error looked like to the caller. */
export async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined; reason?: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const details = error as Error & { $metadata?: { httpStatusCode?: number }; Reason?: string };
    return { name: error.name, message: error.message, status: details.$metadata?.httpStatusCode, reason: details.Reason };
  }
  throw new Error('expected the call to fail, it succeeded');
}
