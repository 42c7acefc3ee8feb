import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { StepLambda } from '../step-lambda';
import { NAMED_ERRORS, STEP_TIMEOUT, addStepRetries } from '../workflow-rules';

/**
 * How every flow turns a step's failure into an outcome, written once. A named error (one of
 * contract/error-names.ts) carries Lambda's JSON error payload as its Cause, so its message is read
 * out of it; anything else (a Lambda crash or timeout) has a Cause that may not be JSON and is kept
 * as text.
 */

/** The `error` of an outcome after a named error: the state holds the parsed Cause as `cause`. */
export const FROM_NAMED_ERROR = { 'code.$': '$.error.Error', 'message.$': '$.cause.errorMessage' };
/** The `error` of an outcome after any other error: the Cause as it is. */
export const FROM_OTHER_ERROR = { 'code.$': '$.error.Error', 'message.$': '$.error.Cause' };

/** The fields of a state that reads a named error: the error, and its Cause parsed as `cause`. */
export const READ_CAUSE = { 'error.$': '$.error', 'cause.$': 'States.StringToJson($.error.Cause)' };

/** The names of one flow's three failure states. */
export interface FailureStateNames {
  /** Parses a named error's Cause beside the state's fields. */
  readonly read: string;
  /** The FAILED outcome of a named error. */
  readonly failed: string;
  /** The FAILED outcome of any other error. */
  readonly failedUnexpectedly: string;
}

export interface FailureStates {
  readonly read: sfn.Pass;
  readonly failed: sfn.Pass;
  readonly failedUnexpectedly: sfn.Pass;
}

/**
 * A flow's failure states. `fields` are the outcome's own fields (JSONPath parameters); `keep` are
 * more fields the read state carries for the states after it. The read state does not go on by
 * itself: the caller decides (usually `read.next(failed)`).
 */
export function failureStates(scope: Construct, names: FailureStateNames, fields: Record<string, unknown>, keep: Record<string, unknown> = {}): FailureStates {
  return {
    read: new sfn.Pass(scope, names.read, { parameters: { ...fields, ...keep, ...READ_CAUSE } }),
    failed: new sfn.Pass(scope, names.failed, { parameters: { ...fields, outcome: 'FAILED', error: FROM_NAMED_ERROR } }),
    failedUnexpectedly: new sfn.Pass(scope, names.failedUnexpectedly, { parameters: { ...fields, outcome: 'FAILED', error: FROM_OTHER_ERROR } }),
  };
}

/** Sends a task's named errors to `onNamedError` and every other error to `onOtherError`, the error at `$.error`. */
export function catchStepErrors(task: sfn.TaskStateBase | sfn.Map, onNamedError: sfn.IChainable, onOtherError: sfn.IChainable): void {
  task.addCatch(onNamedError, { errors: NAMED_ERRORS, resultPath: '$.error' });
  task.addCatch(onOtherError, { resultPath: '$.error' });
}

/** One step's task: the step's Lambda with the shared timeout, the shared retries plus `retries`, and the catches. */
export function invokeStep(
  scope: Construct,
  id: string,
  step: StepLambda,
  options: { retries?: sfn.RetryProps[]; onNamedError: sfn.IChainable; onOtherError: sfn.IChainable; resultPath?: string },
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    stateName: id,
    lambdaFunction: step.function,
    payloadResponseOnly: true,
    taskTimeout: STEP_TIMEOUT,
    resultPath: options.resultPath,
  });
  addStepRetries(task, ...(options.retries ?? []));
  catchStepErrors(task, options.onNamedError, options.onOtherError);
  return task;
}
