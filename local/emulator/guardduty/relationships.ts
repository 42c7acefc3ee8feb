/**
 * Administrator/member relationship rules shared by the GuardDuty handlers: how a stored
 * relationship is shown, when email verification finishes, and how an association ends.
 */
import { regionalKey } from '../core/state';
import type { EmulatorState } from '../core/state';
import type { MemberRecord, StoredRelationship } from '../core/types';

/**
 * The `RelationshipStatus` GuardDuty reports, CamelCase as in live responses (docs/aws-facts.md, 4.3).
 * An associated member is `Disabled` while its detector is disabled or the administrator stopped
 * monitoring it, and `Enabled` otherwise (mozilla docstring: "DISABLED: accepted, but the detector
 * is disabled"). StopMonitoringMembers showing `Disabled` is an emulator choice: the docs only say
 * it stops monitoring until StartMonitoringMembers.
 */
export function relationshipStatus(state: EmulatorState, record: MemberRecord): string {
  if (record.relationship !== 'Associated') return record.relationship;
  const detector = state.detectorOf(record.accountId, record.region);
  const enabled = detector?.status === 'ENABLED' && !record.monitoringStopped;
  return enabled ? 'Enabled' : 'Disabled';
}

/** True once the member accepted the administrator's invitation (and has not left since). */
export function isAssociated(record: MemberRecord): boolean {
  return record.relationship === 'Associated';
}

/**
 * Finishes email verifications whose delay has passed (docs/aws-facts.md, 4.2: with email on, status goes
 * through EmailVerificationInProgress). The member email must equal the account's root email,
 * compared case-insensitively (docs/aws-facts.md, pain point 1); on success the invitation is delivered and the
 * member becomes `Invited`, otherwise `EmailVerificationFailed` and no invitation is delivered.
 * An account the control API never seeded has no known root email, so its verification fails.
 */
export function settleVerifications(state: EmulatorState, now: number): void {
  for (const list of state.members.values()) {
    for (const record of list.values()) {
      const pending = record.pendingVerification;
      if (record.relationship !== 'EmailVerificationInProgress' || !pending || pending.resolveAt > now) continue;
      record.pendingVerification = undefined;
      record.updatedAt = new Date(pending.resolveAt);
      const rootEmail = state.account(record.accountId).email;
      if (rootEmail !== undefined && rootEmail.toLowerCase() === record.email.toLowerCase()) {
        record.relationship = 'Invited';
        deliverInvitation(state, record, pending.invitationId, pending.resolveAt);
      } else {
        record.relationship = 'EmailVerificationFailed';
      }
    }
  }
}

/** Puts an invitation in the member's list, visible from `visibleAt`, replacing older pending ones from the same administrator. */
export function deliverInvitation(state: EmulatorState, record: MemberRecord, invitationId: string, visibleAt: number): void {
  state.removeInvitations(
    (inv) => !inv.accepted && inv.administratorId === record.administratorId && inv.inviteeId === record.accountId && inv.region === record.region,
  );
  state.invitations.push({
    invitationId,
    administratorId: record.administratorId,
    inviteeId: record.accountId,
    region: record.region,
    invitedAt: record.invitedAt ?? new Date(visibleAt),
    visibleAt,
    accepted: false,
  });
}

/**
 * Ends the member's association (or pending invitation) with this administrator: the member no
 * longer has an administrator, its invitation from this administrator is gone, and the
 * administrator's record takes the given relationship.
 */
export function endRelationship(state: EmulatorState, record: MemberRecord, next: StoredRelationship, now: number): void {
  const memberKey = regionalKey(record.accountId, record.region);
  if (state.administrators.get(memberKey)?.administratorId === record.administratorId) {
    state.administrators.delete(memberKey);
  }
  state.removeInvitations((inv) => inv.administratorId === record.administratorId && inv.inviteeId === record.accountId && inv.region === record.region);
  record.relationship = next;
  record.pendingVerification = undefined;
  record.monitoringStopped = false;
  record.updatedAt = new Date(now);
}

/**
 * Whether the account has members of its own that stop it from accepting an invitation (docs/aws-facts.md, 4.4:
 * "created, invited, or associated members"). Removed and Resigned records are left over from past
 * relationships and do not count: an emulator reading of that message.
 */
export function hasActiveMembers(state: EmulatorState, accountId: string, region: string): boolean {
  const list = state.members.get(regionalKey(accountId, region));
  if (!list) return false;
  return [...list.values()].some((record) => record.relationship !== 'Removed' && record.relationship !== 'Resigned');
}
