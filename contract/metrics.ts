/**
 * The CloudWatch metrics the Lambda steps publish in the embedded metric format (Powertools
 * Metrics) and the stack's alarms and dashboard read: one namespace, one name per figure, the
 * dimensions each is published with. The `service` dimension is Powertools' own (POWERTOOLS_SERVICE_NAME).
 */
export const METRICS_NAMESPACE = 'GuardDutyEnrollment';
export const METRICS_SERVICE = 'guardduty-enrollment';

export const MetricNames = {
  /** Drifted account-regions found by a fleet check (dimension service; and service + Region). */
  driftedAccounts: 'DriftedAccounts',
  /** Members listed by a fleet check (service + Region). */
  fleetMembers: 'FleetMembers',
  /** Enrollment events sent to the dead-letter queue by the event function (service). */
  deadLetteredEvents: 'DeadLetteredEvents',
  /** Account-regions that ended an enrollment (service + Region + Outcome + ErrorCode). */
  enrollmentOutcomes: 'EnrollmentOutcomes',
} as const;
