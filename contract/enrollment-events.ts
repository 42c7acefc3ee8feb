/**
 * The contract of event-driven enrollment: what an account-vending pipeline puts on the enrollment
 * bus, and the Control Tower lifecycle event the bus also accepts. The infrastructure's rules
 * (lib/enrollment-events.ts) and the handler (lambda/shared/enrollment-event.ts) read these same constants.
 */

/** `source` of an enrollment event. Custom sources must not start with `aws.` (EventBridge user guide, events). */
export const ENROLLMENT_EVENT_SOURCE = 'guardduty-enrollment';
/** `detail-type` of an enrollment event; its `detail` is `{accountId, email, regions?, invitationMessage?, protectionPlans?}`. */
export const ENROLL_ACCOUNT_DETAIL_TYPE = 'Enroll Account';

/**
 * Control Tower's lifecycle event for a new account, as CloudTrail delivers it to EventBridge
 * (Control Tower user guide, "Lifecycle events": CreateManagedAccount, source `aws.controltower`,
 * detail-type `AWS Service Event via CloudTrail`, state in
 * `detail.serviceEventDetails.createManagedAccountStatus.state`).
 */
export const CONTROL_TOWER = {
  source: 'aws.controltower',
  detailType: 'AWS Service Event via CloudTrail',
  eventName: 'CreateManagedAccount',
  succeeded: 'SUCCEEDED',
} as const;

/** Why an event went to the dead-letter queue: the `ErrorCode` message attribute. */
export const DeadLetterCodes = {
  /** The enrollment request (the event's detail, or what Organizations says of the account) breaks the API's rules. */
  InvalidEnrollmentRequest: 'InvalidEnrollmentRequest',
  /** Not an event this bus enrolls from: unknown source or detail-type, or not the shape documented for it. */
  UnrecognizedEvent: 'UnrecognizedEvent',
  /** A Control Tower event whose account's email Organizations would not give (unknown account, no permission). */
  AccountEmailUnavailable: 'AccountEmailUnavailable',
} as const;
export type DeadLetterCode = (typeof DeadLetterCodes)[keyof typeof DeadLetterCodes];
