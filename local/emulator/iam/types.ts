/** IAM shapes the emulator keeps: policy documents as JSON, roles with their trust and permission policies. */

/** An IAM policy document as written in JSON (identity, trust or resource policy). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: unknown;
}

/** A permission policy attached to a role (inline or a customer managed policy's document). */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/** An IAM role of an emulated account. */
export interface Role {
  accountId: string;
  roleName: string;
  /** `/` unless the role was created with a path. */
  path: string;
  arn: string;
  /** The role's trust policy (AssumeRolePolicyDocument): who may assume it. */
  trustPolicy: PolicyDocument;
  /** Permission policies. */
  policies: NamedPolicy[];
  /**
   * AWS managed policies attached by ARN. Their documents are not on this machine, so they grant
   * nothing here; local mode's templates attach only AWSLambdaBasicExecutionRole (CloudWatch Logs,
   * which local mode does not call).
   */
  managedPolicyArns: string[];
  /** Part of the deployment local mode runs (the template's roles): kept by `/_emulator/reset`. */
  declared: boolean;
}

/** What creating or replacing a role takes. */
export interface RoleInput {
  accountId: string;
  roleName: string;
  path?: string;
  trustPolicy: PolicyDocument;
  policies: Array<PolicyDocument | NamedPolicy>;
  managedPolicyArns?: string[];
  declared?: boolean;
}

/**
 * A role every seeded account gets, written once for all accounts: every `{{AccountId}}` in it is
 * the account's id (local mode builds it from the member-role stack's template).
 */
export interface RoleTemplate {
  roleName: string;
  path?: string;
  trustPolicy: PolicyDocument;
  policies: Array<PolicyDocument | NamedPolicy>;
}

/** The placeholder a {@link RoleTemplate} uses for the account it is created in. */
export const ACCOUNT_ID_PLACEHOLDER = '{{AccountId}}';
