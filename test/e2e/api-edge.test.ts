/** End to end: what the API refuses, and that a refusal never starts an enrollment. */
import { startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { LocalClient } from './local-client';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack({ retryDelayMs: 100, lambdaLogLevel: 'ERROR' });
  client = new LocalClient(stack);
});
afterAll(() => stack.close());

const valid = { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1'] };

test.each([
  ['no key', null],
  ['a wrong key', 'not-the-key'],
])('a request with %s is refused with 403 and starts nothing', async (_label, apiKey) => {
  for (const [method, path] of [
    ['POST', '/enrollments'],
    ['GET', '/enrollments/some-id'],
    ['GET', '/guarddutysignup/MasterDetectorId/d/MemberId/222222222222/Email/a@example.com'],
  ]) {
    const response = await client.request(method, path, { body: method === 'POST' ? valid : undefined, apiKey });
    expect(response.status).toBe(403);
    expect(response.json.message).toEqual(expect.any(String));
  }
  expect(stack.stepFunctions.executionCount).toBe(0);
});

test.each([
  ['a missing email', { accountId: '222222222222' }],
  ['an 11-digit account id', { ...valid, accountId: '22222222222' }],
  ['an account id as a number', { ...valid, accountId: 222222222222 }],
  ['an email without a domain dot', { ...valid, email: 'a@example' }],
  ['an email with a space', { ...valid, email: 'a b@example.com' }],
  ['an email of 65 characters', { ...valid, email: `${'a'.repeat(53)}@example.com` }],
  ['an unknown region name', { ...valid, regions: ['moon-base-1'] }],
  ['a repeated region', { ...valid, regions: ['us-east-1', 'us-east-1'] }],
  ['an empty region list', { ...valid, regions: [] }],
  ['41 regions', { ...valid, regions: Array.from({ length: 41 }, (_, i) => `us-east-${i + 1}`) }],
  ['an invitation message of 1001 characters', { ...valid, invitationMessage: 'x'.repeat(1001) }],
  ['an extra field', { ...valid, admin: true }],
])('a body with %s is refused with 400 and a message, and starts nothing', async (_label, body) => {
  const response = await client.enroll(body);
  expect(response.status).toBe(400);
  expect(response.json.message).toMatch(/Invalid request body/);
  expect(stack.stepFunctions.executionCount).toBe(0);
});

test('a body that is not JSON is refused with 400 and starts nothing', async () => {
  const response = await client.request('POST', '/enrollments', { rawBody: '{"accountId": ' });
  expect(response.status).toBe(400);
  expect(stack.stepFunctions.executionCount).toBe(0);
});

test('an Idempotency-Key that cannot name an enrollment is refused with 400 explaining the rule', async () => {
  const response = await client.enroll(valid, { 'Idempotency-Key': 'has spaces and / slashes' });
  expect(response.status).toBe(400);
  expect(response.json.message).toMatch(/Idempotency-Key must be 1 to 80 letters/);
  expect(stack.stepFunctions.executionCount).toBe(0);
});

test('the Signup route refuses a member id that is not 12 digits with 400 and starts nothing', async () => {
  const response = await client.request('GET', '/guarddutysignup/MasterDetectorId/d/MemberId/12345/Email/a@example.com');
  expect(response.status).toBe(400);
  expect(response.json.message).toMatch(/MemberId must be a 12-digit/);
  expect(stack.stepFunctions.executionCount).toBe(0);
});

test('an unknown enrollment id answers 404', async () => {
  const response = await client.request('GET', '/enrollments/no-such-enrollment');
  expect(response.status).toBe(404);
  expect(response.json).toEqual({ message: 'No enrollment has this id.' });
});

describe('a well-formed region name where GuardDuty does not run (us-east-9)', () => {
  const named = /region 'us-east-9' is not a region where GuardDuty runs/;

  test('POST /enrollments refuses it with 400 naming it, and starts nothing', async () => {
    const response = await client.enroll({ ...valid, regions: ['us-east-1', 'us-east-9'] });
    expect(response.status).toBe(400);
    expect(response.json.message).toContain('"us-east-9"');
    expect(response.json.message).toMatch(/not found in enum/);
    expect(stack.stepFunctions.executionCount).toBe(0);
  });

  test('a JSON batch refuses it with 400 naming it', async () => {
    const response = await client.batch({ accounts: [{ accountId: valid.accountId, email: valid.email }], regions: ['us-east-9'] });
    expect(response.status).toBe(400);
    expect(response.json.message).toContain('"us-east-9"');
    expect(stack.stepFunctions.executionCount).toBe(0);
  });

  test('a CSV batch (?regions=) refuses it with 400 naming it', async () => {
    const response = await client.batch(`Account ID,Email\n${valid.accountId},${valid.email}\n`, { query: 'regions=us-east-1,us-east-9' });
    expect(response.status).toBe(400);
    expect(response.json.message).toMatch(named);
    expect(stack.stepFunctions.executionCount).toBe(0);
  });

  test('an offboarding (?regions=) refuses it with 400 naming it', async () => {
    const response = await client.request('DELETE', '/enrollments/222222222222?regions=us-east-9');
    expect(response.status).toBe(400);
    expect(response.json.message).toMatch(named);
    expect(stack.stepFunctions.executionCount).toBe(0);
  });

  test('an offboarding with a malformed region still gets the general rule', async () => {
    const response = await client.request('DELETE', '/enrollments/222222222222?regions=moon_base');
    expect(response.status).toBe(400);
    expect(response.json.message).toMatch(/Offboarding needs a 12-digit account id/);
  });
});
