/**
 * The integration half of a request: the request mapping template, the call to the AWS service
 * (or MOCK), the choice of integration response by `SelectionPattern`, and its response template
 * with `$context.responseOverride` applied.
 */
import type { IntegrationResponseSpec, IntegrationSpec } from './api-definition';
import type { GatewayError } from './gateway-responses';
import { javaMatches } from './java-regex';
import type { CallAws } from './types';
import { renderMappingTemplate } from './vtl';
import type { RequestParameters } from './vtl';

export interface IntegrationRequest {
  readonly integration: IntegrationSpec;
  /** The request's `Content-Type` header, if any. */
  readonly contentType?: string;
  readonly body: string;
  readonly params: RequestParameters;
  readonly context: Record<string, unknown>;
  readonly stageVariables: Record<string, string>;
}

export type IntegrationOutcome =
  | { kind: 'reply'; status: number; headers: Record<string, string>; body: string; integrationStatus: number; integrationLatencyMs: number }
  | { kind: 'error'; error: GatewayError; integrationStatus?: number; integrationLatencyMs?: number };

/** API Gateway's answer when it fails a request on its side (template, backend call, no response). */
const internalError = (detail: string): GatewayError => ({ type: 'API_CONFIGURATION_ERROR', detail });

/** The media type of a Content-Type header, lower case, without parameters such as charset. */
export function mediaType(contentType: string | undefined): string {
  // API Gateway takes a request without Content-Type as application/json.
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase() || 'application/json';
}

function findTemplate(templates: Record<string, string>, type: string): string | undefined {
  const key = Object.keys(templates).find((k) => k.toLowerCase() === type);
  return key === undefined ? undefined : templates[key];
}

/** The integration response for a backend status: the first whose pattern matches it whole, else the default one. */
export function selectIntegrationResponse(responses: IntegrationResponseSpec[], backendStatus: number): IntegrationResponseSpec | undefined {
  const status = String(backendStatus);
  return (
    responses.find((r) => r.selectionPattern !== undefined && javaMatches(status, r.selectionPattern)) ??
    responses.find((r) => r.selectionPattern === undefined)
  );
}

class TimeoutError extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The request template's output, or the body passed through, or the 415 API Gateway answers. */
function integrationBody(request: IntegrationRequest): { body: string } | { error: GatewayError } {
  const { integration } = request;
  const template = findTemplate(integration.requestTemplates, mediaType(request.contentType));
  if (template === undefined) {
    const hasTemplates = Object.keys(integration.requestTemplates).length > 0;
    // PassthroughBehavior: NEVER refuses any unmapped type; WHEN_NO_TEMPLATES only when templates exist.
    if (integration.passthroughBehavior === 'NEVER' || (integration.passthroughBehavior === 'WHEN_NO_TEMPLATES' && hasTemplates)) {
      return { error: { type: 'UNSUPPORTED_MEDIA_TYPE' } };
    }
    return { body: request.body };
  }
  try {
    const { output } = renderMappingTemplate(template, {
      body: request.body,
      params: request.params,
      context: request.context,
      stageVariables: request.stageVariables,
    });
    return { body: output };
  } catch (error) {
    return { error: internalError(`Unable to transform request: ${(error as Error).message}`) };
  }
}

/** Calls the backend: the AWS service action, or for MOCK the status the request template names. */
async function callBackend(integration: IntegrationSpec, body: string, callAws: CallAws): Promise<{ statusCode: number; body: string }> {
  if (integration.type === 'MOCK') {
    const statusCode = Number((JSON.parse(body || '{}') as { statusCode?: unknown }).statusCode ?? 200);
    return { statusCode, body: '' };
  }
  return withTimeout(callAws(integration.service!, integration.action!, body, integration.credentials), integration.timeoutMs);
}

/**
 * Runs a method's integration. Failures on API Gateway's side (a template that cannot render, a
 * backend that cannot be called, no integration response for the status) come back as gateway
 * errors: API Gateway answers those 500 (504 for a timeout).
 */
export async function runIntegration(request: IntegrationRequest, callAws: CallAws): Promise<IntegrationOutcome> {
  const prepared = integrationBody(request);
  if ('error' in prepared) return { kind: 'error', error: prepared.error };

  const started = Date.now();
  let backend: { statusCode: number; body: string };
  try {
    backend = await callBackend(request.integration, prepared.body, callAws);
  } catch (error) {
    const integrationLatencyMs = Date.now() - started;
    if (error instanceof TimeoutError) return { kind: 'error', error: { type: 'INTEGRATION_TIMEOUT' }, integrationLatencyMs };
    return { kind: 'error', error: internalError(`Execution failed: ${(error as Error).message}`), integrationLatencyMs };
  }
  const integrationLatencyMs = Date.now() - started;

  const response = selectIntegrationResponse(request.integration.responses, backend.statusCode);
  if (!response)
    return {
      kind: 'error',
      error: internalError(`No integration response for status ${backend.statusCode}`),
      integrationStatus: backend.statusCode,
      integrationLatencyMs,
    };

  const template = findTemplate(response.responseTemplates, 'application/json') ?? Object.values(response.responseTemplates)[0];
  let body = backend.body;
  let override: { status?: number; header: Record<string, string> } = { header: {} };
  if (template !== undefined) {
    try {
      const rendered = renderMappingTemplate(template, {
        body: backend.body,
        params: request.params,
        context: request.context,
        stageVariables: request.stageVariables,
      });
      body = rendered.output;
      override = rendered.responseOverride;
    } catch (error) {
      return {
        kind: 'error',
        error: internalError(`Unable to transform response: ${(error as Error).message}`),
        integrationStatus: backend.statusCode,
        integrationLatencyMs,
      };
    }
  }
  return {
    kind: 'reply',
    status: override.status ?? response.statusCode,
    headers: { 'Content-Type': 'application/json', ...response.responseParameters, ...override.header },
    body,
    integrationStatus: backend.statusCode,
    integrationLatencyMs,
  };
}
