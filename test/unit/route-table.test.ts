import type { ApiRoute } from '../../lib/api/route-table';
import { API_ROUTES, methodRequestParameter, routeTableProblems } from '../../lib/api/route-table';

const route = (overrides: Partial<ApiRoute> = {}): ApiRoute => ({
  method: 'GET',
  path: '/things/{thingId}',
  integration: { action: 'DescribeExecution', request: 'r.vtl', response: 's.vtl', successStatus: '200', error: 'e.vtl' },
  operation: { responses: {}, parameters: [{ name: 'thingId', in: 'path', required: true }] },
  ...overrides,
});

test("the API's route table has no problem that would stop the synth", () => {
  expect(routeTableProblems(API_ROUTES)).toEqual([]);
});

test('a route listed twice is refused at synth', () => {
  expect(routeTableProblems([route(), route()])).toEqual(['GET /things/{thingId} is listed twice']);
});

test('a path parameter the operation does not declare, or declares optional, is refused at synth', () => {
  expect(routeTableProblems([route({ operation: { responses: {}, parameters: [] } })])).toEqual([
    'GET /things/{thingId} declares path parameters [] but its path has [thingId]',
  ]);
  expect(routeTableProblems([route({ operation: { responses: {}, parameters: [{ name: 'thingId', in: 'path', required: false }] } })])).toEqual([
    'GET /things/{thingId}: path parameter thingId must be required',
  ]);
});

test('a body model the API does not define is refused at synth', () => {
  expect(routeTableProblems([route({ requestModels: { 'application/json': 'Nope' as never } })])).toEqual(['GET /things/{thingId}: no model Nope']);
});

test("parameters become API Gateway's method request parameters, and a cookie parameter is refused", () => {
  expect(methodRequestParameter({ name: 'regions', in: 'query' })).toBe('method.request.querystring.regions');
  expect(methodRequestParameter({ name: 'Idempotency-Key', in: 'header' })).toBe('method.request.header.Idempotency-Key');
  expect(() => methodRequestParameter({ name: 'session', in: 'cookie' })).toThrow(/no cookie parameter/);
});
