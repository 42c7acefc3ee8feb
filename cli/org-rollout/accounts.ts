/** The organization and its accounts, from AWS Organizations (management account credentials). */
import { DescribeOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import type { Account, OrganizationsClient } from '@aws-sdk/client-organizations';
import { RolloutError } from './errors';
import { errorCode, withRetry } from './retry';
import type { RetryPolicy } from './retry';
import type { SkippedAccount } from './types';

/** An ACTIVE account of the organization: what CreateMembers needs (AccountId, Email). */
export interface ActiveAccount {
  accountId: string;
  email: string;
  name: string | undefined;
}

/** The organization as the rollout needs it. */
export interface OrganizationFacts {
  organizationId: string;
  managementAccountId: string;
}

/** The accounts, split into those to enroll and those left out. */
export interface AccountInventory {
  listed: number;
  active: ActiveAccount[];
  skipped: SkippedAccount[];
}

/**
 * The caller's organization. DescribeOrganization works "from any account in a organization"
 * (SDK doc), so it tells a member account apart from the management account before anything else;
 * an account in no organization gets AWSOrganizationsNotInUseException.
 */
export async function describeOrganization(client: OrganizationsClient, retry: RetryPolicy): Promise<OrganizationFacts> {
  try {
    const { Organization: organization } = await withRetry(() => client.send(new DescribeOrganizationCommand({})), retry);
    if (!organization?.Id || !organization.MasterAccountId)
      throw new RolloutError('DescribeOrganization returned no organization id or management account id.');
    return { organizationId: organization.Id, managementAccountId: organization.MasterAccountId };
  } catch (error) {
    if (errorCode(error).name === 'AWSOrganizationsNotInUseException') {
      throw new RolloutError(
        "The credentials in use belong to an account that is in no AWS Organizations organization. Run org-rollout with the organization management account's credentials.",
        error,
      );
    }
    throw error;
  }
}

/**
 * Every account of the organization, page by page: ListAccounts "can occasionally return an empty
 * set of results even when more results are available. Continue making requests until NextToken
 * returns null" (SDK doc; docs/aws-facts.md, pain point 8: pagination bugs). Only ACTIVE accounts are enrolled:
 * the lifecycle is read from `State` when present (the newer field; `Status` "will be retired on
 * September 9, 2026", SDK doc), else from `Status`. Suspended, closing, closed or not yet
 * activated accounts are skipped and reported (docs/aws-facts.md, pain point 5: the CT enabler skips
 * non-ACTIVE accounts).
 */
export async function listAccounts(client: OrganizationsClient, retry: RetryPolicy): Promise<AccountInventory> {
  const all: Account[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withRetry(() => client.send(new ListAccountsCommand({ NextToken: nextToken })), retry).catch((error: unknown) => {
      if (errorCode(error).name === 'AccessDeniedException') {
        throw new RolloutError(
          `Not authorized to list the organization's accounts (ListAccounts: ${errorCode(error).message}). Run org-rollout with the management account's credentials, with organizations:ListAccounts allowed.`,
          error,
        );
      }
      throw error;
    });
    all.push(...(page.Accounts ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken !== undefined);
  const active: ActiveAccount[] = [];
  const skipped: SkippedAccount[] = [];
  const seen = new Set<string>();
  for (const account of all) {
    if (!account.Id || seen.has(account.Id)) continue;
    seen.add(account.Id);
    const lifecycle = account.State ?? account.Status ?? 'UNKNOWN';
    if (lifecycle !== 'ACTIVE') {
      skipped.push({ accountId: account.Id, name: account.Name, reason: `account is ${lifecycle}, not ACTIVE` });
    } else if (!account.Email) {
      skipped.push({ accountId: account.Id, name: account.Name, reason: 'ListAccounts returned no email for it' });
    } else {
      active.push({ accountId: account.Id, email: account.Email, name: account.Name });
    }
  }
  return { listed: seen.size, active, skipped };
}
