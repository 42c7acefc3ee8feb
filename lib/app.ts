import { CliCredentialsStackSynthesizer, DefaultStackSynthesizer, Validations } from 'aws-cdk-lib';
import type { App, Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EnrollmentStack } from './enrollment-stack';
import { MemberRoleStack } from './member-role-stack';
import { settingsFromContext, stackName } from './settings';

/** Stack names, as `cdk deploy` takes them (with `-<deploymentName>` in a named deployment). */
export const ENROLLMENT_STACK_NAME = 'GuardDutyEnrollment';
export const MEMBER_ROLE_STACK_NAME = 'GuardDutyEnrollmentMemberRole';

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /**
   * Deploy the member-role stack into this account, through its CDK bootstrap (the account trusts
   * the deploying account: `cdk bootstrap --trust <admin>`), as the integration test does.
   * @default environment-agnostic, deployed with the caller's own credentials (alone or as a StackSet)
   */
  readonly memberRoleEnv?: Environment;
}

/**
 * Builds the app's two stacks from the context settings and registers cdk-nag's AwsSolutions pack.
 * `bin/app.ts`, the tests and local mode all build the app through here.
 */
export function buildApp(app: App, env?: Environment, options: BuildAppOptions = {}): { enrollment: EnrollmentStack; memberRole: MemberRoleStack } {
  const settings = settingsFromContext(app.node);
  const enrollment = new EnrollmentStack(app, stackName(ENROLLMENT_STACK_NAME, settings), {
    env,
    settings,
    description: 'GuardDuty Enrollment API: enrolls AWS accounts as GuardDuty members by invitation',
  });
  const memberRole = new MemberRoleStack(app, stackName(MEMBER_ROLE_STACK_NAME, settings), {
    settings,
    description: 'GuardDuty Enrollment API: the role the enrollment workflow assumes in a member account',
    // Deployed in member accounts, often as a StackSet: no bootstrap roles, bucket or version check,
    // since it has no assets and those accounts are usually not CDK-bootstrapped.
    env: options.memberRoleEnv,
    synthesizer: options.memberRoleEnv ? new DefaultStackSynthesizer() : new CliCredentialsStackSynthesizer(),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { enrollment, memberRole };
}
