/**
 * The local API Gateway: an HTTP server on 127.0.0.1 serving the REST API a synthesized template
 * declares (its routes under `/<stage>`, API key, request validation, mapping templates and
 * gateway responses), handing each integration's call to a pluggable `callAws`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderAccessLog } from './access-log';
import { readApiDefinition, UnsupportedApiError } from './api-definition';
import { GatewayResponses } from './gateway-responses';
import { closeServer, listen, queryParameters, readBody, requestHeaders, writeReply } from './http-io';
import { handleApiRequest } from './request-handler';
import type { ServedApi } from './request-handler';
import { BodyValidator } from './request-validation';
import { RouteMatcher } from './route-matcher';
import type { LocalApi, LocalApiOptions } from './types';

export type { AwsServiceResponse, CallAws, LocalApi, LocalApiOptions } from './types';
export { UnsupportedApiError } from './api-definition';

/** Builds, once, everything a request needs from the template. */
function serveApi(options: LocalApiOptions): ServedApi {
  const definition = readApiDefinition(options.template, options.resolver, { restApiLogicalId: options.restApiLogicalId, stageName: options.stageName });
  if (definition.apiKeySource !== 'HEADER' && definition.methods.some((m) => m.apiKeyRequired)) {
    throw new UnsupportedApiError('API keys from an authorizer (ApiKeySourceType AUTHORIZER) are not served locally');
  }
  const unsupported = definition.methods.find((m) => m.authorizationType !== 'NONE' && (m.authorizationType !== 'AWS_IAM' || !options.iamCallers));
  if (unsupported) {
    throw new UnsupportedApiError(
      `Method ${unsupported.logicalId}: authorization ${unsupported.authorizationType} is not served locally` +
        (unsupported.authorizationType === 'AWS_IAM' ? ' without iamCallers (the credentials that verify signatures)' : ''),
    );
  }
  return {
    definition,
    iamCallers: options.iamCallers,
    region: options.resolver.deployment.region,
    routes: new RouteMatcher(definition.methods),
    validator: new BodyValidator(definition.restApiId, definition.models),
    gatewayResponses: new GatewayResponses(definition.gatewayResponses, definition.stageVariables),
    apiKey: options.apiKey,
    accountId: options.resolver.deployment.account,
    callAws: options.callAws,
  };
}

function sourceIp(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

async function serve(api: ServedApi, options: LocalApiOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local-api');
  const handled = await handleApiRequest(api, {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: queryParameters(url),
    headers: requestHeaders(request),
    body: await readBody(request),
    sourceIp: sourceIp(request),
    protocol: `HTTP/${request.httpVersion}`,
  });
  writeReply(response, handled.reply);
  if (handled.failure) {
    const report = options.onExecutionError ?? ((requestId, detail) => process.stderr.write(`[local api-gateway] ${requestId}: ${detail}\n`));
    report(String(handled.context.requestId), handled.failure);
  }
  const format = api.definition.accessLogFormat;
  if (format && options.onAccessLog) options.onAccessLog(renderAccessLog(format, handled.context, api.definition.stageVariables));
}

/**
 * Starts the local API Gateway for the template's REST API; resolves once it listens. Throws
 * `UnsupportedApiError` when the template declares something it cannot serve (an integration
 * other than an AWS action or MOCK, several APIs or stages without saying which).
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const api = serveApi(options);
  const server = createServer((request, response) => {
    serve(api, options, request, response).catch((error: unknown) => {
      // Only a failure to write the reply lands here; the handler itself never throws.
      if (!response.headersSent)
        writeReply(response, { status: 500, headers: { 'Content-Type': 'application/json' }, body: '{"message":"Internal server error"}' });
      process.stderr.write(`[local api-gateway] ${String(error)}\n`);
    });
  });
  // Longer than clients keep an idle connection (Node's fetch: 4 s), so the client always closes
  // first: with Node's 5 s default, a busy machine let the server close a connection the client was
  // reusing, and that request failed with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stageName: api.definition.stageName,
    close: () => closeServer(server),
  };
}
