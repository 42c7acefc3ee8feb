/**
 * The local API over the app's synthesized template: what reaches Step Functions (through a fake
 * `callAws`), how its answers become the caller's, and the access log.
 */
import { API_KEY, startTestApi, stepFunctionsError } from './helpers';
import type { TestApi } from './helpers';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.api.close());
beforeEach(() => {
  t.calls.length = 0;
  t.accessLog.length = 0;
  t.executionErrors.length = 0;
  t.answer((call) => ({
    statusCode: 200,
    body: JSON.stringify({
      executionArn: `arn:aws:states:us-east-1:111111111111:execution:WorkflowStateMachine8F1B1C15:${JSON.parse(call.body).name}`,
      startDate: 1767225600.123,
    }),
  }));
});

const valid = { accountId: '222222222222', email: 'owner@example.com', regions: ['us-east-1', 'eu-west-1'] };
/** The state machine's ARN as the template names it (its logical id stands for its name locally). */
const stateMachineArn = 'arn:aws:states:us-east-1:111111111111:stateMachine:WorkflowStateMachine8F1B1C15';

describe('POST /enrollments', () => {
  test('a valid request reaches Step Functions as StartExecution of the template state machine, named by the Idempotency-Key, with the body as input', async () => {
    await t.request('POST', '/enrollments', { body: valid, headers: { 'Idempotency-Key': 'vending-run-42' } });
    expect(t.calls).toHaveLength(1);
    const [call] = t.calls;
    expect([call.service, call.action]).toEqual(['states', 'StartExecution']);
    const request = JSON.parse(call.body);
    expect(request).toEqual({ stateMachineArn, name: 'vending-run-42', input: expect.any(String) });
    // Who asked comes from $context: with the key alone, the key's id (never its value).
    expect(JSON.parse(request.input)).toEqual({ ...valid, requestedBy: expect.stringMatching(/^apiKey:\w+$/) });
    expect(request.input).not.toContain(API_KEY);
  });

  test('without an Idempotency-Key the execution is named by the request id the caller gets back', async () => {
    const response = await t.request('POST', '/enrollments', { body: valid });
    expect(JSON.parse(t.calls[0].body).name).toBe(response.headers.get('x-amzn-requestid'));
  });

  test('a started enrollment answers 202 with its id and status URL', async () => {
    const response = await t.request('POST', '/enrollments', { body: valid, headers: { 'Idempotency-Key': 'vending-run-42' } });
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ enrollmentId: 'vending-run-42', status: 'RUNNING', statusUrl: '/v1/enrollments/vending-run-42' });
  });

  test.each([
    ['ExecutionAlreadyExists', 409, /already exists/],
    ['InvalidName', 400, /Idempotency-Key must be 1 to 80 letters/],
    ['ExecutionLimitExceeded', 429, /retry later/],
  ])('Step Functions answering 400 %s gives the caller %d and a JSON message', async (type, status, message) => {
    t.answer(() => stepFunctionsError(type));
    const response = await t.request('POST', '/enrollments', { body: valid });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json.message).toMatch(message);
  });

  test('Step Functions answering 5xx gives the caller 502', async () => {
    t.answer(() => ({ statusCode: 503, body: '{"__type":"ServiceUnavailable"}' }));
    const response = await t.request('POST', '/enrollments', { body: valid });
    expect(response.status).toBe(502);
    expect(response.json).toEqual({ message: 'Step Functions is unavailable; retry later.' });
  });

  test('a backend that cannot be reached gives 500 Internal server error, and the reason goes to the execution log', async () => {
    t.answer(() => {
      throw new Error('connect ECONNREFUSED');
    });
    const response = await t.request('POST', '/enrollments', { body: valid });
    expect(response.status).toBe(500);
    expect(response.json).toEqual({ message: 'Internal server error' });
    expect(t.executionErrors.join()).toMatch(/ECONNREFUSED/);
  });
});

describe('GET /enrollments/{enrollmentId}', () => {
  const describeAnswer = (name: string) => ({
    executionArn: `arn:aws:states:us-east-1:111111111111:execution:WorkflowStateMachine8F1B1C15:${name}`,
    name,
    status: 'RUNNING',
    startDate: 1767225600.123,
    input: JSON.stringify(valid),
  });

  test('asks DescribeExecution for the execution of that name and answers 200 with its status', async () => {
    t.answer(() => ({ statusCode: 200, body: JSON.stringify(describeAnswer('vending-run-42')) }));
    const response = await t.request('GET', '/enrollments/vending-run-42');
    expect(JSON.parse(t.calls[0].body)).toEqual({
      executionArn: 'arn:aws:states:us-east-1:111111111111:execution:WorkflowStateMachine8F1B1C15:vending-run-42',
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      enrollmentId: 'vending-run-42',
      accountId: '222222222222',
      requestedBy: null,
      status: 'RUNNING',
      startedAt: 1767225600.123,
      stoppedAt: null,
      regions: [],
      error: null,
    });
  });

  test('an id no execution has answers 404', async () => {
    t.answer(() => stepFunctionsError('ExecutionDoesNotExist'));
    const response = await t.request('GET', '/enrollments/nobody');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ message: 'No enrollment has this id.' });
  });

  test('an id with URL-encoded characters reaches Step Functions decoded', async () => {
    t.answer(() => stepFunctionsError('ExecutionDoesNotExist'));
    await t.request('GET', '/enrollments/a%20b');
    expect(JSON.parse(t.calls[0].body).executionArn).toMatch(/:a b$/);
  });
});

describe('the access log', () => {
  test('each request writes one line in the stage format, with the route template and the key id, never the key', async () => {
    t.answer(() => stepFunctionsError('ExecutionDoesNotExist'));
    const response = await t.request('GET', '/enrollments/vending-run-42');
    expect(t.accessLog).toHaveLength(1);
    const entry = JSON.parse(t.accessLog[0]);
    expect(entry).toMatchObject({
      requestId: response.headers.get('x-amzn-requestid'),
      ip: '127.0.0.1',
      apiKeyId: 'EnrollmentApiApiKey774082D5',
      method: 'GET',
      resource: '/enrollments/{enrollmentId}',
      status: '404',
      integrationStatus: '400',
      error: '-',
    });
    expect(entry.requestTime).toMatch(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Number(entry.latencyMs)).toBeGreaterThanOrEqual(0);
    expect(t.accessLog[0]).not.toContain('test-api-key');
  });

  test("a refused request's line carries API Gateway's error message", async () => {
    await t.request('POST', '/enrollments', { body: valid, apiKey: 'wrong' });
    expect(JSON.parse(t.accessLog[0])).toMatchObject({ status: '403', error: 'Forbidden', apiKeyId: '-', integrationStatus: '-' });
  });
});
