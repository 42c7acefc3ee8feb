import { compactAwsText } from './error-size';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';
import type { EnrollmentErrorName, TransientErrorName } from '../../contract/error-names';

/**
 * An error the state machine recognises: its `name` is one of the contract's error names
 * (error-names.ts), which Lambda reports as the Step Functions error, and its message names the
 * account, the region and the cause so a person can act on it.
 */
export class EnrollmentError extends Error {
  override readonly name: EnrollmentErrorName;

  constructor(name: EnrollmentErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** True when `error` is an {@link EnrollmentError}, optionally of the given name. */
export function isEnrollmentError(error: unknown, name?: EnrollmentErrorName): error is EnrollmentError {
  return error instanceof EnrollmentError && (name === undefined || error.name === name);
}

/** Where an AWS call was made, for classification and for the error message. */
export interface CallContext {
  /** The account being enrolled. */
  accountId: string;
  /** The region of the call (the state's region). */
  region: string;
  /** The API operation, e.g. 'CreateMembers'. */
  operation: string;
  /** Whose credentials made the call: the administrator's (the Lambda role) or the member role's. */
  side: 'administrator' | 'member';
  /** What to check when the call is denied, e.g. the permission it needs. */
  accessHint?: string;
}

interface AwsErrorShape {
  name?: string;
  message?: string;
  Message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING_NAMES = new Set([
  // docs/aws-facts.md, 4.5: GuardDuty throttles with TooManyRequestsException (429) or ThrottlingException.
  'TooManyRequestsException',
  'ThrottlingException',
  // STS's query protocol reports throttling as 'Throttling'.
  'Throttling',
]);

const ACCESS_DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied']);

// docs/aws-facts.md, pain point 3: calls into a region the account has not opted into fail with these, 403.
const UNRECOGNIZED_CLIENT_NAMES = new Set(['UnrecognizedClientException', 'InvalidClientTokenId']);

// Socket-level failures: the SDK already retried them; the state machine may retry once more.
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** The service's own message of an AWS SDK error (GuardDuty's BadRequestException carries it twice). */
export function awsMessageOf(error: unknown): string {
  if (error instanceof EnrollmentError) return awsMessageOf(error.cause);
  const e = (error ?? {}) as AwsErrorShape;
  return (e.message || e.Message || '').trim();
}

/** The AWS error name (the service's error code) of an SDK error. */
export function awsErrorNameOf(error: unknown): string {
  return ((error ?? {}) as AwsErrorShape).name ?? '';
}

/**
 * The tail of a transient error's message. The same message is logged while the state machine
 * retries and becomes the region's outcome once the retries run out, so it must be true in both.
 */
export const RETRIED_THEN_GIVE_UP =
  'the workflow retries this a bounded number of times with backoff; as the final outcome it means the retries ran out: enroll again later';

function where(ctx: CallContext): string {
  return `${ctx.operation} (${ctx.side} side) for account ${ctx.accountId} in ${ctx.region}`;
}

function detail(error: unknown): string {
  const name = awsErrorNameOf(error);
  const message = awsMessageOf(error);
  return message ? `${name}: ${compactAwsText(message)}` : name || 'unknown error';
}

/**
 * Whether an AWS SDK error is worth retrying, and as what: throttling (a throttling error name or
 * HTTP 429) is `Throttled`; a 5xx, GuardDuty's InternalServerErrorException, an SDK timeout or a
 * socket error is `ServiceUnavailable`; anything else is undefined (retrying would not help).
 */
export function transientErrorName(error: unknown): TransientErrorName | undefined {
  const e = (error ?? {}) as AwsErrorShape;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLING_NAMES.has(name) || status === 429) return TransientErrors.Throttled;
  if (name === 'InternalServerErrorException' || (status !== undefined && status >= 500)) return TransientErrors.ServiceUnavailable;
  if (name === 'TimeoutError' || NETWORK_CODES.has(e.code ?? '')) return TransientErrors.ServiceUnavailable;
  return undefined;
}

/**
 * Turns an error thrown by an AWS SDK call into an {@link EnrollmentError}, so the state machine's
 * Retry/Catch rules apply. EnrollmentErrors pass through unchanged; errors that are not AWS or
 * network errors (bugs) are returned unchanged so they surface as they are.
 */
export function classifyAwsError(error: unknown, ctx: CallContext): Error {
  if (error instanceof EnrollmentError) return error;
  const e = (error ?? {}) as AwsErrorShape;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const cause = { cause: error };

  const transient = transientErrorName(error);
  const unreachable = name === 'TimeoutError' || NETWORK_CODES.has(e.code ?? '');
  if (transient === TransientErrors.Throttled) {
    return new EnrollmentError(TransientErrors.Throttled, `${where(ctx)} was throttled (${detail(error)}); ${RETRIED_THEN_GIVE_UP}`, cause);
  }
  if (transient === TransientErrors.ServiceUnavailable && !unreachable) {
    return new EnrollmentError(
      TransientErrors.ServiceUnavailable,
      `${where(ctx)} failed on the service side (${detail(error)}); ${RETRIED_THEN_GIVE_UP}`,
      cause,
    );
  }
  if (ACCESS_DENIED_NAMES.has(name)) {
    const hint = ctx.accessHint ?? `the ${ctx.side === 'member' ? 'member role' : "workflow's role"} needs guardduty:${ctx.operation}`;
    return new EnrollmentError(TerminalErrors.AccessDenied, `${where(ctx)} was denied (${detail(error)}); ${hint}`, cause);
  }
  if (UNRECOGNIZED_CLIENT_NAMES.has(name)) {
    if (ctx.side === 'member') {
      // docs/aws-facts.md, pain point 3: valid member credentials that GuardDuty does not recognise in a region
      // mean the (opt-in) region is not enabled for the member account.
      return new EnrollmentError(
        TerminalErrors.RegionNotEnabled,
        `region ${ctx.region} is not enabled for account ${ctx.accountId} (${ctx.operation}: ${detail(error)}); enable the opt-in region in that account or leave it out of the request`,
        cause,
      );
    }
    // Assumption: on the administrator side the same answer means the region is not enabled for
    // the administrator account; no GuardDuty source documents this case separately.
    return new EnrollmentError(
      TerminalErrors.RequestRejected,
      `${where(ctx)} was refused (${detail(error)}): region ${ctx.region} appears not to be enabled for the administrator account; enable it there or leave it out of the request`,
      cause,
    );
  }
  if (name === 'BadRequestException' || e.$fault === 'client' || (status !== undefined && status >= 400)) {
    // docs/aws-facts.md, 4.2: BadRequestException is GuardDuty's one declared client error; its message is the cause.
    return new EnrollmentError(
      TerminalErrors.RequestRejected,
      `${where(ctx)} was rejected by ${ctx.operation === 'AssumeRole' ? 'STS' : 'GuardDuty'}: ${awsMessageOf(error) || name}`,
      cause,
    );
  }
  if (unreachable) {
    return new EnrollmentError(
      TransientErrors.ServiceUnavailable,
      `${where(ctx)} could not reach the service (${detail(error)}); ${RETRIED_THEN_GIVE_UP}`,
      cause,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Runs one AWS SDK call and classifies whatever it throws with {@link classifyAwsError}.
 */
export async function callAws<T>(ctx: CallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(error, ctx);
  }
}
