import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcardResource } from './nag';
import type { StepFunction } from './step-function';

/**
 * Lets an administrator-side step call exactly `actions` on this account's GuardDuty detectors, plus
 * ListDetectors, which every administrator-side step may need: a detector id refused as "not owned"
 * is looked up again. ListDetectors has no resource type in the service authorization reference, so
 * it takes '*'.
 */
export function grantAdministratorActions(step: StepFunction, actions: string[]): void {
  const detectors = Stack.of(step).formatArn({ service: 'guardduty', region: '*', resource: 'detector', resourceName: '*' });
  step.role.addToPolicy(new iam.PolicyStatement({ actions: ['guardduty:ListDetectors'], resources: ['*'] }));
  step.role.addToPolicy(new iam.PolicyStatement({ actions, resources: [detectors] }));
  acknowledgeWildcardResource(step.role, detectors, "The administrator's detector id differs per region and is only known at run time; the resource is this account's detectors only.");
}
