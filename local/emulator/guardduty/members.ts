/**
 * Administrator-side member operations: CreateMembers, InviteMembers, GetMembers, ListMembers,
 * DeleteMembers, DisassociateMembers, StartMonitoringMembers, StopMonitoringMembers.
 *
 * Per-account problems come back as HTTP 200 with `unprocessedAccounts[{accountId, result}]`, never
 * as exceptions (docs/aws-facts.md, 4.2); a malformed request (list too long, bad account id) is a 400.
 */
import { GuardDutyMessages as M, badRequest } from '../core/errors';
import { withNextToken } from './detectors';
import { accountIdList, boundedArray, isAccountId, isValidEmail, optionalBoolean, optionalString, ownDetector, pageRequest, paginate } from './input';
import type { GuardDutyCall, GuardDutyHandler, JsonObject } from './input';
import { createOrganizationMember } from './organization-members';
import { deliverInvitation, endRelationship, isAssociated, relationshipStatus } from './relationships';
import { hexId } from '../core/state';
import type { EmulatorState } from '../core/state';
import type { MemberRecord } from '../core/types';

/** Members per administrator by invitation (docs/aws-facts.md, 4.1: 5000, 2022 limits doc). */
export const MEMBER_LIMIT = 5000;

interface Unprocessed {
  accountId: string;
  result: string;
}

/** The administrator's member list for the detector named in the path (which must be the caller's). */
function memberListOf(call: GuardDutyCall): Map<string, MemberRecord> {
  ownDetector(call.state, call.caller.accountId, call.region, call.detectorId);
  return call.state.memberList(call.caller.accountId, call.region);
}

function callerIsMember(call: GuardDutyCall): boolean {
  return call.state.administratorOf(call.caller.accountId, call.region) !== undefined;
}

/** POST /detector/{detectorId}/member. New members start as `Created` (docs/aws-facts.md, 4.3). */
export const createMembers: GuardDutyHandler = (call) => {
  const list = memberListOf(call);
  const details = boundedArray(call.body, 'accountDetails').map(readAccountDetail);
  const unprocessed: Unprocessed[] = [];
  for (const { accountId, email } of details) {
    // A delegated administrator adding an account of its organization: no invitation (see organization-members.ts).
    const viaOrganization = createOrganizationMember(call, accountId, email);
    if (viaOrganization !== undefined) {
      if (viaOrganization !== null) unprocessed.push({ accountId, result: viaOrganization });
      continue;
    }
    const problem = createProblem(call, list, accountId);
    if (problem) {
      unprocessed.push({ accountId, result: problem });
      continue;
    }
    list.set(accountId, {
      accountId,
      email,
      administratorId: call.caller.accountId,
      region: call.region,
      relationship: 'Created',
      monitoringStopped: false,
      invitedAt: undefined,
      updatedAt: new Date(call.now),
      pendingVerification: undefined,
    });
  }
  return { unprocessedAccounts: unprocessed };
};

function createProblem(call: GuardDutyCall, list: Map<string, MemberRecord>, accountId: string): string | undefined {
  if (callerIsMember(call)) return M.callerIsMemberCreate;
  if (accountId === call.caller.accountId) return M.memberOfItself;
  // docs/aws-facts.md, 4.2: a disassociated member keeps its details and is re-invited, not re-created.
  if (list.has(accountId)) return M.alreadyMember;
  if (list.size >= MEMBER_LIMIT) return M.memberLimit;
  return undefined;
}

/**
 * A bad account id or email fails the whole request (400): both break the model's input constraints
 * (AccountId length 12, the Email rules of docs/aws-facts.md, 4.1), which the emulator checks before looking at
 * any account. The docs do not say whether the live service reports a bad email per account instead.
 */
function readAccountDetail(raw: unknown): { accountId: string; email: string } {
  if (raw === null || typeof raw !== 'object') throw badRequest(M.invalidInput);
  const detail = raw as JsonObject;
  const accountId = detail.accountId;
  const email = optionalString(detail, 'email');
  if (!isAccountId(accountId) || email === undefined || !isValidEmail(email)) throw badRequest(M.invalidInput);
  return { accountId, email };
}

/**
 * POST /detector/{detectorId}/member/invite. With `disableEmailNotification: true` the member is
 * `Invited` at once; otherwise it is `EmailVerificationInProgress` until the invitation delay has
 * passed, then `Invited` or `EmailVerificationFailed` (see settleVerifications). Created, Removed,
 * Resigned and EmailVerificationFailed members can be invited again without re-creating them
 * (docs/aws-facts.md, 4.2).
 */
export const inviteMembers: GuardDutyHandler = (call) => {
  const list = memberListOf(call);
  const ids = accountIdList(call.body);
  const disableEmail = optionalBoolean(call.body, 'disableEmailNotification') ?? false;
  // The invitation message is only checked for type: nobody reads it in the emulator.
  optionalString(call.body, 'message');
  const unprocessed: Unprocessed[] = [];
  for (const accountId of ids) {
    const record = list.get(accountId);
    const problem = inviteProblem(call, accountId, record);
    if (problem === undefined && record !== undefined) invite(call.state, record, disableEmail, call.now);
    else unprocessed.push({ accountId, result: problem ?? M.notMember });
  }
  return { unprocessedAccounts: unprocessed };
};

function inviteProblem(call: GuardDutyCall, accountId: string, record: MemberRecord | undefined): string | undefined {
  if (callerIsMember(call)) return M.callerIsMemberInvite;
  if (accountId === call.caller.accountId) return M.inviteSelf;
  if (!record) return M.notMember;
  const pendingOrAssociated = ['Invited', 'EmailVerificationInProgress', 'Associated'];
  if (pendingOrAssociated.includes(record.relationship)) return M.alreadyInvited;
  return undefined;
}

function invite(state: EmulatorState, record: MemberRecord, disableEmail: boolean, now: number): void {
  const invitationId = hexId();
  const readyAt = now + state.settings.invitationDelayMs;
  record.invitedAt = new Date(now);
  record.updatedAt = new Date(now);
  record.monitoringStopped = false;
  if (disableEmail) {
    record.relationship = 'Invited';
    record.pendingVerification = undefined;
    deliverInvitation(state, record, invitationId, readyAt);
  } else {
    record.relationship = 'EmailVerificationInProgress';
    record.pendingVerification = { invitationId, resolveAt: readyAt };
  }
}

/** POST /detector/{detectorId}/member/get. */
export const getMembers: GuardDutyHandler = (call) => {
  const list = memberListOf(call);
  const ids = accountIdList(call.body);
  const members: JsonObject[] = [];
  const unprocessed: Unprocessed[] = [];
  for (const accountId of ids) {
    const record = list.get(accountId);
    if (record) members.push(renderMember(call.state, record));
    else unprocessed.push({ accountId, result: M.notMember });
  }
  return { members, unprocessedAccounts: unprocessed };
};

/**
 * GET /detector/{detectorId}/member. `onlyAssociated` is a string, "true" by default; "true" lists
 * members whose status is Enabled or Disabled, "false" lists every member (docs/aws-facts.md, 4.2; amazonka 1.6
 * ListMembers doc: "The default value is TRUE ... Enabled, Disabled").
 */
export const listMembers: GuardDutyHandler = (call) => {
  const list = memberListOf(call);
  const page = pageRequest(call.query);
  const onlyAssociated = (call.query.get('onlyAssociated') ?? 'true').toLowerCase();
  if (onlyAssociated !== 'true' && onlyAssociated !== 'false') throw badRequest(M.invalidInput);
  const records = [...list.values()].filter((record) => onlyAssociated === 'false' || isAssociated(record));
  const result = paginate(records, page);
  return withNextToken({ members: result.items.map((record) => renderMember(call.state, record)) }, result.nextToken);
};

/**
 * POST /detector/{detectorId}/member/delete. A member still associated cannot be deleted (docs/aws-facts.md, 4.4,
 * old doc delete-members.md); disassociate it first. Deleting a pending member withdraws its invitation.
 */
export const deleteMembers: GuardDutyHandler = (call) =>
  perMember(call, (record, list) => {
    if (isAssociated(record)) return M.stillAssociated;
    endRelationship(call.state, record, record.relationship, call.now);
    list.delete(record.accountId);
    return undefined;
  });

/**
 * POST /detector/{detectorId}/member/disassociate. The member record stays (docs/aws-facts.md, 4.2: disassociated
 * members keep their details and can be re-invited) with status `Removed`, which is what Terraform's
 * `aws_guardduty_member` reads back after DisassociateMembers (TF member.go maps Removed/Resigned to
 * invite = false); the docs do not name the status. A pending invitation is withdrawn the same way.
 * Members never invited (Created) or already gone are left as they are.
 */
export const disassociateMembers: GuardDutyHandler = (call) =>
  perMember(call, (record) => {
    const active = ['Associated', 'Invited', 'EmailVerificationInProgress'];
    if (active.includes(record.relationship)) endRelationship(call.state, record, 'Removed', call.now);
    return undefined;
  });

/** POST /detector/{detectorId}/member/stop. Only associated members can be stopped (SRA issue #151 message). */
export const stopMonitoringMembers: GuardDutyHandler = (call) => setMonitoring(call, true);

/** POST /detector/{detectorId}/member/start. */
export const startMonitoringMembers: GuardDutyHandler = (call) => setMonitoring(call, false);

function setMonitoring(call: GuardDutyCall, stopped: boolean): JsonObject {
  return perMember(call, (record) => {
    if (!isAssociated(record)) return M.notAssociatedMember;
    record.monitoringStopped = stopped;
    record.updatedAt = new Date(call.now);
    return undefined;
  });
}

/** Runs `action` for each listed member; unknown accounts and returned problems go to unprocessedAccounts. */
function perMember(call: GuardDutyCall, action: (record: MemberRecord, list: Map<string, MemberRecord>) => string | undefined): JsonObject {
  const list = memberListOf(call);
  const unprocessed: Unprocessed[] = [];
  for (const accountId of accountIdList(call.body)) {
    const record = list.get(accountId);
    const problem = record ? action(record, list) : M.notMember;
    if (problem) unprocessed.push({ accountId, result: problem });
  }
  return { unprocessedAccounts: unprocessed };
}

/**
 * A member as GetMembers/ListMembers return it. `detectorId` is the member's own detector in the
 * region, shown while the member is associated: the aws-cli #3295 output shows no detectorId for
 * Created and EmailVerificationFailed members, the old get-members.md sample shows it for a
 * monitored one. Timestamps are ISO strings (model: String), e.g. "2018-04-29T06:28:35.022Z".
 */
export function renderMember(state: EmulatorState, record: MemberRecord): JsonObject {
  const rendered: JsonObject = {
    accountId: record.accountId,
    masterId: record.administratorId,
    administratorId: record.administratorId,
    email: record.email,
    relationshipStatus: relationshipStatus(state, record),
    updatedAt: record.updatedAt.toISOString(),
  };
  const memberDetector = state.detectorOf(record.accountId, record.region);
  if (isAssociated(record) && memberDetector) rendered.detectorId = memberDetector.detectorId;
  if (record.invitedAt) rendered.invitedAt = record.invitedAt.toISOString();
  return rendered;
}
