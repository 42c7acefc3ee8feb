/**
 * What the server needs from each emulated AWS service (GuardDuty REST-JSON, STS query), so the
 * shared steps (call counting, faults, latency, identity) run the same way for both.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './errors';
import type { ServiceName } from './faults';
import type { IamCheck } from '../iam/evaluate';
import type { SigV4Scope } from './sigv4';
import type { EmulatorState } from './state';
import type { Caller } from './types';

/** An incoming AWS API request, body already read. */
export interface AwsRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  scope: SigV4Scope | undefined;
}

/** A response ready to write. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A verified caller and where the call goes. */
export interface ServiceContext {
  state: EmulatorState;
  caller: Caller;
  region: string;
  now: number;
  requestId: string;
  /**
   * Evaluates IAM for the caller: undefined when allowed, else AWS's denial message. For checks a
   * service makes inside an operation (EventBridge authorizes each PutEvents entry).
   */
  authorize(check: IamCheck): Promise<string | undefined>;
}

/** Why a request has no usable identity. */
export type IdentityProblem = 'missing' | 'invalid' | 'expired';

/** One emulated AWS service. */
export interface AwsService {
  readonly name: ServiceName;
  /** The operation name as in the API reference, or `UnknownOperation`. */
  operation(request: AwsRequest): string;
  /** The error this service answers when the caller's credentials cannot be used. */
  identityError(problem: IdentityProblem): AwsError;
  /**
   * What IAM must allow before the operation runs: one check per action and resource (none for
   * an operation AWS does not authorize, or one whose input is too broken to name a resource:
   * the operation's own validation answers then).
   */
  authorization(context: ServiceContext, request: AwsRequest, operation: string): IamCheck[] | Promise<IamCheck[]>;
  /** The error this service answers when IAM denies a call, with AWS's message. */
  accessDenied(message: string): AwsError;
  /** Runs the operation; throws (or rejects with) {@link AwsError} for error responses. */
  handle(context: ServiceContext, request: AwsRequest, operation: string): HttpReply | Promise<HttpReply>;
  /** Renders an error in this service's protocol. */
  errorReply(error: AwsError, requestId: string): HttpReply;
}

/** Operation name used for requests that match no known operation. */
export const UNKNOWN_OPERATION = 'UnknownOperation';
