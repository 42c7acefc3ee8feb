/**
 * GET /enrollments/{enrollmentId}: what `lib/api/describe-enrollment.*.vtl` ask Step Functions and
 * answer the caller, for each state an execution can be in.
 */
import { EXECUTION_ARN_PREFIX, renderApp, stepFunctionsError } from './helpers';

const request = { accountId: '222222222222', email: 'owner@example.com', regions: ['us-east-1', 'eu-west-1'] };

/** A DescribeExecution answer as Step Functions gives it (times in epoch seconds). */
function execution(status: string, extra: Record<string, unknown> = {}) {
  return {
    executionArn: `${EXECUTION_ARN_PREFIX}vending-run-42`,
    stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:EnrollmentStateMachine',
    name: 'vending-run-42',
    status,
    startDate: 1767225600.123,
    input: JSON.stringify(request),
    ...extra,
  };
}

function describeAnswer(body: object) {
  const { output } = renderApp('describe-enrollment.response.vtl', { body });
  return JSON.parse(output);
}

const enabled = { region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'd-member-1' };
const failed = {
  region: 'eu-west-1',
  outcome: 'FAILED',
  relationshipStatus: null,
  error: { code: 'MemberRoleNotAssumable', message: 'Role "GuardDutyEnrollmentMember" can\'t be assumed: check its trust \\ ExternalId' },
};

describe('the DescribeExecution request', () => {
  test('names the execution of the enrollment id in the path', () => {
    const { output } = renderApp('describe-enrollment.request.vtl', { path: { enrollmentId: 'vending-run-42' } });
    expect(JSON.parse(output)).toEqual({ executionArn: `${EXECUTION_ARN_PREFIX}vending-run-42` });
  });

  test('an id with quotes or backslashes still makes a valid JSON request', () => {
    const { output } = renderApp('describe-enrollment.request.vtl', { path: { enrollmentId: 'a"b\\c' } });
    expect(JSON.parse(output)).toEqual({ executionArn: `${EXECUTION_ARN_PREFIX}a"b\\c` });
  });

  // Known bug in lib/api/describe-enrollment.request.vtl (reported): escapeJavaScript turns ' into \',
  // which is not JSON, and this template does not undo it; Step Functions then refuses the body and
  // the caller gets 500 instead of 404. Fix: append `.replaceAll("\\'", "'")` as the other templates do.
  // When the template is fixed this test starts failing: drop `.failing`.
  test('an id with a single quote still makes a valid JSON request', () => {
    const { output } = renderApp('describe-enrollment.request.vtl', { path: { enrollmentId: "it's" } });
    expect(JSON.parse(output)).toEqual({ executionArn: `${EXECUTION_ARN_PREFIX}it's` });
  });
});

describe('the answer', () => {
  test('a RUNNING enrollment has its id, account, start time and no regions, stop time or error yet', () => {
    expect(describeAnswer(execution('RUNNING'))).toEqual({
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

  test('who asked is read from the execution input, as the API or the event function wrote it', () => {
    const input = JSON.stringify({ ...request, requestedBy: 'arn:aws:sts::111111111111:assumed-role/Vending/run-42' });
    expect(describeAnswer(execution('RUNNING', { input })).requestedBy).toBe('arn:aws:sts::111111111111:assumed-role/Vending/run-42');
  });

  test('a SUCCEEDED enrollment lists each region outcome from the execution output', () => {
    const output = JSON.stringify({ enrollmentId: 'vending-run-42', accountId: '222222222222', regions: [enabled], anyRegionFailed: false });
    expect(describeAnswer(execution('SUCCEEDED', { stopDate: 1767225660.5, output }))).toEqual({
      enrollmentId: 'vending-run-42',
      accountId: '222222222222',
      requestedBy: null,
      status: 'SUCCEEDED',
      startedAt: 1767225600.123,
      stoppedAt: 1767225660.5,
      regions: [{ region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'd-member-1', error: null }],
      error: null,
    });
  });

  test('a FAILED enrollment with a summary as its cause lists each region, the failed one with its error message intact', () => {
    const cause = JSON.stringify({ enrollmentId: 'vending-run-42', accountId: '222222222222', regions: [enabled, failed], anyRegionFailed: true });
    const answer = describeAnswer(execution('FAILED', { stopDate: 1767225660.5, error: 'EnrollmentFailed', cause }));
    expect(answer.status).toBe('FAILED');
    expect(answer.error).toBeNull();
    expect(answer.regions).toEqual([
      { region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'd-member-1', error: null },
      { region: 'eu-west-1', outcome: 'FAILED', relationshipStatus: null, memberDetectorId: null, error: failed.error },
    ]);
  });

  test('a FAILED enrollment whose cause is plain text reports it as the enrollment error, quotes and all', () => {
    const cause = `The input's "regions" were rejected \\ try again`;
    const answer = describeAnswer(execution('FAILED', { stopDate: 1767225601, error: 'States.Runtime', cause }));
    expect(answer).toMatchObject({ status: 'FAILED', regions: [], error: { code: 'States.Runtime', message: cause } });
  });

  test.each([
    ['ExecutionDoesNotExist', 404, 'No enrollment has this id.'],
    ['InvalidArn', 404, 'No enrollment has this id.'],
    ['ThrottlingException', 429, 'Too many status reads at once; retry after 2 seconds.'],
    ['AccessDeniedException', 500, 'The enrollment could not be read.'],
  ])('Step Functions answering %s gives the caller %d', (type, status, message) => {
    const { output, responseOverride } = renderApp('describe-enrollment.error.vtl', { body: stepFunctionsError(type).body });
    expect(responseOverride.status).toBe(status);
    expect(JSON.parse(output)).toEqual({ message });
  });
});

describe("a failure summary past Step Functions' 32,768-character cause", () => {
  test('arrives cut and is answered 200 with an error saying so, never parsed into a 500', () => {
    const regions = Array.from({ length: 40 }, (_, i) => ({ ...failed, region: `r-${i}`, error: { code: 'AccessDenied', message: 'x'.repeat(2000) } }));
    const cause = JSON.stringify({ enrollmentId: 'vending-run-42', accountId: '222222222222', regions, anyRegionFailed: true }).slice(0, 32_768);
    const answer = describeAnswer(execution('FAILED', { stopDate: 1767225700, error: 'EnrollmentFailed', cause }));
    expect(answer).toMatchObject({ status: 'FAILED', regions: [], error: { code: 'FailureSummaryCut', message: expect.stringContaining('32768 characters') } });
  });
});
