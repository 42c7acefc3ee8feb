import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { EnrollmentSettings } from '../settings';
import { NULL } from '../workflow-rules';
import { failureStates, invokeStep } from './failure-states';
import { StateNames } from './state-names';
import { REGION_FIELDS } from './steps';
import type { EnrollmentSteps } from './steps';

/**
 * Offboarding (DELETE /enrollments/{accountId}), region by region: RemoveMember (administrator
 * side) → LeaveAdministrator (member side), with enrollment's failure handling. A state belongs to
 * one Map's graph, so its failure states are its own. Returns the Map over `$.regions`, its
 * outcomes at `$.outcomes`.
 */
export function offboardFlow(scope: Construct, settings: EnrollmentSettings, steps: EnrollmentSteps): sfn.Map {
  const failure = failureStates(
    scope,
    { read: StateNames.readOffboardFailure, failed: StateNames.offboardRegionFailed, failedUnexpectedly: StateNames.offboardRegionFailedUnexpectedly },
    REGION_FIELDS,
  );
  failure.read.next(failure.failed);
  const invoke = (id: string, step: keyof EnrollmentSteps) =>
    invokeStep(scope, id, steps[step], { onNamedError: failure.read, onOtherError: failure.failedUnexpectedly });
  const offboardRegions = new sfn.Map(scope, StateNames.offboardRegions, {
    itemsPath: '$.regions',
    maxConcurrency: settings.maxConcurrentRegions,
    itemSelector: {
      'enrollmentId.$': '$$.Execution.Name',
      'region.$': '$$.Map.Item.Value',
      'accountId.$': '$.accountId',
      'deleteDetector.$': '$.deleteDetector',
      // The whole request, as for enrollments: RemoveMember logs who asked (requestedBy) from it.
      'request.$': '$',
      'adminDetectorId.$': NULL,
      'relationshipStatus.$': NULL,
      'memberDetectorId.$': NULL,
    },
    resultPath: '$.outcomes',
  });
  offboardRegions.itemProcessor(invoke(StateNames.removeMember, 'removeMember').next(invoke(StateNames.leaveAdministrator, 'leaveAdministrator')));
  return offboardRegions;
}
