/** Errors the rollout raises itself, with a message a person can act on. */

/** A problem that stops the run (or a region) with an explanation; `cause` keeps the AWS error. */
export class RolloutError extends Error {
  override readonly name = 'RolloutError';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** A one-line description of any error: the AWS error code and message, or the rollout's own message. */
export function describeError(error: unknown): string {
  if (error instanceof RolloutError) return error.message;
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
