import type { Member } from '@aws-sdk/client-guardduty';
import { rosterStatus } from '../../contract/fleet-check';
import type { DriftReason, FleetRoster, FleetStatus } from '../../contract/fleet-check';
import { toKnownStatus } from './relationship-status';

export interface Classification {
  status: FleetStatus;
  reason?: DriftReason;
}

export interface ClassifyContext {
  roster: FleetRoster;
  region: string;
  now: number;
  /** How long (ms) a member may stay created or invited before it counts as drifted. */
  invitedLimitMs: number;
}

/**
 * One listed member's classification before its plans are read (docs/aws-facts.md, 4.3 for the
 * statuses): a member this deployment did not enroll, or offboarded since, is UNMANAGED whatever its
 * status; Enabled is ENABLED until its plans say otherwise; Disabled, Removed, Resigned and
 * EmailVerificationFailed are drift with that reason; Created, Invited and EmailVerificationInProgress
 * are PENDING until `invitedLimitMs` after the invitation (or the last update when it was never
 * invited), then drift; any other status is drift the product cannot name.
 */
export function classifyMember(member: Member, context: ClassifyContext): Classification {
  if (rosterStatus(context.roster, member.AccountId ?? '', context.region) !== 'enrolled') return { status: 'UNMANAGED' };
  const status = toKnownStatus(member.RelationshipStatus);
  switch (status) {
    case 'Enabled':
      return { status: 'ENABLED' };
    case 'Disabled':
    case 'Removed':
    case 'Resigned':
    case 'EmailVerificationFailed':
      return { status: 'DRIFTED', reason: status };
    case 'Created':
    case 'Invited':
    case 'EmailVerificationInProgress': {
      // GuardDuty gives both as ISO strings (model: String); an unreadable one counts as old.
      const since = Date.parse(member.InvitedAt ?? member.UpdatedAt ?? '');
      const waited = Number.isNaN(since) ? Number.POSITIVE_INFINITY : context.now - since;
      return waited > context.invitedLimitMs ? { status: 'DRIFTED', reason: 'InvitationNotAccepted' } : { status: 'PENDING' };
    }
    default:
      return { status: 'DRIFTED', reason: 'UnknownRelationshipStatus' };
  }
}
