import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { awsErrorNameOf, awsMessageOf } from './errors';
import { UnusableEventError } from './enrollment-event';
import { DeadLetterCodes } from '../../contract/enrollment-events';

/**
 * Organizations errors that say the email will never come by retrying (API reference,
 * DescribeAccount errors): the account is not in the organization, the caller may not ask (only the
 * management account or a delegated administrator may, per the same page), or the caller is in no
 * organization at all. Throttling (TooManyRequestsException) and ServiceException are not here:
 * they are thrown for Lambda to retry.
 */
const PERMANENT: Record<string, string> = {
  AccountNotFoundException: 'Organizations does not know this account in the organization',
  AccessDeniedException:
    'this account may not call organizations:DescribeAccount: it must be the management account or a delegated administrator of the organization, with the permission granted',
  AWSOrganizationsNotInUseException: 'this account is not in an organization',
};

/**
 * The root email of an account of the organization: Organizations `DescribeAccount` `Account.Email`.
 * Control Tower's CreateManagedAccount event does not carry it (its `requestParameters.accountEmail`
 * reads HIDDEN_DUE_TO_SECURITY_REASONS in CloudTrail), and GuardDuty's invitation needs it.
 *
 * Assumption (Organizations API reference, DescribeAccount): the caller, this deployment's account,
 * is the organization's management account or a delegated administrator of some service.
 * @throws UnusableEventError AccountEmailUnavailable when Organizations will not give the email.
 */
export async function accountEmail(organizations: OrganizationsClient, accountId: string): Promise<string> {
  try {
    const { Account } = await organizations.send(new DescribeAccountCommand({ AccountId: accountId }));
    if (!Account?.Email) throw new UnusableEventError(DeadLetterCodes.AccountEmailUnavailable, `Organizations returned no email for account ${accountId}`);
    return Account.Email;
  } catch (error) {
    const why = PERMANENT[awsErrorNameOf(error)];
    if (why === undefined) throw error;
    throw new UnusableEventError(
      DeadLetterCodes.AccountEmailUnavailable,
      `cannot read the root email of account ${accountId}: ${why} (${awsErrorNameOf(error)}: ${awsMessageOf(error)})`,
    );
  }
}
