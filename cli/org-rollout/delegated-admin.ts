/** Designating the GuardDuty delegated administrator in one region, from the management account. */
import { EnableOrganizationAdminAccountCommand, ListOrganizationAdminAccountsCommand } from '@aws-sdk/client-guardduty';
import type { AdminAccount, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { RolloutError } from './errors';
import { withRetry } from './retry';
import type { RetryPolicy } from './retry';

/** What the designation step did (or, in a dry run, would do). */
export type DesignationResult = 'designated' | 'already-designated' | 'to-designate';

/**
 * Makes `adminId` the region's delegated administrator unless it already is.
 * ListOrganizationAdminAccounts first (SRA and LZA check before enabling; EnableOrganizationAdminAccount
 * is not documented as idempotent), then:
 * - `adminId` ENABLED: nothing to do;
 * - another account designated: stop the region. Replacing an administrator means disassociating
 *   and deleting its members first (user guide, "Changing the delegated GuardDuty administrator
 *   account"), which a rollout must not do on its own;
 * - DISABLE_IN_PROGRESS: stop the region, to be re-run once the removal finishes.
 */
export async function ensureDelegatedAdmin(management: GuardDutyClient, adminId: string, dryRun: boolean, retry: RetryPolicy): Promise<DesignationResult> {
  const admins: AdminAccount[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withRetry(() => management.send(new ListOrganizationAdminAccountsCommand({ NextToken: nextToken })), retry);
    admins.push(...(page.AdminAccounts ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken !== undefined);
  const ours = admins.find((admin) => admin.AdminAccountId === adminId);
  if (ours?.AdminStatus === 'ENABLED') return 'already-designated';
  if (ours) {
    throw new RolloutError(
      `Account ${adminId} is being removed as delegated administrator (AdminStatus ${ours.AdminStatus}); re-run once the removal has finished.`,
    );
  }
  const other = admins.find((admin) => admin.AdminAccountId !== undefined);
  if (other) {
    throw new RolloutError(
      `Account ${other.AdminAccountId} is already the GuardDuty delegated administrator here (AdminStatus ${other.AdminStatus}). ` +
        'org-rollout does not replace it: remove it first (disassociate and delete its members, then DisableOrganizationAdminAccount), or pass --delegated-admin ' +
        `${other.AdminAccountId}.`,
    );
  }
  if (dryRun) return 'to-designate';
  await withRetry(() => management.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: adminId })), retry);
  return 'designated';
}
