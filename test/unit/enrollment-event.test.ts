/** Reading enrollment events: the API's request rules, and the Control Tower lifecycle event. */
import * as fc from 'fast-check';
import { UnusableEventError, readEnrollmentEvent } from '../../lambda/shared/enrollment-event';
import { enrollmentRequestProblem } from '../../lambda/shared/validation';
import { BROKEN_BODIES, validRequestArb } from '../reliability/fuzz-arbitraries';
import { validEnrollmentRequest } from '../reliability/request-rules';
import { controlTowerEvent, enrollEvent } from './support/events';
import { DeadLetterCodes } from '../../contract/enrollment-events';

function rejection(event: unknown): UnusableEventError {
  try {
    readEnrollmentEvent(event);
  } catch (error) {
    if (error instanceof UnusableEventError) return error;
    throw error;
  }
  throw new Error('the event was accepted');
}

describe('the detail of an enrollment event follows the API request rules', () => {
  test('every request the API accepts is accepted', () => {
    fc.assert(
      fc.property(validRequestArb(), (body) => enrollmentRequestProblem(body) === undefined),
      { numRuns: 300 },
    );
  });

  test.each(Object.entries(BROKEN_BODIES))('%s: refused exactly when the API refuses it', (_kind, broken) => {
    fc.assert(
      fc.property(broken, ({ text }) => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return true; // EventBridge refuses a detail that is not JSON (MalformedDetail): it never reaches us.
        }
        return (enrollmentRequestProblem(body) === undefined) === validEnrollmentRequest(body);
      }),
      { numRuns: 150 },
    );
  });

  test('the reason names the broken field and never the email', () => {
    const email = 'jane.doe@example.com';
    expect(rejection(enrollEvent({ accountId: '12345', email })).message).toMatch(/accountId must be a 12-digit/);
    expect(rejection(enrollEvent({ accountId: '222222222222' })).message).toMatch(/email is missing/);
    expect(rejection(enrollEvent({ accountId: '222222222222', email, regoins: ['us-east-1'] })).message).toMatch(/unknown field\(s\) regoins/);
    const badEmail = rejection(enrollEvent({ accountId: '222222222222', email: 'jane doe@example.com' }));
    expect(badEmail).toMatchObject({ code: DeadLetterCodes.InvalidEnrollmentRequest });
    expect(badEmail.message).toMatch(/j\*\*\*@example.com is not valid for GuardDuty/);
    expect(badEmail.message).not.toContain('jane');
  });
});

describe('enrollment events', () => {
  test('a valid event gives the execution input POST /enrollments builds, named by the event id', () => {
    const event = enrollEvent({ invitationMessage: 'hi', regions: ['eu-west-1'], email: 'a.b@example.com', accountId: '222222222222' });
    expect(readEnrollmentEvent(event)).toEqual({
      kind: 'request',
      eventId: event.id,
      request: { accountId: '222222222222', email: 'a.b@example.com', regions: ['eu-west-1'], invitationMessage: 'hi' },
    });
    // Field order is fixed, so duplicate deliveries give byte-identical inputs.
    expect(Object.keys((readEnrollmentEvent(event) as { request: object }).request)).toEqual(['accountId', 'email', 'regions', 'invitationMessage']);
  });

  test('an event may carry protectionPlans, checked with the API rules: AI_ANALYST and both runtime features are refused by name', () => {
    const plans = { S3_DATA_EVENTS: 'DISABLED', RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { EC2_AGENT_MANAGEMENT: 'ENABLED' } } };
    const event = enrollEvent({ accountId: '222222222222', email: 'a.b@example.com', protectionPlans: plans });
    expect(readEnrollmentEvent(event)).toMatchObject({ kind: 'request', request: { protectionPlans: plans } });
    const analyst = rejection(enrollEvent({ accountId: '222222222222', email: 'a.b@example.com', protectionPlans: { AI_ANALYST: 'ENABLED' } }));
    expect(analyst).toMatchObject({ code: DeadLetterCodes.InvalidEnrollmentRequest, message: expect.stringContaining('protectionPlans.AI_ANALYST') });
    const both = rejection(
      enrollEvent({
        accountId: '222222222222',
        email: 'a.b@example.com',
        protectionPlans: { RUNTIME_MONITORING: 'ENABLED', EKS_RUNTIME_MONITORING: 'DISABLED' },
      }),
    );
    expect(both.message).toMatch(/EKS_RUNTIME_MONITORING and RUNTIME_MONITORING cannot both be set/);
  });

  test.each([
    ['an unknown source', { source: 'com.example.other' }],
    ['an unknown detail-type', { 'detail-type': 'Offboard Account' }],
    ['a detail that is not an object', { detail: 'enroll 222222222222' }],
    ['an id that cannot name an execution', { id: 'has spaces and / slashes' }],
  ])('%s is an UnrecognizedEvent', (_label, overrides) => {
    expect(rejection({ ...enrollEvent({ accountId: '222222222222', email: 'a.b@example.com' }), ...overrides }).code).toBe(DeadLetterCodes.UnrecognizedEvent);
  });
});

describe('Control Tower CreateManagedAccount events', () => {
  test('a SUCCEEDED event gives the new account id', () => {
    const event = controlTowerEvent('555555555555');
    expect(readEnrollmentEvent(event)).toEqual({ kind: 'controlTower', eventId: event.id, accountId: '555555555555' });
  });

  test.each([
    ['a FAILED account creation', controlTowerEvent('555555555555', 'FAILED'), /state is 'FAILED'/],
    ['another Control Tower event', { ...controlTowerEvent('555555555555'), detail: { eventName: 'UpdateManagedAccount' } }, /is not CreateManagedAccount/],
    ['no account id', controlTowerEvent('5555'), /no 12-digit/],
  ])('%s is an UnrecognizedEvent', (_label, event, message) => {
    const error = rejection(event);
    expect(error.code).toBe(DeadLetterCodes.UnrecognizedEvent);
    expect(error.message).toMatch(message);
  });
});
