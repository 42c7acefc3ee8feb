/** End to end: regions that cannot be enrolled fail with a message a person can act on. */
import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  CreateMembersCommand,
  GuardDutyClient,
  InviteMembersCommand,
  ListInvitationsCommand,
} from '@aws-sdk/client-guardduty';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { LocalClient, MUTATING, callsBetween } from './local-client';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack({ retryDelayMs: 50, lambdaLogLevel: 'ERROR' });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(() => stack.close());

function guardDuty(accountId: string): GuardDutyClient {
  return new GuardDutyClient({ region: 'us-east-1', endpoint: stack.emulatorUrl, credentials: { accessKeyId: `AKID${accountId}`, secretAccessKey: 'x' } });
}

test('a member of another administrator fails that region with MemberOfAnotherAdministrator naming it, and the other region still enrolls', async () => {
  const other = '999999999999';
  const member = '520000000001';
  await client.control('POST', 'accounts', { accountId: other, email: 'other-admin@example.com', detectors: { 'us-east-1': 'ENABLED' } });
  await client.control('POST', 'accounts', { accountId: member, email: 'taken@example.com' });
  const otherAdmin = guardDuty(other);
  const memberGd = guardDuty(member);
  const otherDetector = (await client.control('GET', `accounts/${other}`)) as unknown;
  const otherDetectorId = JSON.stringify(otherDetector).match(/"detectorId":"([0-9a-f]{32})"/)![1];
  await otherAdmin.send(new CreateMembersCommand({ DetectorId: otherDetectorId, AccountDetails: [{ AccountId: member, Email: 'taken@example.com' }] }));
  await otherAdmin.send(new InviteMembersCommand({ DetectorId: otherDetectorId, AccountIds: [member], DisableEmailNotification: true }));
  const { DetectorId } = await memberGd.send(new CreateDetectorCommand({ Enable: true }));
  const { Invitations } = await memberGd.send(new ListInvitationsCommand({}));
  await memberGd.send(new AcceptAdministratorInvitationCommand({ DetectorId, AdministratorId: other, InvitationId: Invitations![0].InvitationId }));

  const result = await client.enrollAndWait({ accountId: member, email: 'taken@example.com', regions: ['us-east-1', 'eu-west-1'] });
  expect(result.status).toBe('FAILED');
  const [east, west] = result.regions;
  expect(east).toMatchObject({ region: 'us-east-1', outcome: 'FAILED' });
  expect(east.error?.code).toBe('MemberOfAnotherAdministrator');
  expect(east.error?.message).toContain(member);
  expect(east.error?.message).toContain(other);
  expect(west).toMatchObject({ region: 'eu-west-1', outcome: 'ENABLED' });
  otherAdmin.destroy();
  memberGd.destroy();
});

test('an account without the member role fails with MemberRoleNotAssumable telling what to deploy, and changes nothing in it', async () => {
  const before = await client.callCounts();
  const result = await client.enrollAndWait({ accountId: '444444444444', email: 'sandbox@example.com', regions: ['us-east-1'] });
  expect(result.status).toBe('FAILED');
  const [region] = result.regions;
  expect(region.error?.code).toBe('MemberRoleNotAssumable');
  expect(region.error?.message).toContain('arn:aws:iam::444444444444:role/GuardDutyEnrollmentMember');
  expect(region.error?.message).toMatch(/member role|ExternalId/i);
  const calls = callsBetween(before, await client.callCounts());
  expect(calls.CreateDetector).toBeUndefined();
  expect(calls.AcceptAdministratorInvitation).toBeUndefined();
  expect(
    Object.keys(calls)
      .filter((op) => MUTATING.includes(op))
      .sort(),
  ).toEqual(['CreateMembers', 'InviteMembers']);

  // What stays is reported with the call that removes it, and that call does remove it.
  expect(region.relationshipStatus).toBe('Invited');
  expect(region.error?.message).toContain(
    'Left behind: an Invited member and its pending invitation; DELETE /v1/enrollments/444444444444?regions=us-east-1 removes the member.',
  );
  const removal = await client.request('DELETE', '/enrollments/444444444444?regions=us-east-1');
  const offboarded = await client.waitFor(removal.json.enrollmentId);
  expect(offboarded.regions[0].error?.message).toMatch(/^administrator side done/);
  const admin = await client.control('GET', 'accounts/111111111111');
  expect(JSON.stringify(admin)).not.toContain('444444444444');
});

test('a member role that expects another ExternalId fails with MemberRoleNotAssumable', async () => {
  await client.control('POST', 'accounts', {
    accountId: '520000000002',
    email: 'strict@example.com',
    memberRole: { name: 'GuardDutyEnrollmentMember', externalId: 'a-different-id' },
  });
  const result = await client.enrollAndWait({ accountId: '520000000002', email: 'strict@example.com', regions: ['us-east-1'] });
  expect(result.status).toBe('FAILED');
  expect(result.regions[0].error?.code).toBe('MemberRoleNotAssumable');
  expect(result.regions[0].error?.message).not.toContain('guardduty-enrollment'); // the ExternalId value stays out of messages
});

test('a region where the administrator has no detector fails with AdminDetectorMissing', async () => {
  const result = await client.enrollAndWait({ accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['af-south-1'] });
  expect(result.status).toBe('FAILED');
  expect(result.regions[0].error?.code).toBe('AdminDetectorMissing');
  expect(result.regions[0].error?.message).toContain('af-south-1');
});
