import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { grantAdministratorActions } from './guardduty-grants';
import type { EnrollmentSettings } from './settings';
import { StepLambda } from './step-lambda';
import { NULL } from './workflow-rules';

/**
 * Two Pass states that give the execution input a `protectionPlans` of null when it has none (a CSV
 * batch, a caller from before protection plans), so later states may read `$.protectionPlans`. Two
 * states, as an intrinsic's JSON literal would need escaped braces.
 */
export function defaultProtectionPlans(scope: Construct, ids: { defaults: string; merge: string }): sfn.Chain {
  const defaults = new sfn.Pass(scope, ids.defaults, { parameters: { defaults: { 'protectionPlans.$': NULL, 'requestedBy.$': NULL }, 'request.$': '$' } });
  const merge = new sfn.Pass(scope, ids.merge, { parameters: { 'request.$': 'States.JsonMerge($.defaults, $.request, false)' }, outputPath: '$.request' });
  return defaults.next(merge);
}

/** The environment of the steps that apply protection plans: the administrator's and the profile. */
export function protectionPlanEnvironment(settings: EnrollmentSettings, adminEnvironment: Record<string, string>): Record<string, string> {
  return { ...adminEnvironment, PROTECTION_PLANS: JSON.stringify(settings.protectionPlans) };
}

/**
 * A step that applies protection plans on the administrator side: `apply-protection-plans` (one
 * account, single enrollments) or `apply-part-plans` (a batch part). It may read and update its
 * members' detectors and read free-trial days; these actions take no resource type in the service
 * authorization reference (docs/aws-facts.md, IAM), which grantAdministratorActions accounts for.
 */
export function protectionPlanStep(
  scope: Construct,
  id: string,
  handler: 'apply-protection-plans' | 'apply-part-plans',
  props: { settings: EnrollmentSettings; logRetention: logs.RetentionDays; adminEnvironment: Record<string, string> },
): StepLambda {
  const step = new StepLambda(scope, id, {
    handler,
    logRetention: props.logRetention,
    environment: protectionPlanEnvironment(props.settings, props.adminEnvironment),
  });
  const actions = ['guardduty:GetMemberDetectors', 'guardduty:UpdateMemberDetectors'];
  grantAdministratorActions(step, handler === 'apply-protection-plans' ? [...actions, 'guardduty:GetRemainingFreeTrialDays'] : actions);
  return step;
}
