import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { ensureMembers, inviteMembers, verifyMemberships } from './admin-side';
import type { InviteSettings } from './admin-side';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';
import { EnrollmentError } from './errors';
import { logger } from './logger';
import type {
  AccountOutcome,
  BatchPartInput,
  FailedAcceptance,
  PartVerification,
  PreparedPart,
  RegionState,
  VerifiedPart,
} from '../../contract/workflow-types';
import { validateRegionInput } from './validation';

/** The outcome of an account that a step stopped with `error`. */
export function failedOutcome(
  accountId: string,
  error: EnrollmentError,
  known: { relationshipStatus?: string | null; memberDetectorId?: string | null } = {},
): AccountOutcome {
  return {
    accountId,
    outcome: 'FAILED',
    relationshipStatus: known.relationshipStatus ?? null,
    memberDetectorId: known.memberDetectorId ?? null,
    error: { code: error.name, message: error.message },
  };
}

/**
 * PrepareMembers' domain: the administrator side of a batch part before the member side, with the
 * single enrollment's rules per account: each account is validated as CreateMember validates it;
 * {@link ensureMembers} makes it a member (an Enabled member is finished, with no mutating call);
 * {@link inviteMembers} invites the members that need it. GuardDuty is called once per 50 accounts
 * for each operation.
 * @returns the finished accounts' outcomes and the states AcceptInvitation takes next.
 * @throws EnrollmentError for what stops every account of the part (AdminDetectorMissing, SDK errors).
 */
export async function prepareMembers(
  guardDuty: GuardDutyClient,
  part: BatchPartInput,
  settings: InviteSettings,
  organizations?: OrganizationsClient,
): Promise<PreparedPart> {
  const outcomes: AccountOutcome[] = [];
  const requests: { accountId: string; email: string }[] = [];
  const seen = new Set<string>();
  for (const account of part.accounts) {
    const accountId = String(account?.accountId);
    try {
      const valid = validateRegionInput(
        {
          enrollmentId: part.batchId,
          region: part.region,
          request: {
            ...account,
            ...(part.invitationMessage !== null ? { invitationMessage: part.invitationMessage } : {}),
            ...(part.protectionPlans ? { protectionPlans: part.protectionPlans } : {}),
          },
          relationshipStatus: null,
          memberDetectorId: null,
        },
        settings.adminAccountId,
      );
      if (seen.has(valid.accountId)) {
        throw new EnrollmentError(
          TerminalErrors.InvalidEnrollmentRequest,
          `account ${valid.accountId} is listed more than once in the batch (region ${part.region})`,
        );
      }
      seen.add(valid.accountId);
      requests.push({ accountId: valid.accountId, email: valid.email });
    } catch (error) {
      if (!(error instanceof EnrollmentError)) throw error;
      outcomes.push(failedOutcome(accountId, error));
    }
  }
  if (requests.length === 0) return { outcomes, invitations: [] };

  const where = { adminAccountId: settings.adminAccountId, region: part.region };
  const { adminDetectorId, results } = await ensureMembers(guardDuty, requests, where, organizations);
  const created: RegionState[] = [];
  for (const { accountId } of requests) {
    const result = results.get(accountId);
    if (result instanceof EnrollmentError) {
      outcomes.push(failedOutcome(accountId, result));
    } else if (result?.relationshipStatus === 'Enabled') {
      outcomes.push({ accountId, outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: result.memberDetectorId, error: null });
    } else if (result) {
      created.push({
        enrollmentId: part.batchId,
        region: part.region,
        accountId,
        adminDetectorId,
        relationshipStatus: result.relationshipStatus,
        memberDetectorId: result.memberDetectorId,
        ...(part.invitationMessage !== null ? { invitationMessage: part.invitationMessage } : {}),
        protectionPlans: part.protectionPlans ?? null,
      });
    }
  }

  const invited = await inviteMembers(guardDuty, created, settings);
  const invitations: RegionState[] = [];
  for (const state of created) {
    const result = invited.get(state.accountId);
    if (result instanceof EnrollmentError) outcomes.push(failedOutcome(state.accountId, result, state));
    else if (result) invitations.push(result);
  }
  logger.info('Batch part prepared', { part: part.part, accounts: part.accounts.length, finished: outcomes.length, toAccept: invitations.length });
  return { outcomes, invitations };
}

/** An entry of `checking` that AcceptInvitation failed (its outcome), rather than a state. */
function isOutcome(entry: RegionState | FailedAcceptance): entry is FailedAcceptance {
  return 'outcome' in entry;
}

/**
 * VerifyMembers' domain: reads the members of a batch part (one GetMembers per 50 accounts) and
 * finishes each account as VerifyMembership finishes one: ENABLED, or FAILED with the reason.
 * Memberships still pending stay `pending` for another check, except at the last check
 * (`attempt + 1 >= maxAttempts`), where they fail with MembershipPending's message. As in the
 * single enrollment's CheckEmailVerification, an account whose invitation never became visible
 * while its email was being verified is read once more: EmailVerificationFailed replaces the
 * InvitationNotYetVisible failure when GuardDuty reports it.
 */
export async function verifyPart(guardDuty: GuardDutyClient, input: PartVerification, adminAccountId: string): Promise<VerifiedPart> {
  const last = input.attempt + 1 >= input.maxAttempts;
  const finished: AccountOutcome[] = [...input.finished];
  const states: RegionState[] = [];
  const emailChecks: FailedAcceptance[] = [];
  for (const entry of input.checking) {
    if (!isOutcome(entry)) states.push(entry);
    else if (entry.error?.code === TransientErrors.InvitationNotYetVisible && entry.relationshipStatus === 'EmailVerificationInProgress')
      emailChecks.push(entry);
    else finished.push(withoutState(entry));
  }
  const emailStates: RegionState[] = emailChecks.map((o) => ({
    enrollmentId: input.batchId,
    region: input.region,
    accountId: o.accountId,
    // Empty when unknown: verifyMemberships then looks the administrator's detector up.
    adminDetectorId: o.adminDetectorId ?? '',
    relationshipStatus: o.relationshipStatus,
    memberDetectorId: o.memberDetectorId,
  }));
  const results = await verifyMemberships(guardDuty, [...states, ...emailStates], adminAccountId);

  const pending: RegionState[] = [];
  for (const state of states) {
    const result = results.get(state.accountId);
    if (result instanceof EnrollmentError) {
      if (result.name === TransientErrors.MembershipPending && !last) pending.push(state);
      else finished.push(failedOutcome(state.accountId, result, state));
    } else if (result) {
      // verifyMemberships reports an outcome only for an Enabled member.
      finished.push({
        accountId: state.accountId,
        outcome: 'ENABLED',
        relationshipStatus: result.relationshipStatus,
        memberDetectorId: result.memberDetectorId,
        error: null,
      });
    }
  }
  for (const original of emailChecks) {
    const result = results.get(original.accountId);
    const emailFailed = result instanceof EnrollmentError && result.name === TerminalErrors.EmailVerificationFailed;
    finished.push(emailFailed ? failedOutcome(original.accountId, result, original) : withoutState(original));
  }
  const enabled = finished.filter((o) => o.outcome === 'ENABLED').length;
  return { attempt: input.attempt + 1, finished, pending, enabled, failed: finished.length - enabled };
}

/** An outcome with only the contract's fields (a failed entry of the accept Map carries more). */
function withoutState(outcome: AccountOutcome): AccountOutcome {
  return {
    accountId: outcome.accountId,
    outcome: outcome.outcome,
    relationshipStatus: outcome.relationshipStatus ?? null,
    memberDetectorId: outcome.memberDetectorId ?? null,
    error: outcome.error ?? null,
  };
}
