/** Credentials for acting as the delegated administrator: a role assumed from the management account. */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { RolloutError } from './errors';
import { errorCode, withRetry } from './retry';
import type { RetryPolicy } from './retry';
import type { CredentialsProvider, TemporaryCredentials } from './types';

/** Session name shown in the delegated administrator's CloudTrail (2..64 of [\w+=,.@-], docs/aws-facts.md, 4.6). */
export const SESSION_NAME = 'guardduty-org-rollout';

/**
 * Session length. One hour: the default, and the limit when the management credentials are
 * themselves an assumed role (role chaining, docs/aws-facts.md, 4.6). Runs that last longer get fresh
 * credentials: the provider re-assumes the role five minutes before they expire (docs/aws-facts.md, pain
 * point 10: long runs whose token expired).
 */
const SESSION_SECONDS = 3600;
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** `arn:aws:iam::<account>:role/<name>` (the rollout uses the commercial partition's ARN form). */
export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * A credentials provider that assumes `roleName` in `accountId` with the STS client's (management)
 * credentials, shared by every region's client so the role is assumed once per hour, not once per
 * client. The role needs no ExternalId: OrganizationAccountAccessRole trusts the management account
 * with no condition (docs/aws-facts.md, 4.6).
 */
export function assumeRoleProvider(sts: STSClient, accountId: string, roleName: string, retry: RetryPolicy, now: () => number = Date.now): CredentialsProvider {
  const arn = roleArn(accountId, roleName);
  let cached: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  const fresh = (): boolean => cached?.expiration === undefined || cached.expiration.getTime() - REFRESH_MARGIN_MS > now();
  return async () => {
    if (cached && fresh()) return cached;
    pending ??= assume(sts, arn, retry).then(
      (credentials) => {
        cached = credentials;
        pending = undefined;
        return credentials;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

async function assume(sts: STSClient, arn: string, retry: RetryPolicy): Promise<TemporaryCredentials> {
  try {
    const { Credentials: credentials } = await withRetry(
      () => sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: SESSION_NAME, DurationSeconds: SESSION_SECONDS })),
      retry,
    );
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new RolloutError(`AssumeRole ${arn} returned no credentials.`);
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  } catch (error) {
    if (error instanceof RolloutError) throw error;
    const { name, message } = errorCode(error);
    throw new RolloutError(
      `Cannot act as the delegated administrator: AssumeRole ${arn} failed (${name}: ${message}). ` +
        'The role must exist in that account and trust the management account; name another role with --admin-role-name.',
      error,
    );
  }
}
