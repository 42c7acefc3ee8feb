/**
 * POST /enrollments: what `lib/api/start-enrollment.*.vtl` send to Step Functions and answer the
 * caller, rendered as API Gateway renders them.
 */
import { STATE_MACHINE_ARN, EXECUTION_ARN_PREFIX, renderApp, stepFunctionsError, TEMPLATE_REQUESTED_BY } from './helpers';

const REQUEST_ID = 'c0ffee00-0000-4000-8000-000000000001';
const valid = { accountId: '222222222222', email: 'owner@example.com', regions: ['us-east-1'] };

/** The StartExecution request the POST template renders, parsed. */
function startExecution(body: object, header: Record<string, string> = {}): { stateMachineArn: string; name: string; input: string } {
  const { output } = renderApp('start-enrollment.request.vtl', { body, header, context: { requestId: REQUEST_ID } });
  return JSON.parse(output);
}

describe('the StartExecution request', () => {
  test('names the state machine and carries the body, unchanged, as the execution input, with who asked added', () => {
    const request = startExecution(valid);
    expect(request.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(JSON.parse(request.input)).toEqual({ ...valid, requestedBy: TEMPLATE_REQUESTED_BY });
  });

  test("with IAM authorization, who asked is the caller's ARN", () => {
    const { output } = renderApp('start-enrollment.request.vtl', {
      body: valid,
      context: { identity: { userArn: 'arn:aws:sts::111111111111:assumed-role/Vending/run-42', apiKeyId: 'k' } },
    });
    expect(JSON.parse(JSON.parse(output).input).requestedBy).toBe('arn:aws:sts::111111111111:assumed-role/Vending/run-42');
  });

  test('with an Idempotency-Key, the key is the execution name', () => {
    expect(startExecution(valid, { 'Idempotency-Key': 'vending-run-42' }).name).toBe('vending-run-42');
  });

  test('the Idempotency-Key is found whatever the case of the header name (HTTP/2 sends lower case)', () => {
    expect(startExecution(valid, { 'idempotency-key': 'vending-run-43' }).name).toBe('vending-run-43');
  });

  test('without an Idempotency-Key, the request id is the execution name', () => {
    expect(startExecution(valid).name).toBe(REQUEST_ID);
  });

  test('an Idempotency-Key Step Functions cannot take becomes a name it refuses (so the caller gets 400)', () => {
    const name = startExecution(valid, { 'Idempotency-Key': 'has spaces / and "quotes"' }).name;
    expect(name).not.toContain('quotes');
    expect(name).toMatch(/\s/); // whitespace: Step Functions answers InvalidName
  });

  test.each([
    ['double quotes', 'He said "enroll me"'],
    ['backslashes', 'C:\\path\\to\\nothing \\" \\\\'],
    ['single quotes', "O'Neil's account, 'quoted'"],
    ['plus signs and slashes', 'a+b=c </script> //'],
    ['unicode', 'Grüße, ça va? 日本語 😀'],
    ['control characters', 'line1\nline2\ttab\r\u0001\u001f'],
    ['an escaped-quote look-alike', "\\'"],
  ])('a body whose strings hold %s reaches Step Functions as valid JSON whose input is the body itself', (_label, text) => {
    const body = { ...valid, email: "o'neil+1@example.com", invitationMessage: text };
    const { output } = renderApp('start-enrollment.request.vtl', { body, header: { 'Idempotency-Key': 'k-1' } });
    const request = JSON.parse(output) as { input: string };
    expect(JSON.parse(request.input)).toEqual({ ...body, requestedBy: TEMPLATE_REQUESTED_BY });
  });
});

describe('the answers', () => {
  test('a started execution answers with the enrollment id and where to follow it', () => {
    const body = { executionArn: `${EXECUTION_ARN_PREFIX}vending-run-42`, startDate: 1767225600.123 };
    const { output } = renderApp('start-enrollment.response.vtl', { body });
    expect(JSON.parse(output)).toEqual({ enrollmentId: 'vending-run-42', status: 'RUNNING', statusUrl: '/v1/enrollments/vending-run-42' });
  });

  test.each([
    ['ExecutionAlreadyExists', 409, /already exists/],
    ['InvalidName', 400, /The name is not valid/],
    ['ExecutionLimitExceeded', 429, /retry later/],
    ['ThrottlingException', 429, /retry later/],
    ['StateMachineDoesNotExist', 500, /could not be started/],
  ])('Step Functions answering %s gives the caller %d with a JSON message', (type, status, message) => {
    const { output, responseOverride } = renderApp('start-enrollment.error.vtl', { body: stepFunctionsError(type).body });
    expect(responseOverride.status).toBe(status);
    expect(JSON.parse(output).message).toMatch(message);
  });
});
