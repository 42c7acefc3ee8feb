import * as iam from 'aws-cdk-lib/aws-iam';
import type { Stack } from 'aws-cdk-lib';
import { acknowledgeWildcardResource } from './nag';
import type { EnrollmentSettings } from './settings';

/**
 * Lets a step read accounts with organizations:DescribeAccount, only accounts of organizations whose
 * management account is this account or an `eventSourceAccounts` account. Service Authorization
 * Reference, AWS Organizations: DescribeAccount's resource type is `account`,
 * arn:${Partition}:organizations::${ManagementAccountId}:account/o-${OrganizationId}/${AccountId}.
 */
export function grantDescribeAccount(role: iam.IRole & iam.IGrantable, stack: Stack, settings: EnrollmentSettings, why: string): void {
  const managementAccounts = [...new Set([stack.account, ...settings.eventSourceAccounts])];
  const accounts = managementAccounts.map((management) => `arn:${stack.partition}:organizations::${management}:account/o-*/*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['organizations:DescribeAccount'], resources: accounts }));
  for (const resource of accounts) acknowledgeWildcardResource(role, resource, why);
}

/** Why CreateMember and PrepareMembers may describe any account of those organizations. */
export const EMAIL_CHECK_REASON =
  'The accounts to enroll are named by callers at run time; the resource is limited to accounts of organizations whose management account is this account or an eventSourceAccounts account.';
