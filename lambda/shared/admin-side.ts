import {
  CreateMembersCommand,
  DeleteMembersCommand,
  DisassociateMembersCommand,
  GetMembersCommand,
  InviteMembersCommand,
} from '@aws-sdk/client-guardduty';
import type { GuardDutyClient, Member, UnprocessedAccount } from '@aws-sdk/client-guardduty';
import { withAdminDetector } from './admin-detector';
import type { AdminWhere } from './admin-detector';
import { TerminalErrors, TransientErrors } from './error-names';
import { EnrollmentError, awsMessageOf, callAws, isEnrollmentError } from './errors';
import type { CallContext } from './errors';
import { GuardDutyMessages } from './guardduty-messages';
import { logger } from './logger';
import { maskEmail } from './mask';
import {
  RELATIONSHIP_STATUS_MEANINGS,
  hasLeft,
  isMembershipPending,
  needsInvitation,
  requireKnownStatus,
  toKnownStatus,
} from './relationship-status';
import type { KnownRelationshipStatus } from './relationship-status';
import { nextState } from './region-state';
import type { OffboardState, RegionOutcome, RegionState } from './types';

/** What CreateMember learns and leaves behind in one region. */
export interface MembershipView {
  adminDetectorId: string;
  relationshipStatus: KnownRelationshipStatus;
  /** Member.DetectorId (API reference: the member's detector), null until the member has one. */
  memberDetectorId: string | null;
}

/** EmailVerificationFailed with the message every step uses. */
class EmailVerificationError extends EnrollmentError {
  constructor(where: { accountId: string; region: string }, maskedEmail?: string) {
    super(
      TerminalErrors.EmailVerificationFailed,
      `GuardDuty could not verify the email ${maskedEmail ? `${maskedEmail} ` : ''}of account ${where.accountId} in ${where.region}: ` +
        "the member email must be the account's root user email; enroll again with that address",
    );
  }
}

function ctxFor(where: AdminWhere, operation: string): CallContext {
  return { accountId: where.accountId, region: where.region, operation, side: 'administrator' };
}

/** The account's result among UnprocessedAccounts, if GuardDuty listed it there. */
function unprocessedResult(unprocessed: UnprocessedAccount[] | undefined, accountId: string): string | undefined {
  const entry = unprocessed?.find((u) => u.AccountId === accountId);
  return entry ? entry.Result ?? 'no reason given' : undefined;
}

/**
 * The account's Member record in the administrator's detector, or undefined when it is not a member.
 * Assumption: GetMembers lists an account that is not a member under UnprocessedAccounts (or not at
 * all); whatever the Result text, it means "absent" here.
 */
async function getMember(guardDuty: GuardDutyClient, detectorId: string, where: AdminWhere): Promise<Member | undefined> {
  const { Members } = await callAws(ctxFor(where, 'GetMembers'), () =>
    guardDuty.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [where.accountId] })),
  );
  return Members?.find((m) => m.AccountId === where.accountId);
}

function rejected(where: AdminWhere, operation: string, result: string): EnrollmentError {
  return new EnrollmentError(
    TerminalErrors.RequestRejected,
    `GuardDuty ${operation} for account ${where.accountId} in ${where.region} was not processed: ${result}`,
  );
}

function notEligible(where: AdminWhere, result: string): EnrollmentError {
  return new EnrollmentError(
    TerminalErrors.AdministratorNotEligible,
    `administrator account ${where.adminAccountId} cannot add account ${where.accountId} as a member in ${where.region}: ${result}`,
  );
}

/** Maps a CreateMembers problem (UnprocessedAccounts Result or exception text) to an error, or undefined if harmless. */
function createMembersProblem(where: AdminWhere, result: string): EnrollmentError | undefined {
  // facts 4.4: order matters, "already an associated member of another master account" is about
  // the administrator, "already a member ... of the current account" is the harmless repeat.
  if (GuardDutyMessages.callerIsMemberElsewhere.test(result) || GuardDutyMessages.memberLimitReached.test(result)) {
    return notEligible(where, result);
  }
  if (GuardDutyMessages.alreadyMember.test(result)) return undefined;
  if (GuardDutyMessages.memberOfItself.test(result)) {
    return new EnrollmentError(
      TerminalErrors.InvalidEnrollmentRequest,
      `account ${where.accountId} cannot be a member of itself in ${where.region}: ${result}`,
    );
  }
  return rejected(where, 'CreateMembers', result);
}

async function createMember(guardDuty: GuardDutyClient, detectorId: string, where: AdminWhere, email: string): Promise<void> {
  let unprocessed: UnprocessedAccount[] | undefined;
  try {
    ({ UnprocessedAccounts: unprocessed } = await callAws(ctxFor(where, 'CreateMembers'), () =>
      guardDuty.send(
        new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: where.accountId, Email: email }] }),
      ),
    ));
  } catch (error) {
    // facts 4.4: the member limit may also come as an exception (the old doc calls it LimitExceeded).
    if (isEnrollmentError(error, TerminalErrors.RequestRejected) && GuardDutyMessages.memberLimitReached.test(awsMessageOf(error))) {
      throw notEligible(where, awsMessageOf(error));
    }
    throw error;
  }
  // facts 4.2: per-account problems come back as HTTP 200 with UnprocessedAccounts.
  const result = unprocessedResult(unprocessed, where.accountId);
  if (result !== undefined) {
    const problem = createMembersProblem(where, result);
    if (problem) throw problem;
    logger.info('GuardDuty says the account is already a member; nothing to create', { result });
  }
}

async function deleteMember(guardDuty: GuardDutyClient, detectorId: string, where: AdminWhere): Promise<void> {
  const { UnprocessedAccounts } = await callAws(ctxFor(where, 'DeleteMembers'), () =>
    guardDuty.send(new DeleteMembersCommand({ DetectorId: detectorId, AccountIds: [where.accountId] })),
  );
  const result = unprocessedResult(UnprocessedAccounts, where.accountId);
  if (result !== undefined) throw rejected(where, 'DeleteMembers', result);
}

/**
 * CreateMember's domain: makes sure the account is a member of the administrator's detector in the
 * region, creating it when absent and re-creating it when its email failed verification and the
 * request brings a different email. Any other known status is left alone (no mutating call).
 * @throws EnrollmentError AdminDetectorMissing, AdministratorNotEligible, EmailVerificationFailed,
 *   UnknownRelationshipStatus, RequestRejected, or a classified SDK error.
 */
export async function ensureMember(
  guardDuty: GuardDutyClient,
  request: { accountId: string; email: string; region: string },
  adminAccountId: string,
): Promise<MembershipView> {
  const where: AdminWhere = { adminAccountId, accountId: request.accountId, region: request.region };
  const masked = maskEmail(request.email);

  const { detectorId, result } = await withAdminDetector(guardDuty, where, undefined, async (adminDetectorId) => {
    const member = await getMember(guardDuty, adminDetectorId, where);
    if (!member) {
      logger.info('The account is not a member yet; creating it', { email: masked });
      await createMember(guardDuty, adminDetectorId, where, request.email);
      return { relationshipStatus: 'Created' as const, memberDetectorId: null };
    }

    const status = requireKnownStatus(member.RelationshipStatus, where);
    const memberDetectorId = member.DetectorId ?? null;
    if (status !== 'EmailVerificationFailed') {
      logger.info('The account is already a member; nothing to create', { relationshipStatus: status, email: masked });
      return { relationshipStatus: status, memberDetectorId };
    }

    // facts pain point 1: the member's email must be the account's root user email. Assumption: a
    // missing stored email counts as different, so the request's email gets its chance.
    const storedEmail = member.Email ?? '';
    if (storedEmail.toLowerCase() === request.email.toLowerCase()) {
      throw new EmailVerificationError(where, masked);
    }
    // Remedy from facts pain point 1 (mozilla PR #33): delete the member and create it again with
    // the new email; the invitation that follows starts a fresh verification.
    logger.info('Email verification failed for the stored email; re-creating the member with the requested email', {
      storedEmail: maskEmail(storedEmail),
      email: masked,
    });
    await deleteMember(guardDuty, adminDetectorId, where);
    await createMember(guardDuty, adminDetectorId, where, request.email);
    return { relationshipStatus: 'Created' as const, memberDetectorId: null };
  });

  return { adminDetectorId: detectorId, ...result };
}

/** InviteMember's settings (from the Lambda configuration). */
export interface InviteSettings {
  adminAccountId: string;
  disableEmailNotification: boolean;
  defaultInvitationMessage: string;
}

/**
 * InviteMember's domain: sends the administrator's invitation when the member is Created, Removed
 * or Resigned; any other status means an invitation is out or accepted, so nothing is sent.
 * @returns the next state, with the status GuardDuty moves the member to.
 */
export async function inviteMember(guardDuty: GuardDutyClient, state: RegionState, settings: InviteSettings): Promise<RegionState> {
  const where: AdminWhere = { adminAccountId: settings.adminAccountId, accountId: state.accountId, region: state.region };
  const status = currentStatus(state);
  if (status === 'EmailVerificationFailed') throw new EmailVerificationError(where);
  if (!needsInvitation(status)) {
    logger.info('No invitation needed', { relationshipStatus: status, meaning: RELATIONSHIP_STATUS_MEANINGS[status] });
    return nextState(state, {});
  }

  const message = state.invitationMessage ?? settings.defaultInvitationMessage;
  logger.info('Inviting the member', { relationshipStatus: status, disableEmailNotification: settings.disableEmailNotification });
  const { detectorId } = await withAdminDetector(guardDuty, where, state.adminDetectorId, async (adminDetectorId) => {
    const { UnprocessedAccounts } = await callAws(ctxFor(where, 'InviteMembers'), () =>
      guardDuty.send(
        new InviteMembersCommand({
          DetectorId: adminDetectorId,
          AccountIds: [state.accountId],
          DisableEmailNotification: settings.disableEmailNotification,
          ...(message ? { Message: message } : {}),
        }),
      ),
    );
    const result = unprocessedResult(UnprocessedAccounts, state.accountId);
    if (result !== undefined) {
      // facts 4.4: a repeated invitation is reported, not failed.
      if (!GuardDutyMessages.alreadyInvited.test(result)) throw rejected(where, 'InviteMembers', result);
      logger.info('GuardDuty says the account is already invited', { result });
    }
  });

  // facts 4.3: invited with email disabled → Invited; with email enabled → EmailVerificationInProgress.
  const invitedStatus: KnownRelationshipStatus = settings.disableEmailNotification ? 'Invited' : 'EmailVerificationInProgress';
  return nextState(state, { adminDetectorId: detectorId, relationshipStatus: invitedStatus });
}

/**
 * VerifyMembership's domain: reads the member and reports ENABLED, or throws why it is not.
 * @throws EnrollmentError MembershipPending (transient), EmailVerificationFailed, RequestRejected
 *   (member left), MemberNotFound, UnknownRelationshipStatus.
 */
export async function verifyMembership(guardDuty: GuardDutyClient, state: RegionState, adminAccountId: string): Promise<RegionOutcome> {
  const where: AdminWhere = { adminAccountId, accountId: state.accountId, region: state.region };
  const { result: member } = await withAdminDetector(guardDuty, where, state.adminDetectorId, (adminDetectorId) =>
    getMember(guardDuty, adminDetectorId, where),
  );
  if (!member) {
    throw new EnrollmentError(
      TerminalErrors.MemberNotFound,
      `account ${state.accountId} is no longer a member of administrator ${adminAccountId} in ${state.region}; it was deleted during enrollment, enroll it again`,
    );
  }
  const status = requireKnownStatus(member.RelationshipStatus, where);
  logger.info('Membership status read', { relationshipStatus: status, meaning: RELATIONSHIP_STATUS_MEANINGS[status] });
  if (status === 'Enabled') {
    return {
      region: state.region,
      outcome: 'ENABLED',
      relationshipStatus: status,
      memberDetectorId: member.DetectorId ?? state.memberDetectorId,
      error: null,
    };
  }
  if (status === 'EmailVerificationFailed') throw new EmailVerificationError(where);
  if (hasLeft(status)) {
    throw new EnrollmentError(
      TerminalErrors.RequestRejected,
      `account ${state.accountId} left administrator ${adminAccountId} in ${state.region} during enrollment (status ${status}: ${RELATIONSHIP_STATUS_MEANINGS[status]}); enroll it again`,
    );
  }
  if (isMembershipPending(status)) {
    throw new EnrollmentError(
      TransientErrors.MembershipPending,
      `account ${state.accountId} is not an enabled member in ${state.region} yet: status ${status} (${RELATIONSHIP_STATUS_MEANINGS[status]}); the workflow checks again a bounded number of times; as the final outcome it means the status never became Enabled: check the member in the GuardDuty console, then enroll again`,
    );
  }
  // Unreachable while every known status is handled above; kept so a new status cannot pass silently.
  throw new EnrollmentError(
    TerminalErrors.UnknownRelationshipStatus,
    `account ${state.accountId} in ${state.region} has status ${status}, which verification does not handle`,
  );
}

function currentStatus(state: RegionState): KnownRelationshipStatus {
  if (state.relationshipStatus === null || state.relationshipStatus === undefined) {
    throw new EnrollmentError(
      TerminalErrors.MemberNotFound,
      `no membership of account ${state.accountId} in ${state.region} was seen before inviting it; CreateMember must run first`,
    );
  }
  return requireKnownStatus(state.relationshipStatus, state);
}

/**
 * Statuses in which the member is known not to be associated with the administrator, so
 * DisassociateMembers is not needed before DeleteMembers (facts 4.3). Any other value, unknown ones
 * included (RelationshipStatus is a free string), is disassociated first: harmless if it was not.
 */
const NOT_ASSOCIATED: readonly KnownRelationshipStatus[] = ['Created', 'Removed', 'Resigned', 'EmailVerificationFailed'];

/**
 * RemoveMember's domain (administrator side of offboarding): reads the member; when it is absent
 * there is nothing to do (no mutating call, so offboarding twice is safe); otherwise it is
 * disassociated when it may still be associated, then deleted (facts 4.4: DeleteMembers refuses a
 * member "still associated"). GuardDuty then stops monitoring it; its own detector is untouched.
 * @returns the state with the administrator's detector id, the status the administrator saw before
 *   removal (null when the account was not a member) and the member's detector id it reported.
 * @throws EnrollmentError AdminDetectorMissing, RequestRejected, or a classified SDK error.
 */
export async function removeMember(guardDuty: GuardDutyClient, state: OffboardState, adminAccountId: string): Promise<OffboardState> {
  const where: AdminWhere = { adminAccountId, accountId: state.accountId, region: state.region };
  const { detectorId, result } = await withAdminDetector(guardDuty, where, state.adminDetectorId ?? undefined, async (adminDetectorId) => {
    const member = await getMember(guardDuty, adminDetectorId, where);
    if (!member) {
      logger.info('The account is not a member; nothing to remove on the administrator side');
      return { relationshipStatus: null, memberDetectorId: null };
    }
    const raw = member.RelationshipStatus ?? null;
    const status = toKnownStatus(raw);
    if (!status || !NOT_ASSOCIATED.includes(status)) {
      logger.info('Disassociating the member', { relationshipStatus: raw });
      const { UnprocessedAccounts } = await callAws(ctxFor(where, 'DisassociateMembers'), () =>
        guardDuty.send(new DisassociateMembersCommand({ DetectorId: adminDetectorId, AccountIds: [where.accountId] })),
      );
      const problem = unprocessedResult(UnprocessedAccounts, where.accountId);
      // A member that is "not associated" (or already gone) needs no disassociation; DeleteMembers
      // below tells whether anything else is wrong.
      if (problem !== undefined) logger.info('GuardDuty did not disassociate the member', { result: problem });
    }
    const { UnprocessedAccounts } = await callAws(ctxFor(where, 'DeleteMembers'), () =>
      guardDuty.send(new DeleteMembersCommand({ DetectorId: adminDetectorId, AccountIds: [where.accountId] })),
    );
    const problem = unprocessedResult(UnprocessedAccounts, where.accountId);
    if (problem !== undefined && !GuardDutyMessages.notAMember.test(problem)) {
      throw new EnrollmentError(
        TerminalErrors.RequestRejected,
        `GuardDuty DeleteMembers for account ${where.accountId} in ${where.region} was not processed: ${problem}` +
          (GuardDutyMessages.stillAssociated.test(problem) ? '; the member is still associated (status ' + String(raw) + '): offboard again' : ''),
      );
    }
    logger.info('Removed the member from the administrator', { relationshipStatus: raw });
    return { relationshipStatus: raw, memberDetectorId: member.DetectorId ?? null };
  });
  return {
    enrollmentId: state.enrollmentId,
    region: state.region,
    accountId: state.accountId,
    deleteDetector: state.deleteDetector,
    adminDetectorId: detectorId,
    ...result,
  };
}
