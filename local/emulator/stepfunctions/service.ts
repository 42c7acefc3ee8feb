/**
 * AWS Step Functions over JSON 1.0 (botocore `stepfunctions/2016-11-23`: `"targetPrefix":
 * "AWSStepFunctions"`), passed to the handler the embedding code attaches: local mode attaches its
 * state-machine runner (local/runtime/step-functions/service.ts), which answers as Step Functions does.
 * Without one, every operation is UnknownOperationException. The emulator adds what every service
 * gets (call counts, faults, latency, the caller's credentials checked).
 */
import { AwsError } from '../core/errors';
import { resourceCheck } from '../iam/action-data';
import type { IamCheck } from '../iam/evaluate';
import { jsonTargetService, parseJsonObject } from '../core/json-protocol';
import type { AwsRequest, HttpReply, ServiceContext } from '../core/protocol';

export const STEP_FUNCTIONS_TARGET_PREFIX = 'AWSStepFunctions';

/** Answers one Step Functions action (its JSON body) with an HTTP status and a JSON 1.0 body. */
export type StepFunctionsHandler = (action: string, body: string) => Promise<{ statusCode: number; body: string }>;

export const stepFunctionsService = jsonTargetService({
  name: 'states',
  targetPrefix: STEP_FUNCTIONS_TARGET_PREFIX,
  version: '1.0',
  /** `states:<Action>` on the state machine or execution the body names (its `stateMachineArn` or `executionArn`). */
  async authorization(context: ServiceContext, request: AwsRequest, operation: string): Promise<IamCheck[]> {
    const body = parseJsonObject(request.rawBody);
    const arn = [body.executionArn, body.stateMachineArn].find((value): value is string => typeof value === 'string');
    const check = await resourceCheck(`states:${operation}`, arn, context.caller.accountId);
    return check ? [check] : [];
  },
  async handle(context: ServiceContext, request: AwsRequest, operation: string): Promise<HttpReply> {
    const handler = context.state.stepFunctions;
    if (!handler) throw new AwsError(400, 'UnknownOperationException', 'The emulator serves Step Functions only when local mode attaches its state machines.');
    const answer = await handler(operation, request.rawBody || '{}');
    return { status: answer.statusCode, headers: { 'Content-Type': 'application/x-amz-json-1.0' }, body: answer.body };
  },
});
