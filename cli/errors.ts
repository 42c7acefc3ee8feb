/** The CLI's errors and the exit codes they map to. */

/** Exit codes: documented in `gde --help`. */
export const ExitCode = {
  ok: 0,
  /** The API refused, a region failed, or the API could not be reached. */
  failed: 1,
  /** The command line was wrong: nothing was sent. */
  usage: 2,
  /** --wait gave up while the enrollment was still RUNNING; it goes on in the background. */
  stillRunning: 3,
} as const;

/** The command line is wrong (missing flag, unknown option, bad CSV): nothing was sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The API answered with a status other than the one expected; `message` is the API's own. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly apiMessage: string,
    /** What the person should know or do, when the command knows better than the generic hints. */
    readonly hint?: string,
  ) {
    super(`${method} ${path} answered ${status}: ${apiMessage}`);
  }
}

/** The API could not be reached at all (wrong URL, no network, local mode not running). */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

/** --wait gave up before the enrollment stopped. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * A person-readable line for an API refusal. API Gateway answers 403 both for a wrong key and for
 * a route the API does not have ("Missing Authentication Token"), which confuses people: say which.
 */
export function describeApiError(error: ApiError): string {
  const base = `${error.method} ${error.path} → ${error.status}: ${error.apiMessage}`;
  if (error.hint) return `${base}\n  ${error.hint}`;
  if (error.status === 403 && /missing authentication token/i.test(error.apiMessage)) {
    return `${base}\n  The API has no ${error.method} ${error.path.replace(/\/[^/]+$/, '/{…}')} route: this deployment does not offer it, --api-url is not the stage URL (it ends with the stage, e.g. /v1), or the request was not signed (--unsigned against a deployment with authorization 'iam').`;
  }
  if (error.status === 403 && /signature|security token|not authorized to perform/i.test(error.apiMessage)) {
    return `${base}\n  AWS refused the signed request: check the AWS credentials gde signs with (AWS_PROFILE, AWS_ACCESS_KEY_ID, the clock) and that they may execute-api:Invoke this route.`;
  }
  if (error.status === 403) return `${base}\n  The API key was refused: check --api-key / GDE_API_KEY.`;
  if (error.status === 429) return `${base}\n  The API is throttling this key or too many enrollments are running; retry later.`;
  return base;
}

/** The error as JSON for `--json` callers. */
export function errorJson(error: unknown): { error: { status?: number; message: string; kind: string; hint?: string } } {
  if (error instanceof ApiError)
    return { error: { status: error.status, message: error.apiMessage, kind: 'api', ...(error.hint ? { hint: error.hint } : {}) } };
  if (error instanceof UsageError) return { error: { message: error.message, kind: 'usage' } };
  if (error instanceof ConnectionError) return { error: { message: error.message, kind: 'connection' } };
  if (error instanceof WaitTimeoutError) return { error: { message: error.message, kind: 'timeout' } };
  return { error: { message: error instanceof Error ? error.message : String(error), kind: 'internal' } };
}
