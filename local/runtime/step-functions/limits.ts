import { STEP_FUNCTIONS_LIMITS } from '../../../contract/step-functions-limits';
import type { StepFunctionsLimits } from '../../../contract/step-functions-limits';
import type { ExecutionEvent } from './runner';

/** A limit an execution went past: the error and cause it fails with. */
export interface LimitExceeded {
  error: string;
  cause: string;
}

/**
 * How many events Step Functions writes to the history for one event of aws-local-stepfunctions'
 * log, by the history event types of the API reference (HistoryEvent): a Task state writes
 * TaskStateEntered and then, per attempt, LambdaFunctionScheduled, Started and Succeeded or Failed;
 * a Map or Parallel state also writes its Started and Succeeded events. Our mapping, not AWS's: the
 * local count is an estimate of the real one.
 */
function historyEventsFor(event: ExecutionEvent): number {
  switch (event.type) {
    case 'StateEntered':
      if (event.state?.type === 'Task') return 4;
      if (event.state?.type === 'Map' || event.state?.type === 'Parallel') return 3;
      return 1;
    case 'StateRetried':
      return 3;
    case 'StateFailed':
    case 'StateCaught':
      return 0;
    default:
      return 1;
  }
}

function byteLength(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * Watches one execution's events for Step Functions' limits (contract/step-functions-limits.ts):
 * a state's output over the payload limit fails the execution with States.DataLimitExceeded
 * (Step Functions' error-handling guide); a history over the event limit fails it with States.Runtime
 * (the quotas page says such an execution fails and names no error: our choice). The runner learns of
 * events after the fact, so it stops the execution a little later than Step Functions would.
 */
export class ExecutionLimits {
  private events = 0;
  readonly limits: StepFunctionsLimits;

  constructor(overrides: Partial<StepFunctionsLimits> = {}) {
    this.limits = { ...STEP_FUNCTIONS_LIMITS, ...overrides };
  }

  /** The limit this event goes past, if any. */
  check(event: ExecutionEvent): LimitExceeded | undefined {
    this.events += historyEventsFor(event);
    if (this.events > this.limits.historyEvents) {
      return { error: 'States.Runtime', cause: `The execution history exceeded ${this.limits.historyEvents} events.` };
    }
    // Each state's output is the next state's input (StartExecution checks the execution's own input).
    if (event.type !== 'StateExited') return undefined;
    const bytes = byteLength(event.state?.output);
    if (bytes <= this.limits.payloadBytes) return undefined;
    return {
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${event.state?.name}' returned a result with a size exceeding the maximum number of bytes service limit (${bytes} bytes, limit ${this.limits.payloadBytes}).`,
    };
  }

  /** A Fail state's cause as Step Functions keeps it: its first failCauseCharacters characters (our reading of the limit). */
  failCause(cause: string | undefined): string | undefined {
    return cause !== undefined && cause.length > this.limits.failCauseCharacters ? cause.slice(0, this.limits.failCauseCharacters) : cause;
  }

  /** The estimated number of history events so far. */
  get historyEvents(): number {
    return this.events;
  }
}
