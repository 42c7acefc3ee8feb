/** The delegated administrator's member list in one region, and adding the organization's accounts to it. */
import { CreateMembersCommand, ListMembersCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyClient, Member } from '@aws-sdk/client-guardduty';
import type { ActiveAccount } from './accounts';
import { describeError } from './errors';
import { withRetry } from './retry';
import type { RetryPolicy } from './retry';
import type { AccountFailure } from './types';

/** CreateMembers takes 1..50 AccountDetails (docs/aws-facts.md, 4.1; SRA #139 when exceeded). */
export const CREATE_MEMBERS_BATCH = 50;

/** ListMembers MaxResults upper bound (docs/aws-facts.md, 4.1). */
const LIST_PAGE = 50;

/**
 * The CreateMembers result text for an account that already is a member (docs/aws-facts.md, 4.4, c7n #3209).
 * Matched on its distinctive part, as the full text may differ slightly between regions and versions.
 */
const ALREADY_MEMBER = /already a member or associated member/i;

/**
 * Relationship statuses of an associated member (docs/aws-facts.md, 4.3: DISABLED = accepted, detector
 * disabled; ENABLED = accepted). RelationshipStatus is a free string: compared case-insensitively,
 * and anything else counts as not associated.
 */
export function isAssociatedStatus(status: string | undefined): boolean {
  const value = (status ?? '').toLowerCase();
  return value === 'enabled' || value === 'disabled';
}

/**
 * Every member record of the administrator with its RelationshipStatus: ListMembers with
 * OnlyAssociated "false" (a string, docs/aws-facts.md, 4.2) so pending, removed and resigned records show too,
 * every page (docs/aws-facts.md, pain point 8).
 */
export async function listAllMembers(client: GuardDutyClient, detectorId: string, retry: RetryPolicy): Promise<Map<string, string>> {
  const members: Member[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withRetry(
      () => client.send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false', MaxResults: LIST_PAGE, NextToken: nextToken })),
      retry,
    );
    members.push(...(page.Members ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken !== undefined);
  return new Map(members.filter((member) => member.AccountId).map((member) => [member.AccountId as string, member.RelationshipStatus ?? '']));
}

/** What CreateMembers did for a list of accounts. */
export interface CreateMembersOutcome {
  created: string[];
  alreadyMembers: string[];
  failures: AccountFailure[];
  calls: number;
}

/**
 * Calls CreateMembers for the accounts, at most 50 at a time (⌈N/50⌉ calls). Per-account problems
 * come back as HTTP 200 with UnprocessedAccounts, not as exceptions (docs/aws-facts.md, 4.2), and are sorted by
 * their message: "already a member" is not a failure when the account was associated (or appeared
 * since the member list was read, e.g. through auto-enable ALL); any other result is reported with
 * its text. A batch whose call fails after the retries fails its accounts; the other batches go on.
 * `statusBefore` is the member list read before (account → RelationshipStatus).
 */
export async function createMembersInBatches(
  client: GuardDutyClient,
  detectorId: string,
  accounts: ActiveAccount[],
  statusBefore: ReadonlyMap<string, string>,
  retry: RetryPolicy,
): Promise<CreateMembersOutcome> {
  const outcome: CreateMembersOutcome = { created: [], alreadyMembers: [], failures: [], calls: 0 };
  for (let start = 0; start < accounts.length; start += CREATE_MEMBERS_BATCH) {
    const batch = accounts.slice(start, start + CREATE_MEMBERS_BATCH);
    outcome.calls += 1;
    let unprocessed: Map<string, string>;
    try {
      const result = await withRetry(
        () =>
          client.send(
            new CreateMembersCommand({
              DetectorId: detectorId,
              AccountDetails: batch.map((account) => ({ AccountId: account.accountId, Email: account.email })),
            }),
          ),
        retry,
      );
      unprocessed = new Map((result.UnprocessedAccounts ?? []).map((item) => [item.AccountId ?? '', item.Result ?? 'unprocessed, no reason given']));
    } catch (error) {
      for (const account of batch) outcome.failures.push({ accountId: account.accountId, message: `CreateMembers failed: ${describeError(error)}` });
      continue;
    }
    for (const { accountId } of batch) {
      const result = unprocessed.get(accountId);
      if (result === undefined) outcome.created.push(accountId);
      else if (ALREADY_MEMBER.test(result) && (isAssociatedStatus(statusBefore.get(accountId)) || !statusBefore.has(accountId)))
        outcome.alreadyMembers.push(accountId);
      else if (ALREADY_MEMBER.test(result)) {
        outcome.failures.push({
          accountId,
          message: `member record exists with RelationshipStatus ${statusBefore.get(accountId)}; CreateMembers answered: ${result}`,
        });
      } else outcome.failures.push({ accountId, message: result });
    }
  }
  return outcome;
}
