/**
 * Step Functions' limits on a Standard execution that the product can run into (docs/aws-facts.md,
 * "Step Functions (Standard) quotas"). Local mode enforces them (local/runtime/step-functions/limits.ts) and
 * the status templates allow for them.
 */
export const STEP_FUNCTIONS_LIMITS = {
  /** A state's input or output, in bytes of UTF-8 (past it: States.DataLimitExceeded). */
  payloadBytes: 256 * 1024,
  /** Events in one execution's history (past it, the execution fails). */
  historyEvents: 25_000,
  /** Characters of a Fail state's cause that Step Functions keeps. */
  failCauseCharacters: 32_768,
} as const;

export type StepFunctionsLimits = { -readonly [K in keyof typeof STEP_FUNCTIONS_LIMITS]: number };
