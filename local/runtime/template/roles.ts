/**
 * The synthesized templates' IAM roles as the emulator holds them: the enrollment stack's roles
 * (Lambda execution roles, the state machines' roles, the API's integration role) with their trust
 * policies and every AWS::IAM::Policy attached to them, and the member-role stack's role as the
 * role every seeded member account holds. Local mode authorizes every call with these, so a grant
 * the template lacks is denied locally as it would be on AWS.
 */
import type { RoleInput, RoleTemplate } from '../../emulator/iam/types';
import { ACCOUNT_ID_PLACEHOLDER } from '../../emulator/iam/types';
import type { CfnTemplate } from './synth';
import { TemplateResolver } from './resolver';
import type { PolicyDocument } from '../../emulator/iam/types';

interface RoleProperties {
  RoleName?: string;
  Path?: string;
  AssumeRolePolicyDocument: PolicyDocument;
  Policies?: Array<{ PolicyName: string; PolicyDocument: PolicyDocument }>;
  ManagedPolicyArns?: string[];
}

interface PolicyProperties {
  PolicyName: string;
  PolicyDocument: PolicyDocument;
  Roles?: string[];
}

/** Every role of a template with its inline policies and the AWS::IAM::Policy resources attached to it. */
export function templateRoles(resolver: TemplateResolver): RoleInput[] {
  const roles = new Map<string, RoleInput>();
  for (const id of resolver.resourcesOfType('AWS::IAM::Role')) {
    const props = resolver.properties(id) as unknown as RoleProperties;
    const roleName = resolver.ref(id);
    roles.set(roleName, {
      accountId: resolver.deployment.account,
      roleName,
      path: props.Path,
      trustPolicy: props.AssumeRolePolicyDocument,
      policies: (props.Policies ?? []).map((policy) => ({ name: policy.PolicyName, document: policy.PolicyDocument })),
      managedPolicyArns: props.ManagedPolicyArns ?? [],
      declared: true,
    });
  }
  for (const id of resolver.resourcesOfType('AWS::IAM::Policy')) {
    const props = resolver.properties(id) as unknown as PolicyProperties;
    for (const roleName of props.Roles ?? []) {
      const role = roles.get(roleName);
      if (!role) throw new Error(`Policy ${id} is attached to ${roleName}, which the template does not declare`);
      role.policies.push({ name: props.PolicyName, document: props.PolicyDocument });
    }
  }
  return [...roles.values()];
}

/**
 * The member-role stack's role, for any member account: its parameters set to the administrator
 * and the ExternalId local mode runs with, and `AWS::AccountId` left as the account placeholder.
 */
export function memberRoleTemplate(template: CfnTemplate, parameters: { AdministratorAccountId: string; ExternalId: string }): RoleTemplate {
  const resolver = new TemplateResolver(template, { account: ACCOUNT_ID_PLACEHOLDER, region: 'us-east-1', parameters });
  const roles = templateRoles(resolver);
  if (roles.length !== 1) throw new Error(`The member-role stack should declare one role, not ${roles.length}`);
  const [{ roleName, path, trustPolicy, policies }] = roles;
  return { roleName, path, trustPolicy, policies };
}
