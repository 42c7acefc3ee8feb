import { TerminalErrors } from '../../contract/error-names';
import { EnrollmentError } from './errors';

/**
 * GuardDuty's member RelationshipStatus values, as responses spell them. The API documents them
 * upper case (CREATED, ...) but responses use CamelCase (docs/aws-facts.md, 4.3), so comparison ignores case.
 */
export const RelationshipStatus = {
  Created: 'Created',
  Invited: 'Invited',
  EmailVerificationInProgress: 'EmailVerificationInProgress',
  EmailVerificationFailed: 'EmailVerificationFailed',
  Enabled: 'Enabled',
  Disabled: 'Disabled',
  Removed: 'Removed',
  Resigned: 'Resigned',
} as const;

/** A RelationshipStatus this product knows. */
export type KnownRelationshipStatus = (typeof RelationshipStatus)[keyof typeof RelationshipStatus];

/** What each status means for the administrator (docs/aws-facts.md, 4.3, after mozilla's invitation_manager docstring). */
export const RELATIONSHIP_STATUS_MEANINGS: Readonly<Record<KnownRelationshipStatus, string>> = {
  Created: 'the member was created but not invited',
  Invited: 'the member was invited with email notification disabled and has not accepted yet',
  EmailVerificationInProgress: 'the member was invited with email notification enabled and has not accepted yet',
  EmailVerificationFailed: "GuardDuty could not verify the member's email address",
  Enabled: 'the member accepted and its detector is enabled',
  Disabled: 'the member accepted but its detector is disabled',
  Removed: 'the member accepted, then its detector was deleted',
  Resigned: 'the member disassociated itself from the administrator',
};

const BY_LOWER_CASE = new Map<string, KnownRelationshipStatus>(Object.values(RelationshipStatus).map((status) => [status.toLowerCase(), status]));

/** The known status `raw` stands for (any case), or undefined for a value this product does not know. */
export function toKnownStatus(raw: string | null | undefined): KnownRelationshipStatus | undefined {
  return raw ? BY_LOWER_CASE.get(raw.toLowerCase()) : undefined;
}

/**
 * The known status `raw` stands for.
 * @throws EnrollmentError UnknownRelationshipStatus: RelationshipStatus is a free string in the
 *   service model (docs/aws-facts.md, 4.3), so a new value must stop the region rather than be guessed at.
 */
export function requireKnownStatus(raw: string | null | undefined, where: { accountId: string; region: string }): KnownRelationshipStatus {
  const status = toKnownStatus(raw);
  if (!status) {
    throw new EnrollmentError(
      TerminalErrors.UnknownRelationshipStatus,
      `GuardDuty reports relationship status '${raw ?? '(none)'}' for account ${where.accountId} in ${where.region}, which this workflow does not know; check the member in the GuardDuty console and retry once it is Enabled, Invited or Created`,
    );
  }
  return status;
}

/** Statuses in which the administrator must (re)send an invitation: never invited, or the member left. */
export function needsInvitation(status: KnownRelationshipStatus): boolean {
  // docs/aws-facts.md, 4.2: disassociated invited members keep their details, so re-inviting needs no re-create.
  return status === 'Created' || status === 'Removed' || status === 'Resigned';
}

/** Statuses in which an invitation is out and GuardDuty waits for the member (or its email check). */
export function isInvitationPending(status: KnownRelationshipStatus): boolean {
  return status === 'Invited' || status === 'EmailVerificationInProgress';
}

/** Statuses in which the member has accepted (its detector may still be disabled). */
export function hasAccepted(status: KnownRelationshipStatus): boolean {
  return status === 'Enabled' || status === 'Disabled';
}

/** Statuses in which the membership exists but is not Enabled yet: verification waits and retries. */
export function isMembershipPending(status: KnownRelationshipStatus): boolean {
  return status === 'Created' || isInvitationPending(status) || status === 'Disabled';
}

/** Statuses in which the member left the administrator after accepting. */
export function hasLeft(status: KnownRelationshipStatus): boolean {
  return status === 'Removed' || status === 'Resigned';
}
