/**
 * The IAM principal behind a caller, as the simulator needs it: an account's root (static keys) or
 * an assumed-role session with its role's policies; and the roles a principal may assume.
 */
import type { EmulatorState } from '../core/state';
import type { Caller } from '../core/types';
import type { IamPrincipal } from './evaluate';
import { roleArn } from './roles';
import type { PolicyDocument, Role } from './types';

/**
 * The root user has full access to its own account's resources (IAM user guide, "AWS account root
 * user"); the simulator has no notion of root, so root is given this policy. Other accounts'
 * resources still need their resource policy.
 */
export const ALLOW_ALL: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The AWS managed AdministratorAccess policy's document (the organization access role's). */
const ADMINISTRATOR_ACCESS = ALLOW_ALL;

/** `arn:aws:iam::<account>:root`. */
export function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/**
 * A role of an account: one the emulator holds, or the access role AWS Organizations created in an
 * account of an organization (it trusts the management account and has AdministratorAccess:
 * Organizations user guide, "Accessing member accounts").
 */
export function roleOf(state: EmulatorState, accountId: string, roleName: string): Role | undefined {
  const role = state.iam.get(accountId, roleName);
  if (role) return role;
  const organization = state.organizations.organizationOf(accountId);
  const account = organization?.accounts.get(accountId);
  if (!organization || !account || account.accessRoleName !== roleName) return undefined;
  return {
    accountId,
    roleName,
    path: '/',
    arn: roleArn(accountId, roleName),
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: rootArn(organization.managementAccountId) }, Action: 'sts:AssumeRole' }],
    },
    policies: [{ name: 'AdministratorAccess', document: ADMINISTRATOR_ACCESS }],
    managedPolicyArns: [],
    declared: false,
  };
}

/** The caller as an IAM principal, with the global condition keys AWS sets for it. */
export function principalOf(state: EmulatorState, caller: Caller, region: string): IamPrincipal {
  const common: Record<string, string> = {
    'aws:PrincipalAccount': caller.accountId,
    'aws:RequestedRegion': region,
    // The SDKs reach AWS over HTTPS; local mode's plain HTTP stands for it.
    'aws:SecureTransport': 'true',
    'aws:CurrentTime': new Date().toISOString(),
  };
  const organization = state.organizations.organizationOf(caller.accountId);
  if (organization) common['aws:PrincipalOrgID'] = organization.id;
  const session = caller.session;
  if (!session) {
    return {
      arn: rootArn(caller.accountId),
      identityPolicies: [ALLOW_ALL],
      context: { ...common, 'aws:PrincipalArn': rootArn(caller.accountId), 'aws:PrincipalType': 'Account', 'aws:userid': caller.accountId },
    };
  }
  const role = roleOf(state, session.accountId, session.roleName);
  return {
    arn: caller.arn,
    // A session of a role deleted since has no permissions left.
    identityPolicies: role ? role.policies.map((policy) => policy.document) : [],
    context: {
      ...common,
      // For a role session, aws:PrincipalArn is the role's ARN, not the session's (IAM global condition keys).
      'aws:PrincipalArn': role?.arn ?? roleArn(session.accountId, session.roleName),
      'aws:PrincipalType': 'AssumedRole',
      'aws:userid': caller.userId,
    },
  };
}
