import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { awsErrorNameOf } from './errors';
import type { EnrollmentRequest } from '../../contract/workflow-types';

/** What StartExecution did with an enrollment. */
export type StartResult =
  /** Started now, or already running with this very name and input (Standard workflows answer that with the running execution). */
  | { status: 'STARTED'; executionArn: string }
  /** An execution of this name already ran (or runs with another input): the event was handled before. */
  | { status: 'ALREADY_STARTED' };

/**
 * Starts the enrollment state machine with `request` as its input (what POST /enrollments builds)
 * and `name` as the execution name, so a duplicate delivery of the same event starts nothing new:
 * for a Standard state machine, StartExecution with the name and input of a running execution
 * returns that execution, and a name already used by a closed one is ExecutionAlreadyExists (Step
 * Functions API reference, StartExecution; names stay taken for 90 days after the execution closes).
 * Other errors are thrown.
 */
export async function startEnrollment(sfn: SFNClient, stateMachineArn: string, name: string, request: EnrollmentRequest): Promise<StartResult> {
  try {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(request) }));
    return { status: 'STARTED', executionArn: executionArn ?? '' };
  } catch (error) {
    if (awsErrorNameOf(error) === 'ExecutionAlreadyExists') return { status: 'ALREADY_STARTED' };
    throw error;
  }
}
