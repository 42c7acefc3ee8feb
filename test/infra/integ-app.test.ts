/**
 * The integration test against AWS (test/integ/integ.enrollment.ts) is synthesized here, not deployed:
 * its stacks go to the right accounts and its assertions enroll, verify and offboard in order.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { temporaryApp } from '../helpers/temporary-app';
import { accountsFromEnvironment, buildIntegApp } from '../integ/integ.enrollment';

const accounts = { adminAccount: '111111111111', memberAccount: '222222222222', memberEmail: 'member@example.com', region: 'eu-west-1' };

test('the integration test deploys the enrollment stack to the administrator and the member role to the member, then enrolls, verifies and offboards', () => {
  const { app } = temporaryApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const integ = buildIntegApp(app, accounts);
  const assembly = app.synth();
  const stacks = Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, stack]));
  expect(stacks.GuardDutyEnrollment.environment).toMatchObject({ account: '111111111111', region: 'eu-west-1' });
  expect(stacks.GuardDutyEnrollmentMemberRole.environment).toMatchObject({ account: '222222222222', region: 'eu-west-1' });
  expect(integ).toBeDefined();
  const assertions = Template.fromJSON(assembly.getStackByName('GuardDutyEnrollmentIntegAssertions').template);
  const calls = Object.values(
    assertions.toJSON().Resources as Record<string, { Type: string; Properties: { service?: string; api?: string; parameters?: Record<string, unknown> } }>,
  )
    .filter((resource) => resource.Type.startsWith('Custom::DeployAssert@SdkCall'))
    .map((resource) => `${resource.Type.replace('Custom::DeployAssert@SdkCall', '')}`);
  expect(calls).toEqual(['SFNstartExecution', 'SFNdescribeExecution', 'SFNdescribeExecution', 'SFNstartExecution', 'SFNdescribeExecution']);
  const inputs = JSON.stringify(assertions.toJSON());
  expect(inputs).toMatch(/action[^,]*offboard/);
  expect(inputs).toContain('222222222222');
});

test('the integration test refuses to run without the sandbox accounts, naming what to set', () => {
  expect(() => accountsFromEnvironment({})).toThrow(
    'Set GDE_INTEG_ADMIN_ACCOUNT, GDE_INTEG_MEMBER_ACCOUNT, GDE_INTEG_MEMBER_EMAIL to run the integration test against AWS',
  );
});
