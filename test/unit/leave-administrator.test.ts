import './support/env';
import {
  DeleteDetectorCommand,
  DisassociateFromAdministratorAccountCommand,
  GetAdministratorAccountCommand,
  GuardDutyClient,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/handlers/leave-administrator';
import type { OffboardState } from '../../contract/workflow-types';
import { ADMIN, EXTERNAL_ID, MEMBER, OTHER_ADMIN, REGION } from './support/env';
import { ADMIN_DETECTOR, MEMBER_DETECTOR, badRequest, guardDutyError, stsError, thrown } from './support/fixtures';

const gd = mockClient(GuardDutyClient);
const sts = mockClient(STSClient);
const CREDENTIALS = { AccessKeyId: 'ASIAMEMBERKEY0000001', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date('2030-01-01T00:00:00Z') };
const NOT_ASSOCIATED = 'The current account is not associated with a master account.';

function offboardState(overrides: Partial<OffboardState> = {}): OffboardState {
  return {
    enrollmentId: 'off-0001',
    region: REGION,
    accountId: MEMBER,
    deleteDetector: false,
    adminDetectorId: ADMIN_DETECTOR,
    relationshipStatus: 'Enabled',
    memberDetectorId: MEMBER_DETECTOR,
    ...overrides,
  };
}

function commands(): string[] {
  return gd.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));
}

beforeEach(() => {
  gd.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: [MEMBER_DETECTOR] });
  gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: ADMIN, RelationshipStatus: 'Enabled', InvitationId: 'inv-1' } });
  gd.on(DisassociateFromAdministratorAccountCommand).resolves({});
  gd.on(DeleteDetectorCommand).resolves({});
});

describe('LeaveAdministrator', () => {
  it('assumes the member role with the ExternalId, disassociates from our administrator and keeps the detector', async () => {
    const outcome = await handler(offboardState());
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({
      RoleArn: `arn:aws:iam::${MEMBER}:role/GuardDutyEnrollmentMemberRole`,
      ExternalId: EXTERNAL_ID,
      RoleSessionName: 'gde-off-0001',
    });
    expect(commands()).toEqual(['ListDetectors', 'GetAdministratorAccount', 'DisassociateFromAdministratorAccount']);
    expect(gd.commandCalls(DisassociateFromAdministratorAccountCommand)[0]!.args[0].input).toEqual({ DetectorId: MEMBER_DETECTOR });
    expect(outcome).toEqual({ region: REGION, outcome: 'OFFBOARDED', relationshipStatus: 'Enabled', memberDetectorId: MEMBER_DETECTOR, error: null });
  });

  it('with deleteDetector deletes the detector after leaving, and reports none left', async () => {
    const outcome = await handler(offboardState({ deleteDetector: true }));
    expect(commands()).toEqual(['ListDetectors', 'GetAdministratorAccount', 'DisassociateFromAdministratorAccount', 'DeleteDetector']);
    expect(gd.commandCalls(DeleteDetectorCommand)[0]!.args[0].input).toEqual({ DetectorId: MEMBER_DETECTOR });
    expect(outcome.memberDetectorId).toBeNull();
  });

  it('changes nothing when the member has no administrator any more (the administrator side removed it)', async () => {
    gd.on(GetAdministratorAccountCommand).resolves({});
    const outcome = await handler(offboardState());
    expect(commands()).toEqual(['ListDetectors', 'GetAdministratorAccount']);
    expect(outcome.outcome).toBe('OFFBOARDED');
  });

  it('takes "not associated" from DisassociateFromAdministratorAccount as done', async () => {
    gd.on(DisassociateFromAdministratorAccountCommand).rejects(badRequest(NOT_ASSOCIATED));
    expect((await handler(offboardState())).outcome).toBe('OFFBOARDED');
  });

  it('does nothing in an account with no detector, even with deleteDetector', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const outcome = await handler(offboardState({ deleteDetector: true, relationshipStatus: null }));
    expect(commands()).toEqual(['ListDetectors']);
    expect(outcome).toEqual({ region: REGION, outcome: 'OFFBOARDED', relationshipStatus: null, memberDetectorId: null, error: null });
  });

  it('leaves a member of another administrator alone', async () => {
    gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: OTHER_ADMIN, RelationshipStatus: 'Enabled' } });
    const outcome = await handler(offboardState());
    expect(commands()).toEqual(['ListDetectors', 'GetAdministratorAccount']);
    expect(outcome.memberDetectorId).toBe(MEMBER_DETECTOR);
  });

  it("refuses to delete the detector of another administrator's member: MemberOfAnotherAdministrator", async () => {
    gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: OTHER_ADMIN, RelationshipStatus: 'Enabled' } });
    const error = await thrown(() => handler(offboardState({ deleteDetector: true })));
    expect(error.name).toBe('MemberOfAnotherAdministrator');
    expect(error.message).toContain(OTHER_ADMIN);
    expect(error.message).toMatch(/detector was kept/);
    expect(commands()).not.toContain('DeleteDetector');
  });

  it('a member role that cannot be assumed: MemberRoleNotAssumable saying the administrator side is done', async () => {
    sts.on(AssumeRoleCommand).rejects(stsError('AccessDenied', 403, 'not authorized to perform sts:AssumeRole'));
    const error = await thrown(() => handler(offboardState()));
    expect(error.name).toBe('MemberRoleNotAssumable');
    expect(error.message).toMatch(
      new RegExp(
        `^administrator side done \\(account ${MEMBER} was removed from administrator ${ADMIN} in ${REGION}\\); member side not done: cannot assume role`,
      ),
    );
    expect(gd.calls()).toHaveLength(0);
  });

  it('a member role without the offboarding actions: AccessDenied telling to redeploy the member-role stack', async () => {
    gd.on(DisassociateFromAdministratorAccountCommand).rejects(guardDutyError('AccessDeniedException', 403));
    const error = await thrown(() => handler(offboardState()));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toMatch(/guardduty:DisassociateFromAdministratorAccount .*redeploy the member-role stack/);
  });

  it('a region not enabled for the member counts as nothing to leave', async () => {
    gd.on(ListDetectorsCommand).rejects(guardDutyError('UnrecognizedClientException', 403));
    expect(await handler(offboardState())).toMatchObject({ outcome: 'OFFBOARDED', memberDetectorId: null });
  });

  it('keeps throttling transient (retried by the state machine)', async () => {
    gd.on(GetAdministratorAccountCommand).rejects(guardDutyError('TooManyRequestsException', 429));
    expect((await thrown(() => handler(offboardState()))).name).toBe('Throttled');
  });

  it('refuses an invalid state with InvalidEnrollmentRequest and assumes nothing', async () => {
    const error = await thrown(() => handler(offboardState({ accountId: ADMIN })));
    expect(error.name).toBe('InvalidEnrollmentRequest');
    expect(sts.calls()).toHaveLength(0);
  });
});
