/**
 * GuardDuty over REST-JSON: routes a request to its operation and renders results and errors the
 * way the SDKs parse them (JS SDK v3 `AwsRestJsonProtocol`, botocore `RestJSONParser`).
 */
import { AwsError, INVALID_TOKEN_MESSAGE } from '../core/errors';
import { parseJsonBody } from './input';
import { resourceCheck } from '../iam/action-data';
import type { IamCheck } from '../iam/evaluate';
import { matchRoute } from './routes';
import type { AwsRequest, AwsService, HttpReply, IdentityProblem, ServiceContext } from '../core/protocol';
import { UNKNOWN_OPERATION } from '../core/protocol';
import { settleVerifications } from './relationships';

/** The GuardDuty service. */
export const guardDutyService: AwsService = {
  name: 'guardduty',

  operation(request: AwsRequest): string {
    return matchRoute(request.method, request.path)?.operation ?? UNKNOWN_OPERATION;
  },

  /**
   * Unknown or disabled-region keys: 403 UnrecognizedClientException (docs/aws-facts.md, pain point 3). Missing
   * signature and expired session: the generic codes AWS's REST front end answers with.
   */
  identityError(problem: IdentityProblem): AwsError {
    if (problem === 'missing') return new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (problem === 'expired') return new AwsError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
    return new AwsError(403, 'UnrecognizedClientException', INVALID_TOKEN_MESSAGE);
  },

  /**
   * `guardduty:<Operation>` on what the Service Authorization Reference lists for it: the detector
   * for GetDetector, UpdateDetector and DeleteDetector, `*` for the operations that list no
   * resource type (docs/aws-facts.md, IAM). Denials name the detector of the path, or `detector/*` (as seen
   * for ListDetectors, docs/aws-facts.md, IAM).
   */
  async authorization(context: ServiceContext, request: AwsRequest, operation: string): Promise<IamCheck[]> {
    const match = matchRoute(request.method, request.path);
    if (!match) return [];
    const detectorArn = `arn:aws:guardduty:${context.region}:${context.caller.accountId}:detector/${match.detectorId || '*'}`;
    const check = await resourceCheck(`guardduty:${operation}`, detectorArn, context.caller.accountId);
    return check ? [{ ...check, messageResource: detectorArn }] : [];
  },

  /** 403 AccessDeniedException, as GuardDuty answers an IAM denial (docs/aws-facts.md, IAM). */
  accessDenied(message: string): AwsError {
    return new AwsError(403, 'AccessDeniedException', message);
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
