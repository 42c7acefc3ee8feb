/**
 * `npm run org-rollout` against the emulator: a whole organization enrolled region by region,
 * re-runs, dry runs, and the problems a person running it would meet.
 */
import {
  DescribeOrganizationConfigurationCommand,
  DisassociateMembersCommand,
  EnableOrganizationAdminAccountCommand,
  GetDetectorCommand,
  ListDetectorsCommand,
  ListMembersCommand,
  ListOrganizationAdminAccountsCommand,
} from '@aws-sdk/client-guardduty';
import type { Member } from '@aws-sdk/client-guardduty';
import {
  ADMIN,
  MANAGEMENT,
  REGIONS,
  assumeAccessRole,
  calls,
  control,
  countOf,
  guardDutyAs,
  memberId,
  mutatingCalls,
  rolloutArgs,
  runOrgRollout,
  seedOrganization,
  useEmulator,
} from './helpers';

const emulator = useEmulator();

/** Every member record of the delegated administrator in a region, as the administrator sees it. */
async function membersOf(region: string): Promise<Member[]> {
  const admin = guardDutyAs(emulator.url, ADMIN, region);
  const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
  const members: Member[] = [];
  let NextToken: string | undefined;
  do {
    const page = await admin.send(new ListMembersCommand({ DetectorId: DetectorIds![0], OnlyAssociated: 'false', NextToken }));
    members.push(...(page.Members ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return members;
}

describe('a 120-account organization rolled out in two regions', () => {
  it('makes every ACTIVE account an Enabled member in both regions with ⌈N/50⌉ CreateMembers calls, and skips and reports the suspended ones', async () => {
    const org = await seedOrganization(emulator.url, { total: 120, inactive: 3 });
    expect(org.expectedMembers).toHaveLength(116);

    const run = await runOrgRollout(emulator.url, rolloutArgs());

    expect(run.code).toBe(0);
    const report = run.report!;
    expect(report.ok).toBe(true);
    expect(report.accounts).toMatchObject({ listed: 120, active: 117 });
    expect(report.accounts.skipped.map((s) => s.accountId).sort()).toEqual([...org.inactive].sort());
    expect(report.accounts.skipped.map((s) => s.reason)).toEqual(
      expect.arrayContaining(['account is SUSPENDED, not ACTIVE', 'account is PENDING_CLOSURE, not ACTIVE', 'account is CLOSED, not ACTIVE']),
    );
    const rows = await calls(emulator.url);
    for (const region of REGIONS) {
      const members = await membersOf(region);
      expect(members.map((m) => m.AccountId).sort()).toEqual([...org.expectedMembers].sort());
      expect(new Set(members.map((m) => m.RelationshipStatus))).toEqual(new Set(['Enabled']));
      for (const inactive of org.inactive) expect(members.find((m) => m.AccountId === inactive)).toBeUndefined();
      // 116 accounts → 3 calls of at most 50, made by the delegated administrator.
      expect(countOf(rows, 'CreateMembers', { region })).toBe(3);
      expect(countOf(rows, 'CreateMembers', { region, accountId: ADMIN })).toBe(3);
      expect(countOf(rows, 'InviteMembers', { region })).toBe(0);
      const regionReport = report.regions.find((r) => r.region === region)!;
      expect(regionReport).toMatchObject({ outcome: 'succeeded', delegatedAdministrator: 'designated', failures: [] });
      expect(regionReport.members.created).toHaveLength(116);
      expect(regionReport.members.createMembersCalls).toBe(3);
      expect(regionReport.skipped.map((s) => s.accountId)).toEqual(expect.arrayContaining([...org.inactive, ADMIN]));
    }
  });

  it('designates the delegated administrator from the management account and sets auto-enable and features from the administrator', async () => {
    await seedOrganization(emulator.url, { total: 10 });

    const run = await runOrgRollout(emulator.url, rolloutArgs('--auto-enable', 'ALL', '--features', 'S3_DATA_EVENTS,RUNTIME_MONITORING'));

    expect(run.code).toBe(0);
    const rows = await calls(emulator.url);
    for (const region of REGIONS) {
      expect(countOf(rows, 'EnableOrganizationAdminAccount', { region, accountId: MANAGEMENT })).toBe(1);
      const listed = await guardDutyAs(emulator.url, MANAGEMENT, region).send(new ListOrganizationAdminAccountsCommand({}));
      expect(listed.AdminAccounts).toEqual([{ AdminAccountId: ADMIN, AdminStatus: 'ENABLED' }]);
      const admin = guardDutyAs(emulator.url, ADMIN, region);
      const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
      const config = await admin.send(new DescribeOrganizationConfigurationCommand({ DetectorId: DetectorIds![0] }));
      expect(config.AutoEnableOrganizationMembers).toBe('ALL');
      expect(config.Features?.find((f) => f.Name === 'S3_DATA_EVENTS')?.AutoEnable).toBe('ALL');
      expect(config.Features?.find((f) => f.Name === 'RUNTIME_MONITORING')?.AutoEnable).toBe('ALL');
      expect(config.Features?.find((f) => f.Name === 'EKS_AUDIT_LOGS')?.AutoEnable).toBe('NONE');
    }
    // Auto-enable was set before CreateMembers, so the members got the features too (RUNTIME_MONITORING is off by default).
    const member = guardDutyAs(emulator.url, memberId(0), 'eu-west-1', await assumeAccessRole(emulator.url, memberId(0)));
    const { DetectorIds } = await member.send(new ListDetectorsCommand({}));
    const detector = await member.send(new GetDetectorCommand({ DetectorId: DetectorIds![0] }));
    expect(detector.Status).toBe('ENABLED');
    expect(detector.Features?.find((f) => f.Name === 'RUNTIME_MONITORING')?.Status).toBe('ENABLED');
  });

  it('lists accounts page by page: 120 accounts take 6 ListAccounts calls of 20', async () => {
    await seedOrganization(emulator.url, { total: 120 });

    const run = await runOrgRollout(emulator.url, rolloutArgs('--dry-run'));

    expect(run.code).toBe(0);
    expect(run.report!.accounts).toMatchObject({ listed: 120, active: 120 });
    expect(countOf(await calls(emulator.url), 'ListAccounts')).toBe(6);
  });
});

describe('re-running', () => {
  it('a second run makes no mutating call and reports every account as already a member', async () => {
    const org = await seedOrganization(emulator.url, { total: 60, inactive: 2 });
    const first = await runOrgRollout(emulator.url, rolloutArgs('--features', 'S3_DATA_EVENTS'));
    expect(first.code).toBe(0);
    const before = mutatingCalls(await calls(emulator.url));

    const second = await runOrgRollout(emulator.url, rolloutArgs('--features', 'S3_DATA_EVENTS'));

    expect(second.code).toBe(0);
    expect(mutatingCalls(await calls(emulator.url))).toEqual(before);
    for (const region of second.report!.regions) {
      expect(region).toMatchObject({ outcome: 'succeeded', delegatedAdministrator: 'already-designated', autoEnable: { action: 'unchanged' } });
      expect(region.detector.action).toBe('existing');
      expect(region.members.created).toEqual([]);
      expect(region.members.createMembersCalls).toBe(0);
      expect(region.members.alreadyMembers.sort()).toEqual([...org.expectedMembers].sort());
    }
  });

  it('a member disassociated since the last run is re-associated by the next one, with one CreateMembers call per region', async () => {
    await seedOrganization(emulator.url, { total: 5 });
    expect((await runOrgRollout(emulator.url, rolloutArgs())).code).toBe(0);
    // Disassociated out of band: the next run re-associates it with one CreateMembers call per region.
    for (const region of REGIONS) {
      const admin = guardDutyAs(emulator.url, ADMIN, region);
      const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
      await admin.send(new DisassociateMembersCommand({ DetectorId: DetectorIds![0], AccountIds: [memberId(0)] }));
    }
    const before = await calls(emulator.url);

    const run = await runOrgRollout(emulator.url, rolloutArgs());

    expect(run.code).toBe(0);
    const after = await calls(emulator.url);
    for (const region of REGIONS) {
      expect(countOf(after, 'CreateMembers', { region }) - countOf(before, 'CreateMembers', { region })).toBe(1);
      expect(run.report!.regions.find((r) => r.region === region)!.members.created).toEqual([memberId(0)]);
      expect((await membersOf(region)).find((m) => m.AccountId === memberId(0))?.RelationshipStatus).toBe('Enabled');
    }
  });
});

describe('--dry-run', () => {
  it('prints the plan and makes no mutating call', async () => {
    await seedOrganization(emulator.url, { total: 120, inactive: 3 });
    const before = await calls(emulator.url);

    const run = await runOrgRollout(emulator.url, ['--regions', REGIONS.join(','), '--delegated-admin', ADMIN, '--dry-run']);

    expect(run.code).toBe(0);
    expect(mutatingCalls(await calls(emulator.url))).toEqual(mutatingCalls(before));
    expect(mutatingCalls(await calls(emulator.url))).toEqual({});
    expect(run.stdout).toContain('PLAN (dry run, nothing changed)');
    expect(run.stdout).toContain('delegated administrator: would be designated');
    expect(run.stdout).toContain('members: 116 to create in 3 CreateMembers call(s)');
    expect(run.stdout).toMatch(/skipped \d{12} \(Workload \d+\): account is SUSPENDED, not ACTIVE/);
    const listed = await guardDutyAs(emulator.url, MANAGEMENT, 'us-east-1').send(new ListOrganizationAdminAccountsCommand({}));
    expect(listed.AdminAccounts).toEqual([]);
  });

  it('warns in the plan when the management account has no GuardDuty in a region', async () => {
    await seedOrganization(emulator.url, { total: 5, managementDetectorRegions: ['us-east-1'] });

    const run = await runOrgRollout(emulator.url, ['--regions', REGIONS.join(','), '--delegated-admin', ADMIN, '--dry-run']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`warning: The management account ${MANAGEMENT} has no enabled GuardDuty detector in eu-west-1`);
    expect(run.stdout).not.toContain('detector in us-east-1');
    expect(mutatingCalls(await calls(emulator.url))).toEqual({});
  });
});

describe('problems a person would meet', () => {
  it("a region where the management account has no GuardDuty reports it with AWS's message, and the other region succeeds", async () => {
    const org = await seedOrganization(emulator.url, { total: 8, managementDetectorRegions: ['us-east-1'] });

    const run = await runOrgRollout(emulator.url, rolloutArgs());

    expect(run.code).toBe(1);
    const [east, west] = [run.report!.regions.find((r) => r.region === 'us-east-1')!, run.report!.regions.find((r) => r.region === 'eu-west-1')!];
    expect(east.outcome).toBe('succeeded');
    expect(west.outcome).toBe('partial');
    expect(west.failures).toEqual([
      { accountId: MANAGEMENT, message: 'Operation failed because your organization master must first enable GuardDuty to be added as a member' },
    ]);
    expect(west.members.created.sort()).toEqual(org.expectedMembers.filter((id) => id !== MANAGEMENT).sort());
    expect(west.warnings).toEqual([expect.stringContaining(`management account ${MANAGEMENT} has no enabled GuardDuty detector in eu-west-1`)]);
    expect(east.warnings).toEqual([]);
    expect((await membersOf('us-east-1')).map((m) => m.AccountId)).toContain(MANAGEMENT);
    expect((await membersOf('eu-west-1')).map((m) => m.AccountId)).not.toContain(MANAGEMENT);
  });

  it('a caller that is not the management account gets a clear error and nothing is called that changes anything', async () => {
    await seedOrganization(emulator.url, { total: 5 });

    const run = await runOrgRollout(emulator.url, rolloutArgs(), memberId(0));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`account ${memberId(0)}, not of the management account ${MANAGEMENT}`);
    expect(run.stderr).toContain("run org-rollout with the management account's credentials");
    const rows = await calls(emulator.url);
    expect(mutatingCalls(rows)).toEqual({});
    expect(countOf(rows, 'ListAccounts')).toBe(0);
  });

  it('a caller in no organization is told so', async () => {
    await seedOrganization(emulator.url, { total: 5 });

    const run = await runOrgRollout(emulator.url, rolloutArgs(), '444444444444');

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, error: expect.stringContaining('in no AWS Organizations organization') });
  });

  it('another account already designated in a region is not replaced: that region stops with a clear error', async () => {
    await seedOrganization(emulator.url, { total: 6 });
    await guardDutyAs(emulator.url, MANAGEMENT, 'eu-west-1').send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: memberId(1) }));

    const run = await runOrgRollout(emulator.url, ['--regions', 'eu-west-1', '--delegated-admin', ADMIN, '--json']);

    expect(run.code).toBe(1);
    const [west] = run.report!.regions;
    expect(west.outcome).toBe('failed');
    expect(west.error).toContain(`Account ${memberId(1)} is already the GuardDuty delegated administrator here`);
    expect(west.error).toContain('does not replace it');
    expect(countOf(await calls(emulator.url), 'EnableOrganizationAdminAccount')).toBe(1); // only the test's own
  });

  it('a delegated administrator whose access role is missing fails fast with a hint about --admin-role-name', async () => {
    await seedOrganization(emulator.url, { total: 5, adminAccessRole: null });

    const run = await runOrgRollout(emulator.url, rolloutArgs());

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`AssumeRole arn:aws:iam::${ADMIN}:role/OrganizationAccountAccessRole failed (AccessDenied`);
    expect(run.stderr).toContain('--admin-role-name');
    expect(mutatingCalls(await calls(emulator.url))).toEqual({});
  });

  it('--admin-role-name names another role to assume', async () => {
    await seedOrganization(emulator.url, { total: 5, adminAccessRole: 'SecurityAdmin' });

    const run = await runOrgRollout(emulator.url, rolloutArgs('--admin-role-name', 'SecurityAdmin'));

    expect(run.code).toBe(0);
  });

  it('the management account as its own delegated administrator uses its own credentials, without AssumeRole', async () => {
    await seedOrganization(emulator.url, { total: 5 });

    const run = await runOrgRollout(emulator.url, ['--regions', 'us-east-1', '--delegated-admin', MANAGEMENT, '--json']);

    expect(run.code).toBe(0);
    expect(run.report!.regions[0].members.created).toHaveLength(4);
    const rows = await calls(emulator.url);
    expect(countOf(rows, 'AssumeRole')).toBe(0);
    expect(countOf(rows, 'CreateMembers', { accountId: MANAGEMENT })).toBe(1);
  });

  it('a delegated administrator that is not an ACTIVE account of the organization is refused before any change', async () => {
    await seedOrganization(emulator.url, { total: 6, inactive: 1 });

    const suspended = await runOrgRollout(emulator.url, ['--regions', 'us-east-1', '--delegated-admin', memberId(3)]);
    const stranger = await runOrgRollout(emulator.url, ['--regions', 'us-east-1', '--delegated-admin', '444444444444']);

    expect(suspended.code).toBe(1);
    expect(suspended.stderr).toContain(`The delegated administrator ${memberId(3)} cannot be used: account is SUSPENDED, not ACTIVE.`);
    expect(stranger.stderr).toContain('Account 444444444444 is not an account of organization');
    expect(mutatingCalls(await calls(emulator.url))).toEqual({});
  });

  it('throttled calls are retried with backoff and the rollout completes', async () => {
    await seedOrganization(emulator.url, { total: 70 });
    await control(emulator.url, 'POST', '/_emulator/faults', { operation: 'ListAccounts', error: 'throttle', count: 2 }, 201);
    await control(emulator.url, 'POST', '/_emulator/faults', { operation: 'CreateMembers', error: 'throttle', count: 3 }, 201);
    await control(emulator.url, 'POST', '/_emulator/faults', { operation: 'EnableOrganizationAdminAccount', error: 'internal', count: 1 }, 201);

    const run = await runOrgRollout(emulator.url, rolloutArgs());

    expect(run.code).toBe(0);
    const rows = await calls(emulator.url);
    expect(countOf(rows, 'ListAccounts')).toBe(4 + 2);
    expect(countOf(rows, 'CreateMembers')).toBe(2 * 2 + 3);
    for (const region of REGIONS) expect((await membersOf(region)).length).toBe(69);
  });

  it('retries are bounded: a batch that stays throttled fails its accounts, the other batches and regions go on', async () => {
    await seedOrganization(emulator.url, { total: 70 });
    await control(emulator.url, 'POST', '/_emulator/faults', { operation: 'CreateMembers', region: 'eu-west-1', error: 'throttle', count: 6 }, 201);

    const run = await runOrgRollout(emulator.url, rolloutArgs());

    expect(run.code).toBe(1);
    const west = run.report!.regions.find((r) => r.region === 'eu-west-1')!;
    expect(west.outcome).toBe('partial');
    expect(west.failures).toHaveLength(50);
    expect(west.failures[0].message).toBe('CreateMembers failed: TooManyRequestsException: Rate exceeded');
    expect(west.members.created).toHaveLength(19);
    expect(countOf(await calls(emulator.url), 'CreateMembers', { region: 'eu-west-1' })).toBe(6 + 1);
    // Re-running finishes the job.
    const again = await runOrgRollout(emulator.url, rolloutArgs());
    expect(again.code).toBe(0);
    expect((await membersOf('eu-west-1')).length).toBe(69);
  });
});

describe('the command line', () => {
  it('refuses a missing --regions or a bad --delegated-admin with exit code 2 and the usage text', async () => {
    const noRegions = await runOrgRollout(emulator.url, ['--delegated-admin', ADMIN]);
    const badAdmin = await runOrgRollout(emulator.url, ['--regions', 'us-east-1', '--delegated-admin', '123']);
    const bothRuntime = await runOrgRollout(emulator.url, [
      '--regions',
      'us-east-1',
      '--delegated-admin',
      ADMIN,
      '--features',
      'EKS_RUNTIME_MONITORING,RUNTIME_MONITORING',
    ]);

    // NONE is refused: the rollout exists to enroll accounts.
    const none = await runOrgRollout(emulator.url, ['--regions', 'us-east-1', '--delegated-admin', ADMIN, '--auto-enable', 'NONE']);

    expect([noRegions.code, badAdmin.code, bothRuntime.code, none.code]).toEqual([2, 2, 2, 2]);
    expect(none.stderr).toContain('--auto-enable must be NEW or ALL');
    expect(noRegions.stderr).toContain('--regions is required');
    expect(badAdmin.stderr).toContain('--delegated-admin is required: the 12-digit id');
    expect(bothRuntime.stderr).toContain('cannot name both EKS_RUNTIME_MONITORING and RUNTIME_MONITORING');
    expect(noRegions.stderr).toContain('Usage: npm run org-rollout');
  });
});
