/**
 * Error names the workflow steps throw (the JavaScript `error.name`, which Lambda reports as the
 * Step Functions error name). The state machine's Retry and Catch rules match on these strings, so
 * this list is the contract between the handlers and the ASL: both sides import it from here.
 */

/** Transient: retried by the state machine with bounded, jittered backoff. */
export const TransientErrors = {
  /** GuardDuty or STS answered TooManyRequestsException / ThrottlingException (docs/aws-facts.md, 4.5). */
  Throttled: 'Throttled',
  /** GuardDuty answered 5xx InternalServerErrorException (declared for every operation, docs/aws-facts.md, 4.2). */
  ServiceUnavailable: 'ServiceUnavailable',
  /** The administrator's invitation is not yet listed for the member (eventual consistency, docs/aws-facts.md, pain point 2). */
  InvitationNotYetVisible: 'InvitationNotYetVisible',
  /** The membership exists but is not Enabled yet (Created, Invited, EmailVerificationInProgress, Disabled). */
  MembershipPending: 'MembershipPending',
} as const;

/** Terminal: the region stops with a message a person can act on. */
export const TerminalErrors = {
  /** The request itself is invalid (bad account id, email or region, or enrolling the administrator itself). */
  InvalidEnrollmentRequest: 'InvalidEnrollmentRequest',
  /** The administrator account has no GuardDuty detector in the region. */
  AdminDetectorMissing: 'AdminDetectorMissing',
  /** The administrator account is itself a member of another administrator, or has reached its member limit. */
  AdministratorNotEligible: 'AdministratorNotEligible',
  /** sts:AssumeRole into the member account failed (role missing, trust or ExternalId mismatch). */
  MemberRoleNotAssumable: 'MemberRoleNotAssumable',
  /** The member account is already a member of a different GuardDuty administrator. */
  MemberOfAnotherAdministrator: 'MemberOfAnotherAdministrator',
  /** The member account is itself a GuardDuty administrator (it has members of its own). */
  MemberIsAdministrator: 'MemberIsAdministrator',
  /** GuardDuty could not verify the member's email: it must equal the account's root email. */
  EmailVerificationFailed: 'EmailVerificationFailed',
  /** The email is not the account's root email as Organizations knows it (checked before CreateMembers). */
  EmailMismatch: 'EmailMismatch',
  /** Organizations says the account is suspended or closing: GuardDuty cannot enroll it. */
  AccountSuspended: 'AccountSuspended',
  /** The region is not enabled for the member account (opt-in region, docs/aws-facts.md, pain point 3). */
  RegionNotEnabled: 'RegionNotEnabled',
  /** GuardDuty reported a RelationshipStatus this product does not know; RelationshipStatus is a free string (docs/aws-facts.md, 4.3). */
  UnknownRelationshipStatus: 'UnknownRelationshipStatus',
  /** The member vanished from the administrator's member list while being enrolled. */
  MemberNotFound: 'MemberNotFound',
  /** GuardDuty denied an action to the workflow's or the member role's credentials. */
  AccessDenied: 'AccessDenied',
  /** GuardDuty rejected a request for a reason not listed above (its message is kept). */
  RequestRejected: 'RequestRejected',
} as const;

export type TransientErrorName = (typeof TransientErrors)[keyof typeof TransientErrors];
export type TerminalErrorName = (typeof TerminalErrors)[keyof typeof TerminalErrors];
export type EnrollmentErrorName = TransientErrorName | TerminalErrorName;
