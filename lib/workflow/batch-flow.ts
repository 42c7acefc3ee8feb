import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { BATCH_PART_SIZE } from '../../contract/batch-size';
import { BATCH_PARTS_AT_ONCE } from '../batch-workflow';
import type { BatchPartWorkflow } from '../batch-workflow';
import { defaultProtectionPlans } from '../protection-plan-steps';
import type { EnrollmentSettings } from '../settings';
import { NULL } from '../workflow-rules';
import { StateNames } from './state-names';

/**
 * A batch (`POST /enrollments/batch`): its accounts in parts of BATCH_PART_SIZE, and per region
 * (up to maxConcurrentRegions at once) each part run as a child execution of the batch-part state
 * machine named `<batchId>-<region>-<index>` (BATCH_PARTS_AT_ONCE at once). This execution keeps
 * only each part's counts, so its history and state stay small at 1,000 accounts × every region;
 * each part's per-account outcomes are its own execution's output. A part whose execution could not
 * run is reported with its error and every account counted failed.
 */
export function batchFlow(scope: Construct, settings: EnrollmentSettings, batchParts: BatchPartWorkflow): sfn.IChainable {
  const partId = "States.Format('{}-{}', $.region, $.index)";
  const enrollPart = new tasks.StepFunctionsStartExecution(scope, StateNames.enrollPart, {
    stateName: StateNames.enrollPart,
    stateMachine: batchParts.stateMachine,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    name: sfn.JsonPath.format('{}-{}-{}', sfn.JsonPath.stringAt('$.batchId'), sfn.JsonPath.stringAt('$.region'), sfn.JsonPath.stringAt('$.index')),
    input: sfn.TaskInput.fromObject({
      'batchId.$': '$.batchId',
      'region.$': '$.region',
      'part.$': partId,
      'requestedBy.$': '$.requestedBy',
      'accounts.$': '$.accounts',
      'invitationMessage.$': '$.invitationMessage',
      'protectionPlans.$': '$.protectionPlans',
    }),
    associateWithParent: true,
    resultSelector: {
      'part.$': '$.Output.part',
      'region.$': '$.Output.region',
      'enabled.$': '$.Output.enabled',
      'failed.$': '$.Output.failed',
      'error.$': NULL,
    },
  });
  enrollPart.addCatch(
    new sfn.Pass(scope, StateNames.partNotRun, {
      parameters: {
        'part.$': partId,
        'region.$': '$.region',
        enabled: 0,
        'failed.$': 'States.ArrayLength($.accounts)',
        error: { 'code.$': '$.error.Error', 'message.$': '$.error.Cause' },
      },
    }),
    { resultPath: '$.error' },
  );
  const enrollParts = new sfn.Map(scope, StateNames.enrollParts, {
    itemsPath: '$.parts',
    maxConcurrency: BATCH_PARTS_AT_ONCE,
    itemSelector: {
      'batchId.$': '$.batchId',
      'region.$': '$.region',
      'index.$': '$$.Map.Item.Index',
      'accounts.$': '$$.Map.Item.Value',
      'requestedBy.$': '$.requestedBy',
      'invitationMessage.$': '$.invitationMessage',
      'protectionPlans.$': '$.protectionPlans',
    },
  });
  enrollParts.itemProcessor(enrollPart);
  const enrollBatch = new sfn.Map(scope, StateNames.enrollBatch, {
    itemsPath: '$.regions',
    maxConcurrency: settings.maxConcurrentRegions,
    itemSelector: {
      'batchId.$': '$$.Execution.Name',
      'region.$': '$$.Map.Item.Value',
      'parts.$': '$.parts',
      'requestedBy.$': '$.requestedBy',
      'invitationMessage.$': '$.invitationMessage',
      'protectionPlans.$': '$.protectionPlans',
    },
    resultPath: '$.results',
  });
  enrollBatch.itemProcessor(enrollParts);
  // The accounts are replaced by their parts, so the state holds them once (256 KiB state limit).
  const partition = new sfn.Pass(scope, StateNames.partitionBatch, {
    parameters: {
      'accountCount.$': 'States.ArrayLength($.accounts)',
      'parts.$': `States.ArrayPartition($.accounts, ${BATCH_PART_SIZE})`,
      'regions.$': '$.regions',
      'requestedBy.$': '$.requestedBy',
      'invitationMessage.$': '$.invitationMessage',
      'protectionPlans.$': '$.protectionPlans',
    },
  });
  const summarize = new sfn.Pass(scope, StateNames.summarizeBatch, {
    parameters: {
      'batchId.$': '$$.Execution.Name',
      'accountCount.$': '$.accountCount',
      'regions.$': '$.regions',
      'parts.$': '$.results[*][*]',
    },
  });
  return defaultProtectionPlans(scope, { defaults: StateNames.defaultBatchPlans, merge: StateNames.mergeBatchPlans })
    .next(partition)
    .next(enrollBatch)
    .next(summarize)
    .next(new sfn.Succeed(scope, StateNames.batchDone));
}
