/**
 * Why a step's error must stay small: Step Functions puts Lambda's error payload (errorType,
 * errorMessage and the stack as `trace`) into the task's Cause, the workflow copies the message into
 * the region's outcome, and a failed enrollment's outcomes together become its Fail state's cause,
 * which Step Functions keeps to 32,768 characters (docs/aws-facts.md, Step Functions quotas). With
 * each message at most MAX_ERROR_MESSAGE_LENGTH, 40 failed regions stay well under that.
 */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * AWS's denial text without what the outcome does not need, so that the advice after it fits the
 * bound: an assumed-role ARN's session name (a Lambda's function name, an enrollment id), the role
 * ARN STS repeats, and the reason clause reworded short (IAM's "because no identity-based policy
 * allows the <action> action", docs/aws-facts.md, IAM).
 */
export function compactAwsText(text: string): string {
  return text
    .replace(/(assumed-role\/[\w+=,.@-]+)\/[\w+=,.@-]+/g, '$1/…')
    .replace(/(sts:AssumeRole) on resource: arn:\S+/, '$1')
    .replace(/because no (identity|resource)-based policy allows the \S+ action/, 'because no $1-based policy allows it');
}

/** How much of a message's end survives a cut: the steps' messages end with what to do about it. */
const KEPT_END = 220;

/**
 * `text` in at most `max` characters: when too long, its middle (usually AWS's own wording) is
 * replaced by "…", so that what failed (the start) and what to do (the end) both survive.
 */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.min(KEPT_END, Math.floor(max / 2));
  return `${text.slice(0, max - end - 1)}…${text.slice(text.length - end)}`;
}

/**
 * The error a handler rethrows, cut to size: its message to MAX_ERROR_MESSAGE_LENGTH characters
 * ({@link shortened}) and its stack to its first line, so Lambda's payload stays small. The full
 * stack is logged before this (logFailure).
 */
export function boundedError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  error.message = shortened(error.message, MAX_ERROR_MESSAGE_LENGTH);
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
