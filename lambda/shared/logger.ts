import { Logger } from '@aws-lambda-powertools/logger';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';
import { boundedError } from './error-size';

/**
 * The one logger of every workflow step. The service name comes from POWERTOOLS_SERVICE_NAME,
 * the level from POWERTOOLS_LOG_LEVEL (Powertools reads both).
 */
export const logger = new Logger();

/** The keys that tie a log line to one enrollment in one region. */
export interface EnrollmentLogKeys {
  enrollmentId?: string;
  accountId?: string;
  region?: string;
  /** Who asked (contract/requested-by.ts), where the step's input carries it. */
  requestedBy?: string | null;
}

/**
 * Sets the enrollment keys on every following log line. Persistent keys survive between
 * invocations of a warm Lambda, so all three are always overwritten (unknown ones as null).
 */
export function setEnrollmentKeys(keys: EnrollmentLogKeys): void {
  logger.appendPersistentKeys({
    enrollmentId: keys.enrollmentId ?? null,
    accountId: keys.accountId ?? null,
    region: keys.region ?? null,
    requestedBy: keys.requestedBy ?? null,
  });
}

const TRANSIENT: ReadonlySet<string> = new Set(Object.values(TransientErrors));
const NAMED: ReadonlySet<string> = new Set(Object.values(TerminalErrors));

/**
 * Logs a step's failure (name and message only: the SDK error in `cause` is left out so no
 * request detail reaches the logs; the stack of an unexpected error too) and returns the error for
 * rethrowing, cut to the size Step Functions can carry (error-size.ts). Transient errors, which the
 * state machine retries, are warnings; the rest are errors.
 */
export function logFailure(error: unknown): unknown {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  if (TRANSIENT.has(name)) logger.warn('Step will be retried', { errorName: name, errorMessage: message });
  else if (NAMED.has(name)) logger.error('Step failed', { errorName: name, errorMessage: message });
  else logger.error('Step failed', { errorName: name, errorMessage: message, errorStack: error instanceof Error ? error.stack : undefined });
  return boundedError(error);
}
