import { LAMBDA_TOO_MANY_REQUESTS } from '../../../lib/workflow-rules';

/**
 * Lambda's throttling as a Step Functions task sees it: an invocation Lambda refuses fails the task
 * with `Lambda.TooManyRequestsException` (429) before the handler runs. Local mode can refuse
 * invocations two ways: the next `count` invocations of a task state (deterministic, for tests), and
 * a concurrency limit shared by every function, as an account's unreserved concurrency is
 * (`npm start` leaves it unlimited).
 */
export class LambdaConcurrency {
  /** How many invocations run at most at once; undefined: no limit. */
  limit: number | undefined;
  private running = 0;
  private throttled = 0;
  private readonly pending: { stateName?: string; remaining: number }[] = [];

  /** The next `count` invocations (of the task state `stateName`, or of any) are refused. */
  throttleNext(count: number, stateName?: string): void {
    this.pending.push({ stateName, remaining: count });
  }

  /** Forgets the refusals still pending. */
  clearThrottles(): void {
    this.pending.length = 0;
  }

  /** How many invocations were refused so far. */
  get throttledCount(): number {
    return this.throttled;
  }

  /** Runs `call` as Lambda would run the invocation of task state `stateName`, or refuses it. */
  async invoke<T>(stateName: string, call: () => Promise<T>): Promise<T> {
    const rule = this.pending.find((p) => p.remaining > 0 && (p.stateName === undefined || p.stateName === stateName));
    if (rule || (this.limit !== undefined && this.running >= this.limit)) {
      if (rule) rule.remaining--;
      this.throttled++;
      throw tooManyRequests();
    }
    this.running++;
    try {
      return await call();
    } finally {
      this.running--;
    }
  }
}

/**
 * The error Step Functions reports; the Cause follows the form Step Functions gives Lambda service
 * errors ("<message> (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; …)").
 */
function tooManyRequests(): Error {
  const error = new Error('Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException)');
  error.name = LAMBDA_TOO_MANY_REQUESTS;
  return error;
}
