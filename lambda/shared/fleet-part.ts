import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { ListMembersCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyClient, Member } from '@aws-sdk/client-guardduty';
import { createHash } from 'node:crypto';
import { FLEET_DRIFT_DETAIL_TYPE, FLEET_EVENT_SOURCE, FLEET_PART_PAGES, LIST_MEMBERS_PAGE_SIZE } from '../../contract/fleet-check';
import type { CheckedPart, DriftedAccount, FleetCounts, FleetPartInput } from '../../contract/fleet-check';
import { effectivePlans, wantedFeatures } from '../../contract/protection-plans';
import type { ProtectionPlans } from '../../contract/protection-plans';
import { withAdminDetector } from './admin-detector';
import { inChunks } from './admin-side';
import { EnrollmentError, callAws } from './errors';
import { classifyMember } from './fleet-classify';
import type { Classification } from './fleet-classify';
import { logger } from './logger';
import { neededChanges, readFeatures } from './protection-plans';

export interface FleetPartSettings {
  adminAccountId: string;
  protectionPlans: ProtectionPlans;
  invitedLimitHours: number;
  eventBusName: string;
  now: number;
}

export interface FleetPartClients {
  guardDuty: GuardDutyClient;
  eventBridge: EventBridgeClient;
}

/**
 * The id of the batch that repairs a part: `fleet-<12 hex of the check id's SHA-256>-<part>`, at
 * most 36 characters, so it is a valid batch id of the API (1-40, it prefixes its parts' names) and
 * the same when the step is retried.
 */
export function repairBatchId(checkId: string, part: string): string {
  return `fleet-${createHash('sha256').update(checkId).digest('hex').slice(0, 12)}-${part}`;
}

/** PutEvents takes at most 10 entries a call (docs/aws-facts.md, "Fleet check"). */
const PUT_EVENTS_ENTRIES = 10;

/**
 * Up to FLEET_PART_PAGES pages of ListMembers (OnlyAssociated "false": every member, whatever its
 * status; MaxResults 50, the most a page holds) from `nextToken` (docs/aws-facts.md, 4.2 and "Fleet check").
 */
async function listPages(guardDuty: GuardDutyClient, input: FleetPartInput, adminDetectorId: string): Promise<{ members: Member[]; nextToken: string | null }> {
  const members: Member[] = [];
  let nextToken = input.nextToken ?? undefined;
  for (let page = 0; page < FLEET_PART_PAGES; page++) {
    const answer = await callAws({ accountId: 'of the fleet', region: input.region, operation: 'ListMembers', side: 'administrator' }, () =>
      guardDuty.send(
        new ListMembersCommand({ DetectorId: adminDetectorId, OnlyAssociated: 'false', MaxResults: LIST_MEMBERS_PAGE_SIZE, NextToken: nextToken }),
      ),
    );
    members.push(...(answer.Members ?? []));
    nextToken = answer.NextToken || undefined;
    if (!nextToken) break;
  }
  return { members, nextToken: nextToken ?? null };
}

/**
 * The Enabled members whose plans differ from the profile, or that GuardDuty would not read: one
 * GetMemberDetectors per 50 accounts, the same comparison as the enrollment's apply step.
 */
async function plansDrift(
  guardDuty: GuardDutyClient,
  region: string,
  adminDetectorId: string,
  accountIds: string[],
  profile: ProtectionPlans,
): Promise<Map<string, Classification>> {
  const drift = new Map<string, Classification>();
  const wanted = wantedFeatures(effectivePlans(profile, null));
  if (accountIds.length === 0 || wanted.length === 0) return drift;
  const read = await readFeatures(guardDuty, { region, adminDetectorId }, accountIds);
  for (const [accountId, current] of read) {
    if (current instanceof EnrollmentError) drift.set(accountId, { status: 'DRIFTED', reason: 'PlansUnreadable' });
    else if (neededChanges(wanted, current, region).length > 0) drift.set(accountId, { status: 'DRIFTED', reason: 'PlansDiffer' });
  }
  return drift;
}

/** One `GuardDuty Member Drifted` event per drift, on the project's bus, 10 a call. */
async function putDriftEvents(eventBridge: EventBridgeClient, input: FleetPartInput, drifted: DriftedAccount[], eventBusName: string): Promise<number> {
  let failed = 0;
  for (const chunk of inChunks(drifted, PUT_EVENTS_ENTRIES)) {
    const entries: PutEventsRequestEntry[] = chunk.map((account) => ({
      EventBusName: eventBusName,
      Source: FLEET_EVENT_SOURCE,
      DetailType: FLEET_DRIFT_DETAIL_TYPE,
      Detail: JSON.stringify({ checkId: input.checkId, region: input.region, ...account }),
    }));
    const answer = await callAws({ accountId: 'of the fleet', region: input.region, operation: 'PutEvents', side: 'administrator' }, () =>
      eventBridge.send(new PutEventsCommand({ Entries: entries })),
    );
    failed += answer.FailedEntryCount ?? 0;
  }
  if (failed > 0) logger.warn('Some drift events were not put on the bus', { failed });
  return failed;
}

/**
 * CheckMembers: one part of a region's fleet check. Lists up to 1,000 members from the part's token,
 * reads the plans of the Enabled ones this deployment enrolled, classifies every member, puts one
 * event per drift on the bus and, in repair mode, names the drifted accounts to re-enroll (with the
 * email GuardDuty holds for them, as the batch's CreateMembers needs it). UNMANAGED members are
 * counted only: nothing reads their plans, reports them one by one or touches them.
 */
export async function checkPart(clients: FleetPartClients, input: FleetPartInput, settings: FleetPartSettings): Promise<CheckedPart> {
  const where = { adminAccountId: settings.adminAccountId, accountId: 'of the fleet', region: input.region };
  const { result } = await withAdminDetector(clients.guardDuty, where, undefined, async (adminDetectorId) => {
    const listed = await listPages(clients.guardDuty, input, adminDetectorId);
    const context = { roster: input.roster, region: input.region, now: settings.now, invitedLimitMs: settings.invitedLimitHours * 3_600_000 };
    const classified = listed.members.map((member) => ({ member, ...classifyMember(member, context) }));
    const enabled = classified.filter((c) => c.status === 'ENABLED').map((c) => c.member.AccountId as string);
    const plans = await plansDrift(clients.guardDuty, input.region, adminDetectorId, enabled, settings.protectionPlans);
    return { listed, classified: classified.map((c) => ({ ...c, ...plans.get(c.member.AccountId as string) })) };
  });
  const counts: FleetCounts = { members: result.classified.length, enabled: 0, pending: 0, drifted: 0, unmanaged: 0 };
  for (const { status } of result.classified) counts[status.toLowerCase() as Lowercase<typeof status>] += 1;
  const repairing = input.mode === 'repair';
  const batchId = repairBatchId(input.checkId, input.part);
  const driftedMembers = result.classified.filter((c) => c.status === 'DRIFTED');
  const drifted: DriftedAccount[] = driftedMembers.map(({ member, reason }) => ({
    accountId: member.AccountId as string,
    reason: reason as DriftedAccount['reason'],
    relationshipStatus: member.RelationshipStatus ?? null,
    action: repairing ? 'REENROLLED' : 'REPORTED',
    ...(repairing ? { repairBatchId: batchId } : {}),
  }));
  await putDriftEvents(clients.eventBridge, input, drifted, settings.eventBusName);
  const repairs = repairing ? driftedMembers.map(({ member }) => ({ accountId: member.AccountId as string, email: member.Email ?? '' })) : [];
  logger.info('Fleet part checked', {
    region: input.region,
    part: input.part,
    ...counts,
    repairs: repairs.length,
    morePages: result.listed.nextToken !== null,
  });
  return { counts, drifted, nextToken: result.listed.nextToken, repairs, repairBatchId: repairs.length > 0 ? batchId : null };
}
