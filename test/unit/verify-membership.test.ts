import './support/env';
import { GetMembersCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/handlers/verify-membership';
import { adminDetectorCache } from '../../lambda/shared/admin-detector';
import { MEMBER, REGION } from './support/env';
import { ADMIN_DETECTOR, MEMBER_DETECTOR, badRequest, guardDutyError, internalError, member, regionState, thrown } from './support/fixtures';

const gd = mockClient(GuardDutyClient);

function memberIs(status: string, overrides = {}): void {
  gd.on(GetMembersCommand).resolves({ Members: [member(status, overrides)], UnprocessedAccounts: [] });
}

beforeEach(() => {
  gd.reset();
  adminDetectorCache.clear();
});

describe('VerifyMembership', () => {
  it('reports the region ENABLED with the member detector id from GuardDuty, reading only', async () => {
    memberIs('Enabled');
    const outcome = await handler(regionState({ relationshipStatus: 'Invited', memberDetectorId: 'fromstate' }));
    expect(outcome).toEqual({ region: REGION, outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: MEMBER_DETECTOR, error: null });
    expect(gd.calls()).toHaveLength(1);
    expect(gd.commandCalls(GetMembersCommand)[0]!.args[0].input).toEqual({ DetectorId: ADMIN_DETECTOR, AccountIds: [MEMBER] });
  });

  it("falls back to the state's member detector id when GuardDuty does not report one", async () => {
    memberIs('Enabled', { DetectorId: undefined });
    const outcome = await handler(regionState({ memberDetectorId: 'fromstate' }));
    expect(outcome.memberDetectorId).toBe('fromstate');
  });

  it.each(['Created', 'Invited', 'EmailVerificationInProgress', 'Disabled'])(
    'throws MembershipPending (retried) while the member is %s, naming the status',
    async (status) => {
      memberIs(status);
      const error = await thrown(() => handler(regionState()));
      expect(error.name).toBe('MembershipPending');
      expect(error.message).toContain(`status ${status}`);
      expect(error.message).toContain(MEMBER);
      expect(error.message).toContain(REGION);
    },
  );

  it('stops with EmailVerificationFailed, explaining the root user email', async () => {
    memberIs('EmailVerificationFailed');
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('EmailVerificationFailed');
    expect(error.message).toContain('root user email');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it.each(['Removed', 'Resigned'])('stops with RequestRejected when the member left during enrollment (%s)', async (status) => {
    memberIs(status);
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('RequestRejected');
    expect(error.message).toContain('left');
    expect(error.message).toContain(`status ${status}`);
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it('stops with MemberNotFound when the member is gone', async () => {
    gd.on(GetMembersCommand).resolves({ Members: [], UnprocessedAccounts: [{ AccountId: MEMBER, Result: 'not associated' }] });
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('MemberNotFound');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it('stops with UnknownRelationshipStatus on a status it does not know', async () => {
    memberIs('RegionDisabled');
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('UnknownRelationshipStatus');
    expect(error.message).toContain("'RegionDisabled'");
  });

  it('re-resolves a detector id GuardDuty says is not owned', async () => {
    gd.on(GetMembersCommand, { DetectorId: ADMIN_DETECTOR }).rejects(
      badRequest('The request is rejected because the input detectorId is not owned by the current account.'),
    );
    gd.on(GetMembersCommand, { DetectorId: 'recreateddetector' }).resolves({ Members: [member('Enabled')] });
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['recreateddetector'] });
    const outcome = await handler(regionState());
    expect(outcome.outcome).toBe('ENABLED');
  });

  it.each([
    ['TooManyRequestsException', 'Throttled', () => guardDutyError('TooManyRequestsException', 429)],
    ['InternalServerErrorException', 'ServiceUnavailable', internalError],
    ['a 502', 'ServiceUnavailable', () => guardDutyError('BadGateway', 502)],
  ])('turns %s into %s', async (_label, expected, sdkError) => {
    gd.on(GetMembersCommand).rejects(sdkError());
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe(expected);
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it('rejects a state without an administrator detector id (workflow and handlers disagree)', async () => {
    const error = await thrown(() => handler(regionState({ adminDetectorId: '' })));
    expect(error.name).toBe('InvalidEnrollmentRequest');
    expect(gd.calls()).toHaveLength(0);
  });
});
