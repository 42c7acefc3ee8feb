/**
 * One request through the local API Gateway, in API Gateway's order: route (unknown route or
 * method → MISSING_AUTHENTICATION_TOKEN), API key (INVALID_API_KEY), required parameters
 * (BAD_REQUEST_PARAMETERS), body against the model (BAD_REQUEST_BODY), then the integration
 * (415 for an unmapped content type, the backend call, the integration response).
 *
 * AWS_IAM methods are authenticated and authorized by sigv4-auth.ts right after routing.
 * Not emulated: usage plan throttling and quotas, Lambda and Cognito authorizers, resource
 * policies of methods without AWS_IAM, method response models, CORS.
 */
import { randomUUID } from 'node:crypto';
import type { ApiDefinition } from './api-definition';
import { requestTime } from './access-log';
import type { GatewayError, GatewayResponses } from './gateway-responses';
import { header } from './http-io';
import type { Reply } from './http-io';
import { mediaType, runIntegration } from './integration';
import type { BodyValidator } from './request-validation';
import { checkRequiredParameters } from './request-validation';
import type { RouteMatcher } from './route-matcher';
import { authorizeIamRequest, methodArn, resolvedResourcePolicy } from './sigv4-auth';
import type { IamCallers } from './sigv4-auth';
import type { CallAws } from './types';
import type { RequestParameters } from './vtl';

/** What the handler needs of the request, already read off the socket. */
export interface IncomingRequest {
  readonly method: string;
  /** The URL path, stage included, still URL-encoded. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** `undefined` when the body was larger than API Gateway accepts. */
  readonly body: string | undefined;
  readonly sourceIp: string;
  readonly protocol: string;
}

/** The served API: its definition and what was built from it once. */
export interface ServedApi {
  readonly definition: ApiDefinition;
  readonly routes: RouteMatcher;
  readonly validator: BodyValidator;
  readonly gatewayResponses: GatewayResponses;
  readonly apiKey: string;
  readonly accountId: string;
  readonly callAws: CallAws;
  readonly iamCallers?: IamCallers;
  readonly region: string;
}

export interface HandledRequest {
  readonly reply: Reply;
  /** `$context` as the access log sees it (status, latencies and errors included). */
  readonly context: Record<string, unknown>;
  /** API Gateway's execution-log detail when it failed the request on its side. */
  readonly failure?: string;
}

/** `$context` before routing: what API Gateway knows of every request. */
function baseContext(api: ServedApi, request: IncomingRequest, requestId: string, received: Date): Record<string, unknown> {
  return {
    accountId: api.accountId,
    apiId: api.definition.restApiId,
    requestId,
    extendedRequestId: requestId,
    stage: api.definition.stageName,
    domainName: header(request.headers, 'host') ?? '',
    domainPrefix: (header(request.headers, 'host') ?? '').split('.')[0],
    httpMethod: request.method,
    path: request.path,
    protocol: request.protocol,
    requestTime: requestTime(received),
    requestTimeEpoch: received.getTime(),
    identity: { sourceIp: request.sourceIp, userAgent: header(request.headers, 'user-agent') ?? '' },
  };
}

/** Handles one request; never throws (an unexpected failure is API Gateway's 500). */
export async function handleApiRequest(api: ServedApi, request: IncomingRequest): Promise<HandledRequest> {
  const requestId = randomUUID();
  const received = new Date();
  const context = baseContext(api, request, requestId, received);
  const finish = (reply: Reply, extra: Record<string, unknown> = {}, failure?: string): HandledRequest => {
    Object.assign(context, extra, { status: reply.status, responseLatency: Date.now() - received.getTime(), responseLength: Buffer.byteLength(reply.body) });
    return { reply: { ...reply, headers: { ...reply.headers, 'x-amzn-RequestId': requestId } }, context, failure };
  };
  const refuse = (error: GatewayError, extra: Record<string, unknown> = {}): HandledRequest => {
    const gateway = api.gatewayResponses.reply(error, context);
    return finish(gateway, { ...extra, error: gateway.error }, error.detail);
  };

  try {
    if (request.body === undefined) return refuse({ type: 'REQUEST_TOO_LARGE' });
    const stagePrefix = `/${api.definition.stageName}`;
    const inStage = request.path === stagePrefix || request.path.startsWith(`${stagePrefix}/`);
    const match = inStage ? api.routes.match(request.method, request.path.slice(stagePrefix.length) || '/') : undefined;
    if (!match) return refuse({ type: 'MISSING_AUTHENTICATION_TOKEN' });
    const { method } = match;
    Object.assign(context, { resourcePath: method.resourcePath, resourceId: method.resourceId });

    // AWS_IAM before the key, as API Gateway authorizes before it checks the key.
    if (method.authorizationType === 'AWS_IAM' && api.iamCallers) {
      const deployment = { region: api.region, account: api.accountId };
      const apiArn = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.definition.restApiId}`;
      const arn = methodArn(deployment, api.definition.restApiId, api.definition.stageName, request.method, request.path.slice(stagePrefix.length));
      const auth = await authorizeIamRequest(
        api.iamCallers,
        { ...request, body: request.body },
        arn,
        resolvedResourcePolicy(api.definition.resourcePolicy, apiArn),
      );
      if ('error' in auth) return refuse(auth.error);
      const { userArn, accountId, userId, accessKey } = auth.identity;
      Object.assign(context.identity as Record<string, unknown>, { userArn, accountId, user: userId, caller: userId, accessKey });
    }

    if (method.apiKeyRequired) {
      if (header(request.headers, 'x-api-key') !== api.apiKey) return refuse({ type: 'INVALID_API_KEY' });
      Object.assign(context.identity as Record<string, unknown>, { apiKey: api.apiKey, apiKeyId: api.definition.apiKeyId ?? '' });
    }

    const params: RequestParameters = { path: match.pathParameters, querystring: request.query, header: request.headers };
    if (method.validateParameters) {
      const failure = checkRequiredParameters(method.parameters, params);
      if (failure) return refuse({ type: 'BAD_REQUEST_PARAMETERS', ...failure });
    }
    const contentType = header(request.headers, 'content-type');
    if (method.validateBody) {
      // The model for the request's content type, else the `$default` one; none means no check.
      const model = method.requestModels[mediaType(contentType)] ?? method.requestModels.$default;
      const failure = model === undefined ? undefined : api.validator.validate(model, request.body);
      if (failure) return refuse({ type: 'BAD_REQUEST_BODY', ...failure });
    }

    const outcome = await runIntegration(
      { integration: method.integration, contentType, body: request.body, params, context, stageVariables: api.definition.stageVariables },
      api.callAws,
    );
    const integration = {
      integration: { status: outcome.integrationStatus, latency: outcome.integrationLatencyMs },
      integrationStatus: outcome.integrationStatus,
      integrationLatency: outcome.integrationLatencyMs,
    };
    if (outcome.kind === 'error') return refuse(outcome.error, integration);
    return finish({ status: outcome.status, headers: outcome.headers, body: outcome.body }, integration);
  } catch (error) {
    return refuse({ type: 'API_CONFIGURATION_ERROR', detail: `Unexpected failure: ${(error as Error).stack ?? String(error)}` });
  }
}
