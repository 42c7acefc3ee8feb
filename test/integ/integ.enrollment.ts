/**
 * The integration test for people with AWS accounts: deploys the enrollment stack into a sandbox
 * GuardDuty administrator account and the member-role stack into a sandbox member account, enrolls
 * the member through the deployed state machine, checks it ends SUCCEEDED (every region Enabled),
 * offboards it, and lets integ-runner destroy both stacks. `npm test` only synthesizes it
 * (test/infra/integ-app.test.ts); README "Integration test against AWS" says how to run it.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { buildApp, MEMBER_ROLE_STACK_NAME } from '../../lib/app';

/** What the test needs to know about the sandbox accounts. */
export interface IntegAccounts {
  /** The GuardDuty administrator account, GuardDuty enabled in `region`. */
  readonly adminAccount: string;
  /** A member account, CDK-bootstrapped with `--trust <adminAccount>`, not yet a GuardDuty member. */
  readonly memberAccount: string;
  /** The member account's root email. */
  readonly memberEmail: string;
  readonly region: string;
}

/** Reads the accounts from GDE_INTEG_ADMIN_ACCOUNT, GDE_INTEG_MEMBER_ACCOUNT, GDE_INTEG_MEMBER_EMAIL, GDE_INTEG_REGION. */
export function accountsFromEnvironment(env: NodeJS.ProcessEnv = process.env): IntegAccounts {
  const missing = ['GDE_INTEG_ADMIN_ACCOUNT', 'GDE_INTEG_MEMBER_ACCOUNT', 'GDE_INTEG_MEMBER_EMAIL'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`Set ${missing.join(', ')} to run the integration test against AWS`);
  return {
    adminAccount: env.GDE_INTEG_ADMIN_ACCOUNT!,
    memberAccount: env.GDE_INTEG_MEMBER_ACCOUNT!,
    memberEmail: env.GDE_INTEG_MEMBER_EMAIL!,
    region: env.GDE_INTEG_REGION ?? 'us-east-1',
  };
}

/** Builds the integration test app: the two stacks, and the enroll → verify → offboard assertions. */
export function buildIntegApp(app: App, accounts: IntegAccounts): IntegTest {
  // The member role goes into the member account, through its bootstrap (trusting the administrator account).
  const { enrollment, memberRole } = buildApp(
    app,
    { account: accounts.adminAccount, region: accounts.region },
    { memberRoleEnv: { account: accounts.memberAccount, region: accounts.region } },
  );
  // The assertions run in the administrator account, beside the state machine they call.
  const assertionStack = new Stack(app, 'GuardDutyEnrollmentIntegAssertions', { env: { account: accounts.adminAccount, region: accounts.region } });
  const integ = new IntegTest(app, 'GuardDutyEnrollmentInteg', {
    testCases: [enrollment, memberRole],
    assertionStack,
    cdkCommandOptions: {
      deploy: { args: { parameters: { [`${MEMBER_ROLE_STACK_NAME}:AdministratorAccountId`]: accounts.adminAccount } } },
    },
    regions: [accounts.region],
  });
  const stateMachineArn = enrollment.workflow.stateMachine.stateMachineArn;
  const regions = [accounts.region];

  const enroll = integ.assertions.awsApiCall('SFN', 'startExecution', {
    stateMachineArn,
    input: JSON.stringify({ accountId: accounts.memberAccount, email: accounts.memberEmail, regions }),
  });
  const enrolled = integ.assertions
    .awsApiCall('SFN', 'describeExecution', { executionArn: enroll.getAttString('executionArn') })
    .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20) });
  // Every region Enabled, as the API's GET /enrollments/{id} would report it.
  const output = integ.assertions.awsApiCall('SFN', 'describeExecution', { executionArn: enroll.getAttString('executionArn') });
  output.assertAtPath('output', ExpectedResult.stringLikeRegexp('"outcome":"ENABLED"'));
  const offboard = integ.assertions.awsApiCall('SFN', 'startExecution', {
    stateMachineArn,
    input: JSON.stringify({ action: 'offboard', accountId: accounts.memberAccount, deleteDetector: false, regions }),
  });
  const offboarded = integ.assertions
    .awsApiCall('SFN', 'describeExecution', { executionArn: offboard.getAttString('executionArn') })
    .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20) });
  enroll.next(enrolled).next(output).next(offboard).next(offboarded);
  return integ;
}

// Run by integ-runner (README, Integration test against AWS): synthesizes with the sandbox accounts.
if (require.main === module) {
  buildIntegApp(new App(), accountsFromEnvironment());
}
