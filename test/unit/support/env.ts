/**
 * The Lambda environment the workflow stack would set. Imported first by every handler test, so
 * the logger (which reads POWERTOOLS_SERVICE_NAME when it is built) and the config see it.
 */
export const ADMIN = '111111111111';
export const MEMBER = '222222222222';
export const OTHER_ADMIN = '333333333333';
export const REGION = 'eu-west-1';
export const EXTERNAL_ID = 'ext-id-7f3a9c';
export const DEFAULT_MESSAGE = 'Please accept the GuardDuty invitation from the security team.';
/** The deployment's protection-plan profile in these tests. */
export const PLANS = { S3_DATA_EVENTS: 'ENABLED', RUNTIME_MONITORING: 'DISABLED' };
/** What the member's CreateDetector names with that profile: its features, then every other member feature DISABLED. */
export const FEATURES = [
  { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
  { Name: 'RUNTIME_MONITORING', Status: 'DISABLED' },
  { Name: 'EKS_AUDIT_LOGS', Status: 'DISABLED' },
  { Name: 'EBS_MALWARE_PROTECTION', Status: 'DISABLED' },
  { Name: 'RDS_LOGIN_EVENTS', Status: 'DISABLED' },
  { Name: 'LAMBDA_NETWORK_LOGS', Status: 'DISABLED' },
  { Name: 'AI_PROTECTION', Status: 'DISABLED' },
];

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'guardduty-enrollment-test',
  // Quiet by default; captureLogs() turns INFO on for the tests that read the logs.
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // Metrics are printed as embedded-metric-format lines; tests that read them turn them on.
  POWERTOOLS_METRICS_DISABLED: 'true',
  ADMIN_ACCOUNT_ID: ADMIN,
  PARTITION: 'aws',
  MEMBER_ROLE_NAME: 'GuardDutyEnrollmentMemberRole',
  EXTERNAL_ID,
  FINDING_PUBLISHING_FREQUENCY: 'FIFTEEN_MINUTES',
  PROTECTION_PLANS: JSON.stringify(PLANS),
  DISABLE_EMAIL_NOTIFICATION: 'true',
  DEFAULT_INVITATION_MESSAGE: DEFAULT_MESSAGE,
  // The handler tests mock GuardDuty and STS; the Organizations check has its own tests (e2e email-truth).
  CHECK_EMAIL_WITH_ORGANIZATIONS: 'false',
});
delete process.env.POWERTOOLS_DEV;
