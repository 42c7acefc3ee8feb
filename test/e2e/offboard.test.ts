/** End to end: DELETE /enrollments/{accountId} in local mode, after (or without) an enrollment. */
import { GetAdministratorAccountCommand, GetMembersCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { LOCAL_ADMIN_ACCOUNT, startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { LocalClient, MUTATING, callsBetween } from './local-client';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  // Detector deletion is off by default (allowDetectorDeletion); these tests cover it turned on.
  stack = await startLocalStack({ retryDelayMs: 20, lambdaLogLevel: 'SILENT', settings: { allowDetectorDeletion: true } });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(() => stack.close());

async function addAccount(accountId: string) {
  await client.control('POST', 'accounts', { accountId, email: `owner-${accountId}@example.com` });
  return { accountId, email: `owner-${accountId}@example.com` };
}

function guardDuty(accountId: string, region: string): GuardDutyClient {
  return new GuardDutyClient({ region, endpoint: stack.emulatorUrl, credentials: { accessKeyId: `AKID${accountId}`, secretAccessKey: 'x' } });
}

/** The administrator's member record of the account in the region, if any. */
async function adminMember(accountId: string, region: string) {
  const admin = guardDuty(LOCAL_ADMIN_ACCOUNT, region);
  const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
  const { Members } = await admin.send(new GetMembersCommand({ DetectorId: DetectorIds![0], AccountIds: [accountId] }));
  return Members?.find((m) => m.AccountId === accountId);
}

/** The member's detector id and administrator in the region. */
async function memberView(accountId: string, region: string) {
  const member = guardDuty(accountId, region);
  const { DetectorIds } = await member.send(new ListDetectorsCommand({}));
  const detectorId = DetectorIds?.[0];
  if (!detectorId) return { detectorId: undefined, administrator: undefined };
  const { Administrator } = await member.send(new GetAdministratorAccountCommand({ DetectorId: detectorId }));
  return { detectorId, administrator: Administrator?.AccountId };
}

async function offboard(accountId: string, query = '', headers: Record<string, string> = {}) {
  const started = await client.request('DELETE', `/enrollments/${accountId}${query}`, { headers });
  if (started.status !== 202) throw new Error(`DELETE answered ${started.status}: ${started.text}`);
  return started;
}

const REGIONS = ['us-east-1', 'eu-west-1'];

test('offboarding an enrolled account removes it on both sides and keeps its detector running', async () => {
  const account = await addAccount('530000000001');
  expect((await client.enrollAndWait({ ...account, regions: REGIONS })).status).toBe('SUCCEEDED');
  const detectors = await Promise.all(REGIONS.map(async (r) => (await memberView(account.accountId, r)).detectorId));

  const started = await offboard(account.accountId, '?regions=us-east-1,eu-west-1');
  expect(started.json).toEqual({ enrollmentId: expect.any(String), status: 'RUNNING', statusUrl: `/v1/enrollments/${started.json.enrollmentId}` });
  const result = await client.waitFor(started.json.enrollmentId);

  expect(result).toMatchObject({ accountId: account.accountId, status: 'SUCCEEDED', error: null });
  expect(result.regions).toEqual(
    REGIONS.map((region, i) => ({ region, outcome: 'OFFBOARDED', relationshipStatus: 'Enabled', memberDetectorId: detectors[i], error: null })),
  );
  for (const [i, region] of REGIONS.entries()) {
    expect(await adminMember(account.accountId, region)).toBeUndefined();
    expect(await memberView(account.accountId, region)).toEqual({ detectorId: detectors[i], administrator: undefined });
  }
  const progress = await client.request('GET', `/enrollments/${started.json.enrollmentId}/progress`);
  expect(progress.status).toBe(200);
  expect(progress.json.regions.map((r: { step: string }) => r.step)).toEqual(['LeaveAdministrator', 'LeaveAdministrator']);
});

test('with deleteDetector=true the member detector is deleted too', async () => {
  const account = await addAccount('530000000002');
  expect((await client.enrollAndWait({ ...account, regions: ['us-east-1'] })).status).toBe('SUCCEEDED');

  const result = await client.waitFor((await offboard(account.accountId, '?regions=us-east-1&deleteDetector=true')).json.enrollmentId);

  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions).toEqual([{ region: 'us-east-1', outcome: 'OFFBOARDED', relationshipStatus: 'Enabled', memberDetectorId: null, error: null }]);
  expect(await adminMember(account.accountId, 'us-east-1')).toBeUndefined();
  expect(await memberView(account.accountId, 'us-east-1')).toEqual({ detectorId: undefined, administrator: undefined });
});

test('offboarding a never-enrolled account succeeds in every region, and again with no mutating call on the administrator side', async () => {
  const account = await addAccount('530000000003');
  const first = await client.waitFor((await offboard(account.accountId, '?regions=us-east-1,eu-west-1')).json.enrollmentId);
  expect(first.status).toBe('SUCCEEDED');
  expect(first.regions.map((r) => [r.region, r.outcome, r.relationshipStatus, r.error])).toEqual([
    ['us-east-1', 'OFFBOARDED', null, null],
    ['eu-west-1', 'OFFBOARDED', null, null],
  ]);

  const before = await client.callCounts();
  const second = await client.waitFor((await offboard(account.accountId, '?regions=us-east-1,eu-west-1')).json.enrollmentId);
  const calls = callsBetween(before, await client.callCounts());
  expect(second.status).toBe('SUCCEEDED');
  expect(second.regions.every((r) => r.outcome === 'OFFBOARDED')).toBe(true);
  expect(Object.keys(calls).filter((op) => [...MUTATING, 'DisassociateFromAdministratorAccount', 'DeleteDetector'].includes(op))).toEqual([]);
  expect(calls.GetMembers).toBe(2);
});

test('offboarding twice after an enrollment: the second makes no mutating call', async () => {
  const account = await addAccount('530000000004');
  expect((await client.enrollAndWait({ ...account, regions: ['us-east-1'] })).status).toBe('SUCCEEDED');
  expect((await client.waitFor((await offboard(account.accountId, '?regions=us-east-1')).json.enrollmentId)).status).toBe('SUCCEEDED');

  const before = await client.callCounts();
  const again = await client.waitFor((await offboard(account.accountId, '?regions=us-east-1')).json.enrollmentId);
  const calls = callsBetween(before, await client.callCounts());
  expect(again.regions).toEqual([{ region: 'us-east-1', outcome: 'OFFBOARDED', relationshipStatus: null, memberDetectorId: expect.any(String), error: null }]);
  expect(Object.keys(calls).filter((op) => [...MUTATING, 'DisassociateFromAdministratorAccount', 'DeleteDetector'].includes(op))).toEqual([]);
});

test('a member role gone since enrolling: the administrator side is still removed, the region FAILS with MemberRoleNotAssumable', async () => {
  const account = await addAccount('530000000005');
  expect((await client.enrollAndWait({ ...account, regions: ['us-east-1'] })).status).toBe('SUCCEEDED');
  await client.control('POST', 'accounts', { ...account, memberRole: null });

  const result = await client.waitFor((await offboard(account.accountId, '?regions=us-east-1')).json.enrollmentId);

  expect(result.status).toBe('FAILED');
  expect(result.regions).toHaveLength(1);
  expect(result.regions[0]).toMatchObject({ region: 'us-east-1', outcome: 'FAILED', relationshipStatus: 'Enabled', error: { code: 'MemberRoleNotAssumable' } });
  expect(result.regions[0].error!.message).toMatch(
    /^administrator side done \(account 530000000005 was removed from administrator 111111111111 in us-east-1\); member side not done: cannot assume role/,
  );
  expect(await adminMember(account.accountId, 'us-east-1')).toBeUndefined();
});

test('the default regions apply when none are given, and an Idempotency-Key names the offboarding', async () => {
  const account = await addAccount('530000000006');
  const started = await offboard(account.accountId, '', { 'Idempotency-Key': `offboard-${account.accountId}` });
  expect(started.json.enrollmentId).toBe(`offboard-${account.accountId}`);
  const result = await client.waitFor(started.json.enrollmentId);
  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions.map((r) => r.region)).toEqual(stack.settings.defaultRegions.length > 0 ? stack.settings.defaultRegions : ['us-east-1']);
  expect(result.regions.every((r) => r.outcome === 'OFFBOARDED')).toBe(true);
});

test.each([
  ['a short account id', '/enrollments/12345'],
  ['an invalid region', '/enrollments/530000000007?regions=us-east-1,Mars'],
  ['an empty region list', '/enrollments/530000000007?regions='],
  ['a trailing comma', '/enrollments/530000000007?regions=us-east-1,'],
  ['a repeated region', '/enrollments/530000000007?regions=us-east-1,us-east-1'],
  ['deleteDetector not a boolean', '/enrollments/530000000007?deleteDetector=yes'],
  ['a quote in the regions', '/enrollments/530000000007?regions=us-east-1%22'],
])('%s is refused with 400 and nothing starts', async (_name, path) => {
  const before = stack.stepFunctions.executionCount;
  const answer = await client.request('DELETE', path);
  expect(answer.status).toBe(400);
  expect(answer.json.message).toMatch(/^Offboarding needs a 12-digit account id in the path; regions, when given, a comma-separated list/);
  expect(stack.stepFunctions.executionCount).toBe(before);
});

test('DELETE requires the API key', async () => {
  const answer = await client.request('DELETE', '/enrollments/530000000008', { apiKey: null });
  expect(answer.status).toBe(403);
});
