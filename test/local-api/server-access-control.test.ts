/**
 * The local API over the app's synthesized template: which requests API Gateway turns away before
 * anything reaches Step Functions, and in which order it checks.
 */
import { startTestApi } from './helpers';
import type { TestApi } from './helpers';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.api.close());
beforeEach(() => {
  t.calls.length = 0;
});

const valid = { accountId: '222222222222', email: 'owner@example.com' };
const signupPath = '/guarddutysignup/MasterDetectorId/d-admin/MemberId/222222222222/Email/owner@example.com';

describe('the API key', () => {
  test.each([
    ['POST /enrollments', 'POST', '/enrollments'],
    ['GET /enrollments/{id}', 'GET', '/enrollments/vending-run-42'],
    ['the Signup route', 'GET', signupPath],
  ])('%s without an x-api-key is refused with 403 Forbidden and reaches no backend', async (_label, method, path) => {
    const response = await t.request(method, path, { body: method === 'POST' ? valid : undefined, apiKey: null });
    expect(response.status).toBe(403);
    expect(response.json).toEqual({ message: 'Forbidden' });
    expect(t.calls).toEqual([]);
  });

  test('a wrong x-api-key is refused with 403 Forbidden and reaches no backend', async () => {
    const response = await t.request('POST', '/enrollments', { body: valid, apiKey: 'not-the-key' });
    expect(response.status).toBe(403);
    expect(response.json).toEqual({ message: 'Forbidden' });
    expect(response.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    expect(t.calls).toEqual([]);
  });

  test('the key is checked before the body: an invalid body without a key is 403, not 400', async () => {
    const response = await t.request('POST', '/enrollments', { body: { accountId: 'x' }, apiKey: null });
    expect(response.status).toBe(403);
  });

  test('the right key lets the request through to Step Functions', async () => {
    const response = await t.request('GET', '/enrollments/vending-run-42');
    expect(response.status).toBe(404); // the fake knows no executions
    expect(t.calls.map((c) => `${c.service}:${c.action}`)).toEqual(['states:DescribeExecution']);
  });
});

describe('routing', () => {
  test.each([
    ['an unknown path', 'GET', '/v1/unknown'],
    ['a path outside the stage', 'GET', '/enrollments'],
    ['another stage', 'POST', '/prod/enrollments'],
    ['a method the resource does not have', 'DELETE', '/v1/enrollments'],
    ['a resource without methods', 'GET', '/v1/guarddutysignup'],
    ['one path part too many', 'GET', '/v1/enrollments/a/b'],
  ])('%s answers 403 Missing Authentication Token, as API Gateway does, even with a valid key', async (_label, method, fullPath) => {
    const response = await fetch(`${t.api.url}${fullPath}`, { method, headers: { 'x-api-key': 'test-api-key' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(t.calls).toEqual([]);
  });

  test('an unknown route is refused before the key is looked at (no key: still Missing Authentication Token)', async () => {
    const response = await t.request('GET', '/unknown', { apiKey: null });
    expect(response.status).toBe(403);
    expect(response.json).toEqual({ message: 'Missing Authentication Token' });
  });

  test('every answer carries a fresh request id', async () => {
    const first = await t.request('GET', '/unknown');
    const second = await t.request('GET', '/unknown');
    expect(first.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers.get('x-amzn-requestid')).not.toBe(second.headers.get('x-amzn-requestid'));
  });
});
