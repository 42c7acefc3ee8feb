/**
 * Reads a REST API out of a synthesized CloudFormation template: its stage, resources and methods,
 * integrations, models, request validators, gateway responses and API key. Everything is resolved
 * through the `TemplateResolver`, so ARNs and templates built with `Fn::Join` arrive as strings.
 */
import type { CfnTemplate } from '../runtime/template/synth';
import type { TemplateResolver } from '../runtime/template/resolver';

/** One entry of an integration's `IntegrationResponses`. */
export interface IntegrationResponseSpec {
  readonly statusCode: number;
  /** A Java regex matched against the backend's status code; absent for the default response. */
  readonly selectionPattern?: string;
  readonly responseTemplates: Record<string, string>;
  /** `method.response.header.X` → a static `'value'` (other sources are not supported locally). */
  readonly responseParameters: Record<string, string>;
}

export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';

/** A method's integration: an AWS service action (`arn:aws:apigateway:<region>:<service>:action/<Action>`) or a MOCK. */
export interface IntegrationSpec {
  readonly type: 'AWS' | 'MOCK';
  readonly service?: string;
  readonly action?: string;
  /** The role API Gateway assumes to call the service (the integration's `Credentials`). */
  readonly credentials?: string;
  readonly passthroughBehavior: PassthroughBehavior;
  readonly requestTemplates: Record<string, string>;
  readonly responses: IntegrationResponseSpec[];
  readonly timeoutMs: number;
}

/** A method request parameter declared in `RequestParameters` (`method.request.<location>.<name>`). */
export interface MethodParameter {
  readonly location: 'path' | 'querystring' | 'header';
  readonly name: string;
  readonly required: boolean;
}

/** One `AWS::ApiGateway::Method`, with what it needs from the rest of the template. */
export interface MethodSpec {
  readonly logicalId: string;
  /** `GET`, `POST`, ... or `ANY`. */
  readonly httpMethod: string;
  /** The resource's id (`$context.resourceId`). */
  readonly resourceId: string;
  /** The route template, e.g. `/enrollments/{enrollmentId}` (`$context.resourcePath`). */
  readonly resourcePath: string;
  readonly apiKeyRequired: boolean;
  /** `NONE`, `AWS_IAM` (SigV4, served by sigv4-auth.ts), or an authorizer type local mode does not serve. */
  readonly authorizationType: string;
  readonly parameters: MethodParameter[];
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  /** Content type → model key (see `ApiDefinition.models`). */
  readonly requestModels: Record<string, string>;
  readonly integration: IntegrationSpec;
}

/** An `AWS::ApiGateway::GatewayResponse`. */
export interface GatewayResponseSpec {
  readonly statusCode?: number;
  readonly templates: Record<string, string>;
  /** Header name → the value of a static `'value'` mapping. */
  readonly headers: Record<string, string>;
}

export interface ApiDefinition {
  /** The REST API's id (`$context.apiId`). */
  readonly restApiId: string;
  readonly stageName: string;
  readonly stageVariables: Record<string, string>;
  /** The stage's `AccessLogSetting.Format`, when access logging is on. */
  readonly accessLogFormat?: string;
  /** Where callers put the API key; only `HEADER` (`x-api-key`) is served locally. */
  readonly apiKeySource: 'HEADER' | 'AUTHORIZER';
  /** The id of the API key the template declares (`$context.identity.apiKeyId`). */
  readonly apiKeyId?: string;
  /** The API's resource policy (`Policy`), with API Gateway's `execute-api:/*` shorthand as written. */
  readonly resourcePolicy?: Record<string, unknown>;
  readonly methods: MethodSpec[];
  /** Model schemas, under every key a method may name them by: the model's Ref value and its Name. */
  readonly models: Record<string, Record<string, unknown>>;
  /** Gateway responses by `ResponseType`. */
  readonly gatewayResponses: Record<string, GatewayResponseSpec>;
}

/** The template asks for something the local API Gateway cannot serve. */
export class UnsupportedApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedApiError';
  }
}

export interface ApiSelection {
  /** Which `AWS::ApiGateway::RestApi` to serve; needed only when the template has several. */
  readonly restApiLogicalId?: string;
  /** Which stage to serve; needed only when the API has several. */
  readonly stageName?: string;
}

/** API Gateway's default integration timeout (29 seconds). */
const DEFAULT_TIMEOUT_MS = 29_000;
const AWS_ACTION_URI = /^arn:[^:]+:apigateway:[^:]*:([^:]+):action\/(.+)$/;

type Props = Record<string, unknown>;

const asRecord = (value: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
};

/** The value of a static mapping `'value'`, or undefined for a mapping from a request/response source. */
function staticValue(mapping: string): string | undefined {
  return /^'.*'$/s.test(mapping) ? mapping.slice(1, -1) : undefined;
}

/** `method.response.header.X: "'v'"` (or `gatewayresponse.header.X`) → `{X: 'v'}`. */
function staticHeaders(parameters: unknown, prefix: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, mapping] of Object.entries(asRecord(parameters))) {
    const value = staticValue(mapping);
    if (key.startsWith(prefix) && value !== undefined) headers[key.slice(prefix.length)] = value;
  }
  return headers;
}

class TemplateReader {
  constructor(
    private readonly template: CfnTemplate,
    private readonly resolver: TemplateResolver,
  ) {}

  ofType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }

  props(logicalId: string): Props {
    return this.resolver.resolve(this.template.Resources[logicalId].Properties ?? {}) as Props;
  }

  ref(logicalId: string): string {
    return this.resolver.ref(logicalId);
  }

  rootResourceId(restApi: string): string {
    return this.resolver.getAtt(restApi, 'RootResourceId');
  }

  /** The logical id whose Ref value is `value`, among resources of a type. */
  byRef(type: string, value: unknown): string | undefined {
    return this.ofType(type).find((id) => this.ref(id) === value);
  }
}

function chooseRestApi(reader: TemplateReader, wanted?: string): string {
  const apis = reader.ofType('AWS::ApiGateway::RestApi');
  if (wanted) {
    if (!apis.includes(wanted)) throw new UnsupportedApiError(`The template has no AWS::ApiGateway::RestApi ${wanted}`);
    return wanted;
  }
  if (apis.length !== 1) throw new UnsupportedApiError(`The template has ${apis.length} REST APIs; say which one to serve (restApiLogicalId)`);
  return apis[0];
}

function readStage(reader: TemplateReader, apiRef: string, wanted?: string): { name: string; variables: Record<string, string>; accessLogFormat?: string } {
  const stages = reader
    .ofType('AWS::ApiGateway::Stage')
    .map((id) => reader.props(id))
    .filter((p) => p.RestApiId === apiRef)
    .map((p) => ({
      name: String(p.StageName),
      variables: asRecord(p.Variables),
      accessLogFormat: (p.AccessLogSetting as { Format?: string } | undefined)?.Format,
    }));
  // A Deployment can create its stage itself (StageName, StageDescription).
  for (const id of reader.ofType('AWS::ApiGateway::Deployment')) {
    const p = reader.props(id);
    if (p.RestApiId === apiRef && typeof p.StageName === 'string' && !stages.some((s) => s.name === p.StageName)) {
      const description = (p.StageDescription ?? {}) as { Variables?: unknown; AccessLogSetting?: { Format?: string } };
      stages.push({ name: p.StageName, variables: asRecord(description.Variables), accessLogFormat: description.AccessLogSetting?.Format });
    }
  }
  const chosen = wanted ? stages.find((s) => s.name === wanted) : stages.length === 1 ? stages[0] : undefined;
  if (!chosen) {
    throw new UnsupportedApiError(wanted ? `The API has no stage ${wanted}` : `The API has ${stages.length} stages; say which one to serve (stageName)`);
  }
  return chosen;
}

/** Resource id → route template, following `ParentId` up to the root. */
function readResourcePaths(reader: TemplateReader, apiRef: string, rootId: string): Map<string, string> {
  const resources = new Map<string, { parent: string; part: string }>();
  for (const id of reader.ofType('AWS::ApiGateway::Resource')) {
    const p = reader.props(id);
    if (p.RestApiId === apiRef) resources.set(reader.ref(id), { parent: String(p.ParentId), part: String(p.PathPart) });
  }
  const paths = new Map<string, string>([[rootId, '/']]);
  const pathOf = (id: string, seen: Set<string>): string => {
    const known = paths.get(id);
    if (known) return known;
    const resource = resources.get(id);
    if (!resource || seen.has(id)) throw new UnsupportedApiError(`Resource ${id} does not lead to the API's root`);
    seen.add(id);
    const parent = pathOf(resource.parent, seen);
    const path = `${parent === '/' ? '' : parent}/${resource.part}`;
    paths.set(id, path);
    return path;
  };
  for (const id of resources.keys()) pathOf(id, new Set());
  return paths;
}

function readIntegration(methodId: string, raw: Props | undefined): IntegrationSpec {
  if (!raw) throw new UnsupportedApiError(`Method ${methodId} has no integration`);
  const type = String(raw.Type);
  const common = {
    passthroughBehavior: (raw.PassthroughBehavior as PassthroughBehavior | undefined) ?? 'WHEN_NO_MATCH',
    requestTemplates: asRecord(raw.RequestTemplates),
    timeoutMs: typeof raw.TimeoutInMillis === 'number' ? raw.TimeoutInMillis : DEFAULT_TIMEOUT_MS,
    responses: ((raw.IntegrationResponses as Props[] | undefined) ?? []).map((r) => ({
      statusCode: Number(r.StatusCode),
      selectionPattern: typeof r.SelectionPattern === 'string' && r.SelectionPattern !== '' ? r.SelectionPattern : undefined,
      responseTemplates: asRecord(r.ResponseTemplates),
      responseParameters: staticHeaders(r.ResponseParameters, 'method.response.header.'),
    })),
  };
  if (type === 'MOCK') return { type, ...common };
  if (type === 'AWS') {
    const uri = AWS_ACTION_URI.exec(String(raw.Uri));
    if (!uri) throw new UnsupportedApiError(`Method ${methodId}: only AWS integrations of the action form are served locally, not ${String(raw.Uri)}`);
    return { type, service: uri[1], action: uri[2], credentials: typeof raw.Credentials === 'string' ? raw.Credentials : undefined, ...common };
  }
  throw new UnsupportedApiError(`Method ${methodId}: integration type ${type} is not served locally (AWS action and MOCK are)`);
}

function readParameters(raw: unknown): MethodParameter[] {
  return Object.entries((raw ?? {}) as Record<string, unknown>).flatMap(([key, required]) => {
    const match = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    return match ? [{ location: match[1] as MethodParameter['location'], name: match[2], required: required === true || required === 'true' }] : [];
  });
}

/** Reads the REST API (and the stage) local mode serves from a synthesized template. */
export function readApiDefinition(template: CfnTemplate, resolver: TemplateResolver, selection: ApiSelection = {}): ApiDefinition {
  const reader = new TemplateReader(template, resolver);
  const restApi = chooseRestApi(reader, selection.restApiLogicalId);
  const apiRef = reader.ref(restApi);
  const apiProps = reader.props(restApi);
  const stage = readStage(reader, apiRef, selection.stageName);
  const paths = readResourcePaths(reader, apiRef, reader.rootResourceId(restApi));

  const models: Record<string, Record<string, unknown>> = {};
  for (const id of reader.ofType('AWS::ApiGateway::Model')) {
    const p = reader.props(id);
    if (p.RestApiId !== apiRef) continue;
    const schema = (typeof p.Schema === 'string' ? JSON.parse(p.Schema) : (p.Schema ?? {})) as Record<string, unknown>;
    models[reader.ref(id)] = schema;
    if (typeof p.Name === 'string') models[p.Name] = schema;
  }

  const validators = new Map<string, { body: boolean; parameters: boolean }>();
  for (const id of reader.ofType('AWS::ApiGateway::RequestValidator')) {
    const p = reader.props(id);
    validators.set(reader.ref(id), { body: p.ValidateRequestBody === true, parameters: p.ValidateRequestParameters === true });
  }

  const methods: MethodSpec[] = [];
  for (const id of reader.ofType('AWS::ApiGateway::Method')) {
    const p = reader.props(id);
    if (p.RestApiId !== apiRef) continue;
    const resourceId = String(p.ResourceId);
    const resourcePath = paths.get(resourceId);
    if (!resourcePath) throw new UnsupportedApiError(`Method ${id} is on unknown resource ${resourceId}`);
    const validator = p.RequestValidatorId === undefined ? undefined : validators.get(String(p.RequestValidatorId));
    methods.push({
      logicalId: id,
      httpMethod: String(p.HttpMethod).toUpperCase(),
      resourceId,
      resourcePath,
      apiKeyRequired: p.ApiKeyRequired === true,
      authorizationType: typeof p.AuthorizationType === 'string' ? p.AuthorizationType : 'NONE',
      parameters: readParameters(p.RequestParameters),
      validateBody: validator?.body ?? false,
      validateParameters: validator?.parameters ?? false,
      requestModels: asRecord(p.RequestModels),
      integration: readIntegration(id, p.Integration as Props | undefined),
    });
  }

  const gatewayResponses: Record<string, GatewayResponseSpec> = {};
  for (const id of reader.ofType('AWS::ApiGateway::GatewayResponse')) {
    const p = reader.props(id);
    if (p.RestApiId !== apiRef) continue;
    gatewayResponses[String(p.ResponseType)] = {
      statusCode: p.StatusCode === undefined ? undefined : Number(p.StatusCode),
      templates: asRecord(p.ResponseTemplates),
      headers: staticHeaders(p.ResponseParameters, 'gatewayresponse.header.'),
    };
  }

  const apiKey = reader.ofType('AWS::ApiGateway::ApiKey')[0];
  return {
    restApiId: apiRef,
    stageName: stage.name,
    stageVariables: stage.variables,
    accessLogFormat: stage.accessLogFormat,
    apiKeySource: apiProps.ApiKeySourceType === 'AUTHORIZER' ? 'AUTHORIZER' : 'HEADER',
    apiKeyId: apiKey === undefined ? undefined : reader.ref(apiKey),
    resourcePolicy: typeof apiProps.Policy === 'object' && apiProps.Policy !== null ? (apiProps.Policy as Record<string, unknown>) : undefined,
    methods,
    models,
    gatewayResponses,
  };
}
