/**
 * What a GuardDuty caller sees when something is wrong: UnprocessedAccounts (HTTP 200) for
 * per-account problems, BadRequestException with the documented messages otherwise, list limits,
 * pagination, disabled opt-in regions and suspended accounts.
 */
import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  CreateMembersCommand,
  DeleteMembersCommand,
  DisassociateFromAdministratorAccountCommand,
  GetDetectorCommand,
  GetMembersCommand,
  InviteMembersCommand,
  ListDetectorsCommand,
  ListInvitationsCommand,
  ListMembersCommand,
  StopMonitoringMembersCommand,
  paginateListMembers,
} from '@aws-sdk/client-guardduty';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { ADMIN, MEMBER, MEMBER_EMAIL, OTHER_ADMIN, assumeMemberRole, failure, guardDuty, seedAccount, staticCredentials, useSeededEmulator } from './helpers';

const M = {
  alreadyMember: 'The request is rejected because the given account ID is already a member or associated member of the current account.',
  memberOfItself: 'The request is rejected because an account cannot become a member of itself.',
  alreadyInvited: 'The request is rejected because the current account has already invited or is already the GuardDuty master of the given member account ID.',
  notMember: 'The request is rejected because the given account ID is not a member of the current account.',
  stillAssociated: 'The request is rejected because the current account cannot delete the specified member account ID because it is still associated to it.',
  detectorExists: 'The request is rejected because a detector already exists for the current account.',
  notOwned: 'The request is rejected because the input detectorId is not owned by the current account.',
  alreadyMemberOfMaster: 'The current account cannot accept invitations because it is already a member of a master account.',
  hasMembers: 'The current account cannot accept invitations because the account contains created, invited, or associated members.',
  noInvitation: 'The request is rejected because the current account does not have an invitation from the requested master account.',
  notAssociated: 'The current account is not associated with a master account.',
  invalidToken: 'The security token included in the request is invalid.',
  invalidInput: 'The request is rejected because an invalid or out-of-range value is specified as an input parameter.',
  notAssociatedMember: 'The request is rejected because the given account ID is not an associated member of account the current account.',
};

const emulator = useSeededEmulator();
let admin: GuardDutyClient;
let detectorId: string;

beforeEach(async () => {
  admin = guardDuty(emulator.url);
  const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
  detectorId = DetectorIds?.[0] ?? '';
});

function accountIds(count: number, start = 400000000000): string[] {
  return Array.from({ length: count }, (_, index) => String(start + index));
}

async function createMembers(ids: string[]): Promise<void> {
  const details = ids.map((id) => ({ AccountId: id, Email: `${id}@example.com` }));
  const result = await admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: details }));
  expect(result.UnprocessedAccounts).toEqual([]);
}

async function inviteAndAccept(memberClient: GuardDutyClient, memberDetectorId: string | undefined, inviter = admin): Promise<void> {
  const { DetectorIds } = await inviter.send(new ListDetectorsCommand({}));
  await inviter.send(new CreateMembersCommand({ DetectorId: DetectorIds?.[0], AccountDetails: [{ AccountId: MEMBER, Email: MEMBER_EMAIL }] }));
  await inviter.send(new InviteMembersCommand({ DetectorId: DetectorIds?.[0], AccountIds: [MEMBER], DisableEmailNotification: true }));
  const { Invitations } = await memberClient.send(new ListInvitationsCommand({}));
  const inviterId = inviter === admin ? ADMIN : OTHER_ADMIN;
  const invitation = Invitations?.find((inv) => inv.AccountId === inviterId);
  await memberClient.send(
    new AcceptAdministratorInvitationCommand({ DetectorId: memberDetectorId, AdministratorId: inviterId, InvitationId: invitation?.InvitationId }),
  );
}

describe('UnprocessedAccounts (HTTP 200, not exceptions)', () => {
  it('reports an account that is already a member, and the administrator itself, per account', async () => {
    await createMembers([MEMBER]);
    const result = await admin.send(
      new CreateMembersCommand({
        DetectorId: detectorId,
        AccountDetails: [
          { AccountId: MEMBER, Email: MEMBER_EMAIL },
          { AccountId: ADMIN, Email: 'admin@example.com' },
          { AccountId: '444444444444', Email: 'new@example.com' },
        ],
      }),
    );
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.UnprocessedAccounts).toEqual([
      { AccountId: MEMBER, Result: M.alreadyMember },
      { AccountId: ADMIN, Result: M.memberOfItself },
    ]);
    const { Members } = await admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: ['444444444444'] }));
    expect(Members?.[0]?.RelationshipStatus).toBe('Created');
  });

  it('reports a repeated invitation and an account that was never created', async () => {
    await createMembers([MEMBER]);
    await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER], DisableEmailNotification: true }));
    const again = await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER, '555555555555'], DisableEmailNotification: true }));
    expect(again.UnprocessedAccounts).toEqual([
      { AccountId: MEMBER, Result: M.alreadyInvited },
      { AccountId: '555555555555', Result: M.notMember },
    ]);
  });

  it('reports unknown accounts in GetMembers next to the known ones', async () => {
    await createMembers([MEMBER]);
    const result = await admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER, '555555555555'] }));
    expect(result.Members?.map((member) => member.AccountId)).toEqual([MEMBER]);
    expect(result.UnprocessedAccounts).toEqual([{ AccountId: '555555555555', Result: M.notMember }]);
  });

  it('refuses to delete an associated member, and to stop monitoring one that is not associated', async () => {
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: true }));
    await inviteAndAccept(member, DetectorId);
    const deleted = await admin.send(new DeleteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(deleted.UnprocessedAccounts).toEqual([{ AccountId: MEMBER, Result: M.stillAssociated }]);

    await createMembers(['666666666666']);
    const stopped = await admin.send(new StopMonitoringMembersCommand({ DetectorId: detectorId, AccountIds: ['666666666666'] }));
    expect(stopped.UnprocessedAccounts).toEqual([{ AccountId: '666666666666', Result: M.notAssociatedMember }]);
  });
});

describe('limits and pagination', () => {
  it('rejects more than 50 accounts in one call with the length message', async () => {
    const details = accountIds(51).map((id) => ({ AccountId: id, Email: `${id}@example.com` }));
    const tooMany = await failure(admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: details })));
    expect(tooMany).toMatchObject({
      name: 'BadRequestException',
      status: 400,
      message: 'The request failed because the length provided for the accountDetails array was 51. Max allowed length is 50.',
    });
    const getMany = await failure(admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: accountIds(64) })));
    expect(getMany.message).toBe('The request failed because the length provided for the accountIds array was 64. Max allowed length is 50.');
  });

  it('accepts exactly 50 accounts', async () => {
    await createMembers(accountIds(50));
    const { Members } = await admin.send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false' }));
    expect(Members).toHaveLength(50);
  });

  it('pages ListMembers with MaxResults and NextToken, in creation order', async () => {
    const ids = accountIds(7);
    await createMembers(ids);
    const first = await admin.send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false', MaxResults: 3 }));
    expect(first.Members?.map((member) => member.AccountId)).toEqual(ids.slice(0, 3));
    expect(first.NextToken).toBeDefined();
    const seen: string[] = [];
    for await (const page of paginateListMembers({ client: admin, pageSize: 3 }, { DetectorId: detectorId, OnlyAssociated: 'false' })) {
      seen.push(...(page.Members ?? []).map((member) => member.AccountId ?? ''));
    }
    expect(seen).toEqual(ids);
  });

  it('lists only associated members unless OnlyAssociated is "false"', async () => {
    await createMembers(accountIds(2));
    const byDefault = await admin.send(new ListMembersCommand({ DetectorId: detectorId }));
    expect(byDefault.Members).toEqual([]);
    const all = await admin.send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false' }));
    expect(all.Members).toHaveLength(2);
  });

  it('rejects MaxResults outside 1..50 and a NextToken it did not issue', async () => {
    const big = await failure(admin.send(new ListMembersCommand({ DetectorId: detectorId, MaxResults: 51 })));
    expect(big).toMatchObject({ name: 'BadRequestException', message: M.invalidInput });
    const token = await failure(admin.send(new ListMembersCommand({ DetectorId: detectorId, NextToken: 'bogus' })));
    expect(token.name).toBe('BadRequestException');
  });
});

describe('BadRequestException messages', () => {
  it('refuses a second detector in the same account and region', async () => {
    const error = await failure(admin.send(new CreateDetectorCommand({ Enable: true })));
    expect(error).toMatchObject({ name: 'BadRequestException', message: M.detectorExists, status: 400, fault: 'client' });
  });

  it('returns the same detector when CreateDetector is retried with the same ClientToken', async () => {
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const first = await member.send(new CreateDetectorCommand({ Enable: true, ClientToken: 'token-1' }));
    const retry = await member.send(new CreateDetectorCommand({ Enable: true, ClientToken: 'token-1' }));
    expect(retry.DetectorId).toBe(first.DetectorId);
  });

  it("refuses a detector id the caller does not own (unknown, or another account's)", async () => {
    const unknown = await failure(admin.send(new GetDetectorCommand({ DetectorId: 'f'.repeat(32) })));
    expect(unknown).toMatchObject({ name: 'BadRequestException', message: M.notOwned });
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const foreign = await failure(member.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] })));
    expect(foreign).toMatchObject({ name: 'BadRequestException', message: M.notOwned });
  });

  it('refuses an acceptance with a detector the member does not own', async () => {
    await createMembers([MEMBER]);
    await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER], DisableEmailNotification: true }));
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    await member.send(new CreateDetectorCommand({ Enable: true }));
    const { Invitations } = await member.send(new ListInvitationsCommand({}));
    const error = await failure(
      member.send(new AcceptAdministratorInvitationCommand({ DetectorId: detectorId, AdministratorId: ADMIN, InvitationId: Invitations?.[0]?.InvitationId })),
    );
    expect(error.message).toBe(M.notOwned);
  });

  it('refuses an acceptance without an invitation from that administrator', async () => {
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: true }));
    const error = await failure(member.send(new AcceptAdministratorInvitationCommand({ DetectorId, AdministratorId: ADMIN, InvitationId: 'a'.repeat(32) })));
    expect(error).toMatchObject({ name: 'BadRequestException', message: M.noInvitation });
  });

  it("refuses another administrator's invitation to an account that is already a member", async () => {
    await seedAccount(emulator.url, { accountId: OTHER_ADMIN, email: 'other@example.com', detectors: { 'us-east-1': 'ENABLED' } });
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: true }));
    await inviteAndAccept(member, DetectorId);
    const error = await failure(inviteAndAccept(member, DetectorId, guardDuty(emulator.url, staticCredentials(OTHER_ADMIN))));
    expect(error).toMatchObject({ name: 'BadRequestException', message: M.alreadyMemberOfMaster });
  });

  it('refuses an invitation to an account that has members of its own', async () => {
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: true }));
    await member.send(new CreateMembersCommand({ DetectorId, AccountDetails: [{ AccountId: '777777777777', Email: 'x7@example.com' }] }));
    const error = await failure(inviteAndAccept(member, DetectorId));
    expect(error).toMatchObject({ name: 'BadRequestException', message: M.hasMembers });
  });

  it('refuses DisassociateFromAdministratorAccount for an account with no administrator', async () => {
    const error = await failure(admin.send(new DisassociateFromAdministratorAccountCommand({ DetectorId: detectorId })));
    expect(error).toMatchObject({ name: 'BadRequestException', message: M.notAssociated });
  });

  it('rejects a malformed account id and a bad email as invalid input', async () => {
    const badId = await failure(admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: ['12345'] })));
    expect(badId).toMatchObject({ name: 'BadRequestException', message: M.invalidInput });
    const badEmail = await failure(
      admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: MEMBER, Email: 'not-an-email' }] })),
    );
    expect(badEmail).toMatchObject({ name: 'BadRequestException', message: M.invalidInput });
  });
});

describe('accounts that cannot call', () => {
  it('answers UnrecognizedClientException (403) in an opt-in region the account has not enabled', async () => {
    await seedAccount(emulator.url, { accountId: MEMBER, email: MEMBER_EMAIL, optInRegionsDisabled: ['ap-east-1'] });
    const enabledRegion = guardDuty(emulator.url, staticCredentials(MEMBER), 'us-east-1');
    await expect(enabledRegion.send(new ListDetectorsCommand({}))).resolves.toBeDefined();
    const disabledRegion = guardDuty(emulator.url, staticCredentials(MEMBER), 'ap-east-1');
    const error = await failure(disabledRegion.send(new ListDetectorsCommand({})));
    expect(error).toMatchObject({ name: 'UnrecognizedClientException', message: M.invalidToken, status: 403 });
  });

  it('answers UnrecognizedClientException to an unknown access key', async () => {
    const stranger = guardDuty(emulator.url, { accessKeyId: 'ASIANOTMINTEDBYSTS', secretAccessKey: 'x', sessionToken: 't' });
    const error = await failure(stranger.send(new ListDetectorsCommand({})));
    expect(error).toMatchObject({ name: 'UnrecognizedClientException', message: M.invalidToken, status: 403 });
  });

  it("stops a suspended account's own calls, including sessions minted before the suspension", async () => {
    const session = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    await expect(session.send(new ListDetectorsCommand({}))).resolves.toBeDefined();
    await seedAccount(emulator.url, { accountId: MEMBER, email: MEMBER_EMAIL, status: 'SUSPENDED' });
    const error = await failure(session.send(new ListDetectorsCommand({})));
    expect(error).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
    const staticKey = await failure(guardDuty(emulator.url, staticCredentials(MEMBER)).send(new ListDetectorsCommand({})));
    expect(staticKey.name).toBe('UnrecognizedClientException');
  });
});
