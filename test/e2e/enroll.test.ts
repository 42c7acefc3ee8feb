/** End to end: HTTP → local API Gateway → the template's state machine → real handlers → emulator. */
import { GuardDutyClient, ListDetectorsCommand, UpdateDetectorCommand } from '@aws-sdk/client-guardduty';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { LocalClient, MUTATING, callsBetween } from './local-client';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack({ retryDelayMs: 100, lambdaLogLevel: 'ERROR' });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(() => stack.close());

async function addAccount(accountId: string, extra: Record<string, unknown> = {}) {
  await client.control('POST', 'accounts', { accountId, email: `owner-${accountId}@example.com`, ...extra });
  return { accountId, email: `owner-${accountId}@example.com` };
}

test('an account is enrolled in three regions and each ends Enabled with its own detector', async () => {
  const account = await addAccount('510000000001');
  const started = await client.enroll({ ...account, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] });
  expect(started.status).toBe(202);
  expect(started.json).toEqual({ enrollmentId: expect.any(String), status: 'RUNNING', statusUrl: `/v1/enrollments/${started.json.enrollmentId}` });

  const result = await client.waitFor(started.json.enrollmentId);
  expect(result).toMatchObject({ enrollmentId: started.json.enrollmentId, accountId: account.accountId, status: 'SUCCEEDED', error: null });
  expect(result.regions.map((r) => [r.region, r.outcome, r.relationshipStatus])).toEqual([
    ['us-east-1', 'ENABLED', 'Enabled'],
    ['eu-west-1', 'ENABLED', 'Enabled'],
    ['ap-southeast-2', 'ENABLED', 'Enabled'],
  ]);
  expect(new Set(result.regions.map((r) => r.memberDetectorId)).size).toBe(3);
  expect(result.startedAt).toBeLessThanOrEqual(result.stoppedAt!);
});

test('the same Idempotency-Key twice starts one execution; after it ends the key answers 409', async () => {
  const account = await addAccount('510000000002');
  const body = { ...account, regions: ['us-east-1'] };
  const executionsBefore = stack.stepFunctions.executionCount;
  const [first, second] = await Promise.all([
    client.enroll(body, { 'Idempotency-Key': 'vending-run-42' }),
    client.enroll(body, { 'Idempotency-Key': 'vending-run-42' }),
  ]);
  expect([first.status, second.status]).toEqual([202, 202]);
  expect(first.json.enrollmentId).toBe('vending-run-42');
  expect(second.json.enrollmentId).toBe('vending-run-42');
  expect(stack.stepFunctions.executionCount).toBe(executionsBefore + 1);

  expect((await client.waitFor('vending-run-42')).status).toBe('SUCCEEDED');
  const late = await client.enroll(body, { 'Idempotency-Key': 'vending-run-42' });
  expect(late.status).toBe(409);
  expect(late.json.message).toMatch(/already exists/);
  // The answer names where the existing enrollment is read, and that route reads it.
  expect(late.json.statusUrl).toBe('/v1/enrollments/vending-run-42');
  expect((await client.request('GET', late.json.statusUrl.replace(/^\/v1/, ''))).json).toMatchObject({ enrollmentId: 'vending-run-42', status: 'SUCCEEDED' });
  expect(stack.stepFunctions.executionCount).toBe(executionsBefore + 1);
});

test('re-enrolling an enrolled account ends Enabled with zero mutating calls', async () => {
  const account = await addAccount('510000000003');
  expect((await client.enrollAndWait({ ...account, regions: ['us-east-1', 'us-west-2'] })).status).toBe('SUCCEEDED');

  const before = await client.callCounts();
  const again = await client.enrollAndWait({ ...account, regions: ['us-east-1', 'us-west-2'] });
  const calls = callsBetween(before, await client.callCounts());

  expect(again.status).toBe('SUCCEEDED');
  expect(again.regions.every((r) => r.outcome === 'ENABLED' && r.relationshipStatus === 'Enabled')).toBe(true);
  expect(Object.keys(calls).filter((op) => MUTATING.includes(op))).toEqual([]);
  expect(calls.AssumeRole).toBeUndefined();
});

test('a member whose detector was disabled is re-enabled by enrolling again', async () => {
  const account = await addAccount('510000000004');
  expect((await client.enrollAndWait({ ...account, regions: ['us-east-1'] })).status).toBe('SUCCEEDED');
  const member = new GuardDutyClient({
    region: 'us-east-1',
    endpoint: stack.emulatorUrl,
    credentials: { accessKeyId: `AKID${account.accountId}`, secretAccessKey: 'x' },
  });
  const { DetectorIds } = await member.send(new ListDetectorsCommand({}));
  await member.send(new UpdateDetectorCommand({ DetectorId: DetectorIds![0], Enable: false }));

  const result = await client.enrollAndWait({ ...account, regions: ['us-east-1'] });
  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: DetectorIds![0] });
  const state = await client.control('GET', `accounts/${account.accountId}`);
  expect(JSON.stringify(state)).toContain('ENABLED');
  member.destroy();
});

test('an invitation slow to become visible is waited for and the account still ends Enabled', async () => {
  const account = await addAccount('510000000005');
  await client.control('POST', 'settings', { invitationDelayMs: 400 });
  try {
    const result = await client.enrollAndWait({ ...account, regions: ['us-east-1'] });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.regions[0].outcome).toBe('ENABLED');
  } finally {
    await client.control('POST', 'settings', { invitationDelayMs: 0 });
  }
});

test('a burst of throttling on InviteMembers is ridden out and the account ends Enabled', async () => {
  const account = await addAccount('510000000006');
  await client.control('POST', 'faults', { operation: 'InviteMembers', accountId: '111111111111', error: 'throttle', count: 4 });
  const before = await client.callCounts();
  const result = await client.enrollAndWait({ ...account, regions: ['us-east-1'] });
  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions[0].outcome).toBe('ENABLED');
  expect(callsBetween(before, await client.callCounts()).InviteMembers).toBe(5);
});

test('the GuardDuty Signup route enrolls the member named in its path', async () => {
  const account = await addAccount('510000000007');
  const started = await client.request('GET', `/guarddutysignup/MasterDetectorId/abc123/MemberId/${account.accountId}/Email/${account.email}`);
  expect(started.status).toBe(200);
  expect(started.json).toMatchObject({ enrollmentId: expect.any(String), status: 'RUNNING', executionArn: expect.stringContaining(':execution:') });
  const result = await client.waitFor(started.json.enrollmentId);
  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions.map((r) => r.region)).toEqual(['us-east-1']);
});
