/** Settings: defaults that deploy, and a clear error naming any bad setting. */
import { buildApp } from '../../lib/app';
import { DEFAULT_SETTINGS, parseSettings, settingsFromContext } from '../../lib/settings';
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import { temporaryApp } from '../helpers/temporary-app';

test('no settings at all gives the documented defaults', () => {
  expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
  expect(DEFAULT_SETTINGS).toMatchObject({
    suppressInvitationEmails: true,
    maxConcurrentRegions: 20,
    logRetentionDays: 90,
    findingPublishingFrequency: 'SIX_HOURS',
  });
});

test.each([
  [{ memberRoleName: 'has space' }, 'guarddutyEnrollment.memberRoleName'],
  [{ externalId: 'x' }, 'guarddutyEnrollment.externalId'],
  [{ defaultRegions: ['us-east-1', 'mars-1'] }, 'guarddutyEnrollment.defaultRegions[1]'],
  [{ defaultRegions: ['us-east-1', 'us-east-1'] }, 'guarddutyEnrollment.defaultRegions'],
  [{ defaultRegions: ['us-east-1', 'us-east-9'] }, 'guarddutyEnrollment.defaultRegions[1]'],
  [{ maxConcurrentRegions: 0 }, 'guarddutyEnrollment.maxConcurrentRegions'],
  [{ findingPublishingFrequency: 'HOURLY' }, 'guarddutyEnrollment.findingPublishingFrequency'],
  [{ detectorFeatures: [{ name: 'S3_DATA_EVENTS', status: 'ON' }] }, 'guarddutyEnrollment.detectorFeatures[0].status'],
  [
    {
      detectorFeatures: [
        { name: 'RUNTIME_MONITORING', status: 'ENABLED' },
        { name: 'EKS_RUNTIME_MONITORING', status: 'ENABLED' },
      ],
    },
    'guarddutyEnrollment.detectorFeatures',
  ],
  [{ protectionPlans: { RUNTIME_MONITORING: 'ENABLED', EKS_RUNTIME_MONITORING: 'DISABLED' } }, 'guarddutyEnrollment.protectionPlans'],
  [{ protectionPlans: { AI_ANALYST: 'ENABLED' } }, 'guarddutyEnrollment.protectionPlans'],
  [{ protectionPlans: { S3_DATA_EVENTS: 'ON' } }, 'guarddutyEnrollment.protectionPlans'],
  [
    { protectionPlans: { RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { GPU_AGENT: 'ENABLED' } } } },
    'guarddutyEnrollment.protectionPlans',
  ],
  [{ protectionPlans: {}, detectorFeatures: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }] }, 'guarddutyEnrollment.protectionPlans'],
  [{ suppressInvitationEmails: 'yes' }, 'guarddutyEnrollment.suppressInvitationEmails'],
  [{ usagePlan: { rateLimit: 10, burstLimit: 5 } }, 'guarddutyEnrollment.usagePlan.burstLimit'],
  [{ logRetentionDays: 10 }, 'guarddutyEnrollment.logRetentionDays'],
  [{ memberRolName: 'typo' }, 'guarddutyEnrollment.memberRolName'],
])('a bad setting %j is refused with an error naming %s', (raw, name) => {
  expect(() => parseSettings(raw)).toThrow(new RegExp(`^Invalid setting ${name.replace(/[.[\]]/g, '\\$&')}:`));
});

test('the protection-plan rules name the feature: AI_ANALYST is administrator-only, the two runtime features exclude each other', () => {
  expect(() => parseSettings({ protectionPlans: { AI_ANALYST: 'ENABLED' } })).toThrow(
    /protectionPlans\.AI_ANALYST: AI_ANALYST is for the administrator's own detector only/,
  );
  expect(() => parseSettings({ protectionPlans: { RUNTIME_MONITORING: 'ENABLED', EKS_RUNTIME_MONITORING: 'ENABLED' } })).toThrow(
    /EKS_RUNTIME_MONITORING and RUNTIME_MONITORING cannot both be set/,
  );
});

test('the default profile names every member feature; the deprecated detectorFeatures becomes the profile when alone', () => {
  expect(Object.keys(parseSettings({}).protectionPlans).sort()).toEqual([
    'AI_PROTECTION',
    'EBS_MALWARE_PROTECTION',
    'EKS_AUDIT_LOGS',
    'LAMBDA_NETWORK_LOGS',
    'RDS_LOGIN_EVENTS',
    'RUNTIME_MONITORING',
    'S3_DATA_EVENTS',
  ]);
  expect(parseSettings({ detectorFeatures: [{ name: 'S3_DATA_EVENTS', status: 'DISABLED' }] }).protectionPlans).toEqual({ S3_DATA_EVENTS: 'DISABLED' });
  expect(() => parseSettings({ detectorFeatures: [{ name: 'AI_ANALYST', status: 'ENABLED' }] })).toThrow(
    /^Invalid setting guarddutyEnrollment\.detectorFeatures:/,
  );
});

test('a default region where GuardDuty does not run is refused as such', () => {
  expect(() => parseSettings({ defaultRegions: ['us-east-9'] })).toThrow(/defaultRegions\[0\]: region 'us-east-9' is not a region where GuardDuty runs/);
});

test('a single setting can be overridden on the command line as guarddutyEnrollment:<key>', () => {
  const app = temporaryApp({
    context: { guarddutyEnrollment: { maxConcurrentRegions: 4 }, 'guarddutyEnrollment:defaultRegions': '["eu-west-1","eu-central-1"]' },
  }).app;
  expect(settingsFromContext(app.node)).toMatchObject({ maxConcurrentRegions: 4, defaultRegions: ['eu-west-1', 'eu-central-1'] });
});

test('settings reach the template: role names, concurrency, default regions, detector and invitation options', () => {
  const { enrollment } = synthesizeTemplates({
    context: {
      guarddutyEnrollment: {
        memberRoleName: 'OrgGuardDuty',
        maxConcurrentRegions: 3,
        defaultRegions: ['eu-west-1', 'eu-central-1'],
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
        protectionPlans: { S3_DATA_EVENTS: 'ENABLED' },
        suppressInvitationEmails: false,
      },
    },
  });
  const text = JSON.stringify(enrollment);
  expect(text).toContain(':role/OrgGuardDuty');
  expect(text).toContain('\\"MaxConcurrency\\":3');
  expect(text).toContain('\\"Result\\":[\\"eu-west-1\\",\\"eu-central-1\\"]');
  expect(text).toContain('"FINDING_PUBLISHING_FREQUENCY":"FIFTEEN_MINUTES"');
  expect(text).toContain('"PROTECTION_PLANS":"{\\"S3_DATA_EVENTS\\":\\"ENABLED\\"}"');
  expect(text).toContain('"DISABLE_EMAIL_NOTIFICATION":"false"');
});

test.each([
  [{ eventBusName: 'default' }, 'guarddutyEnrollment.eventBusName'],
  [{ eventBusName: 'partner/bus' }, 'guarddutyEnrollment.eventBusName'],
  [{ eventSourceAccounts: ['99999999999'] }, 'guarddutyEnrollment.eventSourceAccounts[0]'],
  [{ eventSourceAccounts: ['999999999999', '999999999999'] }, 'guarddutyEnrollment.eventSourceAccounts'],
  [{ eventSourceAccounts: '999999999999' }, 'guarddutyEnrollment.eventSourceAccounts'],
])('a bad event-bus setting %j is refused with an error naming %s', (raw, name) => {
  expect(() => parseSettings(raw)).toThrow(new RegExp(`^Invalid setting ${name.replace(/[.[\]]/g, '\\$&')}:`));
});

test('the event bus settings default to the guardduty-enrollment bus and this account only', () => {
  expect(DEFAULT_SETTINGS).toMatchObject({ eventBusName: 'guardduty-enrollment', eventSourceAccounts: [] });
  expect(parseSettings({ eventSourceAccounts: ['999999999999'] }).eventSourceAccounts).toEqual(['999999999999']);
});

describe('one account, many deployments', () => {
  const resourcesOf = (template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }, type: string) =>
    Object.values(template.Resources).filter((r) => r.Type === type);

  test('the unnamed deployment keeps the original names and manages the account-level API Gateway logging role', () => {
    const { enrollment, memberRole } = synthesizeTemplates();
    const roleNames = [...resourcesOf(enrollment, 'AWS::IAM::Role'), ...resourcesOf(memberRole, 'AWS::IAM::Role')]
      .map((r) => r.Properties?.RoleName)
      .filter(Boolean);
    expect(roleNames.sort()).toEqual(['GuardDutyEnrollmentMember', 'GuardDutyEnrollmentWorkflow']);
    expect(resourcesOf(enrollment, 'AWS::Events::EventBus')[0].Properties?.Name).toBe('guardduty-enrollment');
    expect(resourcesOf(enrollment, 'AWS::ApiGateway::Account')).toHaveLength(1);
  });

  test("deploymentName gives the roles, the event bus and the stacks their own names; the member role trusts this deployment's workflow role", () => {
    const { app } = temporaryApp({ context: { guarddutyEnrollment: { deploymentName: 'stage' } } });
    expect(settingsFromContext(app.node)).toMatchObject({
      memberRoleName: 'GuardDutyEnrollmentMember-stage',
      workflowRoleName: 'GuardDutyEnrollmentWorkflow-stage',
      eventBusName: 'guardduty-enrollment-stage',
    });
    const { enrollment, memberRole } = synthesizeTemplates({ context: { guarddutyEnrollment: { deploymentName: 'stage' } } });
    const roleNames = [...resourcesOf(enrollment, 'AWS::IAM::Role'), ...resourcesOf(memberRole, 'AWS::IAM::Role')]
      .map((r) => r.Properties?.RoleName)
      .filter(Boolean);
    expect(roleNames.sort()).toEqual(['GuardDutyEnrollmentMember-stage', 'GuardDutyEnrollmentWorkflow-stage']);
    expect(JSON.stringify(memberRole)).toContain(':role/GuardDutyEnrollmentWorkflow-stage');
    expect(resourcesOf(enrollment, 'AWS::Events::EventBus')[0].Properties?.Name).toBe('guardduty-enrollment-stage');
    const { app: names } = temporaryApp({ context: { guarddutyEnrollment: { deploymentName: 'stage' } } });
    const { enrollment: stack, memberRole: member } = buildApp(names, { account: '111111111111', region: 'us-east-1' });
    expect([stack.stackName, member.stackName]).toEqual(['GuardDutyEnrollment-stage', 'GuardDutyEnrollmentMemberRole-stage']);
  });

  test('a role name set explicitly wins over the derived one', () => {
    expect(parseSettings({ deploymentName: 'stage', memberRoleName: 'OrgGuardDuty' })).toMatchObject({
      memberRoleName: 'OrgGuardDuty',
      workflowRoleName: 'GuardDutyEnrollmentWorkflow-stage',
    });
  });

  test('manageApiGatewayAccountRole false leaves the account-level logging role alone', () => {
    const { enrollment } = synthesizeTemplates({ context: { guarddutyEnrollment: { manageApiGatewayAccountRole: false } } });
    expect(resourcesOf(enrollment, 'AWS::ApiGateway::Account')).toHaveLength(0);
  });

  test.each([[{ deploymentName: 'has space' }], [{ deploymentName: 'x'.repeat(25) }], [{ manageApiGatewayAccountRole: 'yes' }]])('%j is refused', (raw) => {
    expect(() => parseSettings(raw)).toThrow(/^Invalid setting guarddutyEnrollment\.(deploymentName|manageApiGatewayAccountRole):/);
  });
});
