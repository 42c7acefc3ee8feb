/**
 * Bounded retries with jittered exponential backoff for throttling and server errors.
 *
 * GuardDuty publishes no per-operation TPS quota and throttles with TooManyRequestsException (429)
 * or ThrottlingException (docs/aws-facts.md, 4.5); Organizations answers TooManyRequestsException (model). LZA
 * wraps every call in jittered exponential backoff, SRA uses 10 attempts (docs/aws-facts.md, 4.5). The SDK
 * clients the rollout builds have their own retries turned off (clients.ts) so this is the one,
 * visible bound on attempts.
 */
import type { Sleep } from './types';

/**
 * Error codes both SDKs treat as throttling (botocore `retries/standard.py` `_THROTTLED_ERROR_CODES`,
 * docs/aws-facts.md, 4.5), less `LimitExceededException`: GuardDuty uses that name for its member limit, which
 * waiting does not lift.
 */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** How hard to retry. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Backoff before attempt n+1 is random in [0, min(capMs, baseMs * 2^n)) ("full jitter"). */
  baseMs: number;
  capMs: number;
  sleep: Sleep;
  /** Source of randomness in [0, 1); tests may fix it. */
  random: () => number;
  /** Errors retried besides throttling and 5xx (e.g. eventual consistency after a designation). */
  alsoRetry?: (error: unknown) => boolean;
}

/** The default policy: 6 attempts, 250 ms base, 8 s cap (at most ~16 s of waiting per call). */
export function defaultRetryPolicy(sleep: Sleep): RetryPolicy {
  return { maxAttempts: 6, baseMs: 250, capMs: 8000, sleep, random: Math.random };
}

/** The SDK error's code (`error.name`) and HTTP status, when it has them. */
export function errorCode(error: unknown): { name: string; status: number | undefined; message: string } {
  if (!(error instanceof Error)) return { name: 'Error', status: undefined, message: String(error) };
  const status = (error as Error & { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return { name: error.name, status, message: error.message };
}

/** True for throttling errors and server-side (5xx) failures. */
export function isTransient(error: unknown): boolean {
  const { name, status } = errorCode(error);
  if (THROTTLING_CODES.has(name) || status === 429) return true;
  return status !== undefined && status >= 500;
}

/** Runs `call`, retrying transient failures with jittered backoff up to `policy.maxAttempts` attempts. */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const retryable = isTransient(error) || (policy.alsoRetry?.(error) ?? false);
      if (!retryable || attempt >= policy.maxAttempts) throw error;
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      await policy.sleep(Math.floor(policy.random() * ceiling));
    }
  }
}
