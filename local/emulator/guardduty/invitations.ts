/**
 * Member-side operations: ListInvitations, GetInvitationsCount, AcceptAdministratorInvitation (and
 * the deprecated AcceptInvitation), DeclineInvitations, DeleteInvitations, GetAdministratorAccount
 * (and GetMasterAccount), DisassociateFromAdministratorAccount (and DisassociateFromMasterAccount).
 */
import { GuardDutyMessages as M, badRequest } from '../core/errors';
import { withNextToken } from './detectors';
import { accountIdList, ownDetector, pageRequest, paginate, requiredString } from './input';
import type { GuardDutyCall, GuardDutyHandler, JsonObject } from './input';
import { endRelationship, hasActiveMembers, relationshipStatus } from './relationships';
import { regionalKey } from '../core/state';
import type { Invitation } from '../core/types';

/** Invitations to the caller in the region that the caller can see yet (eventual consistency, docs/aws-facts.md, pain point 2). */
function visibleInvitations(call: GuardDutyCall): Invitation[] {
  return call.state.invitationsTo(call.caller.accountId, call.region).filter((inv) => inv.visibleAt <= call.now);
}

/**
 * GET /invitation. Lists the invitations the caller has received and can see. The accepted
 * invitation stays listed, with the relationship's current status: the API reference says
 * ListInvitations lists "all GuardDuty membership invitations that were sent to the current
 * account" while GetInvitationsCount explicitly excludes "the currently accepted invitation"
 * (docs/aws-facts.md, 4.2). Declined and deleted invitations are gone. Pending ones show `Invited`.
 */
export const listInvitations: GuardDutyHandler = (call) => {
  const page = pageRequest(call.query);
  const result = paginate(visibleInvitations(call), page);
  const invitations = result.items.map((inv) => ({
    accountId: inv.administratorId,
    invitationId: inv.invitationId,
    relationshipStatus: invitationStatus(call, inv),
    invitedAt: inv.invitedAt.toISOString(),
  }));
  return withNextToken({ invitations }, result.nextToken);
};

function invitationStatus(call: GuardDutyCall, inv: Invitation): string {
  if (!inv.accepted) return 'Invited';
  const record = call.state.memberRecord(inv.administratorId, inv.region, inv.inviteeId);
  return record ? relationshipStatus(call.state, record) : 'Enabled';
}

/** GET /invitation/count. Excludes the currently accepted invitation (docs/aws-facts.md, 4.2). */
export const getInvitationsCount: GuardDutyHandler = (call) => ({
  invitationsCount: visibleInvitations(call).filter((inv) => !inv.accepted).length,
});

/** POST /detector/{detectorId}/administrator. */
export const acceptAdministratorInvitation: GuardDutyHandler = (call) =>
  accept(call, requiredString(call.body, 'administratorId'), requiredString(call.body, 'invitationId'));

/** POST /detector/{detectorId}/master (deprecated form, docs/aws-facts.md, 4.2: MasterId instead of AdministratorId). */
export const acceptInvitation: GuardDutyHandler = (call) => accept(call, requiredString(call.body, 'masterId'), requiredString(call.body, 'invitationId'));

/**
 * Accepting needs a detector the caller owns (enabled or not: a disabled one makes the member
 * `Disabled`, docs/aws-facts.md, 4.3), no current administrator, no members of its own, and a visible pending
 * invitation with this id from this administrator (docs/aws-facts.md, 4.4 messages). Accepting again while
 * already associated with the same administrator is also refused with the "already a member"
 * message: the old accept-invitation doc lists that error with no exception for the same
 * administrator, and a strict emulator shows callers that do not check membership first.
 */
function accept(call: GuardDutyCall, administratorId: string, invitationId: string): JsonObject {
  const { state, caller, region, now } = call;
  ownDetector(state, caller.accountId, region, call.detectorId);
  if (state.administratorOf(caller.accountId, region)) throw badRequest(M.alreadyMemberOfMaster);
  if (hasActiveMembers(state, caller.accountId, region)) throw badRequest(M.hasMembers);
  const invitation = visibleInvitations(call).find((inv) => !inv.accepted && inv.administratorId === administratorId && inv.invitationId === invitationId);
  const record = state.memberRecord(administratorId, region, caller.accountId);
  if (!invitation || !record) throw badRequest(M.noInvitation);
  if (state.administratorOf(administratorId, region)) throw badRequest(M.inviterIsMember);
  invitation.accepted = true;
  state.administrators.set(regionalKey(caller.accountId, region), {
    administratorId,
    invitationId,
    invitedAt: invitation.invitedAt,
  });
  record.relationship = 'Associated';
  record.monitoringStopped = false;
  record.updatedAt = new Date(now);
  return {};
}

/**
 * POST /invitation/decline and /invitation/delete (AccountIds = the inviters). Both remove the
 * caller's pending invitations from those accounts; an account with no visible pending invitation
 * is reported in unprocessedAccounts with the docs/aws-facts.md, 4.4 "no invitation" message. The
 * administrator then sees the member as `Resigned`: the docs do not say what a declined invitation
 * looks like from the administrator's side, and `Resigned` ("the member disassociated", docs/aws-facts.md, 4.3)
 * tells it the member said no rather than leaving it waiting on `Invited` forever.
 */
export const declineInvitations: GuardDutyHandler = (call) => {
  const { state, caller, region, now } = call;
  const unprocessed: Array<{ accountId: string; result: string }> = [];
  for (const administratorId of accountIdList(call.body)) {
    const pending = visibleInvitations(call).filter((inv) => !inv.accepted && inv.administratorId === administratorId);
    if (pending.length === 0) {
      unprocessed.push({ accountId: administratorId, result: M.noInvitation });
      continue;
    }
    const record = state.memberRecord(administratorId, region, caller.accountId);
    if (record?.relationship === 'Invited') endRelationship(state, record, 'Resigned', now);
    state.removeInvitations((inv) => pending.includes(inv));
  }
  return { unprocessedAccounts: unprocessed };
};

/** POST /invitation/delete: same effect as declining (see declineInvitations). */
export const deleteInvitations: GuardDutyHandler = declineInvitations;

/** GET /detector/{detectorId}/administrator: `{administrator}` for a member, `{}` otherwise (docs/aws-facts.md, 4.2). */
export const getAdministratorAccount: GuardDutyHandler = (call) => administratorView(call, 'administrator');

/** GET /detector/{detectorId}/master: the deprecated form, same content under `master`. */
export const getMasterAccount: GuardDutyHandler = (call) => administratorView(call, 'master');

function administratorView(call: GuardDutyCall, key: 'administrator' | 'master'): JsonObject {
  const { state, caller, region } = call;
  ownDetector(state, caller.accountId, region, call.detectorId);
  const link = state.administratorOf(caller.accountId, region);
  if (!link) return {};
  const record = state.memberRecord(link.administratorId, region, caller.accountId);
  return {
    [key]: {
      accountId: link.administratorId,
      invitationId: link.invitationId,
      relationshipStatus: record ? relationshipStatus(state, record) : 'Enabled',
      invitedAt: link.invitedAt.toISOString(),
    },
  };
}

/** POST /detector/{detectorId}/administrator/disassociate: the administrator then sees `Resigned` (docs/aws-facts.md, 4.3). */
export const disassociateFromAdministratorAccount: GuardDutyHandler = (call) => {
  const { state, caller, region, now } = call;
  ownDetector(state, caller.accountId, region, call.detectorId);
  const link = state.administratorOf(caller.accountId, region);
  if (!link) throw badRequest(M.notAssociated);
  const record = state.memberRecord(link.administratorId, region, caller.accountId);
  if (record) endRelationship(state, record, 'Resigned', now);
  state.administrators.delete(regionalKey(caller.accountId, region));
  return {};
};

/** POST /detector/{detectorId}/master/disassociate: the deprecated form. */
export const disassociateFromMasterAccount: GuardDutyHandler = disassociateFromAdministratorAccount;
