/**
 * The local API over the app's synthesized template: bodies checked against the template's model
 * (and refused with the template's BAD_REQUEST_BODY response) before Step Functions hears of them.
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

const valid = { accountId: '222222222222', email: 'owner@example.com', regions: ['us-east-1'] };

test.each([
  ['no email', { accountId: '222222222222' }, /email/],
  ['an 11-digit account id', { ...valid, accountId: '22222222222' }, /accountId/],
  ['an account id as a number', { ...valid, accountId: 222222222222 }, /accountId/],
  ['an email without a domain dot', { ...valid, email: 'owner@example' }, /email/],
  ['an email of 65 characters', { ...valid, email: `${'a'.repeat(53)}@example.com` }, /email/],
  ['a region that is not a region name', { ...valid, regions: ['moon-base'] }, /regions/],
  ['a region named twice', { ...valid, regions: ['us-east-1', 'us-east-1'] }, /regions/],
  ['an empty region list', { ...valid, regions: [] }, /regions/],
  ['an invitation message of 1001 characters', { ...valid, invitationMessage: 'x'.repeat(1001) }, /invitationMessage/],
  ['a field the model does not have', { ...valid, admin: true }, /additional/],
  ['an array instead of an object', [valid], /object/],
])('a body with %s is refused with 400, a message naming the problem, and no backend call', async (_label, body, problem) => {
  const response = await t.request('POST', '/enrollments', { body });
  expect(response.status).toBe(400);
  expect(response.json.message).toMatch(/^Invalid request body: \[.+\]$/);
  expect(response.json.message).toMatch(problem);
  expect(t.calls).toEqual([]);
});

test('a body that is not JSON is refused with 400 and no backend call', async () => {
  const response = await t.request('POST', '/enrollments', { rawBody: '{"accountId": ' });
  expect(response.status).toBe(400);
  expect(response.json.message).toMatch(/^Invalid request body/);
  expect(t.calls).toEqual([]);
});

test('an empty body is refused with 400 (the model requires accountId and email)', async () => {
  const response = await t.request('POST', '/enrollments', { rawBody: '' });
  expect(response.status).toBe(400);
  expect(t.calls).toEqual([]);
});

test('a valid body with a charset in its Content-Type passes', async () => {
  const response = await t.request('POST', '/enrollments', { body: valid, headers: { 'content-type': 'application/json; charset=utf-8' } });
  expect(response.status).not.toBe(400);
  expect(t.calls.map((c) => c.action)).toEqual(['StartExecution']);
});

test('a body of a content type with no mapping template is refused with 415 (PassthroughBehavior NEVER)', async () => {
  const response = await t.request('POST', '/enrollments', {
    rawBody: 'accountId=222222222222',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(response.status).toBe(415);
  expect(response.json).toEqual({ message: 'Unsupported Media Type' });
  expect(t.calls).toEqual([]);
});

test('a request without a Content-Type is read as application/json', async () => {
  // Bytes, not a string: fetch would label a string text/plain.
  const body = new TextEncoder().encode(JSON.stringify({ accountId: 'x' }));
  const response = await fetch(`${t.api.url}/v1/enrollments`, { method: 'POST', headers: { 'x-api-key': 'test-api-key' }, body });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { message: string }).message).toMatch(/^Invalid request body/);
});

describe('the Signup route', () => {
  const signup = (memberId: string, email: string) =>
    t.request('GET', `/guarddutysignup/MasterDetectorId/d-admin/MemberId/${memberId}/Email/${encodeURIComponent(email)}`);

  test('a valid MemberId and Email start an execution named by the request id, the email URL-decoded', async () => {
    const response = await signup('222222222222', 'owner+gd@example.com');
    const [call] = t.calls;
    expect(call.action).toBe('StartExecution');
    const request = JSON.parse(call.body);
    expect(request.name).toBe(response.headers.get('x-amzn-requestid'));
    expect(JSON.parse(request.input)).toEqual({ accountId: '222222222222', email: 'owner+gd@example.com', requestedBy: expect.stringMatching(/^apiKey:\w+$/) });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ enrollmentId: request.name, status: 'RUNNING', statusUrl: `/v1/enrollments/${request.name}` });
  });

  test.each([
    ['a MemberId of 5 digits', '12345', 'owner@example.com'],
    ['an Email without an @', '222222222222', 'owner.example.com'],
  ])('%s is refused with 400 and the rule, and nothing starts', async (_label, memberId, email) => {
    const response = await signup(memberId, email);
    expect(response.status).toBe(400);
    expect(response.json.message).toMatch(/MemberId must be a 12-digit AWS account id/);
    // The template hands Step Functions a name it refuses; the fake refuses it as Step Functions does.
    expect(t.calls.map((c) => JSON.parse(c.body).name)).toEqual(['invalid MemberId or Email']);
  });
});
