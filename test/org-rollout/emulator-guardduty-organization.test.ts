/**
 * The emulator's GuardDuty organization operations through the real JS SDK: designating the
 * delegated administrator, the organization configuration, members via Organizations, and
 * auto-enable for accounts that join later.
 */
import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  CreateMembersCommand,
  DescribeOrganizationConfigurationCommand,
  DisableOrganizationAdminAccountCommand,
  DisassociateMembersCommand,
  EnableOrganizationAdminAccountCommand,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  GetMembersCommand,
  InviteMembersCommand,
  ListDetectorsCommand,
  ListInvitationsCommand,
  ListOrganizationAdminAccountsCommand,
  UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-guardduty';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { ADMIN, MANAGEMENT, assumeAccessRole, control, failure, guardDutyAs, memberId, seedOrganization, useEmulator } from './helpers';

const emulator = useEmulator();
const REGION = 'us-east-1';
const NOT_PERMITTED = 'The request failed because you do not have required AWS Organization master permission.';

function management(region = REGION): GuardDutyClient {
  return guardDutyAs(emulator.url, MANAGEMENT, region);
}

function admin(region = REGION): GuardDutyClient {
  return guardDutyAs(emulator.url, ADMIN, region);
}

async function detectorOf(client: GuardDutyClient): Promise<string | undefined> {
  return (await client.send(new ListDetectorsCommand({}))).DetectorIds?.[0];
}

/** Seeds a small organization and designates ADMIN in REGION; returns the administrator's detector id. */
async function designated(total = 6): Promise<string> {
  await seedOrganization(emulator.url, { total });
  await management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
  return (await detectorOf(admin()))!;
}

describe('EnableOrganizationAdminAccount / ListOrganizationAdminAccounts / DisableOrganizationAdminAccount', () => {
  it('designates per region and enables GuardDuty for the administrator there only', async () => {
    await seedOrganization(emulator.url, { total: 4 });
    expect(await detectorOf(admin())).toBeUndefined();

    await management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));

    expect((await management().send(new ListOrganizationAdminAccountsCommand({}))).AdminAccounts).toEqual([{ AdminAccountId: ADMIN, AdminStatus: 'ENABLED' }]);
    expect((await management('eu-west-1').send(new ListOrganizationAdminAccountsCommand({}))).AdminAccounts).toEqual([]);
    expect(await detectorOf(admin())).toMatch(/^[0-9a-f]{32}$/);
    expect(await detectorOf(admin('eu-west-1'))).toBeUndefined();
  });

  it('works before the management account has GuardDuty (the user guide designates first)', async () => {
    await seedOrganization(emulator.url, { total: 4, managementDetectorRegions: [] });

    await management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));

    expect(await detectorOf(management())).toBeUndefined();
  });

  it('is for the management account only, with the live "master permission" text', async () => {
    await seedOrganization(emulator.url, { total: 4 });

    const calls = [
      () => admin().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN })),
      () => admin().send(new ListOrganizationAdminAccountsCommand({})),
      () => guardDutyAs(emulator.url, '444444444444', REGION).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN })),
    ];
    for (const call of calls) {
      expect(await failure(call())).toMatchObject({ name: 'BadRequestException', status: 400, message: NOT_PERMITTED });
    }
  });

  it('refuses an account outside the organization or not ACTIVE, the same account twice, and a second administrator in any region', async () => {
    await seedOrganization(emulator.url, { total: 5, inactive: 1 });
    const invalid = 'The request is rejected because an invalid or out-of-range value is specified as an input parameter.';

    expect(await failure(management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: '444444444444' })))).toMatchObject({ message: invalid });
    expect(await failure(management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: memberId(2) })))).toMatchObject({ message: invalid });
    await management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
    expect(await failure(management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN })))).toMatchObject({
      message: 'The provided account is already a delegated administrator for your organization.',
    });
    const second = await failure(management('eu-west-1').send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: memberId(0) })));
    expect(second.message).toContain(`already has a GuardDuty delegated administrator account (${ADMIN})`);
    await management('eu-west-1').send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
  });

  it('removes a designation only once the administrator has no associated members', async () => {
    const detectorId = await designated();
    await admin().send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: memberId(0), Email: 'member-0@example.com' }] }));

    const refused = await failure(management().send(new DisableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN })));
    await admin().send(new DisassociateMembersCommand({ DetectorId: detectorId, AccountIds: [memberId(0)] }));
    await management().send(new DisableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));

    expect(refused.message).toContain('still has associated member accounts');
    expect((await management().send(new ListOrganizationAdminAccountsCommand({}))).AdminAccounts).toEqual([]);
    expect(await failure(admin().send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId })))).toMatchObject({ message: NOT_PERMITTED });
  });
});

describe('UpdateOrganizationConfiguration / DescribeOrganizationConfiguration', () => {
  it('starts with everything NONE and lists every organization feature', async () => {
    const detectorId = await designated();

    const config = await admin().send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId }));

    expect(config).toMatchObject({
      AutoEnableOrganizationMembers: 'NONE',
      AutoEnable: false,
      MemberAccountLimitReached: false,
      DataSources: { S3Logs: { AutoEnable: false } },
    });
    expect(config.Features?.map((f) => f.Name)).toEqual([
      'S3_DATA_EVENTS',
      'EKS_AUDIT_LOGS',
      'EBS_MALWARE_PROTECTION',
      'RDS_LOGIN_EVENTS',
      'EKS_RUNTIME_MONITORING',
      'LAMBDA_NETWORK_LOGS',
      'RUNTIME_MONITORING',
      'AI_PROTECTION',
    ]);
    expect(new Set(config.Features?.map((f) => f.AutoEnable))).toEqual(new Set(['NONE']));
  });

  it('stores AutoEnableOrganizationMembers and the named features, leaving the others, and pages the features', async () => {
    const detectorId = await designated();
    await admin().send(
      new UpdateOrganizationConfigurationCommand({
        DetectorId: detectorId,
        AutoEnableOrganizationMembers: 'ALL',
        Features: [{ Name: 'S3_DATA_EVENTS', AutoEnable: 'ALL' }],
      }),
    );
    await admin().send(
      new UpdateOrganizationConfigurationCommand({
        DetectorId: detectorId,
        AutoEnableOrganizationMembers: 'NEW',
        Features: [{ Name: 'RUNTIME_MONITORING', AutoEnable: 'NEW', AdditionalConfiguration: [{ Name: 'EC2_AGENT_MANAGEMENT', AutoEnable: 'NEW' }] }],
      }),
    );

    const first = await admin().send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId, MaxResults: 5 }));
    const second = await admin().send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId, MaxResults: 5, NextToken: first.NextToken }));
    const features = [...(first.Features ?? []), ...(second.Features ?? [])];

    expect(first.AutoEnableOrganizationMembers).toBe('NEW');
    expect(first.AutoEnable).toBe(true);
    expect(first.DataSources?.S3Logs?.AutoEnable).toBe(true);
    expect(first.Features).toHaveLength(5);
    expect(second.NextToken).toBeUndefined();
    expect(features.find((f) => f.Name === 'S3_DATA_EVENTS')?.AutoEnable).toBe('ALL');
    expect(features.find((f) => f.Name === 'RUNTIME_MONITORING')).toEqual({
      Name: 'RUNTIME_MONITORING',
      AutoEnable: 'NEW',
      AdditionalConfiguration: [
        { Name: 'EKS_ADDON_MANAGEMENT', AutoEnable: 'NONE' },
        { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', AutoEnable: 'NONE' },
        { Name: 'EC2_AGENT_MANAGEMENT', AutoEnable: 'NEW' },
      ],
    });
  });

  it('takes the deprecated AutoEnable (true = NEW) and DataSources, but not both AutoEnable fields or neither', async () => {
    const detectorId = await designated();
    await admin().send(new UpdateOrganizationConfigurationCommand({ DetectorId: detectorId, AutoEnable: true, DataSources: { S3Logs: { AutoEnable: true } } }));
    const config = await admin().send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId }));
    const xor = 'The request is rejected because you must provide a value for either autoEnableOrganizationMembers or autoEnable, but not both.';

    expect(config.AutoEnableOrganizationMembers).toBe('NEW');
    expect(config.Features?.find((f) => f.Name === 'S3_DATA_EVENTS')?.AutoEnable).toBe('NEW');
    expect(
      await failure(
        admin().send(new UpdateOrganizationConfigurationCommand({ DetectorId: detectorId, AutoEnable: true, AutoEnableOrganizationMembers: 'ALL' })),
      ),
    ).toMatchObject({ message: xor });
    expect(await failure(admin().send(new UpdateOrganizationConfigurationCommand({ DetectorId: detectorId })))).toMatchObject({ message: xor });
  });

  it('refuses both runtime monitoring features, an unknown feature, a non-administrator and a foreign detector', async () => {
    const detectorId = await designated();
    const both = [
      { Name: 'EKS_RUNTIME_MONITORING' as const, AutoEnable: 'NEW' as const },
      { Name: 'RUNTIME_MONITORING' as const, AutoEnable: 'NEW' as const },
    ];

    expect(
      (
        await failure(
          admin().send(new UpdateOrganizationConfigurationCommand({ DetectorId: detectorId, AutoEnableOrganizationMembers: 'NEW', Features: both })),
        )
      ).message,
    ).toContain('EKS_RUNTIME_MONITORING and RUNTIME_MONITORING');
    expect(
      await failure(
        admin().send(
          new UpdateOrganizationConfigurationCommand({
            DetectorId: detectorId,
            AutoEnableOrganizationMembers: 'NEW',
            Features: [{ Name: 'AI_ANALYST' as never, AutoEnable: 'NEW' }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException' });
    const managementDetector = (await detectorOf(management()))!;
    expect(
      await failure(management().send(new UpdateOrganizationConfigurationCommand({ DetectorId: managementDetector, AutoEnableOrganizationMembers: 'NEW' }))),
    ).toMatchObject({
      message: NOT_PERMITTED,
    });
    expect(await failure(admin().send(new DescribeOrganizationConfigurationCommand({ DetectorId: managementDetector })))).toMatchObject({
      message: 'The request is rejected because the input detectorId is not owned by the current account.',
    });
  });
});

describe('CreateMembers by the delegated administrator', () => {
  it('associates organization accounts at once, without invitation, and enables GuardDuty in them', async () => {
    const detectorId = await designated();
    const memberCredentials = await assumeAccessRole(emulator.url, memberId(0));
    const member = guardDutyAs(emulator.url, memberId(0), REGION, memberCredentials);
    expect(await detectorOf(member)).toBeUndefined();

    const created = await admin().send(
      new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: memberId(0), Email: 'member-0@example.com' }] }),
    );
    const { Members } = await admin().send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: [memberId(0)] }));
    const memberDetector = await detectorOf(member);
    const { Administrator } = await member.send(new GetAdministratorAccountCommand({ DetectorId: memberDetector! }));

    expect(created.UnprocessedAccounts).toEqual([]);
    expect(Members?.[0]).toMatchObject({ AccountId: memberId(0), RelationshipStatus: 'Enabled', AdministratorId: ADMIN, DetectorId: memberDetector });
    expect(Administrator).toMatchObject({ AccountId: ADMIN, RelationshipStatus: 'Enabled' });
    expect((await member.send(new ListInvitationsCommand({}))).Invitations).toEqual([]);
  });

  it("refuses the management account without an enabled detector with AWS's message, and accepts it once it has one", async () => {
    await seedOrganization(emulator.url, { total: 4, managementDetectorRegions: [] });
    await management().send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
    const detectorId = (await detectorOf(admin()))!;
    const details = [{ AccountId: MANAGEMENT, Email: 'management@example.com' }];

    const refused = await admin().send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: details }));
    await management().send(new CreateDetectorCommand({ Enable: true }));
    const accepted = await admin().send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: details }));

    expect(refused.UnprocessedAccounts).toEqual([
      { AccountId: MANAGEMENT, Result: 'Operation failed because your organization master must first enable GuardDuty to be added as a member' },
    ]);
    expect(accepted.UnprocessedAccounts).toEqual([]);
  });

  it('answers "already a member" for an associated member, and keeps accounts outside the organization on the invitation path', async () => {
    const detectorId = await designated();
    await seedAccount('444444444444', 'outsider@example.com');
    const details = [
      { AccountId: memberId(0), Email: 'member-0@example.com' },
      { AccountId: '444444444444', Email: 'outsider@example.com' },
    ];
    await admin().send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: details }));

    const again = await admin().send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: details }));
    const { Members } = await admin().send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: ['444444444444'] }));

    expect(again.UnprocessedAccounts?.map((u) => u.AccountId)).toEqual([memberId(0), '444444444444']);
    expect(again.UnprocessedAccounts?.[0].Result).toBe(
      'The request is rejected because the given account ID is already a member or associated member of the current account.',
    );
    expect(Members?.[0].RelationshipStatus).toBe('Created');
  });

  it('never makes an account both an invitation member and an organization member', async () => {
    const detectorId = await designated();
    // memberId(1) is an invitation member of another account (outside the organization).
    const outsider = '444444444444';
    await seedAccount(outsider, 'outsider@example.com', { [REGION]: 'ENABLED' });
    const outsiderClient = guardDutyAs(emulator.url, outsider, REGION);
    const outsiderDetector = (await detectorOf(outsiderClient))!;
    const memberOneCredentials = await assumeAccessRole(emulator.url, memberId(1));
    const memberOne = guardDutyAs(emulator.url, memberId(1), REGION, memberOneCredentials);
    await memberOne.send(new CreateDetectorCommand({ Enable: true }));
    await outsiderClient.send(
      new CreateMembersCommand({ DetectorId: outsiderDetector, AccountDetails: [{ AccountId: memberId(1), Email: 'member-1@example.com' }] }),
    );
    await outsiderClient.send(new InviteMembersCommand({ DetectorId: outsiderDetector, AccountIds: [memberId(1)], DisableEmailNotification: true }));
    const [invitation] = (await memberOne.send(new ListInvitationsCommand({}))).Invitations ?? [];
    await memberOne.send(
      new AcceptAdministratorInvitationCommand({
        DetectorId: (await detectorOf(memberOne))!,
        AdministratorId: outsider,
        InvitationId: invitation.InvitationId!,
      }),
    );

    const refused = await admin().send(
      new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: memberId(1), Email: 'member-1@example.com' }] }),
    );

    expect(refused.UnprocessedAccounts?.[0].Result).toContain('already an associated member of another master account');

    // The other way round: an organization member cannot accept another administrator's invitation.
    await admin().send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: memberId(2), Email: 'member-2@example.com' }] }));
    await outsiderClient.send(
      new CreateMembersCommand({ DetectorId: outsiderDetector, AccountDetails: [{ AccountId: memberId(2), Email: 'member-2@example.com' }] }),
    );
    await outsiderClient.send(new InviteMembersCommand({ DetectorId: outsiderDetector, AccountIds: [memberId(2)], DisableEmailNotification: true }));
    const memberTwo = guardDutyAs(emulator.url, memberId(2), REGION, await assumeAccessRole(emulator.url, memberId(2)));
    const [second] = (await memberTwo.send(new ListInvitationsCommand({}))).Invitations ?? [];
    const accept = await failure(
      memberTwo.send(
        new AcceptAdministratorInvitationCommand({ DetectorId: (await detectorOf(memberTwo))!, AdministratorId: outsider, InvitationId: second.InvitationId! }),
      ),
    );
    expect(accept.message).toBe('The current account cannot accept invitations because it is already a member of a master account.');
  });

  it("applies the organization's auto-enabled features to the members it adds", async () => {
    const detectorId = await designated();
    await admin().send(
      new UpdateOrganizationConfigurationCommand({
        DetectorId: detectorId,
        AutoEnableOrganizationMembers: 'NEW',
        Features: [{ Name: 'EKS_RUNTIME_MONITORING', AutoEnable: 'NEW' }],
      }),
    );

    await admin().send(new CreateMembersCommand({ DetectorId: detectorId, AccountDetails: [{ AccountId: memberId(0), Email: 'member-0@example.com' }] }));

    const member = guardDutyAs(emulator.url, memberId(0), REGION, await assumeAccessRole(emulator.url, memberId(0)));
    const detector = await member.send(new GetDetectorCommand({ DetectorId: (await detectorOf(member))! }));
    expect(detector.Features?.find((f) => f.Name === 'EKS_RUNTIME_MONITORING')?.Status).toBe('ENABLED');
  });
});

describe('auto-enable for accounts that join later', () => {
  it('makes an account that joins the organization a member in regions whose administrator auto-enables NEW or ALL', async () => {
    const detectorId = await designated();
    await management('eu-west-1').send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
    await admin().send(new UpdateOrganizationConfigurationCommand({ DetectorId: detectorId, AutoEnableOrganizationMembers: 'NEW' }));

    const joined = await control<{ autoEnabled: Record<string, string[]> }>(emulator.url, 'POST', '/_emulator/organization', {
      managementAccountId: MANAGEMENT,
      accounts: [{ accountId: '777777777777', email: 'new@example.com' }],
    });
    const { Members } = await admin().send(new GetMembersCommand({ DetectorId: detectorId, AccountIds: ['777777777777'] }));
    const westDetector = (await detectorOf(admin('eu-west-1')))!;
    const west = await admin('eu-west-1').send(new GetMembersCommand({ DetectorId: westDetector, AccountIds: ['777777777777'] }));

    expect(joined.autoEnabled).toEqual({ '777777777777': [REGION] });
    expect(Members?.[0].RelationshipStatus).toBe('Enabled');
    expect(west.Members).toEqual([]); // eu-west-1 auto-enable is NONE
  });
});

async function seedAccount(accountId: string, email: string, detectors?: Record<string, string>): Promise<void> {
  await control(emulator.url, 'POST', '/_emulator/accounts', { accountId, email, ...(detectors ? { detectors } : {}) });
}
