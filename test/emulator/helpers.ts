/** Shared helpers for the emulator tests: real SDK clients pointed at the emulator, control API calls. */
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulator } from '../../local/emulator/core/server';
import type { RunningEmulator } from '../../local/emulator/core/server';

/** Credentials as the SDK clients take them. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ADMIN = '111111111111';
export const MEMBER = '222222222222';
export const OTHER_ADMIN = '333333333333';
export const REGION = 'us-east-1';
export const MEMBER_EMAIL = 'member@example.com';
export const ROLE_NAME = 'GuardDutyEnrollmentMember';
export const EXTERNAL_ID = 'guardduty-enrollment';

/** Static credentials of an account: `AKID` + account id. */
export function staticCredentials(accountId: string): AwsCredentialIdentity {
  return { accessKeyId: `AKID${accountId}`, secretAccessKey: 'x' };
}

/**
 * A GuardDuty client for the emulator. Retries are off unless asked for, so a test sees the first
 * answer the emulator gives.
 */
export function guardDuty(url: string, credentials: AwsCredentialIdentity = staticCredentials(ADMIN), region = REGION, maxAttempts = 1): GuardDutyClient {
  return new GuardDutyClient({ endpoint: url, region, credentials, maxAttempts });
}

/** An STS client for the emulator (no retries unless asked for). */
export function sts(url: string, credentials: AwsCredentialIdentity = staticCredentials(ADMIN), region = REGION, maxAttempts = 1): STSClient {
  return new STSClient({ endpoint: url, region, credentials, maxAttempts });
}

/** The member role's ARN. */
export function roleArn(accountId: string, roleName = ROLE_NAME): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** Assumes the member role from the administrator and returns the temporary credentials. */
export async function assumeMemberRole(url: string, memberId = MEMBER, region = REGION): Promise<AwsCredentialIdentity> {
  const result = await sts(url, staticCredentials(ADMIN), region).send(
    new AssumeRoleCommand({ RoleArn: roleArn(memberId), RoleSessionName: 'enrollment', ExternalId: EXTERNAL_ID }),
  );
  const creds = result.Credentials;
  if (!creds?.AccessKeyId || !creds.SecretAccessKey || !creds.SessionToken) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken };
}

/** A control API response. */
export interface ControlResponse<T> {
  status: number;
  body: T;
}

/** Calls the control API. */
export async function control<T = Record<string, unknown>>(url: string, method: string, path: string, body?: unknown): Promise<ControlResponse<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Seeds an account and fails the test if the emulator refuses. */
export async function seedAccount(url: string, account: Record<string, unknown>): Promise<void> {
  const response = await control(url, 'POST', '/_emulator/accounts', account);
  if (response.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(response.body)}`);
}

/** The environment a boto3 process needs to reach the emulator as the administrator, and nothing else of this machine's AWS setup. */
export function boto3Environment(url: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: `AKID${ADMIN}`,
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Seeds the administrator (enabled detector in REGION) and the member account. */
export async function seedAdminAndMember(url: string): Promise<void> {
  await seedAccount(url, { accountId: ADMIN, email: 'admin@example.com', detectors: { [REGION]: 'ENABLED' } });
  await seedAccount(url, { accountId: MEMBER, email: MEMBER_EMAIL });
}

/** What an SDK error looked like to the caller. */
export interface SurfacedError {
  name: string;
  message: string;
  status: number | undefined;
  fault: string | undefined;
}

/** Awaits a call that must fail and returns its error as the SDK surfaced it. */
export async function failure(call: Promise<unknown>): Promise<SurfacedError> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const details = error as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
    return { name: error.name, message: error.message, status: details.$metadata?.httpStatusCode, fault: details.$fault };
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** Waits `ms` milliseconds. */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One emulator for the test file, reset before each test and then seeded by `seed`. Read `url`
 * inside tests and hooks (it is set once the emulator has started).
 */
export function useEmulator(seed: (url: string) => Promise<void> = async () => undefined): { readonly url: string } {
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    running = await startEmulator();
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(async () => {
    await control(running!.url, 'POST', '/_emulator/reset');
    await seed(running!.url);
  });
  return {
    get url() {
      if (!running) throw new Error('the emulator has not started yet');
      return running.url;
    },
  };
}

/** {@link useEmulator} seeded with the administrator and the member. */
export function useSeededEmulator(): { readonly url: string } {
  return useEmulator(seedAdminAndMember);
}
