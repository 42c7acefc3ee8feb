import { classifyAwsError, EnrollmentError } from '../../lambda/shared/errors';
import type { CallContext } from '../../lambda/shared/errors';
import { badRequest, guardDutyError, internalError, stsError } from './support/fixtures';

const admin: CallContext = { accountId: '222222222222', region: 'eu-west-1', operation: 'GetMembers', side: 'administrator' };
const member: CallContext = { ...admin, operation: 'ListInvitations', side: 'member' };

describe('classifying AWS errors into the workflow error names', () => {
  it.each([
    ['GuardDuty TooManyRequestsException', () => guardDutyError('TooManyRequestsException', 429), admin, 'Throttled'],
    ['GuardDuty ThrottlingException', () => guardDutyError('ThrottlingException', 400), admin, 'Throttled'],
    ['STS Throttling', () => stsError('Throttling', 400), admin, 'Throttled'],
    ['any 429', () => guardDutyError('SlowDown', 429), admin, 'Throttled'],
    ['InternalServerErrorException', internalError, admin, 'ServiceUnavailable'],
    ['a 503', () => guardDutyError('ServiceUnavailable', 503), admin, 'ServiceUnavailable'],
    ['AccessDeniedException', () => guardDutyError('AccessDeniedException', 403), admin, 'AccessDenied'],
    ['STS AccessDenied', () => stsError('AccessDenied', 403), admin, 'AccessDenied'],
    ['member-side UnrecognizedClientException', () => guardDutyError('UnrecognizedClientException', 403), member, 'RegionNotEnabled'],
    ['member-side InvalidClientTokenId', () => guardDutyError('InvalidClientTokenId', 403), member, 'RegionNotEnabled'],
    ['administrator-side UnrecognizedClientException', () => guardDutyError('UnrecognizedClientException', 403), admin, 'RequestRejected'],
    [
      'BadRequestException',
      () => badRequest('The request is rejected because the input detectorId is not owned by the current account.'),
      admin,
      'RequestRejected',
    ],
    ['a network timeout', () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), admin, 'ServiceUnavailable'],
    ['a refused connection', () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), admin, 'ServiceUnavailable'],
  ])('%s → %s', (_label, make, ctx, expected) => {
    const error = classifyAwsError(make(), ctx);
    expect(error).toBeInstanceOf(EnrollmentError);
    expect(error.name).toBe(expected);
    expect(error.message).toContain(ctx.accountId);
    expect(error.message).toContain(ctx.region);
  });

  it("keeps GuardDuty's own message in RequestRejected", () => {
    const error = classifyAwsError(badRequest('The request is rejected because the current account cannot invite itself.'), admin);
    expect(error.message).toContain('cannot invite itself');
  });

  it('keeps the SDK error as the cause', () => {
    const sdkError = internalError();
    expect((classifyAwsError(sdkError, admin) as EnrollmentError).cause).toBe(sdkError);
  });

  it('passes EnrollmentErrors and programming errors through unchanged', () => {
    const known = new EnrollmentError('MemberNotFound', 'gone');
    const bug = new TypeError('x is undefined');
    expect(classifyAwsError(known, admin)).toBe(known);
    expect(classifyAwsError(bug, admin)).toBe(bug);
  });
});
