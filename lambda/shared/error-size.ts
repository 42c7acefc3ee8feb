/**
 * Why a step's error must stay small: Step Functions puts Lambda's error payload (errorType,
 * errorMessage and the stack as `trace`) into the task's Cause, the workflow copies the message into
 * the region's outcome, and a failed enrollment's outcomes together become its Fail state's cause,
 * which Step Functions keeps to 32,768 characters (docs/aws-facts.md, Step Functions quotas). With
 * each message at most MAX_ERROR_MESSAGE_LENGTH, 40 failed regions stay well under that.
 */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * The error a handler rethrows, cut to size: its message to MAX_ERROR_MESSAGE_LENGTH characters
 * (ending in "…" when cut) and its stack to its first line, so Lambda's payload stays small. The
 * full stack is logged before this (logFailure).
 */
export function boundedError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (error.message.length > MAX_ERROR_MESSAGE_LENGTH) error.message = `${error.message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
