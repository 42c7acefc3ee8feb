/**
 * The API's route table: every route is one entry holding API Gateway's method and Step Functions
 * integration and its OpenAPI operation. EnrollmentApi builds the methods from it and
 * lib/api/openapi.ts the document, so the two cannot describe different APIs; adding a route is
 * adding an entry to a file of lib/api/routes/.
 */
import type { OperationObject, ParameterObject } from 'openapi3-ts/oas30';
import { BATCH_REQUEST_SCHEMA, ENROLLMENT_REQUEST_SCHEMA } from '../../contract/api-schemas';
import { BATCH_ROUTES } from './routes/batches';
import { ENROLLMENT_ROUTES } from './routes/enrollments';
import { FLEET_CHECK_ROUTES } from './routes/fleet-checks';
import { SIGNUP_ROUTES } from './routes/signup';

/** The request models API Gateway validates bodies with (JSON Schema draft-04), by model name. */
export const API_MODELS = { EnrollmentRequest: ENROLLMENT_REQUEST_SCHEMA, BatchEnrollmentRequest: BATCH_REQUEST_SCHEMA } as const;
export type ModelName = keyof typeof API_MODELS;

/** How a route calls Step Functions: the action and the mapping templates of lib/api/. */
export interface RouteIntegration {
  /**
   * The state machines the route acts on: the enrollment machine (and its batch parts), or the
   * fleet-check machine (and its parts). Each has its own integration role and template values.
   * @default 'enrollment'
   */
  readonly machine?: 'enrollment' | 'fleetCheck';
  readonly action: 'StartExecution' | 'DescribeExecution' | 'GetExecutionHistory' | 'ListExecutions';
  /** The `application/json` request template. */
  readonly request: string;
  /** The template of the success response. */
  readonly response: string;
  readonly successStatus: '200' | '202';
  /** The template of a 4xx from Step Functions (its error name decides the status). */
  readonly error: string;
  /** The 400 message when Step Functions refuses the execution name (InvalidName). @default '' */
  readonly invalidNameMessage?: string;
  /** Request templates of other media types, by content type. @default none */
  readonly moreRequestTemplates?: Readonly<Record<string, string>>;
}

/** One route: `method path`, its integration, its body model and its OpenAPI operation. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** The resource path under the stage, `{name}` for a path parameter, e.g. `/enrollments/{enrollmentId}`. */
  readonly path: string;
  readonly integration: RouteIntegration;
  /** The model that validates the body, by content type. @default no model */
  readonly requestModels?: Readonly<Record<string, ModelName>>;
  /**
   * The OpenAPI operation. Its `parameters` are also the method's request parameters: API Gateway
   * requires those that say `required` (path, query string and header).
   */
  readonly operation: Omit<OperationObject, 'parameters'> & { readonly parameters: readonly ParameterObject[] };
}

export const API_ROUTES: readonly ApiRoute[] = [...ENROLLMENT_ROUTES, ...BATCH_ROUTES, ...SIGNUP_ROUTES, ...FLEET_CHECK_ROUTES];

/** API Gateway's name of a method request parameter, e.g. `method.request.querystring.regions`. */
export function methodRequestParameter(parameter: ParameterObject): string {
  const location = parameter.in === 'query' ? 'querystring' : parameter.in;
  if (!['path', 'querystring', 'header'].includes(location)) throw new Error(`API Gateway takes no ${parameter.in} parameter (${parameter.name})`);
  return `method.request.${location}.${parameter.name}`;
}

/**
 * Why the table cannot be deployed, or an empty list: a route listed twice, a path parameter the
 * operation does not declare (or one it declares that the path lacks), or a model that is not in
 * API_MODELS. EnrollmentApi checks it at synth, as aws-cdk's constructs validate their props.
 */
export function routeTableProblems(routes: readonly ApiRoute[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) problems.push(`${key} is listed twice`);
    seen.add(key);
    const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const declared = route.operation.parameters
      .filter((p) => p.in === 'path')
      .map((p) => p.name)
      .sort();
    if (inPath.join() !== declared.join()) problems.push(`${key} declares path parameters [${declared.join(', ')}] but its path has [${inPath.join(', ')}]`);
    for (const p of route.operation.parameters) if (p.in === 'path' && p.required !== true) problems.push(`${key}: path parameter ${p.name} must be required`);
    for (const model of Object.values(route.requestModels ?? {})) if (!(model in API_MODELS)) problems.push(`${key}: no model ${model}`);
  }
  return problems;
}
