/**
 * The invitation method end to end through the real JS SDK v3 clients, and the relationship
 * statuses an administrator sees as the member's situation changes (docs/aws-facts.md, 4.2, 4.3).
 */
import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  CreateMembersCommand,
  DeclineInvitationsCommand,
  DeleteDetectorCommand,
  DeleteMembersCommand,
  DisassociateFromAdministratorAccountCommand,
  DisassociateMembersCommand,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  GetInvitationsCountCommand,
  GetMembersCommand,
  InviteMembersCommand,
  ListDetectorsCommand,
  ListInvitationsCommand,
  StartMonitoringMembersCommand,
  StopMonitoringMembersCommand,
  UpdateDetectorCommand,
} from '@aws-sdk/client-guardduty';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { startEmulator } from '../../local/emulator/core/server';
import {
  ADMIN,
  MEMBER,
  MEMBER_EMAIL,
  assumeMemberRole,
  control,
  failure,
  guardDuty,
  seedAccount,
  seedAdminAndMember,
  wait,
  useSeededEmulator,
} from './helpers';

const emulator = useSeededEmulator();
let admin: GuardDutyClient;

beforeEach(async () => {
  admin = guardDuty(emulator.url);
});

async function adminDetectorId(): Promise<string> {
  const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
  if (!DetectorIds?.[0]) throw new Error('the administrator has no detector');
  return DetectorIds[0];
}

async function memberStatus(detectorId: string, accountId = MEMBER): Promise<string | undefined> {
  const { Members } = await admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [accountId] }));
  return Members?.[0]?.RelationshipStatus;
}

/** Runs CreateMembers + InviteMembers (no email) as the administrator. */
async function createAndInvite(detectorId: string, email = MEMBER_EMAIL): Promise<void> {
  await admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: MEMBER, Email: email }] }));
  await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER], DisableEmailNotification: true }));
}

/** Assumes the member role, creates the member's detector and accepts the administrator's invitation. */
async function memberAccepts(): Promise<{ member: GuardDutyClient; memberDetectorId: string }> {
  const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
  const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: true }));
  const { Invitations } = await member.send(new ListInvitationsCommand({}));
  const invitation = Invitations?.find((inv) => inv.AccountId === ADMIN);
  await member.send(
    new AcceptAdministratorInvitationCommand({
      DetectorId,
      AdministratorId: ADMIN,
      InvitationId: invitation?.InvitationId,
    }),
  );
  return { member, memberDetectorId: DetectorId ?? '' };
}

describe('invitation flow', () => {
  it('enrolls a member: CreateMembers → InviteMembers → AssumeRole → CreateDetector → accept → Enabled', async () => {
    const detectorId = await adminDetectorId();
    expect(detectorId).toMatch(/^[0-9a-f]{32}$/);

    const created = await admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: MEMBER, Email: MEMBER_EMAIL }] }));
    expect(created.UnprocessedAccounts).toEqual([]);
    expect(await memberStatus(detectorId)).toBe('Created');

    const invited = await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER], DisableEmailNotification: true }));
    expect(invited.UnprocessedAccounts).toEqual([]);
    expect(await memberStatus(detectorId)).toBe('Invited');

    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    expect((await member.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);
    const { DetectorId: memberDetectorId } = await member.send(new CreateDetectorCommand({ Enable: true }));
    expect(memberDetectorId).toMatch(/^[0-9a-f]{32}$/);

    const { Invitations } = await member.send(new ListInvitationsCommand({}));
    expect(Invitations).toHaveLength(1);
    expect(Invitations?.[0]).toMatchObject({ AccountId: ADMIN, RelationshipStatus: 'Invited' });
    expect(Invitations?.[0]?.InvitationId).toMatch(/^[0-9a-f]{32}$/);

    await member.send(
      new AcceptAdministratorInvitationCommand({
        DetectorId: memberDetectorId,
        AdministratorId: ADMIN,
        InvitationId: Invitations?.[0]?.InvitationId,
      }),
    );

    const { Members, UnprocessedAccounts } = await admin.send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(UnprocessedAccounts).toEqual([]);
    expect(Members?.[0]).toMatchObject({
      AccountId: MEMBER,
      DetectorId: memberDetectorId,
      AdministratorId: ADMIN,
      MasterId: ADMIN,
      Email: MEMBER_EMAIL,
      RelationshipStatus: 'Enabled',
    });
    expect(Date.parse(Members?.[0]?.InvitedAt ?? '')).not.toBeNaN();

    const { Administrator } = await member.send(new GetAdministratorAccountCommand({ DetectorId: memberDetectorId }));
    expect(Administrator).toMatchObject({ AccountId: ADMIN, RelationshipStatus: 'Enabled', InvitationId: Invitations?.[0]?.InvitationId });
  });

  it('shows a standalone account no administrator (HTTP 200, no Administrator)', async () => {
    const detectorId = await adminDetectorId();
    const result = await admin.send(new GetAdministratorAccountCommand({ DetectorId: detectorId }));
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.Administrator).toBeUndefined();
  });

  it('keeps the accepted invitation in ListInvitations but not in GetInvitationsCount', async () => {
    await createAndInvite(await adminDetectorId());
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    expect((await member.send(new GetInvitationsCountCommand({}))).InvitationsCount).toBe(1);
    await memberAccepts();
    expect((await member.send(new GetInvitationsCountCommand({}))).InvitationsCount).toBe(0);
    const { Invitations } = await member.send(new ListInvitationsCommand({}));
    expect(Invitations?.map((inv) => inv.RelationshipStatus)).toEqual(['Enabled']);
  });

  it('follows the member detector: disabled → Disabled, re-enabled → Enabled', async () => {
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    const { member, memberDetectorId } = await memberAccepts();
    await member.send(new UpdateDetectorCommand({ DetectorId: memberDetectorId, Enable: false }));
    expect(await memberStatus(detectorId)).toBe('Disabled');
    expect((await member.send(new GetDetectorCommand({ DetectorId: memberDetectorId }))).Status).toBe('DISABLED');
    await member.send(new UpdateDetectorCommand({ DetectorId: memberDetectorId, Enable: true }));
    expect(await memberStatus(detectorId)).toBe('Enabled');
  });

  it('makes a member that accepts with a disabled detector Disabled', async () => {
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: false }));
    const { Invitations } = await member.send(new ListInvitationsCommand({}));
    await member.send(new AcceptAdministratorInvitationCommand({ DetectorId, AdministratorId: ADMIN, InvitationId: Invitations?.[0]?.InvitationId }));
    expect(await memberStatus(detectorId)).toBe('Disabled');
  });

  it('shows Removed when the member deletes its detector, and lets the administrator re-invite without re-creating', async () => {
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    const { member, memberDetectorId } = await memberAccepts();
    await member.send(new DeleteDetectorCommand({ DetectorId: memberDetectorId }));
    expect(await memberStatus(detectorId)).toBe('Removed');

    const reinvite = await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER], DisableEmailNotification: true }));
    expect(reinvite.UnprocessedAccounts).toEqual([]);
    expect(await memberStatus(detectorId)).toBe('Invited');
    await memberAccepts();
    expect(await memberStatus(detectorId)).toBe('Enabled');
  });

  it('shows Resigned when the member disassociates, and the member then has no administrator', async () => {
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    const { member, memberDetectorId } = await memberAccepts();
    await member.send(new DisassociateFromAdministratorAccountCommand({ DetectorId: memberDetectorId }));
    expect(await memberStatus(detectorId)).toBe('Resigned');
    const { Administrator } = await member.send(new GetAdministratorAccountCommand({ DetectorId: memberDetectorId }));
    expect(Administrator).toBeUndefined();
  });

  it('keeps the member record as Removed after DisassociateMembers; DeleteMembers then removes it', async () => {
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    const { member, memberDetectorId } = await memberAccepts();

    const disassociated = await admin.send(new DisassociateMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(disassociated.UnprocessedAccounts).toEqual([]);
    expect(await memberStatus(detectorId)).toBe('Removed');
    expect((await member.send(new GetAdministratorAccountCommand({ DetectorId: memberDetectorId }))).Administrator).toBeUndefined();

    const deleted = await admin.send(new DeleteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(deleted.UnprocessedAccounts).toEqual([]);
    expect(await memberStatus(detectorId)).toBeUndefined();
  });

  it('shows Disabled while monitoring is stopped and Enabled after it is started again', async () => {
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    await memberAccepts();
    await admin.send(new StopMonitoringMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(await memberStatus(detectorId)).toBe('Disabled');
    await admin.send(new StartMonitoringMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(await memberStatus(detectorId)).toBe('Enabled');
  });

  it('shows Resigned when the member declines the invitation, which then disappears', async () => {
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const declined = await member.send(new DeclineInvitationsCommand({ AccountIds: [ADMIN] }));
    expect(declined.UnprocessedAccounts).toEqual([]);
    expect(await memberStatus(detectorId)).toBe('Resigned');
    expect((await member.send(new ListInvitationsCommand({}))).Invitations).toEqual([]);
  });
});

describe('email verification', () => {
  it('goes EmailVerificationInProgress → Invited when the email matches the root email (case-insensitive)', async () => {
    await control(emulator.url, 'POST', '/_emulator/settings', { invitationDelayMs: 250 });
    const detectorId = await adminDetectorId();
    await admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: MEMBER, Email: 'MEMBER@Example.com' }] }));
    await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER], Message: 'Join us' }));
    expect(await memberStatus(detectorId)).toBe('EmailVerificationInProgress');
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    expect((await member.send(new ListInvitationsCommand({}))).Invitations).toEqual([]);

    await wait(300);
    expect(await memberStatus(detectorId)).toBe('Invited');
    expect((await member.send(new ListInvitationsCommand({}))).Invitations).toHaveLength(1);
  });

  it('ends EmailVerificationFailed with no invitation when the email differs; delete + re-create with the right email fixes it', async () => {
    const detectorId = await adminDetectorId();
    await admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: MEMBER, Email: 'wrong@example.com' }] }));
    await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(await memberStatus(detectorId)).toBe('EmailVerificationFailed');
    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    expect((await member.send(new ListInvitationsCommand({}))).Invitations).toEqual([]);

    await admin.send(new DeleteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    await admin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: MEMBER, Email: MEMBER_EMAIL }] }));
    await admin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER] }));
    expect(await memberStatus(detectorId)).toBe('Invited');
  });
});

describe('invitation delay', () => {
  it('hides a new invitation from the member until the delay has passed; accepting too early fails', async () => {
    await control(emulator.url, 'POST', '/_emulator/settings', { invitationDelayMs: 300 });
    const detectorId = await adminDetectorId();
    await createAndInvite(detectorId);
    expect(await memberStatus(detectorId)).toBe('Invited');

    const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
    const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: true }));
    expect((await member.send(new ListInvitationsCommand({}))).Invitations).toEqual([]);
    expect((await member.send(new GetInvitationsCountCommand({}))).InvitationsCount).toBe(0);
    const view = await control<{ regions: Record<string, { invitations: Array<{ invitationId: string }> }> }>(
      emulator.url,
      'GET',
      `/_emulator/accounts/${MEMBER}`,
    );
    const invitationId = view.body.regions['us-east-1'].invitations[0].invitationId;
    const early = await failure(member.send(new AcceptAdministratorInvitationCommand({ DetectorId, AdministratorId: ADMIN, InvitationId: invitationId })));
    expect(early.name).toBe('BadRequestException');
    expect(early.message).toBe('The request is rejected because the current account does not have an invitation from the requested master account.');

    await wait(350);
    const { Invitations } = await member.send(new ListInvitationsCommand({}));
    expect(Invitations?.[0]?.InvitationId).toBe(invitationId);
  });

  it('can be set at start-up with the invitationDelayMs option', async () => {
    const slow = await startEmulator({ invitationDelayMs: 200 });
    try {
      await seedAdminAndMember(slow.url);
      const slowAdmin = guardDuty(slow.url);
      const { DetectorIds } = await slowAdmin.send(new ListDetectorsCommand({}));
      const detectorId = DetectorIds?.[0];
      await slowAdmin.send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: MEMBER, Email: MEMBER_EMAIL }] }));
      await slowAdmin.send(new InviteMembersCommand({ DetectorId: detectorId, AccountIds: [MEMBER], DisableEmailNotification: true }));
      const member = guardDuty(slow.url, await assumeMemberRole(slow.url));
      expect((await member.send(new ListInvitationsCommand({}))).Invitations).toEqual([]);
      await wait(250);
      expect((await member.send(new ListInvitationsCommand({}))).Invitations).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});

describe('regions', () => {
  it('keeps detectors and memberships per region', async () => {
    await seedAccount(emulator.url, { accountId: ADMIN, email: 'admin@example.com', detectors: { 'us-east-1': 'ENABLED', 'eu-west-1': 'ENABLED' } });
    const euAdmin = guardDuty(emulator.url, undefined, 'eu-west-1');
    const { DetectorIds: euIds } = await euAdmin.send(new ListDetectorsCommand({}));
    const usId = await adminDetectorId();
    expect(euIds).toHaveLength(1);
    expect(euIds?.[0]).not.toBe(usId);
    await createAndInvite(usId);
    const euMembers = await euAdmin.send(new GetMembersCommand({ DetectorId: euIds?.[0], AccountIds: [MEMBER] }));
    expect(euMembers.Members).toEqual([]);
    expect(euMembers.UnprocessedAccounts?.[0]?.AccountId).toBe(MEMBER);
  });
});
