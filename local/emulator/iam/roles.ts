/**
 * The IAM roles of every emulated account: the deployment's roles (declared by local mode from the
 * synthesized templates), member roles seeded with accounts, and roles the control API creates.
 */
import type { NamedPolicy, PolicyDocument, Role, RoleInput, RoleTemplate } from './types';
import { ACCOUNT_ID_PLACEHOLDER } from './types';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]+)$/;

/** `arn:aws:iam::<account>:role<path><name>`, the form IAM gives a role's ARN. */
export function roleArn(accountId: string, roleName: string, path = '/'): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`;
}

/** The account, path and name a role ARN names, or `undefined` when it is not a role ARN. */
export function parseRoleArn(arn: string): { accountId: string; path: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { accountId: match[1], path: match[2], roleName: match[3] } : undefined;
}

function named(policies: Array<PolicyDocument | NamedPolicy>): NamedPolicy[] {
  return policies.map((policy, index) => ('document' in policy ? policy : { name: `policy-${index + 1}`, document: policy as PolicyDocument }));
}

/** Every `{{AccountId}}` in a JSON value replaced by the account id. */
function forAccount<T>(value: T, accountId: string): T {
  return JSON.parse(JSON.stringify(value).split(ACCOUNT_ID_PLACEHOLDER).join(accountId)) as T;
}

/** The roles, keyed by account and name (role names are unique per account, whatever their path). */
export class RoleBook {
  private readonly roles = new Map<string, Role>();

  /** Creates or replaces a role. */
  put(input: RoleInput): Role {
    const path = input.path ?? '/';
    const role: Role = {
      accountId: input.accountId,
      roleName: input.roleName,
      path,
      arn: roleArn(input.accountId, input.roleName, path),
      trustPolicy: input.trustPolicy,
      policies: named(input.policies),
      managedPolicyArns: input.managedPolicyArns ?? [],
      declared: input.declared ?? false,
    };
    this.roles.set(key(input.accountId, input.roleName), role);
    return role;
  }

  /** Creates the template's role in an account. */
  putFromTemplate(template: RoleTemplate, accountId: string): Role {
    const { roleName, path, trustPolicy, policies } = forAccount(template, accountId);
    return this.put({ accountId, roleName, path, trustPolicy, policies });
  }

  get(accountId: string, roleName: string): Role | undefined {
    return this.roles.get(key(accountId, roleName));
  }

  delete(accountId: string, roleName: string): boolean {
    return this.roles.delete(key(accountId, roleName));
  }

  /** Every role, or every role of one account. */
  list(accountId?: string): Role[] {
    return [...this.roles.values()].filter((role) => accountId === undefined || role.accountId === accountId);
  }

  /** Forgets every role but the declared ones. */
  clear(): void {
    for (const [k, role] of this.roles) if (!role.declared) this.roles.delete(k);
  }
}

function key(accountId: string, roleName: string): string {
  return `${accountId}|${roleName}`;
}
