/**
 * Edge accounts with invitation emails enabled (`suppressInvitationEmails: false`): GuardDuty then
 * verifies the member email against the account's root email (docs/aws-facts.md, pain point 1). A separate file
 * because the setting reaches the handlers through their environment, read once per process.
 */
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import type { LocalStack } from '../../local/runtime/stack';
import { EDGE_EMAILS_ON_CASES } from './edge-accounts-cases';
import { LOCAL_ADMIN_ACCOUNT, ReliabilityClient, startReliabilityStack } from './harness';
import { ResultLog } from './results';

const log = new ResultLog('edge-accounts-emails-on');
let stack: LocalStack;
let client: ReliabilityClient;

beforeAll(async () => {
  stack = await startReliabilityStack({ settings: { suppressInvitationEmails: false } });
  client = new ReliabilityClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(async () => {
  log.write();
  await stack?.close();
});

/** States an execution entered, in order. */
async function statesEntered(enrollmentId: string): Promise<string[]> {
  const result = await stack.stepFunctions.waitFor(enrollmentId);
  return (result?.events ?? []).filter((e) => e.type === 'StateEntered').map((e) => e.state!.name);
}

test('with invitation emails on, the right root email enrolls the account (the baseline the next case departs from)', async () => {
  const account = await client.addAccount('810000000001');
  const view = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  await log.check(
    'edge/emails-on-right-email',
    1,
    () => `${view.status}, ${view.regions[0]?.outcome}`,
    () => {
      expect(view.status).toBe('SUCCEEDED');
      expect(view.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
    },
  );
});

test('an email that is not the root email fails with EmailVerificationFailed; enrolling again with the right one re-creates the member and ends Enabled', async () => {
  const account = await client.addAccount('810000000002', { email: 'root-owner@example.com' });
  const wrong = await client.enrollAndWaitForOutcome({ accountId: account.accountId, email: 'someone-else@example.com', regions: ['us-east-1'] });
  const before = await client.callCounts();
  const right = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  const after = await client.callCounts();
  const admin = (await client.control('GET', `accounts/${LOCAL_ADMIN_ACCOUNT}`)) as {
    regions: Record<string, { members: { accountId: string; email: string; relationshipStatus: string }[] }>;
  };
  const members = admin.regions['us-east-1'].members.filter((m) => m.accountId === account.accountId);

  const first = wrong.regions[0];
  const path = await statesEntered(wrong.enrollmentId);
  await log.check(
    'edge/email-mismatch-then-corrected',
    2,
    () => `${first?.outcome} ${first?.error?.code ?? ''}, then ${right.regions[0]?.outcome}`,
    () => {
      expect(wrong.status).toBe('FAILED');
      expect(first.outcome).toBe('FAILED');
      expect(first.error?.code).toBe('EmailVerificationFailed');
      expect(first.error?.message).toContain(account.accountId);
      expect(first.error?.message).toContain('us-east-1');
      expect(first.error?.message).toMatch(/root user email/);
      expect(first.error?.message).not.toContain('someone-else@example.com');
      // Learned on the administrator side once the member gave up waiting for the invitation.
      expect(path).toContain('CheckEmailVerification');

      expect(right.status).toBe('SUCCEEDED');
      expect(right.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
      // The documented remedy: the failed member is deleted and created again with the new email.
      expect((after.DeleteMembers ?? 0) - (before.DeleteMembers ?? 0)).toBe(1);
      expect(members).toEqual([expect.objectContaining({ email: account.email, relationshipStatus: 'Enabled' })]);
    },
  );
});

test('a verification still running when the invitation retries run out fails with InvitationNotYetVisible, not EmailVerificationFailed', async () => {
  const account = await client.addAccount('810000000003');
  await client.control('POST', 'settings', { invitationDelayMs: 600_000 });
  let view: Awaited<ReturnType<typeof client.enrollAndWaitForOutcome>>;
  try {
    view = await client.enrollAndWaitForOutcome({ ...account, regions: ['us-east-1'] });
  } finally {
    await client.control('POST', 'settings', { invitationDelayMs: 0 });
  }
  const [region] = view.regions;
  const path = await statesEntered(view.enrollmentId);
  await log.check(
    'edge/email-verification-never-finishes',
    1,
    () => `${region?.outcome} ${region?.error?.code ?? ''}`,
    () => {
      expect(view.status).toBe('FAILED');
      expect(region.relationshipStatus).toBe('EmailVerificationInProgress');
      expect(region.error?.code).toBe('InvitationNotYetVisible');
      expect(region.error?.message).toMatch(/never arrived: enroll again later$/);
      expect(path).toContain('CheckEmailVerification'); // checked, found still in progress, original error kept
    },
  );
});

test('this file ran exactly the cases its catalogue defines (the ones RELIABILITY.md lists)', () => {
  expect(log.ids().sort()).toEqual(EDGE_EMAILS_ON_CASES.map((c) => c.id).sort());
});
