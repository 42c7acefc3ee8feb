#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EnrollmentStack } from '../lib/enrollment-stack';
import { MemberRoleStack } from '../lib/member-role-stack';
import { settingsFromContext } from '../lib/settings';

const app = new App();
const settings = settingsFromContext(app.node);
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

new EnrollmentStack(app, 'GuardDutyEnrollment', {
  env,
  settings,
  description: 'GuardDuty Enrollment API: enrolls AWS accounts as GuardDuty members by invitation',
});
new MemberRoleStack(app, 'GuardDutyEnrollmentMemberRole', {
  settings,
  description: 'GuardDuty Enrollment API: the role the enrollment workflow assumes in a member account',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
