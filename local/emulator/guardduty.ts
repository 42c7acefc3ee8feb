/**
 * GuardDuty over REST-JSON: routes a request to its operation and renders results and errors the
 * way the SDKs parse them (JS SDK v3 `AwsRestJsonProtocol`, botocore `RestJSONParser`).
 */
import { AwsError, INVALID_TOKEN_MESSAGE } from './errors';
import { parseJsonBody } from './guardduty-input';
import { matchRoute } from './guardduty-routes';
import type { AwsRequest, AwsService, HttpReply, IdentityProblem, ServiceContext } from './protocol';
import { UNKNOWN_OPERATION } from './protocol';
import { settleVerifications } from './relationships';

/** The GuardDuty service. */
export const guardDutyService: AwsService = {
  name: 'guardduty',

  operation(request: AwsRequest): string {
    return matchRoute(request.method, request.path)?.operation ?? UNKNOWN_OPERATION;
  },

  /**
   * Unknown or disabled-region keys: 403 UnrecognizedClientException (facts pain point 3). Missing
   * signature and expired session: the generic codes AWS's REST front end answers with.
   */
  identityError(problem: IdentityProblem): AwsError {
    if (problem === 'missing') return new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (problem === 'expired') return new AwsError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
    return new AwsError(403, 'UnrecognizedClientException', INVALID_TOKEN_MESSAGE);
  },

  handle(context: ServiceContext, request: AwsRequest): HttpReply {
    const match = matchRoute(request.method, request.path);
    if (!match) {
      throw new AwsError(404, 'UnknownOperationException', `No GuardDuty operation matches ${request.method} ${request.path}.`);
    }
    // Time-based transitions (email verification) happen lazily, before any operation reads state.
    settleVerifications(context.state, context.now);
    const body = match.handler({
      state: context.state,
      caller: context.caller,
      region: context.region,
      now: context.now,
      detectorId: match.detectorId,
      query: request.query,
      body: parseJsonBody(request.rawBody),
    });
    return jsonReply(200, body, context.requestId);
  },

  /**
   * REST-JSON error: the code goes in `x-amzn-ErrorType` (which both SDKs read first) and in the
   * body's `__type`; the body's `message` becomes `error.message`.
   */
  errorReply(error: AwsError, requestId: string): HttpReply {
    const reply = jsonReply(error.status, { message: error.message, __type: error.code }, requestId);
    reply.headers['x-amzn-ErrorType'] = error.code;
    return reply;
  },
};

function jsonReply(status: number, body: object, requestId: string): HttpReply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId },
    body: JSON.stringify(body),
  };
}
