import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import type { DescribeAccountCommandOutput, OrganizationsClient } from '@aws-sdk/client-organizations';
import { TerminalErrors } from '../../contract/error-names';
import { EnrollmentError, awsErrorNameOf } from './errors';
import { logger } from './logger';
import { maskEmail } from './mask';

/** Account states in which GuardDuty cannot enroll the account (Organizations API reference, Account `State`). */
const GONE: ReadonlySet<string> = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

/**
 * With invitation emails suppressed (the default), GuardDuty verifies no email: a wrong one would
 * end Enabled. When this administrator can read the account from Organizations (it is the
 * management account or a delegated administrator: Organizations API reference, DescribeAccount),
 * the request is checked against it before CreateMembers: a different root email is EmailMismatch,
 * a suspended or closing account AccountSuspended. Where Organizations cannot say (the account is in
 * no organization of this administrator, or the call is not allowed, or it fails), nothing is
 * refused: the check is best effort, and the log says it was skipped.
 * @returns the error that stops this account, or undefined.
 */
export async function organizationsProblem(
  organizations: OrganizationsClient,
  request: { accountId: string; email: string },
  region: string,
): Promise<EnrollmentError | undefined> {
  let account: DescribeAccountCommandOutput['Account'];
  try {
    ({ Account: account } = await organizations.send(new DescribeAccountCommand({ AccountId: request.accountId })));
  } catch (error) {
    logger.info('Organizations cannot describe the account; its email is not checked', {
      memberAccountId: request.accountId,
      errorName: awsErrorNameOf(error),
    });
    return undefined;
  }
  // `State` replaces `Status`, which Organizations retired on 2026-09-09 (docs/aws-facts.md); an
  // account being activated (PENDING_ACTIVATION) is not refused.
  const status = account?.State ?? account?.Status;
  if (status !== undefined && GONE.has(status)) {
    return new EnrollmentError(
      TerminalErrors.AccountSuspended,
      `account ${request.accountId} is ${status} in AWS Organizations (region ${region}): GuardDuty cannot enroll a suspended or closing account; nothing was changed for it`,
    );
  }
  const known = account?.Email;
  if (known && known.toLowerCase() !== request.email.toLowerCase()) {
    return new EnrollmentError(
      TerminalErrors.EmailMismatch,
      `the email ${maskEmail(request.email)} given for account ${request.accountId} is not its root email in AWS Organizations (${maskEmail(known)}) (region ${region}); ` +
        'enroll it again with the root email: with invitation emails off GuardDuty would not check it',
    );
  }
  return undefined;
}
