/** End to end: protection plans applied and read back by the administrator after Enabled, single and batched. */
import { DEFAULT_PROTECTION_PLANS, wantedFeatures } from '../../contract/protection-plans';
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import { MUTATING, callsBetween } from './local-client';
import { useSeededStack } from './seeded-stack';
import { ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE } from '../../contract/enrollment-events';

const local = useSeededStack({ retryDelayMs: 10 });

/** The default profile as the outcome lists it when every feature is as wanted. */
const PROFILE_AS_WANTED = wantedFeatures(DEFAULT_PROTECTION_PLANS).map((f) => ({ name: f.name, status: f.status, reason: null }));

async function addAccount(accountId: string, extra: Record<string, unknown> = {}) {
  await local.client.control('POST', 'accounts', { accountId, email: `owner-${accountId}@example.com`, ...extra });
  return { accountId, email: `owner-${accountId}@example.com` };
}

/** Calls per `operation@region` made by the administrator. */
async function adminCalls(): Promise<Record<string, number>> {
  const { calls } = (await local.client.control('GET', 'calls')) as { calls: { operation: string; accountId: string; region: string; count: number }[] };
  const counts: Record<string, number> = {};
  for (const c of calls) if (c.accountId === LOCAL_ADMIN_ACCOUNT) counts[`${c.operation}@${c.region}`] = (counts[`${c.operation}@${c.region}`] ?? 0) + c.count;
  return counts;
}

function mutating(calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).filter(([op]) => MUTATING.includes(op)));
}

test('a new account: its own CreateDetector already follows the profile, so the administrator reads, changes nothing, and reports every feature and the trial days', async () => {
  const account = await addAccount('610000000001');
  const before = await local.client.callCounts();
  const result = await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] });
  expect(result.status).toBe('SUCCEEDED');
  const [region] = result.regions;
  expect(region.protectionPlans).toEqual(PROFILE_AS_WANTED);
  expect(region.freeTrial).toEqual(
    expect.arrayContaining([
      { name: 'S3_DATA_EVENTS', daysRemaining: 30 },
      { name: 'CLOUD_TRAIL', daysRemaining: 30 },
    ]),
  );
  // Disabled features start no trial.
  expect(region.freeTrial!.map((t) => t.name)).not.toContain('EBS_MALWARE_PROTECTION');
  const calls = callsBetween(before, await local.client.callCounts());
  expect(calls.GetMemberDetectors).toBe(1);
  expect(calls.UpdateMemberDetectors).toBeUndefined();
  expect(calls.GetRemainingFreeTrialDays).toBe(1);
});

test('an account that already ran GuardDuty with every feature on is brought to the profile with one UpdateMemberDetectors, then re-enrolled with zero mutating calls', async () => {
  const account = await addAccount('610000000002', { detectors: { 'eu-west-1': 'ENABLED' } });
  await local.client.control('POST', 'detector-features', {
    accountId: account.accountId,
    region: 'eu-west-1',
    features: {
      EBS_MALWARE_PROTECTION: 'ENABLED',
      RDS_LOGIN_EVENTS: 'ENABLED',
      LAMBDA_NETWORK_LOGS: 'ENABLED',
      RUNTIME_MONITORING: 'ENABLED',
      AI_PROTECTION: 'ENABLED',
    },
  });
  let before = await local.client.callCounts();
  const first = await local.client.enrollAndWait({ ...account, regions: ['eu-west-1'] });
  expect(first.status).toBe('SUCCEEDED');
  expect(first.regions[0].protectionPlans).toEqual(PROFILE_AS_WANTED);
  let calls = callsBetween(before, await local.client.callCounts());
  expect(calls.UpdateMemberDetectors).toBe(1);
  expect(calls.GetMemberDetectors).toBe(2); // read, then read back

  before = await local.client.callCounts();
  const again = await local.client.enrollAndWait({ ...account, regions: ['eu-west-1'] });
  expect(again.regions[0]).toMatchObject({ outcome: 'ENABLED', protectionPlans: PROFILE_AS_WANTED });
  calls = callsBetween(before, await local.client.callCounts());
  expect(mutating(calls)).toEqual({});
  expect(calls.GetMemberDetectors).toBe(1);

  // A request that changes one feature makes one call, for that feature only.
  before = await local.client.callCounts();
  const changed = await local.client.enrollAndWait({ ...account, regions: ['eu-west-1'], protectionPlans: { EBS_MALWARE_PROTECTION: 'ENABLED' } });
  expect(changed.regions[0].protectionPlans).toContainEqual({ name: 'EBS_MALWARE_PROTECTION', status: 'ENABLED', reason: null });
  calls = callsBetween(before, await local.client.callCounts());
  expect(mutating(calls)).toEqual({ UpdateMemberDetectors: 1 });
});

test('a feature an Organizations GuardDuty policy manages is reported with its reason and not changed; the region is Enabled', async () => {
  const account = await addAccount('610000000003', { detectors: { 'us-east-1': 'ENABLED' } });
  await local.client.control('POST', 'detector-features', {
    accountId: account.accountId,
    region: 'us-east-1',
    features: { EBS_MALWARE_PROTECTION: 'ENABLED' },
    policyManaged: ['EBS_MALWARE_PROTECTION'],
  });
  const result = await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] });
  expect(result.status).toBe('SUCCEEDED');
  const plans = result.regions[0].protectionPlans!;
  expect(plans.find((p) => p.name === 'EBS_MALWARE_PROTECTION')).toEqual({
    name: 'EBS_MALWARE_PROTECTION',
    status: 'ENABLED',
    reason: expect.stringMatching(/Organizations GuardDuty policy \(ManagedBy GUARDDUTY_POLICY\).*the plans ask DISABLED/),
  });
  expect(plans.filter((p) => p.name !== 'EBS_MALWARE_PROTECTION')).toEqual(PROFILE_AS_WANTED.filter((p) => p.name !== 'EBS_MALWARE_PROTECTION'));
});

test('a feature GuardDuty does not offer in the region is reported UNAVAILABLE, not failed', async () => {
  const admin = await local.client.control('GET', `accounts/${LOCAL_ADMIN_ACCOUNT}`);
  await local.client.control('POST', 'accounts', { accountId: LOCAL_ADMIN_ACCOUNT, email: admin.email, detectors: { 'ap-east-2': 'ENABLED' } });
  const account = await addAccount('610000000004');
  const result = await local.client.enrollAndWait({ ...account, regions: ['ap-east-2'], protectionPlans: { RDS_LOGIN_EVENTS: 'ENABLED' } });
  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions[0].outcome).toBe('ENABLED');
  expect(result.regions[0].protectionPlans).toContainEqual({
    name: 'RDS_LOGIN_EVENTS',
    status: 'UNAVAILABLE',
    reason: 'GuardDuty does not offer RDS_LOGIN_EVENTS in ap-east-2',
  });
});

test.each([
  [{ AI_ANALYST: 'ENABLED' }, 'AI_ANALYST'],
  [{ GPU_MONITORING: 'ENABLED' }, 'GPU_MONITORING'],
  [{ S3_DATA_EVENTS: 'ON' }, 'S3_DATA_EVENTS'],
  [{ RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { GPU_AGENT: 'ENABLED' } } }, 'GPU_AGENT'],
])('a bad protectionPlans %j is refused with a 400 naming %s, and nothing starts', async (protectionPlans, named) => {
  const executions = local.stack.stepFunctions.executionCount;
  const answer = await local.client.enroll({ accountId: '610000000005', email: 'owner-610000000005@example.com', protectionPlans });
  expect(answer.status).toBe(400);
  expect(answer.json.message).toContain(named);
  const batch = await local.client.batch({ accounts: [{ accountId: '610000000005', email: 'owner-610000000005@example.com' }], protectionPlans });
  expect(batch.status).toBe(400);
  expect(local.stack.stepFunctions.executionCount).toBe(executions);
});

test('both runtime features in one request are refused with a 400', async () => {
  const answer = await local.client.enroll({
    accountId: '610000000005',
    email: 'owner-610000000005@example.com',
    protectionPlans: { RUNTIME_MONITORING: 'ENABLED', EKS_RUNTIME_MONITORING: 'ENABLED' },
  });
  expect(answer.status).toBe(400);
  expect(answer.json.message).toContain('/protectionPlans');
});

test('a CSV batch takes protectionPlans as FEATURE:STATUS pairs in the query string; a bad list is refused with a 400 and starts nothing', async () => {
  const account = await addAccount('610000000006', { detectors: { 'us-east-1': 'ENABLED' } });
  const csv = `Account ID,Email\n${account.accountId},${account.email}\n`;
  const executions = local.stack.stepFunctions.executionCount;
  for (const bad of [
    'AI_ANALYST:ENABLED',
    'S3_DATA_EVENTS:ON',
    'S3_DATA_EVENTS:ENABLED,S3_DATA_EVENTS:DISABLED',
    'RUNTIME_MONITORING:ENABLED,EKS_RUNTIME_MONITORING:DISABLED',
  ]) {
    const refused = await local.client.batch(csv, { query: `regions=us-east-1&protectionPlans=${bad}` });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('protectionPlans=');
  }
  expect(local.stack.stepFunctions.executionCount).toBe(executions);
  const started = await local.client.batch(csv, { query: 'regions=us-east-1&protectionPlans=EBS_MALWARE_PROTECTION:ENABLED,AI_PROTECTION:ENABLED' });
  expect(started.status).toBe(202);
  const [outcome] = await local.client.batchOutcomes(await local.client.waitForBatch(started.json.batchId));
  const plans = (outcome as unknown as { protectionPlans: Array<{ name: string; status: string }> }).protectionPlans;
  expect(plans).toContainEqual({ name: 'EBS_MALWARE_PROTECTION', status: 'ENABLED', reason: null });
  expect(plans).toContainEqual({ name: 'AI_PROTECTION', status: 'ENABLED', reason: null });
  expect(plans).toContainEqual({ name: 'RDS_LOGIN_EVENTS', status: 'DISABLED', reason: null });
});

test("an enrollment event's protectionPlans are applied like a request's", async () => {
  const account = await addAccount('610000000007');
  const event = {
    id: 'a1b2c3d4-0000-4000-8000-000000000007',
    source: ENROLLMENT_EVENT_SOURCE,
    'detail-type': ENROLL_ACCOUNT_DETAIL_TYPE,
    detail: { ...account, regions: ['us-east-1'], protectionPlans: { LAMBDA_NETWORK_LOGS: 'ENABLED' } },
  };
  await local.client.control('POST', 'events', { eventBusName: local.stack.events.buses[0].name, event });
  await local.stack.events.idle();
  const result = await local.client.waitFor(event.id);
  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions[0].protectionPlans).toContainEqual({ name: 'LAMBDA_NETWORK_LOGS', status: 'ENABLED', reason: null });
});

test('a batch of 120 accounts that ran GuardDuty with every feature on: ⌈120/50⌉ = 3 UpdateMemberDetectors per region, each account reported', async () => {
  const regions = ['us-east-1', 'eu-west-1'];
  const accounts = [];
  for (let i = 0; i < 120; i++) accounts.push(await addAccount(String(620000000000 + i), { detectors: { 'us-east-1': 'ENABLED', 'eu-west-1': 'ENABLED' } }));
  const before = await adminCalls();
  const started = await local.client.batch({ accounts, regions, protectionPlans: { LAMBDA_NETWORK_LOGS: 'ENABLED' } });
  expect(started.status).toBe(202);
  const batch = await local.client.waitForBatch(started.json.batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', enabled: 240, failed: 0 });
  const outcomes = await local.client.batchOutcomes(batch);
  const wanted = PROFILE_AS_WANTED.map((p) => (p.name === 'LAMBDA_NETWORK_LOGS' ? { ...p, status: 'ENABLED' } : p));
  expect(outcomes.every((o) => JSON.stringify((o as unknown as { protectionPlans: unknown }).protectionPlans) === JSON.stringify(wanted))).toBe(true);
  const calls = callsBetween(before, await adminCalls());
  for (const region of regions) {
    // Parts of 100 and 20 accounts: 2 + 1 calls, each for 50 accounts at most.
    expect(calls[`UpdateMemberDetectors@${region}`]).toBe(3);
    expect(calls[`GetMemberDetectors@${region}`]).toBe(6); // read and read back, 50 a call
  }
});
