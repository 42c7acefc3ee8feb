import { GetMemberDetectorsCommand, GetRemainingFreeTrialDaysCommand, UpdateMemberDetectorsCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyClient, MemberFeaturesConfiguration, MemberFeaturesConfigurationResult } from '@aws-sdk/client-guardduty';
import { effectivePlans, isFeatureAvailable, wantedFeatures } from '../../contract/protection-plans';
import type { FreeTrialDays, PlanOutcome, ProtectionPlans, WantedFeature } from '../../contract/protection-plans';
import { withAdminDetector } from './admin-detector';
import { inChunks } from './admin-side';
import { failedOutcome } from './batch-part';
import { EnrollmentError, awsMessageOf, callAws, isEnrollmentError } from './errors';
import type { CallContext } from './errors';
import { TerminalErrors } from '../../contract/error-names';
import { GuardDutyMessages } from './guardduty-messages';
import { logger } from './logger';
import type { AccountOutcome, RegionOutcome, RegionState } from '../../contract/workflow-types';

/** Where the administrator applies plans: its detector in one region. */
export interface PlansWhere {
  region: string;
  adminDetectorId: string;
}

/** One account's result: its features' outcomes, or why none could be read or changed. */
export type PlansResult = PlanOutcome[] | EnrollmentError;

type Current = MemberFeaturesConfigurationResult[];

/** docs/aws-facts.md, GuardDuty protection plans: features an Organizations GuardDuty policy manages read `ManagedBy: GUARDDUTY_POLICY` and are read-only. */
const POLICY_MANAGED = 'GUARDDUTY_POLICY';

function ctx(where: PlansWhere, operation: string, accountId = 'of the batch'): CallContext {
  return { accountId, region: where.region, operation, side: 'administrator' };
}

/** GetMemberDetectors, 50 accounts a call (docs/aws-facts.md, 4.1): each account's features, or why GuardDuty did not answer for it. */
export async function readFeatures(
  guardDuty: GuardDutyClient,
  where: PlansWhere,
  accountIds: readonly string[],
): Promise<Map<string, Current | EnrollmentError>> {
  const read = new Map<string, Current | EnrollmentError>();
  for (const chunk of inChunks(accountIds)) {
    const answer = await callAws(ctx(where, 'GetMemberDetectors', chunk.length === 1 ? chunk[0] : undefined), () =>
      guardDuty.send(new GetMemberDetectorsCommand({ DetectorId: where.adminDetectorId, AccountIds: chunk })),
    );
    for (const member of answer.MemberDataSourceConfigurations ?? []) if (member.AccountId) read.set(member.AccountId, member.Features ?? []);
    for (const skipped of answer.UnprocessedAccounts ?? []) {
      read.set(skipped.AccountId ?? '', rejected(where, 'GetMemberDetectors', skipped.AccountId ?? '', skipped.Result ?? 'no reason given'));
    }
  }
  for (const accountId of accountIds) {
    if (!read.has(accountId)) read.set(accountId, rejected(where, 'GetMemberDetectors', accountId, 'GuardDuty answered nothing for the account'));
  }
  return read;
}

function rejected(where: PlansWhere, operation: string, accountId: string, result: string): EnrollmentError {
  return new EnrollmentError(
    TerminalErrors.RequestRejected,
    `${operation} for member ${accountId} in ${where.region} was rejected by GuardDuty: ${result}; the membership is Enabled but its protection plans are not known: enroll again to apply them`,
  );
}

/** What must change for `wanted` to hold, given the member's `current` features in the region. */
export function neededChanges(wanted: readonly WantedFeature[], current: Current, region: string): MemberFeaturesConfiguration[] {
  const changes: MemberFeaturesConfiguration[] = [];
  for (const feature of wanted) {
    const now = current.find((item) => item.Name === feature.name);
    // Not offered in the region, or read-only under an Organizations policy: reported, never sent.
    if (!now || !isFeatureAvailable(feature.name, region) || now.ManagedBy === POLICY_MANAGED) continue;
    const agentsDiffer = feature.additionalConfiguration.some(
      (agent) => now.AdditionalConfiguration?.find((item) => item.Name === agent.name)?.Status !== agent.status,
    );
    if (now.Status === feature.status && !agentsDiffer) continue;
    changes.push({
      Name: feature.name,
      Status: feature.status,
      ...(feature.additionalConfiguration.length > 0
        ? { AdditionalConfiguration: feature.additionalConfiguration.map((a) => ({ Name: a.name, Status: a.status })) }
        : {}),
    });
  }
  return changes;
}

/** Each wanted feature's outcome from the member's features as read, with the reason when it is not as wanted. */
export function planOutcomes(wanted: readonly WantedFeature[], current: Current, region: string, refused = new Map<string, string>()): PlanOutcome[] {
  return wanted.map((feature): PlanOutcome => {
    const now = current.find((item) => item.Name === feature.name);
    if (!now || !isFeatureAvailable(feature.name, region)) {
      return { name: feature.name, status: 'UNAVAILABLE', reason: `GuardDuty does not offer ${feature.name} in ${region}` };
    }
    const status = now.Status === 'ENABLED' ? 'ENABLED' : 'DISABLED';
    const agents = feature.additionalConfiguration.map((agent) => ({
      name: agent.name,
      status: now.AdditionalConfiguration?.find((item) => item.Name === agent.name)?.Status === 'ENABLED' ? ('ENABLED' as const) : ('DISABLED' as const),
    }));
    const asWanted = status === feature.status && agents.every((agent, i) => agent.status === feature.additionalConfiguration[i].status);
    const reason =
      now.ManagedBy === POLICY_MANAGED
        ? `managed by an Organizations GuardDuty policy (ManagedBy ${POLICY_MANAGED}), read-only through the API${asWanted ? '' : `; the plans ask ${feature.status}`}`
        : (refused.get(feature.name) ?? (asWanted ? undefined : `the plans ask ${feature.status}; GuardDuty reports ${status}`));
    return { name: feature.name, status, ...(reason ? { reason } : {}), ...(agents.length > 0 ? { additionalConfiguration: agents } : {}) };
  });
}

/**
 * Applies protection plans to Enabled members of one region and reads them back: one
 * GetMemberDetectors per 50 accounts; accounts that need the same changes share UpdateMemberDetectors
 * calls of up to 50 accounts, and only the features that differ are sent; those accounts are read
 * again. An account already as wanted costs one read and no mutating call. Features the region does
 * not offer and features an Organizations policy manages are reported with their reason, not failed.
 * @returns each account's outcomes, or the error GuardDuty gave for that account.
 * @throws EnrollmentError for what stops every account (access denied, throttling after the SDK's retries).
 */
export async function applyPlans(
  guardDuty: GuardDutyClient,
  where: PlansWhere,
  accounts: ReadonlyArray<{ accountId: string; wanted: WantedFeature[] }>,
): Promise<Map<string, PlansResult>> {
  const ids = accounts.map((account) => account.accountId);
  const before = await readFeatures(guardDuty, where, ids);
  const results = new Map<string, PlansResult>();
  const refused = new Map<string, Map<string, string>>();
  // Accounts grouped by the exact changes they need: one group, one UpdateMemberDetectors per 50.
  const groups = new Map<string, { changes: MemberFeaturesConfiguration[]; accountIds: string[] }>();
  for (const { accountId, wanted } of accounts) {
    const current = before.get(accountId) as Current | EnrollmentError;
    if (current instanceof EnrollmentError) {
      results.set(accountId, current);
      continue;
    }
    const changes = neededChanges(wanted, current, where.region);
    if (changes.length === 0) continue;
    const key = JSON.stringify(changes);
    const group = groups.get(key) ?? { changes, accountIds: [] };
    group.accountIds.push(accountId);
    groups.set(key, group);
  }
  const changed: string[] = [];
  for (const { changes, accountIds } of groups.values()) {
    for (const chunk of inChunks(accountIds)) {
      try {
        const answer = await callAws(ctx(where, 'UpdateMemberDetectors', chunk.length === 1 ? chunk[0] : undefined), () =>
          guardDuty.send(new UpdateMemberDetectorsCommand({ DetectorId: where.adminDetectorId, AccountIds: chunk, Features: changes })),
        );
        const skipped = new Map((answer.UnprocessedAccounts ?? []).map((item) => [item.AccountId ?? '', item.Result ?? 'no reason given']));
        for (const accountId of chunk) {
          if (skipped.has(accountId)) results.set(accountId, rejected(where, 'UpdateMemberDetectors', accountId, skipped.get(accountId) as string));
          else changed.push(accountId);
        }
      } catch (error) {
        // docs/aws-facts.md, 4.4: a feature the region does not offer is refused with "invalid or out-of-range";
        // the table did not know it: report the features as refused and read the members as they are.
        if (!isEnrollmentError(error, TerminalErrors.RequestRejected) || !GuardDutyMessages.invalidOrOutOfRange.test(awsMessageOf(error))) throw error;
        logger.warn('GuardDuty refused features for the region', { region: where.region, features: changes.map((c) => c.Name) });
        for (const accountId of chunk)
          refused.set(accountId, new Map(changes.map((c) => [c.Name as string, `GuardDuty refused it in ${where.region}: ${awsMessageOf(error)}`])));
      }
    }
  }
  const after = changed.length > 0 ? await readFeatures(guardDuty, where, changed) : new Map<string, Current | EnrollmentError>();
  for (const { accountId, wanted } of accounts) {
    if (results.has(accountId)) continue;
    const current = (after.get(accountId) ?? before.get(accountId)) as Current | EnrollmentError;
    results.set(accountId, current instanceof EnrollmentError ? current : planOutcomes(wanted, current, where.region, refused.get(accountId)));
  }
  logger.info('Protection plans applied', {
    region: where.region,
    accounts: accounts.length,
    updated: changed.length,
    updateCalls: [...groups.values()].reduce((n, g) => n + Math.ceil(g.accountIds.length / 50), 0),
  });
  return results;
}

/**
 * The account's remaining free-trial days per feature in the region (GetRemainingFreeTrialDays,
 * `AccountIds` required: docs/aws-facts.md, GuardDuty protection plans). Informational: when GuardDuty does not answer, the
 * enrollment goes on and reports null.
 */
export async function freeTrialDays(guardDuty: GuardDutyClient, where: PlansWhere, accountId: string): Promise<FreeTrialDays[] | null> {
  try {
    const answer = await callAws(ctx(where, 'GetRemainingFreeTrialDays', accountId), () =>
      guardDuty.send(new GetRemainingFreeTrialDaysCommand({ DetectorId: where.adminDetectorId, AccountIds: [accountId] })),
    );
    const account = answer.Accounts?.find((item) => item.AccountId === accountId);
    if (!account) return null;
    return (account.Features ?? [])
      .filter((f) => f.Name && f.FreeTrialDaysRemaining !== undefined)
      .map((f) => ({ name: f.Name as string, daysRemaining: f.FreeTrialDaysRemaining as number }));
  } catch (error) {
    logger.warn('The free-trial days could not be read', { region: where.region, error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

/**
 * ApplyProtectionPlans' domain (one account, one region, after its membership is Enabled): the
 * request's plans over the profile applied and read back ({@link applyPlans}: one UpdateMemberDetectors
 * at most), then the remaining free-trial days.
 * @throws EnrollmentError when GuardDuty will not read or change the member's plans.
 */
export async function applyRegionPlans(
  guardDuty: GuardDutyClient,
  state: RegionState,
  settings: { adminAccountId: string; protectionPlans: ProtectionPlans },
): Promise<RegionOutcome> {
  const wanted = wantedFeatures(effectivePlans(settings.protectionPlans, state.protectionPlans));
  const where = { adminAccountId: settings.adminAccountId, accountId: state.accountId, region: state.region };
  const { result } = await withAdminDetector(guardDuty, where, state.adminDetectorId, async (adminDetectorId) => {
    const plansWhere = { region: state.region, adminDetectorId };
    const applied = wanted.length > 0 ? (await applyPlans(guardDuty, plansWhere, [{ accountId: state.accountId, wanted }])).get(state.accountId) : [];
    if (applied instanceof EnrollmentError) throw applied;
    return { protectionPlans: applied ?? [], freeTrial: await freeTrialDays(guardDuty, plansWhere, state.accountId) };
  });
  return {
    region: state.region,
    outcome: 'ENABLED',
    relationshipStatus: state.relationshipStatus,
    memberDetectorId: state.memberDetectorId,
    error: null,
    ...result,
  };
}

/** ApplyPartPlans' input: a batch part's outcomes after VerifyMembers, and the batch's plans. */
export interface PartPlansInput {
  batchId: string;
  region: string;
  part: string;
  protectionPlans: ProtectionPlans | null;
  accounts: AccountOutcome[];
}

/** ApplyPartPlans' result: the part's outcomes with each Enabled account's plans, and the counts. */
export interface PlannedPart {
  accounts: AccountOutcome[];
  enabled: number;
  failed: number;
}

/**
 * ApplyPartPlans' domain: {@link applyPlans} for the part's ENABLED accounts (GetMemberDetectors and
 * UpdateMemberDetectors 50 accounts a call). An account GuardDuty will not read or change becomes FAILED with the reason.
 */
export async function applyPartPlans(
  guardDuty: GuardDutyClient,
  input: PartPlansInput,
  settings: { adminAccountId: string; protectionPlans: ProtectionPlans },
): Promise<PlannedPart> {
  const wanted = wantedFeatures(effectivePlans(settings.protectionPlans, input.protectionPlans));
  const enabled = input.accounts.filter((account) => account.outcome === 'ENABLED').map((account) => account.accountId);
  let results = new Map<string, PlansResult>();
  if (enabled.length > 0 && wanted.length > 0) {
    const where = { adminAccountId: settings.adminAccountId, accountId: `of batch part ${input.part}`, region: input.region };
    ({ result: results } = await withAdminDetector(guardDuty, where, undefined, (adminDetectorId) =>
      applyPlans(
        guardDuty,
        { region: input.region, adminDetectorId },
        enabled.map((accountId) => ({ accountId, wanted })),
      ),
    ));
  }
  const accounts = input.accounts.map((account): AccountOutcome => {
    const result = results.get(account.accountId);
    if (account.outcome !== 'ENABLED') return account;
    if (result instanceof EnrollmentError) return failedOutcome(account.accountId, result, account);
    return { ...account, protectionPlans: result ?? [] };
  });
  const failed = accounts.filter((account) => account.outcome === 'FAILED').length;
  return { accounts, enabled: accounts.length - failed, failed };
}
