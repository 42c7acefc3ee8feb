import './support/env';
import { GuardDutyClient, InviteMembersCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/handlers/invite-member';
import { adminDetectorCache } from '../../lambda/shared/admin-detector';
import { inviteMember } from '../../lambda/shared/admin-side';
import { ADMIN, DEFAULT_MESSAGE, MEMBER, REGION } from './support/env';
import { ADMIN_DETECTOR, badRequest, guardDutyError, internalError, regionState, thrown } from './support/fixtures';

const gd = mockClient(GuardDutyClient);

beforeEach(() => {
  gd.reset();
  adminDetectorCache.clear();
  gd.on(InviteMembersCommand).resolves({ UnprocessedAccounts: [] });
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: [ADMIN_DETECTOR] });
});

describe('InviteMember: statuses that need an invitation', () => {
  it.each(['Created', 'Removed', 'Resigned'])('invites a %s member (no re-create needed) and reports it Invited', async (status) => {
    const state = await handler(regionState({ relationshipStatus: status, invitationMessage: 'Join us' }));

    const invites = gd.commandCalls(InviteMembersCommand);
    expect(invites).toHaveLength(1);
    expect(invites[0]!.args[0].input).toEqual({
      DetectorId: ADMIN_DETECTOR,
      AccountIds: [MEMBER],
      DisableEmailNotification: true,
      Message: 'Join us',
    });
    expect(state).toEqual(regionState({ relationshipStatus: 'Invited', invitationMessage: 'Join us' }));
  });

  it('uses the configured default message when the request had none', async () => {
    await handler(regionState());
    expect(gd.commandCalls(InviteMembersCommand)[0]!.args[0].input.Message).toBe(DEFAULT_MESSAGE);
  });

  it('reports EmailVerificationInProgress when email notification is enabled', async () => {
    const state = await inviteMember(new GuardDutyClient({ region: REGION }), regionState(), {
      adminAccountId: ADMIN,
      disableEmailNotification: false,
      defaultInvitationMessage: DEFAULT_MESSAGE,
    });
    expect(gd.commandCalls(InviteMembersCommand)[0]!.args[0].input.DisableEmailNotification).toBe(false);
    expect(state.relationshipStatus).toBe('EmailVerificationInProgress');
  });

  it('treats "already invited" in UnprocessedAccounts as done', async () => {
    gd.on(InviteMembersCommand).resolves({
      UnprocessedAccounts: [
        {
          AccountId: MEMBER,
          Result: 'The request is rejected because the current account has already invited or is already the GuardDuty master of the given member account ID.',
        },
      ],
    });
    const state = await handler(regionState());
    expect(state.relationshipStatus).toBe('Invited');
  });

  it("stops with RequestRejected keeping GuardDuty's text for any other unprocessed result", async () => {
    const result = "The request is rejected because the member account's email address is missing.";
    gd.on(InviteMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: MEMBER, Result: result }] });
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('RequestRejected');
    expect(error.message).toContain(result);
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });
});

describe('InviteMember: statuses that need nothing', () => {
  it.each(['Invited', 'EmailVerificationInProgress', 'Disabled', 'Enabled'])(
    'sends no invitation to a %s member and passes the state on unchanged',
    async (status) => {
      const input = regionState({ relationshipStatus: status, memberDetectorId: 'memberdetector0001' });
      const state = await handler(input);
      expect(gd.calls()).toHaveLength(0);
      expect(state).toEqual(input);
    },
  );
});

describe('InviteMember: statuses that stop the region', () => {
  it('stops with EmailVerificationFailed, explaining the root user email', async () => {
    const error = await thrown(() => handler(regionState({ relationshipStatus: 'EmailVerificationFailed' })));
    expect(error.name).toBe('EmailVerificationFailed');
    expect(error.message).toContain('root user email');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
    expect(gd.calls()).toHaveLength(0);
  });

  it('stops with UnknownRelationshipStatus on a status it does not know', async () => {
    const error = await thrown(() => handler(regionState({ relationshipStatus: 'AccountSuspended' })));
    expect(error.name).toBe('UnknownRelationshipStatus');
    expect(error.message).toContain('AccountSuspended');
    expect(gd.calls()).toHaveLength(0);
  });

  it('stops with MemberNotFound when no membership was seen before', async () => {
    const error = await thrown(() => handler(regionState({ relationshipStatus: null })));
    expect(error.name).toBe('MemberNotFound');
    expect(error.message).toContain(MEMBER);
    expect(gd.calls()).toHaveLength(0);
  });
});

describe('InviteMember: the administrator detector', () => {
  it('re-resolves a detector id GuardDuty says is not owned, invites with the new one and passes it on', async () => {
    gd.on(InviteMembersCommand, { DetectorId: ADMIN_DETECTOR }).rejects(
      badRequest('The request is rejected because the input detectorId is not owned by the current account.'),
    );
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['recreateddetector'] });
    const state = await handler(regionState());
    expect(gd.commandCalls(InviteMembersCommand).map((c) => c.args[0].input.DetectorId)).toEqual([ADMIN_DETECTOR, 'recreateddetector']);
    expect(state.adminDetectorId).toBe('recreateddetector');
    expect(state.relationshipStatus).toBe('Invited');
  });

  it('stops with AdminDetectorMissing when the re-resolve finds no detector', async () => {
    gd.on(InviteMembersCommand).rejects(badRequest('The request is rejected because the input detectorId is not owned by the current account.'));
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('AdminDetectorMissing');
    expect(error.message).toContain(ADMIN);
    expect(error.message).toContain(REGION);
  });
});

describe('InviteMember: GuardDuty failures', () => {
  it.each([
    ['TooManyRequestsException', 'Throttled', () => guardDutyError('TooManyRequestsException', 429)],
    ['InternalServerErrorException', 'ServiceUnavailable', internalError],
    ['AccessDeniedException', 'AccessDenied', () => guardDutyError('AccessDeniedException', 403)],
    ['another BadRequestException', 'RequestRejected', () => badRequest('The request is rejected because the current account cannot invite itself.')],
  ])('turns %s into %s', async (_label, expected, sdkError) => {
    gd.on(InviteMembersCommand).rejects(sdkError());
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe(expected);
    expect(error.message).toContain('InviteMembers');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it("keeps GuardDuty's message in RequestRejected", async () => {
    gd.on(InviteMembersCommand).rejects(badRequest('The request is rejected because the current account cannot invite itself.'));
    const error = await thrown(() => handler(regionState()));
    expect(error.message).toContain('cannot invite itself');
  });
});
