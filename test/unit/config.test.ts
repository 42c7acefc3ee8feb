import { readConfig } from '../../lambda/shared/config';

const env = {
  ADMIN_ACCOUNT_ID: '111111111111',
  MEMBER_ROLE_NAME: 'GuardDutyEnrollmentMemberRole',
  EXTERNAL_ID: 'ext-id-7f3a9c',
  FINDING_PUBLISHING_FREQUENCY: 'ONE_HOUR',
  PROTECTION_PLANS: '{"S3_DATA_EVENTS":"ENABLED"}',
  DISABLE_EMAIL_NOTIFICATION: 'false',
  DEFAULT_INVITATION_MESSAGE: 'hello',
};

describe('Lambda configuration', () => {
  it('reads every setting, defaulting PARTITION to aws and [] to GuardDuty defaults', () => {
    expect(
      readConfig(
        [
          'adminAccountId',
          'partition',
          'memberRoleName',
          'externalId',
          'findingPublishingFrequency',
          'protectionPlans',
          'disableEmailNotification',
          'defaultInvitationMessage',
        ],
        env,
      ),
    ).toEqual({
      adminAccountId: '111111111111',
      partition: 'aws',
      memberRoleName: 'GuardDutyEnrollmentMemberRole',
      externalId: 'ext-id-7f3a9c',
      findingPublishingFrequency: 'ONE_HOUR',
      protectionPlans: { S3_DATA_EVENTS: 'ENABLED' },
      disableEmailNotification: false,
      defaultInvitationMessage: 'hello',
    });
  });

  it('reads only what a handler asks for: a variable it does not need may be missing', () => {
    expect(readConfig(['adminAccountId'], { ADMIN_ACCOUNT_ID: '111111111111' })).toEqual({ adminAccountId: '111111111111' });
  });

  it('parses PROTECTION_PLANS, runtime agents included', () => {
    const plans = { S3_DATA_EVENTS: 'ENABLED', RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { EKS_ADDON_MANAGEMENT: 'DISABLED' } } };
    expect(readConfig(['protectionPlans'], { PROTECTION_PLANS: JSON.stringify(plans) })).toEqual({ protectionPlans: plans });
  });

  it.each([
    [{ ...env, MEMBER_ROLE_NAME: undefined }, 'memberRoleName', 'MEMBER_ROLE_NAME is not set'],
    [{ ...env, ADMIN_ACCOUNT_ID: '1234' }, 'adminAccountId', 'ADMIN_ACCOUNT_ID must be a 12-digit'],
    [{ ...env, FINDING_PUBLISHING_FREQUENCY: 'DAILY' }, 'findingPublishingFrequency', 'FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS'],
    [{ ...env, PROTECTION_PLANS: '{' }, 'protectionPlans', 'PROTECTION_PLANS is not valid JSON'],
    [{ ...env, PROTECTION_PLANS: '{"S3_DATA_EVENTS":"ON"}' }, 'protectionPlans', 'PROTECTION_PLANS.S3_DATA_EVENTS must be ENABLED or DISABLED'],
    [{ ...env, PROTECTION_PLANS: '{"AI_ANALYST":"ENABLED"}' }, 'protectionPlans', "administrator's own detector only"],
    [{ ...env, DISABLE_EMAIL_NOTIFICATION: 'yes' }, 'disableEmailNotification', "'true' or 'false'"],
    [{ ...env, DEFAULT_INVITATION_MESSAGE: undefined }, 'defaultInvitationMessage', 'DEFAULT_INVITATION_MESSAGE is not set'],
    [{ ...env, EXTERNAL_ID: 'x' }, 'externalId', 'EXTERNAL_ID must be 2..1224'],
  ] as const)('fails clearly on a bad setting: %#', (values, key, expected) => {
    expect(() => readConfig([key], values)).toThrow(expected);
  });

  it('never echoes an invalid EXTERNAL_ID', () => {
    expect(() => readConfig(['externalId'], { EXTERNAL_ID: 'bad value with spaces' })).toThrow(/^(?!.*bad value)/);
  });
});
