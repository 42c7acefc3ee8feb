import { Duration } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag';
import type { StepLambda } from './step-lambda';
import { STATE_MACHINE_METADATA } from './workflow-rules';
import type { StateMachineRole } from './workflow-rules';

export interface StandardStateMachineProps {
  readonly definition: sfn.IChainable;
  readonly logRetention: logs.RetentionDays;
  /** Which machine this is, for local mode (STATE_MACHINE_METADATA). */
  readonly role: StateMachineRole;
  /** The Lambda steps it invokes, whose version wildcards cdk-nag reports. */
  readonly steps: readonly StepLambda[];
  /** A fixed name, for a machine whose ARN a policy must name before it exists. @default a generated name */
  readonly stateMachineName?: string;
}

/**
 * A workflow's Standard state machine, as every one of this app is: traced, logging ALL to its own
 * group without execution data (inputs carry members' emails), and bounded by an hour (the worst
 * case of all bounded retries is minutes; an hour means something is wrong).
 */
export function standardStateMachine(scope: Construct, props: StandardStateMachineProps): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'ExecutionLogs', { retention: props.logRetention });
  const machine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineType: sfn.StateMachineType.STANDARD,
    stateMachineName: props.stateMachineName,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    timeout: Duration.hours(1),
  });
  (machine.node.defaultChild as CfnResource).addMetadata(STATE_MACHINE_METADATA, props.role);
  acknowledgeWildcardResource(machine.role, '*', "Step Functions' X-Ray tracing and log delivery actions support no resource-level permissions.");
  for (const step of props.steps) {
    acknowledgeWildcardResource(
      machine.role,
      `${step.function.functionArn}:*`,
      "CDK grants lambda:InvokeFunction on the function and its versions/aliases; only this workflow's own functions.",
    );
  }
  return machine;
}
