import './support/env';
import { DeleteMembersCommand, DisassociateMembersCommand, GetMembersCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/handlers/remove-member';
import { adminDetectorCache } from '../../lambda/shared/admin-detector';
import type { OffboardState } from '../../contract/workflow-types';
import { ADMIN, MEMBER, REGION } from './support/env';
import { ADMIN_DETECTOR, MEMBER_DETECTOR, badRequest, guardDutyError, member, thrown } from './support/fixtures';

const gd = mockClient(GuardDutyClient);
const NOT_A_MEMBER = 'The request is rejected because the given account ID is not a member of the current account.';
const STILL_ASSOCIATED =
  'The request is rejected because the current account cannot delete the specified member account ID because it is still associated to it.';

function offboardState(overrides: Partial<OffboardState> = {}): OffboardState {
  return {
    enrollmentId: 'off-0001',
    region: REGION,
    accountId: MEMBER,
    deleteDetector: false,
    adminDetectorId: null,
    relationshipStatus: null,
    memberDetectorId: null,
    ...overrides,
  };
}

function commands(): string[] {
  return gd.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));
}

beforeEach(() => {
  gd.reset();
  adminDetectorCache.clear();
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: [ADMIN_DETECTOR] });
  gd.on(DisassociateMembersCommand).resolves({ UnprocessedAccounts: [] });
  gd.on(DeleteMembersCommand).resolves({ UnprocessedAccounts: [] });
});

describe('RemoveMember', () => {
  it('disassociates then deletes an Enabled member, and reports the status it had and its detector', async () => {
    gd.on(GetMembersCommand).resolves({ Members: [member('Enabled')], UnprocessedAccounts: [] });
    const state = await handler(offboardState());
    expect(commands()).toEqual(['ListDetectors', 'GetMembers', 'DisassociateMembers', 'DeleteMembers']);
    expect(gd.commandCalls(DisassociateMembersCommand)[0]!.args[0].input).toEqual({ DetectorId: ADMIN_DETECTOR, AccountIds: [MEMBER] });
    expect(gd.commandCalls(DeleteMembersCommand)[0]!.args[0].input).toEqual({ DetectorId: ADMIN_DETECTOR, AccountIds: [MEMBER] });
    expect(state).toEqual(offboardState({ adminDetectorId: ADMIN_DETECTOR, relationshipStatus: 'Enabled', memberDetectorId: MEMBER_DETECTOR }));
  });

  it.each(['Invited', 'EmailVerificationInProgress', 'Disabled', 'SomethingNew'])('disassociates a %s member before deleting it', async (status) => {
    gd.on(GetMembersCommand).resolves({ Members: [member(status)] });
    await handler(offboardState());
    expect(commands()).toEqual(['ListDetectors', 'GetMembers', 'DisassociateMembers', 'DeleteMembers']);
  });

  it.each(['Created', 'Removed', 'Resigned', 'EmailVerificationFailed'])('deletes a %s member without disassociating it', async (status) => {
    gd.on(GetMembersCommand).resolves({ Members: [member(status)] });
    const state = await handler(offboardState());
    expect(commands()).toEqual(['ListDetectors', 'GetMembers', 'DeleteMembers']);
    expect(state.relationshipStatus).toBe(status);
  });

  it('changes nothing for an account that is not a member', async () => {
    gd.on(GetMembersCommand).resolves({ Members: [], UnprocessedAccounts: [{ AccountId: MEMBER, Result: NOT_A_MEMBER }] });
    const state = await handler(offboardState());
    expect(commands()).toEqual(['ListDetectors', 'GetMembers']);
    expect(state).toEqual(offboardState({ adminDetectorId: ADMIN_DETECTOR, relationshipStatus: null, memberDetectorId: null }));
  });

  it('takes a member deleted in between (DeleteMembers: not a member) as done', async () => {
    gd.on(GetMembersCommand).resolves({ Members: [member('Resigned')] });
    gd.on(DeleteMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: MEMBER, Result: NOT_A_MEMBER }] });
    expect((await handler(offboardState())).relationshipStatus).toBe('Resigned');
  });

  it('fails with RequestRejected naming the account and region when DeleteMembers says it is still associated', async () => {
    gd.on(GetMembersCommand).resolves({ Members: [member('Enabled')] });
    gd.on(DeleteMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: MEMBER, Result: STILL_ASSOCIATED }] });
    const error = await thrown(() => handler(offboardState()));
    expect(error.name).toBe('RequestRejected');
    expect(error.message).toContain(`account ${MEMBER} in ${REGION}`);
    expect(error.message).toMatch(/still associated .*offboard again/);
  });

  it('fails with AdminDetectorMissing when the administrator has no detector in the region', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const error = await thrown(() => handler(offboardState()));
    expect(error.name).toBe('AdminDetectorMissing');
    expect(commands()).toEqual(['ListDetectors']);
  });

  it('reports throttling as Throttled, for the state machine to retry', async () => {
    gd.on(GetMembersCommand).rejects(guardDutyError('TooManyRequestsException', 429));
    expect((await thrown(() => handler(offboardState()))).name).toBe('Throttled');
  });

  it('resolves a stale administrator detector id again', async () => {
    gd.on(GetMembersCommand, { DetectorId: 'stale' }).rejects(
      badRequest('The request is rejected because the input detectorId is not owned by the current account.'),
    );
    gd.on(GetMembersCommand, { DetectorId: ADMIN_DETECTOR }).resolves({ Members: [] });
    const state = await handler(offboardState({ adminDetectorId: 'stale' }));
    expect(state.adminDetectorId).toBe(ADMIN_DETECTOR);
  });

  it.each([
    ['the administrator itself', { accountId: ADMIN }, /administrator account itself/],
    ['a short account id', { accountId: '1234' }, /12-digit/],
    ['a bad region', { region: 'Mars' }, /region 'Mars'/],
    ['deleteDetector that is no boolean', { deleteDetector: 'yes' as unknown as boolean }, /deleteDetector must be true or false/],
    // ALLOW_DETECTOR_DELETION is unset here: off, as by default; an execution started around the API is refused too.
    ['deleteDetector=true while detector deletion is off', { deleteDetector: true }, /does not allow deleting member detectors.*allowDetectorDeletion/],
  ])('refuses %s with InvalidEnrollmentRequest and no call', async (_name, overrides, message) => {
    const error = await thrown(() => handler(offboardState(overrides)));
    expect(error.name).toBe('InvalidEnrollmentRequest');
    expect(error.message).toMatch(message);
    expect(gd.calls()).toHaveLength(0);
  });
});
