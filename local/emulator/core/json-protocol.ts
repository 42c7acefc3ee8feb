/**
 * What the AWS JSON protocols (awsJson1_0, awsJson1_1) share: every call is `POST /` with
 * `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON object body; errors carry their code in
 * the body's `__type` and in `x-amzn-ErrorType`. Used by EventBridge (1.1), SQS (1.0) and the Step
 * Functions front (1.0); Organizations (1.1) keeps its own module for its `Message`/`Reason` shape.
 */
import { AwsError, INVALID_TOKEN_MESSAGE } from './errors';
import type { ServiceName } from './faults';
import type { AwsRequest, AwsService, HttpReply, IdentityProblem } from './protocol';
import { UNKNOWN_OPERATION } from './protocol';

type JsonObject = Record<string, unknown>;

/** True when `X-Amz-Target` names an operation of the service with this target prefix. */
export function hasTarget(request: AwsRequest, targetPrefix: string): boolean {
  const target = request.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(`${targetPrefix}.`);
}

/** The operation `X-Amz-Target` names, or `UnknownOperation`. */
export function targetOperation(request: AwsRequest, targetPrefix: string): string {
  if (!hasTarget(request, targetPrefix)) return UNKNOWN_OPERATION;
  return (request.headers['x-amz-target'] as string).slice(targetPrefix.length + 1) || UNKNOWN_OPERATION;
}

/** The body as a JSON object; `SerializationException` (the JSON protocols' code for an unreadable body) otherwise. */
export function parseJsonObject(raw: string): JsonObject {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AwsError(400, 'SerializationException', 'The request body could not be parsed as JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AwsError(400, 'SerializationException', 'The request body must be a JSON object.');
  return parsed as JsonObject;
}

/** A JSON-protocol reply. */
export function jsonProtocolReply(status: number, body: unknown, version: '1.0' | '1.1'): HttpReply {
  return { status, headers: { 'Content-Type': `application/x-amz-json-${version}` }, body: JSON.stringify(body) };
}

/** A JSON-protocol error: `{__type, message}` and `x-amzn-ErrorType`, plus any extra headers. */
export function jsonProtocolError(error: AwsError, version: '1.0' | '1.1', type = error.code, headers: Record<string, string> = {}): HttpReply {
  const reply = jsonProtocolReply(error.status, { __type: type, message: error.message }, version);
  Object.assign(reply.headers, { 'x-amzn-ErrorType': error.code, ...headers });
  return reply;
}

/** The JSON protocols' answer to credentials that cannot be used (as Organizations answers them). */
export function jsonIdentityError(problem: IdentityProblem): AwsError {
  if (problem === 'missing') return new AwsError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (problem === 'expired') return new AwsError(400, 'ExpiredTokenException', 'The security token included in the request is expired');
  return new AwsError(400, 'UnrecognizedClientException', INVALID_TOKEN_MESSAGE);
}

/** An AWS JSON-protocol service, recognised by its `X-Amz-Target` prefix. */
export interface JsonTargetService extends AwsService {
  /** True when the request's `X-Amz-Target` names one of its operations. */
  matches(request: AwsRequest): boolean;
}

/**
 * A JSON-protocol service from its name (the SigV4 signing name), target prefix, protocol version
 * and operations; errors are `{__type, message}` unless `errorReply` says otherwise.
 */
export function jsonTargetService(spec: {
  name: ServiceName;
  targetPrefix: string;
  version: '1.0' | '1.1';
  handle: AwsService['handle'];
  authorization: AwsService['authorization'];
  /** @default 400 AccessDeniedException, a common error of every AWS API */
  accessDenied?: AwsService['accessDenied'];
  errorReply?: AwsService['errorReply'];
}): JsonTargetService {
  return {
    name: spec.name,
    matches: (request) => hasTarget(request, spec.targetPrefix),
    operation: (request) => targetOperation(request, spec.targetPrefix),
    identityError: jsonIdentityError,
    authorization: spec.authorization,
    accessDenied: spec.accessDenied ?? ((message) => new AwsError(400, 'AccessDeniedException', message)),
    handle: spec.handle,
    errorReply: spec.errorReply ?? ((error) => jsonProtocolError(error, spec.version)),
  };
}
