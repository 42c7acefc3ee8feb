/**
 * Step Functions' limits on an execution (contract/step-functions-limits.ts): the local runner fails
 * an execution past them as Step Functions does, and the product stays under them.
 */
import { GUARDDUTY_REGIONS } from '../../contract/guardduty-regions';
import { STEP_FUNCTIONS_LIMITS } from '../../contract/step-functions-limits';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';
import { MAX_ERROR_MESSAGE_LENGTH, boundedError } from '../../lambda/shared/error-size';
import { EnrollmentError } from '../../lambda/shared/errors';
import type { RegionOutcome } from '../../contract/workflow-types';
import { GuardDutyMocks, MEMBER_ACCOUNT } from '../helpers/guardduty-mocks';
import { loadLocalWorkflows } from '../helpers/local-workflows';
import type { LocalWorkflows } from '../helpers/local-workflows';

let workflows: LocalWorkflows;
let mocks: GuardDutyMocks | undefined;

beforeAll(() => {
  workflows = loadLocalWorkflows();
});
afterEach(() => mocks?.restore());
afterAll(() => workflows.restoreEnvironment());

const request = { accountId: MEMBER_ACCOUNT, email: 'member@example.com' };

describe('the local runner fails an execution past a limit, as Step Functions does', () => {
  test('a history longer than the event limit: States.Runtime', async () => {
    mocks = new GuardDutyMocks({ 'us-east-1': {} });
    const result = await workflows.enrollment.run({ ...request, regions: ['us-east-1'] }, { name: 'history', retryDelayMs: 0, limits: { historyEvents: 20 } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringContaining('exceeded 20 events') });
  });

  test('a state input or output over the payload limit: States.DataLimitExceeded', async () => {
    mocks = new GuardDutyMocks({ 'us-east-1': {} });
    const result = await workflows.enrollment.run({ ...request, regions: ['us-east-1'] }, { name: 'payload', retryDelayMs: 0, limits: { payloadBytes: 200 } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  test("a Fail state's cause longer than the limit is cut to it", async () => {
    mocks = new GuardDutyMocks({ 'us-east-1': { adminDetector: false } });
    const result = await workflows.enrollment.run(
      { ...request, regions: ['us-east-1'] },
      { name: 'cause', retryDelayMs: 0, limits: { failCauseCharacters: 100 } },
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'EnrollmentFailed' });
    expect(result.cause).toHaveLength(100);
  });
});

describe('the product stays under the limits', () => {
  test('a step error is cut to MAX_ERROR_MESSAGE_LENGTH characters, keeping its start and its advice at the end, and a one-line stack before Lambda reports it', () => {
    const error = boundedError(
      new EnrollmentError(TerminalErrors.AccessDenied, `GuardDuty said: ${'x'.repeat(5000)}; the workflow's role needs guardduty:GetMembers`),
    ) as Error;
    expect(error.message).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
    expect(error.message.startsWith('GuardDuty said: xxx')).toBe(true);
    expect(error.message).toContain('…');
    expect(error.message.endsWith("; the workflow's role needs guardduty:GetMembers")).toBe(true);
    expect(error.stack).toBe(`AccessDenied: ${error.message}`);
    expect(error.name).toBe(TerminalErrors.AccessDenied);
  });

  test("40 failed regions with the longest outcomes stay under the Fail state's cause limit", () => {
    const longestCode = [...Object.values(TerminalErrors), ...Object.values(TransientErrors), 'Lambda.TooManyRequestsException'].sort(
      (a, b) => b.length - a.length,
    )[0];
    const outcome: RegionOutcome = {
      region: 'ap-southeast-7',
      outcome: 'FAILED',
      relationshipStatus: 'EmailVerificationInProgress',
      memberDetectorId: 'd'.repeat(32),
      // Messages are text (ours and GuardDuty's have no quotes); allow for a tenth being characters JSON escapes.
      error: {
        code: longestCode,
        message: `${'"'.repeat(MAX_ERROR_MESSAGE_LENGTH / 10)}${'m'.repeat(MAX_ERROR_MESSAGE_LENGTH - MAX_ERROR_MESSAGE_LENGTH / 10)}`,
      },
    };
    // The Fail state's cause: States.JsonToString of the summary (lib/enrollment-workflow.ts, FailureCause).
    const cause = JSON.stringify({ enrollmentId: 'k'.repeat(80), accountId: MEMBER_ACCOUNT, regions: Array(40).fill(outcome), anyRegionFailed: true });
    expect(cause.length).toBeLessThan(STEP_FUNCTIONS_LIMITS.failCauseCharacters);
  });

  test('an enrollment in every GuardDuty region, all failing, runs under every limit, and its cause is whole JSON', async () => {
    mocks = new GuardDutyMocks(Object.fromEntries(GUARDDUTY_REGIONS.map((region) => [region, { adminDetector: false }])));
    const result = await workflows.enrollment.run({ ...request, regions: [...GUARDDUTY_REGIONS] }, { name: 'every-region', retryDelayMs: 0 });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('EnrollmentFailed');
    expect(JSON.parse(result.cause!).regions).toHaveLength(GUARDDUTY_REGIONS.length);
    expect(result.historyEvents).toBeLessThan(STEP_FUNCTIONS_LIMITS.historyEvents);
  });
});
