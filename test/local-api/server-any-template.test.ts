/**
 * The local API serves whatever a template declares, not only this app's routes: a small
 * hand-written REST API with a MOCK integration, a greedy path, a required query parameter, stage
 * variables, a pass-through AWS integration and a customised DEFAULT_4XX response.
 */
import { startLocalApi, UnsupportedApiError } from '../../local/api-gateway/server';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';
import { startTestApi } from './helpers';
import type { TestApi } from './helpers';

const api = { Ref: 'Api' };
const root = { 'Fn::GetAtt': ['Api', 'RootResourceId'] };

function method(resource: unknown, httpMethod: string, properties: Record<string, unknown>) {
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: { RestApiId: api, ResourceId: resource, HttpMethod: httpMethod, AuthorizationType: 'NONE', ...properties },
  };
}

const mockFor = (requestTemplate: string, responses: unknown[]) => ({
  Type: 'MOCK',
  RequestTemplates: { 'application/json': requestTemplate },
  IntegrationResponses: responses,
});

const TEMPLATE: CfnTemplate = {
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'other' } },
    Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: api, StageName: 'dev', Variables: { greeting: 'hello' } } },
    Items: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: api, ParentId: root, PathPart: 'items' } },
    Item: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: api, ParentId: { Ref: 'Items' }, PathPart: '{id}' } },
    Files: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: api, ParentId: root, PathPart: 'files' } },
    AnyFile: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: api, ParentId: { Ref: 'Files' }, PathPart: '{path+}' } },
    ParamsOnly: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { RestApiId: api, ValidateRequestParameters: true } },
    GetItem: method({ Ref: 'Item' }, 'GET', {
      RequestValidatorId: { Ref: 'ParamsOnly' },
      RequestParameters: { 'method.request.querystring.verbose': true },
      Integration: mockFor(`{"statusCode": #if($input.params('id') == 'missing')404#{else}200#end}`, [
        {
          StatusCode: '200',
          ResponseTemplates: {
            'application/json':
              '{"id": "$input.params(\'id\')", "stage": "$context.stage", "greeting": "$stageVariables.greeting", "path": "$context.resourcePath"}',
          },
        },
        { StatusCode: '404', SelectionPattern: '404', ResponseTemplates: { 'application/json': '{"message": "no such item"}' } },
      ]),
    }),
    PostItem: method({ Ref: 'Items' }, 'POST', {
      Integration: {
        Type: 'AWS',
        Uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage',
        PassthroughBehavior: 'WHEN_NO_MATCH',
        IntegrationResponses: [{ StatusCode: '200' }],
      },
    }),
    AnyFileMethod: method({ Ref: 'AnyFile' }, 'ANY', {
      Integration: mockFor('{"statusCode": 200}', [
        { StatusCode: '200', ResponseTemplates: { 'application/json': '{"path": "$input.params(\'path\')", "method": "$context.httpMethod"}' } },
      ]),
    }),
    Default4xx: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: {
        RestApiId: api,
        ResponseType: 'DEFAULT_4XX',
        ResponseParameters: { 'gatewayresponse.header.X-Gateway': "'local'" },
        ResponseTemplates: { 'application/json': '{"error": $context.error.messageString, "type": "$context.error.responseType"}' },
      },
    },
  },
};

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi(TEMPLATE);
});
afterAll(() => t.api.close());
beforeEach(() => {
  t.calls.length = 0;
});

test('routes are served under the stage the template names', async () => {
  expect(t.api.stageName).toBe('dev');
  const response = await t.request('GET', '/items/42?verbose=1');
  expect(response.status).toBe(200);
  expect(response.json).toEqual({ id: '42', stage: 'dev', greeting: 'hello', path: '/items/{id}' });
});

test('the integration response is chosen by matching its SelectionPattern against the backend status', async () => {
  const response = await t.request('GET', '/items/missing?verbose=1');
  expect(response.status).toBe(404);
  expect(response.json).toEqual({ message: 'no such item' });
});

test('a missing required query parameter gets the customised DEFAULT_4XX response, header included', async () => {
  const response = await t.request('GET', '/items/42');
  expect(response.status).toBe(400);
  expect(response.json).toEqual({ error: 'Missing required request parameters: [verbose]', type: 'BAD_REQUEST_PARAMETERS' });
  expect(response.headers.get('x-gateway')).toBe('local');
});

test('a greedy {path+} resource with ANY takes every method and the rest of the path', async () => {
  const response = await t.request('DELETE', '/files/a/b/c.txt');
  expect(response.json).toEqual({ path: 'a/b/c.txt', method: 'DELETE' });
});

test('an AWS integration without templates passes the body through to the service the Uri names, and its answer back', async () => {
  t.answer(() => ({ statusCode: 200, body: '{"MessageId":"m-1"}' }));
  const response = await t.request('POST', '/items', { rawBody: '{"raw": true}' });
  expect(t.calls).toEqual([{ service: 'sqs', action: 'SendMessage', body: '{"raw": true}' }]);
  expect(response.json).toEqual({ MessageId: 'm-1' });
});

test('a template with an integration the local gateway cannot serve is refused at start, naming the method', async () => {
  const template: CfnTemplate = {
    Resources: {
      ...TEMPLATE.Resources,
      Proxy: method({ Ref: 'Items' }, 'PUT', { Integration: { Type: 'HTTP_PROXY', Uri: 'https://example.com' } }),
    },
  };
  const starting = startLocalApi({
    template,
    resolver: new TemplateResolver(template, { account: '111111111111', region: 'us-east-1' }),
    apiKey: 'k',
    callAws: () => Promise.reject(new Error('unused')),
  });
  await expect(starting).rejects.toThrow(UnsupportedApiError);
  await expect(starting).rejects.toThrow(/Proxy.*HTTP_PROXY/);
});
