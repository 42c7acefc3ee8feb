import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';
import type { EnrollmentSettings } from '../settings';
import { NULL, RETRIES, STEP_TIMEOUT, addStepRetries } from '../workflow-rules';
import { failureStates, invokeStep } from './failure-states';
import { StateNames } from './state-names';
import { REGION_FIELDS } from './steps';
import type { EnrollmentSteps } from './steps';

/**
 * Enrollment of one account, region by region (up to maxConcurrentRegions at once): CreateMember
 * → InviteMember → AcceptInvitation → VerifyMembership → ApplyProtectionPlans; an account already
 * Enabled short-cuts to ApplyProtectionPlans with no mutating call. A failed region becomes a FAILED
 * outcome and never stops the others. Returns the Map over `$.regions`, its outcomes at `$.outcomes`.
 */
export function enrollFlow(scope: Construct, settings: EnrollmentSettings, steps: EnrollmentSteps): sfn.Map {
  const failure = failureStates(
    scope,
    { read: StateNames.readFailure, failed: StateNames.regionFailed, failedUnexpectedly: StateNames.regionFailedUnexpectedly },
    REGION_FIELDS,
    // Kept for CheckEmailVerification below (the Map's ItemSelector gives every state these fields).
    { 'enrollmentId.$': '$.enrollmentId', 'accountId.$': '$.accountId', 'adminDetectorId.$': '$.adminDetectorId' },
  );
  const invoke = (id: string, step: keyof EnrollmentSteps, retries: sfn.RetryProps[] = [], resultPath?: string) =>
    invokeStep(scope, id, steps[step], { retries, onNamedError: failure.read, onOtherError: failure.failedUnexpectedly, resultPath });

  // With invitation emails on, GuardDuty delivers no invitation when the member email is not the
  // account's root email (docs/aws-facts.md, pain point 1), and only the administrator side can see why
  // (EmailVerificationFailed). So when the member side gave up waiting for an invitation that was
  // sent with email verification, read the member once on the administrator side: the region then
  // fails with EmailVerificationFailed, not with a misleading InvitationNotYetVisible.
  const checkEmailVerification = new tasks.LambdaInvoke(scope, StateNames.checkEmailVerification, {
    stateName: StateNames.checkEmailVerification,
    lambdaFunction: steps.verifyMembership.function,
    payloadResponseOnly: true,
    payload: sfn.TaskInput.fromObject({
      'enrollmentId.$': '$.enrollmentId',
      'region.$': '$.region',
      'accountId.$': '$.accountId',
      'adminDetectorId.$': '$.adminDetectorId',
      'relationshipStatus.$': '$.relationshipStatus',
      'memberDetectorId.$': '$.memberDetectorId',
    }),
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: STEP_TIMEOUT,
  });
  addStepRetries(checkEmailVerification);
  checkEmailVerification.addCatch(failure.read, { errors: [TerminalErrors.EmailVerificationFailed], resultPath: '$.error' });
  // Anything else (still pending, or the check itself failing) keeps the original failure.
  checkEmailVerification.addCatch(failure.failed, { resultPath: '$.checkError' });
  checkEmailVerification.next(failure.failed);
  // Two Choices so that relationshipStatus (null after a CreateMember failure) is compared only
  // once it is known to be a string: InvitationNotYetVisible comes after InviteMember has set it.
  failure.read.next(
    new sfn.Choice(scope, StateNames.isInvitationMissing)
      .when(
        sfn.Condition.stringEquals('$.error.Error', TransientErrors.InvitationNotYetVisible),
        new sfn.Choice(scope, StateNames.isEmailVerificationUnknown)
          .when(sfn.Condition.stringEquals('$.relationshipStatus', 'EmailVerificationInProgress'), checkEmailVerification)
          .otherwise(failure.failed),
      )
      .otherwise(failure.failed),
  );
  // Once Enabled (just now, or already), the administrator applies the protection plans: an
  // account already Enabled goes straight there, so a re-enrollment only reads and compares.
  const applyProtectionPlans = invoke(StateNames.applyProtectionPlans, 'applyProtectionPlans');
  // VerifyMembership's outcome is kept beside the state (`verified`): ApplyProtectionPlans needs both.
  const verifyMembership = invoke(StateNames.verifyMembership, 'verifyMembership', [RETRIES.membership], '$.verified');
  const perRegion = invoke(StateNames.createMember, 'createMember').next(
    new sfn.Choice(scope, StateNames.isAlreadyEnabled).when(sfn.Condition.stringEquals('$.relationshipStatus', 'Enabled'), applyProtectionPlans).otherwise(
      invoke(StateNames.inviteMember, 'inviteMember')
        .next(invoke(StateNames.acceptInvitation, 'acceptInvitation', [RETRIES.invitation]))
        .next(verifyMembership)
        .next(applyProtectionPlans),
    ),
  );

  const enrollRegions = new sfn.Map(scope, StateNames.enrollRegions, {
    itemsPath: '$.regions',
    maxConcurrency: settings.maxConcurrentRegions,
    itemSelector: {
      'enrollmentId.$': '$$.Execution.Name',
      'region.$': '$$.Map.Item.Value',
      'request.$': '$',
      // The fields of a RegionState, so a failure of any step can be read the same way (ReadFailure).
      'accountId.$': '$.accountId',
      'adminDetectorId.$': NULL,
      'relationshipStatus.$': NULL,
      'memberDetectorId.$': NULL,
    },
    resultPath: '$.outcomes',
  });
  enrollRegions.itemProcessor(perRegion);
  return enrollRegions;
}
