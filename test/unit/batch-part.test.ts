import './support/env';
import {
  CreateMembersCommand,
  DeleteMembersCommand,
  GetMembersCommand,
  GuardDutyClient,
  InviteMembersCommand,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import type { Member } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as prepare } from '../../lambda/handlers/prepare-members';
import { handler as verify } from '../../lambda/handlers/verify-members';
import { adminDetectorCache } from '../../lambda/shared/admin-detector';
import type { AccountOutcome, BatchPartInput, PartVerification, RegionState } from '../../contract/workflow-types';
import { ADMIN, DEFAULT_MESSAGE, REGION } from './support/env';
import { ADMIN_DETECTOR, badRequest, member, thrown } from './support/fixtures';

const gd = mockClient(GuardDutyClient);

/** `count` distinct accounts from 300000000000 on. */
function accounts(count: number): { accountId: string; email: string }[] {
  return Array.from({ length: count }, (_, i) => ({ accountId: String(300000000000 + i), email: `root+${i}@example.com` }));
}

function part(list = accounts(3), overrides: Partial<BatchPartInput> = {}): BatchPartInput {
  return { batchId: 'batch-1', region: REGION, part: `${REGION}-0`, accounts: list, invitationMessage: null, ...overrides };
}

/** GetMembers answers with these members (by account id), whatever ids were asked for. */
function membersAre(members: Record<string, string | Partial<Member>>): void {
  gd.on(GetMembersCommand).callsFake((input: { AccountIds: string[] }) => ({
    Members: input.AccountIds.filter((id) => members[id] !== undefined).map((id) => {
      const value = members[id];
      return member(typeof value === 'string' ? value : 'Created', { AccountId: id, ...(typeof value === 'string' ? {} : value) });
    }),
    UnprocessedAccounts: input.AccountIds.filter((id) => members[id] === undefined).map((id) => ({
      AccountId: id,
      Result: 'The request is rejected because the given account ID is not an associated member of account the current account.',
    })),
  }));
}

function state(accountId: string, overrides: Partial<RegionState> = {}): RegionState {
  return {
    enrollmentId: 'batch-1',
    region: REGION,
    accountId,
    adminDetectorId: ADMIN_DETECTOR,
    relationshipStatus: 'Invited',
    memberDetectorId: 'memberdet',
    ...overrides,
  };
}

function verification(checking: (RegionState | AccountOutcome)[], overrides: Partial<PartVerification> = {}): PartVerification {
  return { batchId: 'batch-1', region: REGION, part: `${REGION}-0`, attempt: 0, maxAttempts: 3, finished: [], checking, ...overrides };
}

beforeEach(() => {
  gd.reset();
  adminDetectorCache.clear();
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: [ADMIN_DETECTOR] });
  gd.on(CreateMembersCommand).resolves({ UnprocessedAccounts: [] });
  gd.on(InviteMembersCommand).resolves({ UnprocessedAccounts: [] });
  gd.on(DeleteMembersCommand).resolves({ UnprocessedAccounts: [] });
});

describe('PrepareMembers', () => {
  it('makes 100 new accounts members and invites them with two calls of at most 50 accounts per operation', async () => {
    membersAre({});
    const list = accounts(100);
    const prepared = await prepare(part(list));
    expect(gd.commandCalls(GetMembersCommand).map((c) => c.args[0].input.AccountIds!.length)).toEqual([50, 50]);
    expect(gd.commandCalls(CreateMembersCommand).map((c) => c.args[0].input.AccountDetails!.length)).toEqual([50, 50]);
    expect(gd.commandCalls(InviteMembersCommand).map((c) => c.args[0].input.AccountIds!.length)).toEqual([50, 50]);
    expect(gd.commandCalls(CreateMembersCommand)[0]!.args[0].input.AccountDetails![0]).toEqual({ AccountId: list[0].accountId, Email: list[0].email });
    expect(gd.commandCalls(InviteMembersCommand)[0]!.args[0].input).toMatchObject({
      DetectorId: ADMIN_DETECTOR,
      DisableEmailNotification: true,
      Message: DEFAULT_MESSAGE,
    });
    expect(prepared.outcomes).toEqual([]);
    expect(prepared.invitations).toHaveLength(100);
    expect(prepared.invitations[0]).toEqual({
      enrollmentId: 'batch-1',
      region: REGION,
      accountId: list[0].accountId,
      adminDetectorId: ADMIN_DETECTOR,
      relationshipStatus: 'Invited',
      memberDetectorId: null,
      protectionPlans: null,
    });
  });

  it('finishes an Enabled member with no mutating call, and invites only the accounts that need it', async () => {
    const [enabled, invited, fresh] = accounts(3);
    membersAre({ [enabled.accountId]: 'Enabled', [invited.accountId]: 'Invited' });
    const prepared = await prepare(part([enabled, invited, fresh]));
    expect(prepared.outcomes).toEqual([
      { accountId: enabled.accountId, outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'memberdetector0001', error: null },
    ]);
    expect(prepared.invitations.map((s) => [s.accountId, s.relationshipStatus])).toEqual([
      [invited.accountId, 'Invited'],
      [fresh.accountId, 'Invited'],
    ]);
    expect(gd.commandCalls(CreateMembersCommand)[0]!.args[0].input.AccountDetails).toEqual([{ AccountId: fresh.accountId, Email: fresh.email }]);
    expect(gd.commandCalls(InviteMembersCommand)[0]!.args[0].input.AccountIds).toEqual([fresh.accountId]);
  });

  it('fails an invalid, a repeated and the administrator account alone, with the single enrollment error names', async () => {
    membersAre({});
    const [good] = accounts(1);
    const prepared = await prepare(part([good, { accountId: '12345', email: 'a@example.com' }, good, { accountId: ADMIN, email: 'sec@example.com' }]));
    expect(prepared.outcomes.map((o) => [o.accountId, o.error?.code])).toEqual([
      ['12345', 'InvalidEnrollmentRequest'],
      [good.accountId, 'InvalidEnrollmentRequest'],
      [ADMIN, 'InvalidEnrollmentRequest'],
    ]);
    expect(prepared.outcomes[1].error?.message).toContain('more than once');
    expect(prepared.invitations.map((s) => s.accountId)).toEqual([good.accountId]);
  });

  it("reports an account GuardDuty did not process as that account's failure (UnprocessedAccounts)", async () => {
    membersAre({});
    const [a, b] = accounts(2);
    gd.on(CreateMembersCommand).resolves({
      UnprocessedAccounts: [
        {
          AccountId: b.accountId,
          Result:
            'The request is rejected because the current account cannot create members since it is already an associated member of another master account.',
        },
      ],
    });
    const prepared = await prepare(part([a, b]));
    expect(prepared.outcomes).toEqual([
      expect.objectContaining({ accountId: b.accountId, outcome: 'FAILED', error: expect.objectContaining({ code: 'AdministratorNotEligible' }) }),
    ]);
    expect(prepared.invitations.map((s) => s.accountId)).toEqual([a.accountId]);
  });

  it('re-creates a member whose email failed verification when the batch brings another email, in one DeleteMembers and one CreateMembers', async () => {
    const [a, b] = accounts(2);
    membersAre({
      [a.accountId]: { RelationshipStatus: 'EmailVerificationFailed', Email: 'old@example.com' },
      [b.accountId]: { RelationshipStatus: 'EmailVerificationFailed', Email: b.email },
    });
    const prepared = await prepare(part([a, b]));
    expect(gd.commandCalls(DeleteMembersCommand)[0]!.args[0].input.AccountIds).toEqual([a.accountId]);
    expect(gd.commandCalls(CreateMembersCommand)[0]!.args[0].input.AccountDetails).toEqual([{ AccountId: a.accountId, Email: a.email }]);
    expect(prepared.outcomes).toEqual([
      expect.objectContaining({ accountId: b.accountId, error: expect.objectContaining({ code: 'EmailVerificationFailed' }) }),
    ]);
  });

  it('throws what stops the whole part (throttling) so the state machine retries the step', async () => {
    gd.on(GetMembersCommand).rejects(Object.assign(badRequest('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }));
    const error = await thrown(() => prepare(part()));
    expect(error.name).toBe('Throttled');
    expect(error.message).toContain('300000000000 and 2 more');
  });
});

describe('VerifyMembers', () => {
  it('finishes Enabled members and hands back pending ones for another check, with one GetMembers per 50 accounts', async () => {
    const ids = accounts(60).map((a) => a.accountId);
    membersAre(Object.fromEntries(ids.map((id, i) => [id, i < 59 ? 'Enabled' : 'Invited'])));
    const result = await verify(verification(ids.map((id) => state(id))));
    expect(gd.commandCalls(GetMembersCommand).map((c) => c.args[0].input.AccountIds!.length)).toEqual([50, 10]);
    expect(result).toMatchObject({ attempt: 1, enabled: 59, failed: 0 });
    expect(result.pending.map((s) => s.accountId)).toEqual([ids[59]]);
  });

  it('at the last check a membership still pending fails with the MembershipPending message', async () => {
    membersAre({ '300000000000': 'Invited' });
    const result = await verify(verification([state('300000000000')], { attempt: 2, maxAttempts: 3 }));
    expect(result.pending).toEqual([]);
    expect(result.finished).toEqual([
      expect.objectContaining({
        accountId: '300000000000',
        outcome: 'FAILED',
        relationshipStatus: 'Invited',
        error: expect.objectContaining({ code: 'MembershipPending' }),
      }),
    ]);
    expect(result).toMatchObject({ attempt: 3, enabled: 0, failed: 1 });
  });

  it('keeps the finished outcomes and member-side failures, reading GuardDuty only for the accounts still to check', async () => {
    membersAre({ '300000000001': 'Enabled' });
    const roleFailure: AccountOutcome = {
      accountId: '300000000002',
      outcome: 'FAILED',
      relationshipStatus: 'Invited',
      memberDetectorId: null,
      error: { code: 'MemberRoleNotAssumable', message: 'no role' },
    };
    const already: AccountOutcome = { accountId: '300000000003', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'd', error: null };
    const result = await verify(
      verification([state('300000000001'), { ...roleFailure, adminDetectorId: ADMIN_DETECTOR } as AccountOutcome], { finished: [already] }),
    );
    expect(gd.commandCalls(GetMembersCommand)[0]!.args[0].input.AccountIds).toEqual(['300000000001']);
    expect(result.finished).toEqual([already, roleFailure, expect.objectContaining({ accountId: '300000000001', outcome: 'ENABLED' })]);
    expect(result).toMatchObject({ enabled: 2, failed: 1 });
  });

  it('turns an invitation that never showed while the email was being verified into EmailVerificationFailed when GuardDuty says so', async () => {
    membersAre({ '300000000004': 'EmailVerificationFailed', '300000000005': 'EmailVerificationInProgress' });
    const invisible = (accountId: string): AccountOutcome => ({
      accountId,
      outcome: 'FAILED',
      relationshipStatus: 'EmailVerificationInProgress',
      memberDetectorId: null,
      error: { code: 'InvitationNotYetVisible', message: 'not visible' },
    });
    const result = await verify(verification([invisible('300000000004'), invisible('300000000005')]));
    // No state told the administrator's detector id: it was looked up, not sent empty.
    expect(gd.commandCalls(GetMembersCommand)[0]!.args[0].input.DetectorId).toBe(ADMIN_DETECTOR);
    expect(result.finished.map((o) => [o.accountId, o.error?.code])).toEqual([
      ['300000000004', 'EmailVerificationFailed'],
      ['300000000005', 'InvitationNotYetVisible'],
    ]);
  });

  it('makes no call when nothing is left to check', async () => {
    const result = await verify(
      verification([], { finished: [{ accountId: '300000000003', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'd', error: null }] }),
    );
    expect(gd.calls()).toHaveLength(0);
    expect(result).toMatchObject({ attempt: 1, enabled: 1, failed: 0, pending: [] });
  });
});

describe('the size of what a part hands on', () => {
  it("keeps 100 accounts that fail verification with its longest message far below Step Functions' 256 KiB", async () => {
    const ids = accounts(100).map((a) => a.accountId);
    membersAre(Object.fromEntries(ids.map((id) => [id, { RelationshipStatus: 'EmailVerificationInProgress', DetectorId: 'd'.repeat(32) }])));
    const result = await verify(
      verification(
        ids.map((id) => state(id, { memberDetectorId: 'd'.repeat(32) })),
        { attempt: 2, maxAttempts: 3 },
      ),
    );
    expect(result.failed).toBe(100);
    const size = Buffer.byteLength(
      JSON.stringify({
        batchId: 'b'.repeat(40),
        region: REGION,
        part: `${REGION}-99`,
        enabled: result.enabled,
        failed: result.failed,
        accounts: result.finished,
      }),
    );
    expect(size).toBeLessThan((256 * 1024) / 4);
  });
});
