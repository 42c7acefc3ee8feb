/** Settings: defaults that deploy, and a clear error naming any bad setting. */
import { App } from 'aws-cdk-lib';
import { DEFAULT_SETTINGS, parseSettings, settingsFromContext } from '../../lib/settings';
import { synthesizeTemplates } from '../../local/synth';

test('no settings at all gives the documented defaults', () => {
  expect(parseSettings({})).toEqual(DEFAULT_SETTINGS);
  expect(DEFAULT_SETTINGS).toMatchObject({ suppressInvitationEmails: true, maxConcurrentRegions: 20, logRetentionDays: 90, findingPublishingFrequency: 'SIX_HOURS' });
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
  [{ detectorFeatures: [{ name: 'RUNTIME_MONITORING', status: 'ENABLED' }, { name: 'EKS_RUNTIME_MONITORING', status: 'ENABLED' }] }, 'guarddutyEnrollment.detectorFeatures'],
  [{ suppressInvitationEmails: 'yes' }, 'guarddutyEnrollment.suppressInvitationEmails'],
  [{ usagePlan: { rateLimit: 10, burstLimit: 5 } }, 'guarddutyEnrollment.usagePlan.burstLimit'],
  [{ logRetentionDays: 10 }, 'guarddutyEnrollment.logRetentionDays'],
  [{ memberRolName: 'typo' }, 'guarddutyEnrollment.memberRolName'],
])('a bad setting %j is refused with an error naming %s', (raw, name) => {
  expect(() => parseSettings(raw)).toThrow(new RegExp(`^Invalid setting ${name.replace(/[.[\]]/g, '\\$&')}:`));
});

test('a default region where GuardDuty does not run is refused as such', () => {
  expect(() => parseSettings({ defaultRegions: ['us-east-9'] })).toThrow(/defaultRegions\[0\]: region 'us-east-9' is not a region where GuardDuty runs/);
});

test('a single setting can be overridden on the command line as guarddutyEnrollment:<key>', () => {
  const app = new App({ context: { guarddutyEnrollment: { maxConcurrentRegions: 4 }, 'guarddutyEnrollment:defaultRegions': '["eu-west-1","eu-central-1"]' } });
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
        detectorFeatures: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }],
        suppressInvitationEmails: false,
      },
    },
  });
  const text = JSON.stringify(enrollment);
  expect(text).toContain(':role/OrgGuardDuty');
  expect(text).toContain('\\"MaxConcurrency\\":3');
  expect(text).toContain('\\"Result\\":[\\"eu-west-1\\",\\"eu-central-1\\"]');
  expect(text).toContain('"FINDING_PUBLISHING_FREQUENCY":"FIFTEEN_MINUTES"');
  expect(text).toContain('"DETECTOR_FEATURES":"[{\\"Name\\":\\"S3_DATA_EVENTS\\",\\"Status\\":\\"ENABLED\\"}]"');
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
