/**
 * GET /guarddutysignup/MasterDetectorId/{MasterDetectorId}/MemberId/{MemberId}/Email/{Email}: the
 * earlier Signup API's route, rendered by `lib/api/signup.*.vtl`.
 */
import { EXECUTION_ARN_PREFIX, STATE_MACHINE_ARN, renderApp, TEMPLATE_REQUESTED_BY } from './helpers';

const REQUEST_ID = 'c0ffee00-0000-4000-8000-000000000002';

function signup(memberId: string, email: string) {
  const { output } = renderApp('signup.request.vtl', {
    path: { MasterDetectorId: 'd-admin', MemberId: memberId, Email: email },
    context: { requestId: REQUEST_ID, httpMethod: 'GET' },
  });
  return output;
}

describe('the StartExecution request', () => {
  test('a valid member starts an execution named by the request id with the account and email as input', () => {
    const request = JSON.parse(signup('222222222222', 'owner@example.com'));
    expect(request).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: REQUEST_ID,
      input: JSON.stringify({ accountId: '222222222222', email: 'owner@example.com', requestedBy: TEMPLATE_REQUESTED_BY }),
    });
  });

  test.each([
    ['a plus sign', 'owner+guardduty@example.com'],
    ['braces, slashes and a backtick', 'a{b}/c`d@example.com'],
    ['dollar and hash signs (not read as VTL)', 'a$b#c@example.com'],
  ])('an email with %s arrives in the input unchanged', (_label, email) => {
    const request = JSON.parse(signup('222222222222', email));
    expect(request.name).toBe(REQUEST_ID);
    expect(JSON.parse(request.input)).toEqual({ accountId: '222222222222', email, requestedBy: TEMPLATE_REQUESTED_BY });
  });

  test.each([
    ['a MemberId of 5 digits', '12345', 'owner@example.com'],
    ['a MemberId with letters', '22222222222a', 'owner@example.com'],
    ['an Email without a domain dot', '222222222222', 'owner@example'],
    ['an Email of 5 characters', '222222222222', 'a@b.c'],
    ['an Email of 65 characters', '222222222222', `${'a'.repeat(53)}@example.com`],
    ['an Email with a double quote', '222222222222', 'a"b@example.com'],
    ['an Email with a single quote', '222222222222', "o'neil@example.com"],
    ['an Email with a backslash', '222222222222', 'a\\b@example.com'],
  ])('%s gets an execution name Step Functions refuses, in a request that is still valid JSON and carries nothing of it', (_label, memberId, email) => {
    const request = JSON.parse(signup(memberId, email));
    expect(request.name).not.toBe(REQUEST_ID);
    expect(request.name).toMatch(/\s/); // whitespace: Step Functions answers InvalidName
    expect(JSON.parse(request.input)).toEqual({});
  });

  test('a MemberId with a quote still makes a valid JSON request', () => {
    expect(() => JSON.parse(signup('22222"222222', 'owner@example.com'))).not.toThrow();
  });
});

describe('the answer', () => {
  test('a started execution answers with its ARN, start date, enrollment id and status URL', () => {
    const body = { executionArn: `${EXECUTION_ARN_PREFIX}${REQUEST_ID}`, startDate: 1767225600.123 };
    const { output } = renderApp('signup.response.vtl', { body, context: { httpMethod: 'GET' } });
    expect(JSON.parse(output)).toEqual({
      executionArn: body.executionArn,
      startDate: 1767225600.123,
      enrollmentId: REQUEST_ID,
      status: 'RUNNING',
      statusUrl: `/v1/enrollments/${REQUEST_ID}`,
    });
  });
});
