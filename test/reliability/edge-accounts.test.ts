/**
 * Edge accounts, end to end: accounts in the situations real organisations have (suspended, an
 * opt-in region off, a member that left or lost its detector, an administrator missing a detector,
 * a member flooded with invitations). Each must end in a stated outcome, code and message.
 * Member and administrator actions outside the product are made with the SDK against the emulator,
 * as the accounts themselves would (static keys `AKID<account>`).
 */
import {
  CreateMembersCommand,
  DeleteDetectorCommand,
  DisassociateFromAdministratorAccountCommand,
  DisassociateMembersCommand,
  InviteMembersCommand,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { RETRIES } from '../../lib/workflow-rules';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import type { LocalStack } from '../../local/runtime/stack';
import { EDGE_ACCOUNT_CASES } from './edge-accounts-cases';
import { LOCAL_ADMIN_ACCOUNT, ReliabilityClient, mapWithConcurrency, startReliabilityStack } from './harness';
import type { EnrollmentView } from './harness';
import { ResultLog } from './results';

const log = new ResultLog('edge-accounts');
let stack: LocalStack;
let client: ReliabilityClient;

beforeAll(async () => {
  stack = await startReliabilityStack();
  client = new ReliabilityClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(async () => {
  log.write();
  await stack?.close();
});

interface AccountView {
  regions: Record<
    string,
    {
      detector: { detectorId: string } | null;
      administrator: { accountId: string; relationshipStatus: string } | null;
      invitations: { accountId: string; accepted: boolean }[];
    }
  >;
}

const accountView = (accountId: string) => client.control('GET', `accounts/${accountId}`) as Promise<AccountView>;

/** The relationship status the administrator sees for a member (GetMembers' view, through the control API). */
async function adminSees(accountId: string, region: string): Promise<string | undefined> {
  const admin = (await client.control('GET', `accounts/${LOCAL_ADMIN_ACCOUNT}`)) as {
    regions: Record<string, { members: { accountId: string; relationshipStatus: string }[] }>;
  };
  return admin.regions[region]?.members.find((m) => m.accountId === accountId)?.relationshipStatus;
}

function describeOutcome(view: EnrollmentView): string {
  return view.regions.map((r) => `${r.region} ${r.outcome}${r.error ? ` ${r.error.code}` : ''}`).join(', ');
}

async function adminDetectorId(region: string): Promise<string> {
  const admin = client.guardDuty(LOCAL_ADMIN_ACCOUNT, region);
  try {
    const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
    return DetectorIds![0];
  } finally {
    admin.destroy();
  }
}

test('a suspended account fails with MemberRoleNotAssumable naming it, and nothing changes on its side', async () => {
  const account = await client.addAccount('820000000001', { status: 'SUSPENDED' });
  const before = await client.callCounts();
  const view = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const calls = await client.callCounts();
  const [region] = view.regions;
  await log.check(
    'edge/suspended-account',
    1,
    () => describeOutcome(view),
    () => {
      expect(view.status).toBe('FAILED');
      expect(region.outcome).toBe('FAILED');
      expect(region.error?.code).toBe('MemberRoleNotAssumable');
      expect(region.error?.message).toContain(account.accountId);
      expect(region.error?.message).toContain('us-east-1');
      // STS refuses before any member-side call is made.
      expect((calls.CreateDetector ?? 0) - (before.CreateDetector ?? 0)).toBe(0);
      expect((calls.AcceptAdministratorInvitation ?? 0) - (before.AcceptAdministratorInvitation ?? 0)).toBe(0);
    },
  );
});

test('an opt-in region the account has not enabled fails with RegionNotEnabled while its other region ends Enabled', async () => {
  await client.addAdminDetectors(['me-south-1']);
  const account = await client.addAccount('820000000002', { optInRegionsDisabled: ['me-south-1'] });
  const view = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1', 'me-south-1'] });
  const byRegion = Object.fromEntries(view.regions.map((r) => [r.region, r]));
  await log.check(
    'edge/opt-in-region-disabled',
    1,
    () => describeOutcome(view),
    () => {
      expect(view.status).toBe('FAILED');
      expect(byRegion['us-east-1']).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
      expect(byRegion['me-south-1'].outcome).toBe('FAILED');
      expect(byRegion['me-south-1'].error?.code).toBe('RegionNotEnabled');
      expect(byRegion['me-south-1'].error?.message).toContain(account.accountId);
      expect(byRegion['me-south-1'].error?.message).toMatch(/region me-south-1 is not enabled .*enable the opt-in region/);
    },
  );
});

test('a member that resigned from the administrator is enrolled again and ends Enabled', async () => {
  const account = await client.addAccount('820000000003');
  const first = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const member = client.guardDuty(account.accountId, 'us-east-1');
  const { DetectorIds } = await member.send(new ListDetectorsCommand({}));
  await member.send(new DisassociateFromAdministratorAccountCommand({ DetectorId: DetectorIds![0] }));
  member.destroy();
  const left = (await accountView(account.accountId)).regions['us-east-1'].administrator;
  const seen = await adminSees(account.accountId, 'us-east-1');
  const again = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const after = (await accountView(account.accountId)).regions['us-east-1'].administrator;
  await log.check(
    'edge/resigned-member',
    2,
    () => `after resigning: ${describeOutcome(again)}`,
    () => {
      expect(first.status).toBe('SUCCEEDED');
      expect(left).toBeNull();
      expect(seen).toBe('Resigned');
      expect(again.status).toBe('SUCCEEDED');
      expect(again.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: DetectorIds![0] });
      expect(after).toMatchObject({ accountId: LOCAL_ADMIN_ACCOUNT, relationshipStatus: 'Enabled' });
    },
  );
});

test('a member the administrator disassociated (Removed) is enrolled again and ends Enabled', async () => {
  const account = await client.addAccount('820000000004');
  const first = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const admin = client.guardDuty(LOCAL_ADMIN_ACCOUNT, 'us-east-1');
  await admin.send(new DisassociateMembersCommand({ DetectorId: await adminDetectorId('us-east-1'), AccountIds: [account.accountId] }));
  admin.destroy();
  const seen = await adminSees(account.accountId, 'us-east-1');
  const again = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const after = (await accountView(account.accountId)).regions['us-east-1'].administrator;
  await log.check(
    'edge/removed-member',
    2,
    () => `after removal: ${describeOutcome(again)}`,
    () => {
      expect(first.status).toBe('SUCCEEDED');
      expect(seen).toBe('Removed');
      expect(again.status).toBe('SUCCEEDED');
      expect(again.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
      expect(after).toMatchObject({ accountId: LOCAL_ADMIN_ACCOUNT, relationshipStatus: 'Enabled' });
    },
  );
});

test('a member whose detector was deleted after enrollment is enrolled again with a new detector and ends Enabled', async () => {
  const account = await client.addAccount('820000000005');
  const first = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const member = client.guardDuty(account.accountId, 'us-east-1');
  await member.send(new DeleteDetectorCommand({ DetectorId: first.regions[0].memberDetectorId! }));
  member.destroy();
  const seen = await adminSees(account.accountId, 'us-east-1');
  const again = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const region = (await accountView(account.accountId)).regions['us-east-1'];
  await log.check(
    'edge/detector-deleted',
    2,
    () => `after deleting the detector: ${describeOutcome(again)}`,
    () => {
      expect(first.status).toBe('SUCCEEDED');
      expect(seen).toBe('Removed'); // docs/aws-facts.md, 4.3: accepted, then the detector was deleted
      expect(again.status).toBe('SUCCEEDED');
      expect(again.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
      expect(again.regions[0].memberDetectorId).not.toBe(first.regions[0].memberDetectorId);
      expect(region.detector?.detectorId).toBe(again.regions[0].memberDetectorId);
      expect(region.administrator).toMatchObject({ accountId: LOCAL_ADMIN_ACCOUNT, relationshipStatus: 'Enabled' });
    },
  );
});

test('a region where the administrator has no detector fails with AdminDetectorMissing and creates nothing', async () => {
  const account = await client.addAccount('820000000006');
  const before = await client.callCounts();
  const view = await client.enrollAndWaitForOutcome({ ...account, regions: ['af-south-1'] });
  const calls = await client.callCounts();
  const [region] = view.regions;
  await log.check(
    'edge/admin-without-detector',
    1,
    () => describeOutcome(view),
    () => {
      expect(view.status).toBe('FAILED');
      expect(region).toMatchObject({ region: 'af-south-1', outcome: 'FAILED' });
      expect(region.error?.code).toBe('AdminDetectorMissing');
      expect(region.error?.message).toContain(LOCAL_ADMIN_ACCOUNT);
      expect(region.error?.message).toContain(account.accountId);
      expect(region.error?.message).toMatch(/no GuardDuty detector in af-south-1; enable GuardDuty there first/);
      for (const op of ['CreateMembers', 'InviteMembers', 'AssumeRole', 'CreateDetector']) expect((calls[op] ?? 0) - (before[op] ?? 0)).toBe(0);
    },
  );
});

test('a member with 60 pending invitations from other administrators still finds ours on the second page and ends Enabled', async () => {
  const account = await client.addAccount('820000000007');
  const others = Array.from({ length: 60 }, (_, i) => `83000000${String(i).padStart(4, '0')}`);
  await mapWithConcurrency(others, 10, async (other) => {
    await client.addAccount(other, { detectors: { 'us-east-1': 'ENABLED' } });
    const gd = client.guardDuty(other, 'us-east-1');
    try {
      const { DetectorIds } = await gd.send(new ListDetectorsCommand({}));
      await gd.send(new CreateMembersCommand({ DetectorId: DetectorIds![0], AccountDetails: [{ AccountId: account.accountId, Email: account.email }] }));
      await gd.send(new InviteMembersCommand({ DetectorId: DetectorIds![0], AccountIds: [account.accountId], DisableEmailNotification: true }));
    } finally {
      gd.destroy();
    }
  });
  const listBefore = await client.callCount('ListInvitations', account.accountId, 'us-east-1');
  const view = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const listCalls = (await client.callCount('ListInvitations', account.accountId, 'us-east-1')) - listBefore;
  const region = (await accountView(account.accountId)).regions['us-east-1'];
  await log.check(
    'edge/more-than-50-invitations',
    1,
    () => `${describeOutcome(view)}; ${listCalls} ListInvitations page(s)`,
    () => {
      expect(view.status).toBe('SUCCEEDED');
      expect(view.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
      expect(listCalls).toBeGreaterThanOrEqual(2); // 61 invitations: the second page was read
      expect(region.administrator?.accountId).toBe(LOCAL_ADMIN_ACCOUNT);
      const accepted = region.invitations.filter((inv) => inv.accepted).map((inv) => inv.accountId);
      expect(accepted).toEqual([LOCAL_ADMIN_ACCOUNT]); // no other administrator's invitation was accepted
      expect(region.invitations.filter((inv) => !inv.accepted)).toHaveLength(60);
    },
  );
});

test('an invitation that never becomes visible fails that region with InvitationNotYetVisible after bounded retries, saying what to do', async () => {
  const account = await client.addAccount('820000000008');
  const listBefore = await client.callCount('ListInvitations', account.accountId, 'us-east-1');
  // The emulator's delay applies to every invitation; nothing else runs in this file meanwhile.
  await client.control('POST', 'settings', { invitationDelayMs: 600_000 });
  let view: EnrollmentView;
  try {
    view = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  } finally {
    await client.control('POST', 'settings', { invitationDelayMs: 0 });
  }
  const looks = (await client.callCount('ListInvitations', account.accountId, 'us-east-1')) - listBefore;
  const [region] = view.regions;
  await log.check(
    'edge/invitation-never-visible',
    1,
    () => `${describeOutcome(view)}; looked ${looks} times`,
    () => {
      expect(view.status).toBe('FAILED');
      expect(region.error?.code).toBe('InvitationNotYetVisible');
      expect(region.error?.message).toContain(account.accountId);
      expect(region.error?.message).toMatch(/never arrived: enroll again later$/);
      expect(looks).toBe(1 + RETRIES.invitation.maxAttempts); // bounded: the first look and each retry
    },
  );
});

test('this file ran exactly the cases its catalogue defines (the ones RELIABILITY.md lists)', () => {
  expect(log.ids().sort()).toEqual(EDGE_ACCOUNT_CASES.map((c) => c.id).sort());
});
