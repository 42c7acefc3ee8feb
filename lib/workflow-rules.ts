import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { TerminalErrors, TransientErrors } from '../contract/error-names';

/**
 * Bounded, jittered retries for the transient errors (DESIGN: "Nothing loops without a bound").
 * Worst cases: throttling 2+4+8+16 s; invitation visibility 3+4.5+6.75+10+15 s ≈ 40 s (Terraform's
 * accepter waits 1 min for the same eventual consistency, docs/aws-facts.md, pain point 2); membership
 * 5+7.5+11+17+25 s ≈ 65 s. FULL jitter spreads the retries of many regions and enrollments.
 */
/** Step Functions' name for Lambda's TooManyRequestsException (429, a concurrency or rate limit). */
export const LAMBDA_TOO_MANY_REQUESTS = 'Lambda.TooManyRequestsException';

const jittered = { jitterStrategy: sfn.JitterType.FULL, maxDelay: Duration.seconds(30) };
export const RETRIES = {
  throttling: {
    errors: [TransientErrors.Throttled, TransientErrors.ServiceUnavailable],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 4,
    ...jittered,
  },
  invitation: { errors: [TransientErrors.InvitationNotYetVisible], interval: Duration.seconds(3), backoffRate: 1.5, maxAttempts: 5, ...jittered },
  membership: { errors: [TransientErrors.MembershipPending], interval: Duration.seconds(5), backoffRate: 1.5, maxAttempts: 5, ...jittered },
  /**
   * Lambda refusing an invocation for its concurrency limit (docs/aws-facts.md, "Step Functions (Standard)
   * quotas": AWS recommends retrying it). A batch may invoke AcceptInvitation 400 times at once,
   * more than a new account's concurrency quota, so this budget is generous: up to 1+2+4+8+16+30+30+30
   * s ≈ 2 min, jittered so the refused invocations do not come back together.
   */
  lambdaThrottled: { errors: [LAMBDA_TOO_MANY_REQUESTS], interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 8, ...jittered },
} satisfies Record<string, sfn.RetryProps>;

/**
 * Gives a Lambda task the retries every step has, then its own. LambdaInvoke already retries
 * Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException and
 * Lambda.ClientExecutionTimeoutException (its retryOnServiceExceptions default), the other errors AWS
 * recommends retrying; it does not retry Lambda.TooManyRequestsException, which this adds.
 */
export function addStepRetries(task: tasks.LambdaInvoke, ...own: sfn.RetryProps[]): void {
  for (const retry of [RETRIES.lambdaThrottled, RETRIES.throttling, ...own]) task.addRetry(retry);
}

/** JSON null in Parameters: CDK drops literal nulls from state parameters, so produce one at run time. */
export const NULL = "States.StringToJson('null')";

/** Every error a step names itself: its Cause is the Lambda error payload (JSON with errorMessage). */
export const NAMED_ERRORS = [...Object.values(TransientErrors), ...Object.values(TerminalErrors)];

/** A Lambda step's time limit in the workflows: its calls are few and each is bounded by the SDK. */
export const STEP_TIMEOUT = sfn.Timeout.duration(Duration.seconds(60));

/**
 * Metadata key on each `AWS::StepFunctions::StateMachine` naming its role (`enrollment` or
 * `batch-part`), so local mode finds each machine of the template without guessing from ids.
 */
export const STATE_MACHINE_METADATA = 'gde:state-machine';
export type StateMachineRole = 'enrollment' | 'batch-part' | 'fleet-check' | 'fleet-part';
