/**
 * End to end, report mode: every drift reason produced as a member or a person would produce it,
 * through the emulator's GuardDuty operations; unmanaged members counted and left alone; a
 * throttled ListMembers retried; the check started by the schedule and through the API.
 */
import {
  DeclineInvitationsCommand,
  DeleteDetectorCommand,
  DeleteMembersCommand,
  DisassociateFromAdministratorAccountCommand,
  DisassociateMembersCommand,
  GetMembersCommand,
  UpdateDetectorCommand,
  UpdateMemberDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import { MUTATING, callsBetween } from './local-client';
import { addMemberByHand, detectorOf, driftedOf, guardDutyAs, runFleetCheck, waitForFleetCheck } from './fleet-helpers';
import { useSeededStack } from './seeded-stack';
import { runCli } from '../../cli/main';
import { captureIo } from '../cli/capture-io';
import { STAGE_NAME } from '../../lib/enrollment-api';

const REGIONS = ['us-east-1', 'eu-west-1'];
const local = useSeededStack({ settings: { defaultRegions: REGIONS, fleetInvitedLimitHours: 0 } });

/** Accounts by the drift each will show in us-east-1. */
const A = {
  resigned: '600000000001',
  removed: '600000000002',
  disabled: '600000000003',
  plans: '600000000004',
  invited: '600000000005',
  declined: '600000000006',
  emailFailed: '600000000007',
  healthy: '600000000008',
  unmanaged: '600000000009',
};
const email = (accountId: string) => `root+${accountId}@example.com`;

async function enroll(accountId: string, regions = REGIONS) {
  return local.client.enrollAndWait({ accountId, email: email(accountId), regions });
}

beforeAll(async () => {
  const { stack, client } = local;
  for (const [name, accountId] of Object.entries(A)) {
    await client.control('POST', 'accounts', {
      accountId,
      email: email(accountId),
      ...(name === 'invited' || name === 'declined' ? { memberRole: null } : {}),
    });
  }
  for (const accountId of [A.resigned, A.removed, A.disabled, A.plans, A.healthy]) expect((await enroll(accountId)).status).toBe('SUCCEEDED');
  // No member role: the enrollment fails on the member side and leaves an Invited member behind.
  expect((await enroll(A.invited)).status).toBe('FAILED');
  expect((await enroll(A.declined, ['us-east-1'])).status).toBe('FAILED');
  expect((await enroll(A.emailFailed, ['us-east-1'])).status).toBe('SUCCEEDED');

  const region = 'us-east-1';
  const member = (accountId: string) => guardDutyAs(stack, accountId, region);
  // The member leaves its administrator.
  await member(A.resigned).send(new DisassociateFromAdministratorAccountCommand({ DetectorId: await detectorOf(stack, A.resigned, region) }));
  // The member deletes its detector.
  await member(A.removed).send(new DeleteDetectorCommand({ DetectorId: await detectorOf(stack, A.removed, region) }));
  // The member disables its detector.
  await member(A.disabled).send(new UpdateDetectorCommand({ DetectorId: await detectorOf(stack, A.disabled, region), Enable: false }));
  // The member declines the administrator's invitation.
  await member(A.declined).send(new DeclineInvitationsCommand({ AccountIds: [LOCAL_ADMIN_ACCOUNT] }));
  const admin = guardDutyAs(stack, LOCAL_ADMIN_ACCOUNT, region);
  const adminDetector = await detectorOf(stack, LOCAL_ADMIN_ACCOUNT, region);
  // A person turns on a plan the profile leaves off.
  await admin.send(
    new UpdateMemberDetectorsCommand({ DetectorId: adminDetector, AccountIds: [A.plans], Features: [{ Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' }] }),
  );
  // A person removes a member and adds it again with a wrong email, invitation emails on.
  await admin.send(new DisassociateMembersCommand({ DetectorId: adminDetector, AccountIds: [A.emailFailed] }));
  await admin.send(new DeleteMembersCommand({ DetectorId: adminDetector, AccountIds: [A.emailFailed] }));
  await addMemberByHand(stack, { accountId: A.emailFailed, email: 'not-the-root@example.com' }, region, true);
  // A person adds a member outside the API: this deployment never enrolled it.
  await addMemberByHand(stack, { accountId: A.unmanaged, email: email(A.unmanaged) }, region);
}, 300_000);

test('a check started by the schedule reports each drift with its reason, the Invited ones past the bound, and counts per region', async () => {
  const { stack, client } = local;
  const before = await client.callCounts();
  // ListMembers throttled twice in us-east-1: the step's throttling retry takes it.
  await client.control('POST', 'faults', { operation: 'ListMembers', region: 'us-east-1', error: 'throttle', count: 2 });
  const run = await stack.schedules.run();
  const check = await waitForFleetCheck(client, run.executionName);
  const calls = callsBetween(before, await client.callCounts());

  expect(check.status).toBe('SUCCEEDED');
  expect(check.mode).toBe('report');
  const east = check.regions.find((r) => r.region === 'us-east-1')!;
  const west = check.regions.find((r) => r.region === 'eu-west-1')!;
  expect(east.counts).toEqual({ members: 9, enabled: 1, pending: 0, drifted: 7, unmanaged: 1 });
  expect(west.counts).toEqual({ members: 6, enabled: 5, pending: 0, drifted: 1, unmanaged: 0 });
  expect(check.totals).toEqual({ members: 15, enabled: 6, pending: 0, drifted: 8, unmanaged: 1 });

  const drifted = await driftedOf(client, check);
  const reasons = Object.fromEntries(drifted.filter((d) => d.region === 'us-east-1').map((d) => [d.accountId, d.reason]));
  expect(reasons).toEqual({
    [A.resigned]: 'Resigned',
    [A.removed]: 'Removed',
    [A.disabled]: 'Disabled',
    [A.plans]: 'PlansDiffer',
    [A.invited]: 'InvitationNotAccepted',
    [A.declined]: 'Resigned',
    [A.emailFailed]: 'EmailVerificationFailed',
  });
  expect(drifted.filter((d) => d.region === 'eu-west-1')).toEqual([
    expect.objectContaining({ accountId: A.invited, reason: 'InvitationNotAccepted', action: 'REPORTED' }),
  ]);
  expect(drifted.every((d) => d.action === 'REPORTED' && d.repairBatchId === null)).toBe(true);

  // Report mode changes nothing; 2 throttled ListMembers + 1 page per region; plans read for the Enabled managed members.
  expect(MUTATING.filter((op) => calls[op])).toEqual([]);
  expect(calls.ListMembers).toBe(2 + REGIONS.length);
  expect(calls.GetMemberDetectors).toBe(REGIONS.length);
  // One event per drift, 10 a PutEvents call: 7 in us-east-1 (1 call), 1 in eu-west-1 (1 call).
  expect(calls.PutEvents).toBe(2);
}, 180_000);

test('each finished enrollment reaches the outcome-metrics function as a Step Functions status-change event', async () => {
  await local.stack.events.idle();
  const { deliveries } = (await local.client.control('GET', 'events')) as { deliveries: { ruleArn: string; outcome: string }[] };
  const outcomes = deliveries.filter((d) => d.ruleArn.includes('ExecutionOutcomesRule'));
  // The 8 enrollments of the set-up; fleet checks are other machines and do not match the rule.
  expect(outcomes).toHaveLength(8);
  expect(outcomes.every((d) => d.outcome === 'DELIVERED')).toBe(true);
}, 60_000);

test('the unmanaged member is reported by count only and left as it was', async () => {
  const { stack, client } = local;
  const check = await runFleetCheck(client);
  expect(check.regions.find((r) => r.region === 'us-east-1')!.counts.unmanaged).toBe(1);
  expect((await driftedOf(client, check)).map((d) => d.accountId)).not.toContain(A.unmanaged);
  const admin = guardDutyAs(stack, LOCAL_ADMIN_ACCOUNT, 'us-east-1');
  const { Members } = await admin.send(
    new GetMembersCommand({ DetectorId: await detectorOf(stack, LOCAL_ADMIN_ACCOUNT, 'us-east-1'), AccountIds: [A.unmanaged] }),
  );
  expect(Members?.[0]?.RelationshipStatus).toBe('Invited');
}, 180_000);

test('GET /fleet-checks lists the recent checks, newest first; unknown ids are 404', async () => {
  const { client } = local;
  const list = await client.request('GET', '/fleet-checks');
  expect(list.status).toBe(200);
  expect(list.json.checks.length).toBeGreaterThanOrEqual(2);
  expect(list.json.checks[0]).toEqual({
    checkId: expect.any(String),
    status: 'SUCCEEDED',
    startedAt: expect.any(Number),
    stoppedAt: expect.any(Number),
    url: `/v1/fleet-checks/${list.json.checks[0].checkId}`,
  });
  expect(list.json.checks[0].startedAt).toBeGreaterThanOrEqual(list.json.checks[1].startedAt);
  expect((await client.request('GET', '/fleet-checks/no-such-check')).status).toBe(404);
  expect((await client.request('GET', '/fleet-checks/no-such-check/parts/us-east-1-0')).status).toBe(404);
}, 60_000);

test('gde fleet check --wait runs a check and prints it as a table with the drifted accounts', async () => {
  const { stack } = local;
  const io = captureIo({ env: { GDE_API_URL: `${stack.apiUrl}/${STAGE_NAME}`, GDE_API_KEY: stack.apiKey } });
  const code = await runCli(['fleet', 'check', '--wait', '--poll-ms', '50'], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  const lines = io.out().split('\n');
  expect(lines[0]).toMatch(/^Fleet check \S+: SUCCEEDED \(report\)/);
  expect(lines).toContainEqual(expect.stringMatching(/^region\s+members\s+enabled\s+pending\s+drifted\s+unmanaged$/));
  expect(lines).toContainEqual(expect.stringMatching(/^us-east-1\s+9\s+1\s+0\s+7\s+1$/));
  expect(lines).toContainEqual(expect.stringMatching(/^total\s+15\s+6\s+0\s+8\s+1$/));
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${A.removed}\\s+us-east-1\\s+Removed\\s+Removed\\s+REPORTED$`)));
}, 120_000);
