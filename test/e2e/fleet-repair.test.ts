/**
 * End to end, repair mode (`fleetRepair: 'repair'`): drifted accounts re-enrolled through the batch
 * path with its outcomes; unmanaged members and accounts offboarded through the API left alone.
 */
import {
  DisassociateFromAdministratorAccountCommand,
  GetMemberDetectorsCommand,
  GetMembersCommand,
  UpdateDetectorCommand,
  UpdateMemberDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import { callsBetween } from './local-client';
import { addMemberByHand, detectorOf, driftedOf, guardDutyAs, runFleetCheck } from './fleet-helpers';
import { useSeededStack } from './seeded-stack';

const REGION = 'us-east-1';
const local = useSeededStack({ settings: { defaultRegions: [REGION], fleetRepair: 'repair' } });

const A = { resigned: '610000000001', disabled: '610000000002', plans: '610000000003', offboarded: '610000000004', unmanaged: '610000000005' };
const email = (accountId: string) => `root+${accountId}@example.com`;

async function members(accountIds: string[]) {
  const admin = guardDutyAs(local.stack, LOCAL_ADMIN_ACCOUNT, REGION);
  const { Members } = await admin.send(
    new GetMembersCommand({ DetectorId: await detectorOf(local.stack, LOCAL_ADMIN_ACCOUNT, REGION), AccountIds: accountIds }),
  );
  return Object.fromEntries((Members ?? []).map((m) => [m.AccountId, m.RelationshipStatus]));
}

beforeAll(async () => {
  const { stack, client } = local;
  for (const accountId of Object.values(A)) await client.control('POST', 'accounts', { accountId, email: email(accountId) });
  for (const accountId of [A.resigned, A.disabled, A.plans, A.offboarded]) {
    expect((await client.enrollAndWait({ accountId, email: email(accountId) })).status).toBe('SUCCEEDED');
  }
  const offboarding = await client.request('DELETE', `/enrollments/${A.offboarded}`);
  expect((await client.waitFor(offboarding.json.enrollmentId)).status).toBe('SUCCEEDED');
  // The offboarded account and an account never enrolled are added back by a person, outside the API.
  await addMemberByHand(stack, { accountId: A.offboarded, email: email(A.offboarded) }, REGION);
  await addMemberByHand(stack, { accountId: A.unmanaged, email: email(A.unmanaged) }, REGION);
  const member = (accountId: string) => guardDutyAs(stack, accountId, REGION);
  await member(A.resigned).send(new DisassociateFromAdministratorAccountCommand({ DetectorId: await detectorOf(stack, A.resigned, REGION) }));
  await member(A.disabled).send(new UpdateDetectorCommand({ DetectorId: await detectorOf(stack, A.disabled, REGION), Enable: false }));
  const admin = guardDutyAs(stack, LOCAL_ADMIN_ACCOUNT, REGION);
  await admin.send(
    new UpdateMemberDetectorsCommand({
      DetectorId: await detectorOf(stack, LOCAL_ADMIN_ACCOUNT, REGION),
      AccountIds: [A.plans],
      Features: [{ Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' }],
    }),
  );
}, 300_000);

test('repair re-enrolls the drifted accounts as one batch whose outcomes the batch route gives, and the next check finds them Enabled', async () => {
  const { client } = local;
  const before = await client.callCounts();
  const check = await runFleetCheck(client);
  const calls = callsBetween(before, await client.callCounts());
  expect(check.status).toBe('SUCCEEDED');
  expect(check.mode).toBe('repair');
  expect(check.totals).toEqual({ members: 5, enabled: 0, pending: 0, drifted: 3, unmanaged: 2 });

  const drifted = await driftedOf(client, check);
  expect(drifted.map((d) => [d.accountId, d.reason, d.action]).sort()).toEqual(
    [
      [A.resigned, 'Resigned', 'REENROLLED'],
      [A.disabled, 'Disabled', 'REENROLLED'],
      [A.plans, 'PlansDiffer', 'REENROLLED'],
    ].sort(),
  );
  const batchId = drifted[0].repairBatchId as string;
  expect(drifted.every((d) => d.repairBatchId === batchId)).toBe(true);
  const part = await client.request('GET', check.regions[0].parts[0].driftedUrl.replace(/^\/v1/, ''));
  expect(part.json.repair).toEqual({ batchId, status: 'SUCCEEDED', statusUrl: `/v1/enrollments/batch/${batchId}`, error: null });

  // The batch path's own outcomes: every drifted account ENABLED, nothing else in the batch.
  const batch = await client.waitForBatch(batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', accountCount: 3, enabled: 3, failed: 0 });
  const outcomes = await client.batchOutcomes(batch);
  expect(outcomes.map((o) => o.accountId).sort()).toEqual([A.resigned, A.disabled, A.plans].sort());
  // The batch's calls: one invitation for the one that left; the detector re-enabled by its member; the plan put back.
  expect(calls.InviteMembers).toBe(1);
  expect(calls.UpdateDetector).toBe(1);
  expect(calls.UpdateMemberDetectors).toBe(1);

  const statuses = await members(Object.values(A));
  expect(statuses).toEqual({ [A.resigned]: 'Enabled', [A.disabled]: 'Enabled', [A.plans]: 'Enabled', [A.offboarded]: 'Invited', [A.unmanaged]: 'Invited' });
  const admin = guardDutyAs(local.stack, LOCAL_ADMIN_ACCOUNT, REGION);
  const plans = await admin.send(
    new GetMemberDetectorsCommand({ DetectorId: await detectorOf(local.stack, LOCAL_ADMIN_ACCOUNT, REGION), AccountIds: [A.plans] }),
  );
  expect(plans.MemberDataSourceConfigurations?.[0].Features?.find((f) => f.Name === 'EBS_MALWARE_PROTECTION')?.Status).toBe('DISABLED');

  const again = await runFleetCheck(client);
  expect(again.totals).toEqual({ members: 5, enabled: 3, pending: 0, drifted: 0, unmanaged: 2 });
}, 300_000);
