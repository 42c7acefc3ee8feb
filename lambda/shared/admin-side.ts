import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateMembersCommand, DeleteMembersCommand, DisassociateMembersCommand, GetMembersCommand, InviteMembersCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyClient, Member, UnprocessedAccount } from '@aws-sdk/client-guardduty';
import { MAX_ACCOUNTS_PER_CALL } from '../../contract/api-rules';
import { withAdminDetector } from './admin-detector';
import type { AdminWhere } from './admin-detector';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';
import { EnrollmentError, awsMessageOf, callAws, isEnrollmentError } from './errors';
import type { CallContext } from './errors';
import { GuardDutyMessages } from './guardduty-messages';
import { logger } from './logger';
import { maskEmail } from './mask';
import { organizationsProblem } from './organizations-check';
import { RELATIONSHIP_STATUS_MEANINGS, hasLeft, isMembershipPending, needsInvitation, requireKnownStatus, toKnownStatus } from './relationship-status';
import type { KnownRelationshipStatus } from './relationship-status';
import { nextState } from './region-state';
import type { OffboardState, RegionOutcome, RegionState } from '../../contract/workflow-types';

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

/** `items` in consecutive chunks of at most `size`. */
export function inChunks<T>(items: readonly T[], size = MAX_ACCOUNTS_PER_CALL): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The administrator and region of a batched call, which may concern many accounts. */
export interface BatchWhere {
  adminAccountId: string;
  region: string;
}

/** One account's result in a batched step: its value, or the error that stopped that account alone. */
export type PerAccount<T> = Map<string, T | EnrollmentError>;

/** How messages name the accounts of one call: the account, or the first and how many more. */
function accountsLabel(accountIds: readonly string[]): string {
  return accountIds.length === 1 ? accountIds[0] : `${accountIds[0]} and ${accountIds.length - 1} more`;
}

function batchWhere(where: BatchWhere, accountIds: readonly string[]): AdminWhere {
  return { ...where, accountId: accountsLabel(accountIds) };
}

function ctxFor(where: BatchWhere, accountIds: readonly string[], operation: string): CallContext {
  return { accountId: accountsLabel(accountIds), region: where.region, operation, side: 'administrator' };
}

function accountWhere(where: BatchWhere, accountId: string): AdminWhere {
  return { ...where, accountId };
}

/** The Result of each account GuardDuty listed among UnprocessedAccounts. */
function unprocessedResults(unprocessed: UnprocessedAccount[] | undefined): Map<string, string> {
  return new Map((unprocessed ?? []).filter((u) => u.AccountId).map((u) => [u.AccountId as string, u.Result ?? 'no reason given']));
}

/**
 * The Member records of `accountIds` in the administrator's detector, by account id, read with one
 * GetMembers per 50 accounts; an account that is not a member is absent from the map.
 * Assumption: GetMembers lists an account that is not a member under UnprocessedAccounts (or not at
 * all); whatever the Result text, it means "absent" here.
 */
async function getMembers(guardDuty: GuardDutyClient, detectorId: string, where: BatchWhere, accountIds: readonly string[]): Promise<Map<string, Member>> {
  const members = new Map<string, Member>();
  for (const chunk of inChunks(accountIds)) {
    const { Members } = await callAws(ctxFor(where, chunk, 'GetMembers'), () =>
      guardDuty.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: chunk })),
    );
    for (const member of Members ?? []) if (member.AccountId && chunk.includes(member.AccountId)) members.set(member.AccountId, member);
  }
  return members;
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
  // docs/aws-facts.md, 4.4: order matters, "already an associated member of another master account" is about
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

/** Creates the members, one CreateMembers per 50 accounts; returns each account's problem, if any. */
async function createMembers(
  guardDuty: GuardDutyClient,
  detectorId: string,
  where: BatchWhere,
  accounts: readonly { accountId: string; email: string }[],
): Promise<Map<string, EnrollmentError>> {
  const problems = new Map<string, EnrollmentError>();
  for (const chunk of inChunks(accounts)) {
    const ids = chunk.map((a) => a.accountId);
    let unprocessed: UnprocessedAccount[] | undefined;
    try {
      ({ UnprocessedAccounts: unprocessed } = await callAws(ctxFor(where, ids, 'CreateMembers'), () =>
        guardDuty.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: chunk.map((a) => ({ AccountId: a.accountId, Email: a.email })) })),
      ));
    } catch (error) {
      // docs/aws-facts.md, 4.4: the member limit may also come as an exception (the old doc calls it LimitExceeded).
      if (isEnrollmentError(error, TerminalErrors.RequestRejected) && GuardDutyMessages.memberLimitReached.test(awsMessageOf(error))) {
        for (const id of ids) problems.set(id, notEligible(accountWhere(where, id), awsMessageOf(error)));
        continue;
      }
      throw error;
    }
    // docs/aws-facts.md, 4.2: per-account problems come back as HTTP 200 with UnprocessedAccounts.
    for (const [accountId, result] of unprocessedResults(unprocessed)) {
      const problem = createMembersProblem(accountWhere(where, accountId), result);
      if (problem) problems.set(accountId, problem);
      else logger.info('GuardDuty says the account is already a member; nothing to create', { memberAccountId: accountId, result });
    }
  }
  return problems;
}

/** Deletes the members, one DeleteMembers per 50 accounts; returns each account's problem, if any. */
async function deleteMembers(
  guardDuty: GuardDutyClient,
  detectorId: string,
  where: BatchWhere,
  accountIds: readonly string[],
): Promise<Map<string, EnrollmentError>> {
  const problems = new Map<string, EnrollmentError>();
  for (const chunk of inChunks(accountIds)) {
    const { UnprocessedAccounts } = await callAws(ctxFor(where, chunk, 'DeleteMembers'), () =>
      guardDuty.send(new DeleteMembersCommand({ DetectorId: detectorId, AccountIds: chunk })),
    );
    for (const [accountId, result] of unprocessedResults(UnprocessedAccounts))
      problems.set(accountId, rejected(accountWhere(where, accountId), 'DeleteMembers', result));
  }
  return problems;
}

/** The value for `accountId` in a per-account result, or its error thrown. */
function single<T>(results: PerAccount<T>, accountId: string): T {
  const result = results.get(accountId);
  if (result === undefined) throw new Error(`No result for account ${accountId}`);
  if (result instanceof EnrollmentError) throw result;
  return result;
}

/** What CreateMember learns about one account in a region. */
export type MemberStatus = Omit<MembershipView, 'adminDetectorId'>;

/**
 * CreateMember's domain for any number of accounts of one region: makes sure each account is a
 * member of the administrator's detector, creating it when absent and re-creating it when its email
 * failed verification and the request brings a different email. Any other known status is left
 * alone (no mutating call). Calls: GetMembers, then DeleteMembers and CreateMembers only for the
 * accounts that need them, each once per 50 accounts.
 * @returns the administrator's detector id and, per account, its status or the error that stops it
 *   (EmailVerificationFailed, UnknownRelationshipStatus, AdministratorNotEligible, RequestRejected,
 *   InvalidEnrollmentRequest).
 * @throws EnrollmentError for what stops every account: AdminDetectorMissing, or a classified SDK error.
 */
export async function ensureMembers(
  guardDuty: GuardDutyClient,
  requests: readonly { accountId: string; email: string }[],
  where: BatchWhere,
  organizations?: OrganizationsClient,
): Promise<{ adminDetectorId: string; results: PerAccount<MemberStatus> }> {
  const ids = requests.map((r) => r.accountId);
  const { detectorId, result } = await withAdminDetector(guardDuty, batchWhere(where, ids), undefined, async (adminDetectorId) => {
    const results: PerAccount<MemberStatus> = new Map();
    const members = await getMembers(guardDuty, adminDetectorId, where, ids);
    const toCreate: { accountId: string; email: string }[] = [];
    const toRecreate: { accountId: string; email: string }[] = [];
    for (const request of requests) {
      const here = accountWhere(where, request.accountId);
      const masked = maskEmail(request.email);
      const member = members.get(request.accountId);
      if (!member) {
        logger.info('The account is not a member yet; creating it', { memberAccountId: request.accountId, email: masked });
        toCreate.push(request);
        continue;
      }
      let status: KnownRelationshipStatus;
      try {
        status = requireKnownStatus(member.RelationshipStatus, here);
      } catch (error) {
        if (!(error instanceof EnrollmentError)) throw error;
        results.set(request.accountId, error);
        continue;
      }
      if (status !== 'EmailVerificationFailed') {
        logger.info('The account is already a member; nothing to create', { memberAccountId: request.accountId, relationshipStatus: status, email: masked });
        results.set(request.accountId, { relationshipStatus: status, memberDetectorId: member.DetectorId ?? null });
        continue;
      }
      // docs/aws-facts.md, pain point 1: the member's email must be the account's root user email. Assumption: a
      // missing stored email counts as different, so the request's email gets its chance.
      const storedEmail = member.Email ?? '';
      if (storedEmail.toLowerCase() === request.email.toLowerCase()) {
        results.set(request.accountId, new EmailVerificationError(here, masked));
        continue;
      }
      // Remedy from docs/aws-facts.md, pain point 1 (mozilla PR #33): delete the member and create it again with
      // the new email; the invitation that follows starts a fresh verification.
      logger.info('Email verification failed for the stored email; re-creating the member with the requested email', {
        memberAccountId: request.accountId,
        storedEmail: maskEmail(storedEmail),
        email: masked,
      });
      toRecreate.push(request);
    }
    // Before anything is created: the email and status Organizations knows, when it can tell.
    if (organizations) {
      for (const list of [toCreate, toRecreate]) {
        for (const request of [...list]) {
          const problem = await organizationsProblem(organizations, request, where.region);
          if (!problem) continue;
          results.set(request.accountId, problem);
          list.splice(list.indexOf(request), 1);
        }
      }
    }
    const deleteProblems = await deleteMembers(
      guardDuty,
      adminDetectorId,
      where,
      toRecreate.map((r) => r.accountId),
    );
    for (const request of toRecreate) {
      const problem = deleteProblems.get(request.accountId);
      if (problem) results.set(request.accountId, problem);
      else toCreate.push(request);
    }
    const createProblems = await createMembers(guardDuty, adminDetectorId, where, toCreate);
    for (const { accountId } of toCreate) {
      results.set(accountId, createProblems.get(accountId) ?? { relationshipStatus: 'Created', memberDetectorId: null });
    }
    return results;
  });
  return { adminDetectorId: detectorId, results: result };
}

/**
 * CreateMember's domain for one account: {@link ensureMembers} with one request.
 * @throws EnrollmentError AdminDetectorMissing, AdministratorNotEligible, EmailVerificationFailed,
 *   UnknownRelationshipStatus, RequestRejected, or a classified SDK error.
 */
export async function ensureMember(
  guardDuty: GuardDutyClient,
  request: { accountId: string; email: string; region: string },
  adminAccountId: string,
  organizations?: OrganizationsClient,
): Promise<MembershipView> {
  const { adminDetectorId, results } = await ensureMembers(guardDuty, [request], { adminAccountId, region: request.region }, organizations);
  return { adminDetectorId, ...single(results, request.accountId) };
}

/** InviteMember's settings (from the Lambda configuration). */
export interface InviteSettings {
  adminAccountId: string;
  disableEmailNotification: boolean;
  defaultInvitationMessage: string;
}

/**
 * InviteMember's domain for any number of accounts of one region (states from CreateMember, all with
 * the same administrator detector): sends the administrator's invitation to the members that are
 * Created, Removed or Resigned, one InviteMembers per 50 accounts and message; any other status means
 * an invitation is out or accepted, so nothing is sent.
 * @returns per account the next state, with the status GuardDuty moves the member to, or its error.
 * @throws EnrollmentError for what stops every account (a classified SDK error).
 */
export async function inviteMembers(guardDuty: GuardDutyClient, states: readonly RegionState[], settings: InviteSettings): Promise<PerAccount<RegionState>> {
  const results: PerAccount<RegionState> = new Map();
  const toInvite: RegionState[] = [];
  for (const state of states) {
    const here = accountWhere({ adminAccountId: settings.adminAccountId, region: state.region }, state.accountId);
    try {
      const status = currentStatus(state);
      if (status === 'EmailVerificationFailed') throw new EmailVerificationError(here);
      if (!needsInvitation(status)) {
        logger.info('No invitation needed', { memberAccountId: state.accountId, relationshipStatus: status, meaning: RELATIONSHIP_STATUS_MEANINGS[status] });
        results.set(state.accountId, nextState(state, {}));
      } else {
        toInvite.push(state);
      }
    } catch (error) {
      if (!(error instanceof EnrollmentError)) throw error;
      results.set(state.accountId, error);
    }
  }
  if (toInvite.length === 0) return results;

  const where: BatchWhere = { adminAccountId: settings.adminAccountId, region: toInvite[0].region };
  // Accounts that share a message share a call: InviteMembers takes one Message for all its accounts.
  const byMessage = new Map<string, RegionState[]>();
  for (const state of toInvite) {
    const message = state.invitationMessage ?? settings.defaultInvitationMessage;
    byMessage.set(message, [...(byMessage.get(message) ?? []), state]);
  }
  logger.info('Inviting members', { accounts: toInvite.length, disableEmailNotification: settings.disableEmailNotification });
  const ids = toInvite.map((s) => s.accountId);
  const { detectorId, result: problems } = await withAdminDetector(guardDuty, batchWhere(where, ids), toInvite[0].adminDetectorId, async (adminDetectorId) => {
    const found = new Map<string, EnrollmentError>();
    for (const [message, group] of byMessage) {
      for (const chunk of inChunks(group.map((s) => s.accountId))) {
        const { UnprocessedAccounts } = await callAws(ctxFor(where, chunk, 'InviteMembers'), () =>
          guardDuty.send(
            new InviteMembersCommand({
              DetectorId: adminDetectorId,
              AccountIds: chunk,
              DisableEmailNotification: settings.disableEmailNotification,
              ...(message ? { Message: message } : {}),
            }),
          ),
        );
        for (const [accountId, result] of unprocessedResults(UnprocessedAccounts)) {
          // docs/aws-facts.md, 4.4: a repeated invitation is reported, not failed.
          if (GuardDutyMessages.alreadyInvited.test(result))
            logger.info('GuardDuty says the account is already invited', { memberAccountId: accountId, result });
          else found.set(accountId, rejected(accountWhere(where, accountId), 'InviteMembers', result));
        }
      }
    }
    return found;
  });

  // docs/aws-facts.md, 4.3: invited with email disabled → Invited; with email enabled → EmailVerificationInProgress.
  const invitedStatus: KnownRelationshipStatus = settings.disableEmailNotification ? 'Invited' : 'EmailVerificationInProgress';
  for (const state of toInvite) {
    results.set(state.accountId, problems.get(state.accountId) ?? nextState(state, { adminDetectorId: detectorId, relationshipStatus: invitedStatus }));
  }
  return results;
}

/**
 * InviteMember's domain for one account: {@link inviteMembers} with one state.
 * @returns the next state, with the status GuardDuty moves the member to.
 */
export async function inviteMember(guardDuty: GuardDutyClient, state: RegionState, settings: InviteSettings): Promise<RegionState> {
  return single(await inviteMembers(guardDuty, [state], settings), state.accountId);
}

/** The outcome one Member record means for an enrollment: ENABLED, or the error saying why not. */
function membershipOutcome(member: Member | undefined, state: RegionState, adminAccountId: string): RegionOutcome {
  const where = accountWhere({ adminAccountId, region: state.region }, state.accountId);
  if (!member) {
    throw new EnrollmentError(
      TerminalErrors.MemberNotFound,
      `account ${state.accountId} is no longer a member of administrator ${adminAccountId} in ${state.region}; it was deleted during enrollment, enroll it again`,
    );
  }
  const status = requireKnownStatus(member.RelationshipStatus, where);
  logger.info('Membership status read', { memberAccountId: state.accountId, relationshipStatus: status, meaning: RELATIONSHIP_STATUS_MEANINGS[status] });
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

/**
 * VerifyMembership's domain for any number of accounts of one region: reads the members (one
 * GetMembers per 50 accounts) and reports each ENABLED, or the error saying why not: MembershipPending
 * (transient), EmailVerificationFailed, RequestRejected (member left), MemberNotFound,
 * UnknownRelationshipStatus.
 * @throws EnrollmentError for what stops every account (a classified SDK error).
 */
export async function verifyMemberships(
  guardDuty: GuardDutyClient,
  states: readonly RegionState[],
  adminAccountId: string,
): Promise<PerAccount<RegionOutcome>> {
  const results: PerAccount<RegionOutcome> = new Map();
  if (states.length === 0) return results;
  const where: BatchWhere = { adminAccountId, region: states[0].region };
  const ids = states.map((s) => s.accountId);
  // The first known detector id; none (an empty one) means it is looked up.
  const knownDetectorId = states.map((s) => s.adminDetectorId).find(Boolean);
  const { result: members } = await withAdminDetector(guardDuty, batchWhere(where, ids), knownDetectorId, (adminDetectorId) =>
    getMembers(guardDuty, adminDetectorId, where, ids),
  );
  for (const state of states) {
    try {
      results.set(state.accountId, membershipOutcome(members.get(state.accountId), state, adminAccountId));
    } catch (error) {
      if (!(error instanceof EnrollmentError)) throw error;
      results.set(state.accountId, error);
    }
  }
  return results;
}

/**
 * VerifyMembership's domain for one account: {@link verifyMemberships} with one state.
 * @throws EnrollmentError MembershipPending (transient), EmailVerificationFailed, RequestRejected
 *   (member left), MemberNotFound, UnknownRelationshipStatus.
 */
export async function verifyMembership(guardDuty: GuardDutyClient, state: RegionState, adminAccountId: string): Promise<RegionOutcome> {
  return single(await verifyMemberships(guardDuty, [state], adminAccountId), state.accountId);
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
 * DisassociateMembers is not needed before DeleteMembers (docs/aws-facts.md, 4.3). Any other value, unknown ones
 * included (RelationshipStatus is a free string), is disassociated first: harmless if it was not.
 */
const NOT_ASSOCIATED: readonly KnownRelationshipStatus[] = ['Created', 'Removed', 'Resigned', 'EmailVerificationFailed'];

/**
 * RemoveMember's domain (administrator side of offboarding): reads the member; when it is absent
 * there is nothing to do (no mutating call, so offboarding twice is safe); otherwise it is
 * disassociated when it may still be associated, then deleted (docs/aws-facts.md, 4.4: DeleteMembers refuses a
 * member "still associated"). GuardDuty then stops monitoring it; its own detector is untouched.
 * @returns the state with the administrator's detector id, the status the administrator saw before
 *   removal (null when the account was not a member) and the member's detector id it reported.
 * @throws EnrollmentError AdminDetectorMissing, RequestRejected, or a classified SDK error.
 */
export async function removeMember(guardDuty: GuardDutyClient, state: OffboardState, adminAccountId: string): Promise<OffboardState> {
  const where: AdminWhere = { adminAccountId, accountId: state.accountId, region: state.region };
  const { detectorId, result } = await withAdminDetector(guardDuty, where, state.adminDetectorId ?? undefined, async (adminDetectorId) => {
    const member = (await getMembers(guardDuty, adminDetectorId, where, [where.accountId])).get(where.accountId);
    if (!member) {
      logger.info('The account is not a member; nothing to remove on the administrator side');
      return { relationshipStatus: null, memberDetectorId: null };
    }
    const raw = member.RelationshipStatus ?? null;
    const status = toKnownStatus(raw);
    if (!status || !NOT_ASSOCIATED.includes(status)) {
      logger.info('Disassociating the member', { relationshipStatus: raw });
      const { UnprocessedAccounts } = await callAws(ctxFor(where, [where.accountId], 'DisassociateMembers'), () =>
        guardDuty.send(new DisassociateMembersCommand({ DetectorId: adminDetectorId, AccountIds: [where.accountId] })),
      );
      const problem = unprocessedResults(UnprocessedAccounts).get(where.accountId);
      // A member that is "not associated" (or already gone) needs no disassociation; DeleteMembers
      // below tells whether anything else is wrong.
      if (problem !== undefined) logger.info('GuardDuty did not disassociate the member', { result: problem });
    }
    const { UnprocessedAccounts } = await callAws(ctxFor(where, [where.accountId], 'DeleteMembers'), () =>
      guardDuty.send(new DeleteMembersCommand({ DetectorId: adminDetectorId, AccountIds: [where.accountId] })),
    );
    const problem = unprocessedResults(UnprocessedAccounts).get(where.accountId);
    if (problem !== undefined && !GuardDutyMessages.notAMember.test(problem)) {
      throw new EnrollmentError(
        TerminalErrors.RequestRejected,
        `GuardDuty DeleteMembers for account ${where.accountId} in ${where.region} was not processed: ${problem}` +
          (GuardDutyMessages.stillAssociated.test(problem) ? `; the member is still associated (status ${String(raw)}): offboard again` : ''),
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
