import { randomUUID } from 'node:crypto';
import type { BusEvent } from '../../emulator/eventbridge/buses';
import type { FinishedExecution } from './service';

/**
 * The `Step Functions Execution Status Change` event Step Functions puts on the account's default
 * bus when a Standard execution stops (docs/aws-facts.md, "Metrics and alarms"): source `aws.states`,
 * the execution ARN as its resource, and a detail with the status, the input and output as JSON text,
 * and for a failure the error and cause. Local mode publishes one per finished execution, so the
 * template's rules on it (the EnrollmentOutcomes metrics) run as on AWS.
 */
export function statusChangeEvent(execution: FinishedExecution, account: string, region: string): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account,
    time: new Date(execution.stopDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [execution.arn],
    detail: {
      executionArn: execution.arn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate,
      input: execution.input,
      inputDetails: { included: true },
      output: execution.output ?? null,
      outputDetails: { included: execution.output !== undefined },
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}
