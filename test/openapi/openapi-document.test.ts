/**
 * The OpenAPI document must describe the API that API Gateway serves. Routes and parameters come
 * from one route table for both (test/unit/route-table.test.ts); this checks what the table cannot
 * make true by construction: the request models, the statuses the methods declare and the
 * templates produce, the media types, and examples that are valid.
 */
import * as fs from 'node:fs';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { OPENAPI_FILE, buildOpenApiDocument, openApiText, toOpenApiSchema } from '../../lib/api/openapi';
import type { SchemaObject } from '../../lib/api/openapi';
import { readApiDefinition } from '../../local/api-gateway/api-definition';
import type { ApiDefinition } from '../../local/api-gateway/api-definition';
import { renderMappingTemplate } from '../../local/api-gateway/vtl';
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';

type Operation = {
  parameters?: { name: string; in: string; required: boolean; schema: SchemaObject; example?: unknown }[];
  requestBody?: { content: Record<string, { schema: SchemaObject; examples: Record<string, { value: unknown }> }> };
  responses: Record<string, { content?: Record<string, { schema: SchemaObject; examples?: Record<string, { value: unknown }> }> }>;
};

const doc = buildOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject>; securitySchemes: Record<string, SchemaObject> };
  security: unknown;
};
let template: CfnTemplate;
/** The API as local mode reads it: request templates and models resolved to strings and objects. */
let api: ApiDefinition;

beforeAll(() => {
  template = synthesizeTemplates().enrollment;
  api = readApiDefinition(template, new TemplateResolver(template, { account: '111111111111', region: 'us-east-1' }));
});

/** The method of the local API definition for "VERB /path". */
function apiMethod(key: string) {
  const method = api.methods.find((m) => `${m.httpMethod} ${m.resourcePath}` === key);
  if (!method) throw new Error(`The API has no method ${key}`);
  return method;
}

function resourcesOfType(type: string): [string, Record<string, any>][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The path of an AWS::ApiGateway::Resource, walking ParentId up to the root. */
function resourcePath(resourceId: string): string {
  const resource = template.Resources[resourceId];
  const props = resource.Properties as { ParentId: { Ref?: string }; PathPart: string };
  const parent = props.ParentId.Ref;
  return `${parent ? resourcePath(parent) : ''}/${props.PathPart}`;
}

/** Every method of the synthesized API as "VERB /path" with its declared responses and parameters. */
function templateMethods(): Map<string, { statuses: string[]; parameters: Record<string, boolean>; models: Record<string, string> }> {
  const methods = new Map<string, { statuses: string[]; parameters: Record<string, boolean>; models: Record<string, string> }>();
  for (const [, props] of resourcesOfType('AWS::ApiGateway::Method')) {
    const path = props.ResourceId.Ref ? resourcePath(props.ResourceId.Ref) : '/';
    methods.set(`${props.HttpMethod} ${path}`, {
      statuses: (props.MethodResponses as { StatusCode: string }[]).map((r) => r.StatusCode),
      parameters: props.RequestParameters ?? {},
      // Content type -> the model's logical id.
      models: Object.fromEntries(Object.entries((props.RequestModels ?? {}) as Record<string, { Ref: string }>).map(([type, model]) => [type, model.Ref])),
    });
  }
  return methods;
}

function documentedOperations(): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) for (const [verb, op] of Object.entries(item)) operations.set(`${verb.toUpperCase()} ${path}`, op);
  return operations;
}

function templateModel(name: string): SchemaObject {
  const found = resourcesOfType('AWS::ApiGateway::Model').find(([, props]) => props.Name === name);
  if (!found) throw new Error(`The template has no model ${name}`);
  return found[1].Schema as SchemaObject;
}

/**
 * Statuses a method declares (API Gateway's method responses are shared by every method) that its
 * mapping templates never produce, so the document leaves them out. Each is explained.
 */
const DECLARED_NOT_PRODUCED: Record<string, string[]> = {
  // StartExecution's errors map to 400/409/429/500 only (start-enrollment.error.vtl).
  'POST /enrollments': ['404'],
  // DescribeExecution's errors map to 404/429/500 (describe-enrollment.error.vtl); a path parameter cannot be missing.
  'GET /enrollments/{enrollmentId}': ['400', '409'],
  // GetExecutionHistory's errors map like DescribeExecution's (the same error template).
  'GET /enrollments/{enrollmentId}/progress': ['400', '409'],
  // Offboarding starts an execution like POST (start-enrollment.error.vtl): 400/409/429/500; no 404.
  'DELETE /enrollments/{enrollmentId}': ['404'],
  // A batch starts an execution like POST /enrollments (start-enrollment.error.vtl); no 404.
  'POST /enrollments/batch': ['404'],
  // DescribeExecution's errors map to 404/429/500 (describe-enrollment.error.vtl), as for an enrollment.
  'GET /enrollments/batch/{batchId}': ['400', '409'],
  'GET /enrollments/batch/{batchId}/parts/{partId}': ['400', '409'],
  // The execution name is API Gateway's request id, which is never reused: no 409; errors as StartExecution's.
  'GET /guarddutysignup/MasterDetectorId/{MasterDetectorId}/MemberId/{MemberId}/Email/{Email}': ['404', '409'],
  // describe-fleet-check.error.vtl maps Step Functions' errors to 404 (an unknown check), 429 and 500; a
  // check's name is never chosen by the caller, so no 409, and the routes take no body or query: no 400.
  'POST /fleet-checks': ['400', '404', '409'],
  'GET /fleet-checks': ['400', '404', '409'],
  'GET /fleet-checks/{checkId}': ['400', '409'],
  'GET /fleet-checks/{checkId}/parts/{partId}': ['400', '409'],
};
/** Statuses every route may answer through gateway responses rather than method responses. */
const GATEWAY_STATUSES = ['403'];
/**
 * A route whose integration takes more than one media type documents API Gateway's 415 for the
 * others (passthrough NEVER); a single-type route's callers send JSON and never meet it.
 */
const gatewayStatusesOf = (key: string) => [...GATEWAY_STATUSES, ...(Object.keys(apiMethod(key).integration.requestTemplates).length > 1 ? ['415'] : [])];

test('the request schemas are the ones the API Gateway models validate with', () => {
  expect(doc.components.schemas.EnrollmentRequest).toEqual(toOpenApiSchema(templateModel('EnrollmentRequest')));
  expect(doc.components.schemas.BatchEnrollmentRequest).toEqual(toOpenApiSchema(templateModel('BatchEnrollmentRequest')));
  expect(doc.components.schemas.EnrollmentRequest).not.toHaveProperty('$schema');
  expect(doc.components.schemas.Error).toEqual(toOpenApiSchema(templateModel('Error')));
});

test("each operation documents the success and error statuses its method answers, and the API key's 403", () => {
  const operations = documentedOperations();
  for (const [key, method] of templateMethods()) {
    const expected = [...method.statuses.filter((s) => !(DECLARED_NOT_PRODUCED[key] ?? []).includes(s)), ...gatewayStatusesOf(key)].sort();
    expect({ key, statuses: Object.keys(operations.get(key)!.responses).sort() }).toEqual({ key, statuses: expected });
  }
});

test('every error response is {message}, as the mapping and gateway response templates write it', () => {
  for (const [key, op] of documentedOperations()) {
    for (const [status, response] of Object.entries(op.responses)) {
      if (Number(status) < 400) continue;
      expect({ key, status, schema: response.content?.['application/json']?.schema }).toEqual({ key, status, schema: { $ref: '#/components/schemas/Error' } });
    }
  }
});

test("a request body is documented in the media types the integration has request templates for, with the method's model for JSON", () => {
  for (const [key, op] of documentedOperations()) {
    const method = apiMethod(key);
    if (!op.requestBody) {
      expect({ key, models: templateMethods().get(key)!.models }).toEqual({ key, models: {} });
      continue;
    }
    expect({ key, types: Object.keys(op.requestBody.content).sort() }).toEqual({ key, types: Object.keys(method.integration.requestTemplates).sort() });
    for (const [type, model] of Object.entries(templateMethods().get(key)!.models)) {
      const name = (template.Resources[model].Properties as { Name: string }).Name;
      expect({ key, type, schema: op.requestBody.content[type]?.schema }).toEqual({ key, type, schema: { $ref: `#/components/schemas/${name}` } });
    }
  }
});

test('every route requires the x-api-key header, and SigV4 as every method of the default deployment uses AWS_IAM', () => {
  const methods = resourcesOfType('AWS::ApiGateway::Method');
  expect(methods.every(([, props]) => props.ApiKeyRequired === true)).toBe(true);
  expect(methods.every(([, props]) => props.AuthorizationType === 'AWS_IAM')).toBe(true);
  // Both schemes together (authorization 'iam'), or the key alone (authorization 'apiKey').
  expect(doc.security).toEqual([{ SigV4: [], ApiKey: [] }, { ApiKey: [] }]);
  expect(doc.components.securitySchemes.ApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
  expect(doc.components.securitySchemes.SigV4).toMatchObject({
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  });
});

describe('examples', () => {
  // OpenAPI 3.0 schemas: ajv knows `nullable`; refs resolve against the document's components.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema({ components: doc.components }, 'openapi.json');
  const validatorFor = (schema: SchemaObject) =>
    ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/')) as SchemaObject);
  const draft04 = new AjvDraft04({ allErrors: true, strict: false });

  const examples: [string, SchemaObject, unknown, boolean][] = [];
  /** Request body examples with their operation and media type, to render as API Gateway would. */
  const requestExamples: [string, string, string, unknown][] = [];
  for (const [key, op] of documentedOperations()) {
    for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
      for (const [name, example] of Object.entries(media.examples)) {
        examples.push([`${key} request ${type} ${name}`, media.schema, example.value, type === 'application/json']);
        requestExamples.push([`${key} request ${type} ${name}`, key, type, example.value]);
      }
    }
    for (const p of op.parameters ?? []) examples.push([`${key} parameter ${p.name}`, p.schema, p.example, false]);
    for (const [status, response] of Object.entries(op.responses)) {
      const media = response.content?.['application/json'];
      for (const [name, example] of Object.entries(media?.examples ?? {})) examples.push([`${key} ${status} ${name}`, media!.schema, example.value, false]);
    }
  }

  test('every operation has a request or response example', () => {
    for (const key of documentedOperations().keys()) expect(examples.filter(([name]) => name.startsWith(`${key} `)).length).toBeGreaterThan(1);
  });

  test.each(examples)('%s validates against its schema', (_name, schema, value, isRequestBody) => {
    expect(value).toBeDefined();
    const validate = validatorFor(schema);
    expect({ valid: validate(value), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    // JSON request bodies also pass the draft-04 model itself, as API Gateway would check them.
    if (isRequestBody) {
      const model = draft04.compile(templateModel((schema.$ref as string).replace('#/components/schemas/', '')));
      expect({ valid: model(value), errors: model.errors ?? null }).toEqual({ valid: true, errors: null });
    }
  });

  // The mapping templates refuse what no model can (an account listed twice, a CSV line) by naming
  // the execution so that Step Functions refuses it: a request example must render a valid name.
  /** The StartExecution request the operation's template for `type` renders, with the parameter examples. */
  const startExecution = (key: string, type: string, value: unknown) => {
    const params = { path: {} as Record<string, string>, querystring: {} as Record<string, string>, header: {} as Record<string, string> };
    for (const p of documentedOperations().get(key)!.parameters ?? [])
      params[p.in === 'query' ? 'querystring' : (p.in as 'path' | 'header')][p.name] = String(p.example);
    const { output } = renderMappingTemplate(apiMethod(key).integration.requestTemplates[type], {
      body: typeof value === 'string' ? value : JSON.stringify(value),
      params,
      context: { requestId: 'c0ffee00-0000-4000-8000-000000000001', stage: 'v1' },
    });
    return JSON.parse(output) as { name: string; input: string };
  };
  const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

  test.each(requestExamples)('%s starts an execution through its request template', (_name, key, type, value) => {
    const request = startExecution(key, type, value);
    expect(request.name).toMatch(EXECUTION_NAME);
    expect(JSON.parse(request.input)).toEqual(expect.any(Object));
  });

  test('a request the template refuses renders a name Step Functions refuses, so the check above can fail', () => {
    expect(
      startExecution('POST /enrollments/batch', 'text/csv', 'Account ID,Email\n222222222222,a@example.com\n222222222222,b@example.com\n').name,
    ).not.toMatch(EXECUTION_NAME);
  });

  test('an example that breaks the model is refused, so the validation above can fail', () => {
    const validate = validatorFor({ $ref: '#/components/schemas/EnrollmentRequest' });
    expect(validate({ accountId: '2222', email: 'workloads-dev@example.com' })).toBe(false);
    expect(
      validatorFor({ $ref: '#/components/schemas/RegionOutcome' })({
        region: 'us-east-1',
        outcome: 'MAYBE',
        relationshipStatus: null,
        memberDetectorId: null,
        error: null,
      }),
    ).toBe(false);
  });
});

test('docs/openapi.json is the generated document (run npm run openapi after changing the API)', () => {
  expect(fs.readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
});

test('converting a draft-04 model keeps its rules and refuses what OpenAPI 3.0 cannot say', () => {
  expect(toOpenApiSchema({ $schema: 'http://json-schema.org/draft-04/schema#', type: ['string', 'null'], maxLength: 3 })).toEqual({
    type: 'string',
    nullable: true,
    maxLength: 3,
  });
  expect(() => toOpenApiSchema({ type: 'object', patternProperties: { '^x': {} } })).toThrow(/patternProperties/);
});
