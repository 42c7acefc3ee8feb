/** End to end: POST /enrollments/batch (JSON and the console's CSV) in local mode, with batched administrator calls. */
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { LOCAL_ADMIN_ACCOUNT, startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { LocalClient, MUTATING, callsBetween } from './local-client';

let stack: LocalStack;
let client: LocalClient;

const REGIONS = ['us-east-1', 'eu-west-1'];

beforeAll(async () => {
  stack = await startLocalStack({ retryDelayMs: 10, lambdaLogLevel: 'SILENT' });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(() => stack.close());

/** The administrator-side calls per operation and region made between two snapshots. */
async function adminCalls(): Promise<Record<string, number>> {
  const { calls } = (await client.control('GET', 'calls')) as { calls: { operation: string; accountId: string; region: string; count: number }[] };
  const counts: Record<string, number> = {};
  for (const c of calls) if (c.accountId === LOCAL_ADMIN_ACCOUNT) counts[`${c.operation}@${c.region}`] = (counts[`${c.operation}@${c.region}`] ?? 0) + c.count;
  return counts;
}

describe('300 existing accounts', () => {
  let accounts: { accountId: string; email: string }[];
  beforeAll(async () => {
    accounts = await client.addAccounts(500000000000, 300);
  });

  test('a JSON batch enrolls all 300 in two regions with one administrator call per 50 accounts for each operation', async () => {
    const before = await adminCalls();
    const started = await client.batch({ accounts, regions: REGIONS });
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ batchId: expect.any(String), status: 'RUNNING', statusUrl: `/v1/enrollments/batch/${started.json.batchId}` });

    const batch = await client.waitForBatch(started.json.batchId);
    expect(batch).toMatchObject({ status: 'SUCCEEDED', accountCount: 300, regions: REGIONS, enabled: 600, failed: 0, error: null });
    expect(batch.parts.map((p) => p.partId).sort()).toEqual(['eu-west-1-0', 'eu-west-1-1', 'eu-west-1-2', 'us-east-1-0', 'us-east-1-1', 'us-east-1-2']);

    const outcomes = await client.batchOutcomes(batch);
    expect(outcomes).toHaveLength(600);
    // Outcomes name accounts, never their emails.
    expect(JSON.stringify(outcomes)).not.toContain('@');
    for (const region of REGIONS) {
      const here = outcomes.filter((o) => o.region === region);
      expect(new Set(here.map((o) => o.accountId))).toEqual(new Set(accounts.map((a) => a.accountId)));
      expect(here.every((o) => o.outcome === 'ENABLED' && o.relationshipStatus === 'Enabled' && o.memberDetectorId && o.error === null)).toBe(true);
    }

    // ⌈300/50⌉ = 6 calls per batched operation and region: GetMembers twice (prepare and verify).
    const calls = callsBetween(before, await adminCalls());
    for (const region of REGIONS) {
      expect(calls[`CreateMembers@${region}`]).toBe(6);
      expect(calls[`InviteMembers@${region}`]).toBe(6);
      expect(calls[`GetMembers@${region}`]).toBe(12);
    }
    // The member side stays per account: one AssumeRole per account and region, from the administrator.
    expect(calls[`AssumeRole@us-east-1`]).toBe(600);
  });

  test("the same accounts sent again as the console's CSV end Enabled with no mutating call and no verification round", async () => {
    const before = await client.callCounts();
    const beforeAdmin = await adminCalls();
    const csv = ['Account ID,Email', ...accounts.map((a) => ` ${a.accountId} , ${a.email} `), ''].join('\r\n');
    const started = await client.batch(csv, { query: `regions=${REGIONS.join(',')}` });
    expect(started.status).toBe(202);
    const batch = await client.waitForBatch(started.json.batchId);
    expect(batch).toMatchObject({ status: 'SUCCEEDED', accountCount: 300, enabled: 600, failed: 0 });

    const calls = callsBetween(before, await client.callCounts());
    for (const operation of MUTATING) expect(calls[operation]).toBeUndefined();
    const admin = callsBetween(beforeAdmin, await adminCalls());
    for (const region of REGIONS) expect(admin[`GetMembers@${region}`]).toBe(6);
    expect(calls.AssumeRole).toBeUndefined();
  });
});

test('an account with its own problem fails alone with the single enrollment error; the others of its part are enrolled', async () => {
  const good = await client.addAccounts(510000000000, 3);
  await client.control('POST', 'accounts', { accountId: '510000000099', email: 'norole@example.com', memberRole: null });
  const started = await client.batch({
    accounts: [...good, { accountId: LOCAL_ADMIN_ACCOUNT, email: 'security@example.com' }, { accountId: '510000000099', email: 'norole@example.com' }],
    regions: ['us-east-1'],
  });
  const batch = await client.waitForBatch(started.json.batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', enabled: 3, failed: 2 });
  const outcomes = await client.batchOutcomes(batch);
  const byAccount = Object.fromEntries(outcomes.map((o) => [o.accountId, o]));
  for (const { accountId } of good) expect(byAccount[accountId].outcome).toBe('ENABLED');
  expect(byAccount[LOCAL_ADMIN_ACCOUNT].error).toMatchObject({
    code: 'InvalidEnrollmentRequest',
    message: expect.stringContaining('administrator account itself'),
  });
  expect(byAccount['510000000099']).toMatchObject({ outcome: 'FAILED', relationshipStatus: 'Invited', error: { code: 'MemberRoleNotAssumable' } });
});

test('a region whose administrator has no detector fails every account there with AdminDetectorMissing, and the other region enrolls them', async () => {
  const accounts = await client.addAccounts(520000000000, 2);
  const started = await client.batch({ accounts, regions: ['us-east-1', 'ap-east-1'] });
  const batch = await client.waitForBatch(started.json.batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', enabled: 2, failed: 2 });
  const outcomes = await client.batchOutcomes(batch);
  expect(outcomes.filter((o) => o.region === 'ap-east-1').map((o) => o.error?.code)).toEqual(['AdminDetectorMissing', 'AdminDetectorMissing']);
  expect(outcomes.filter((o) => o.region === 'us-east-1').map((o) => o.outcome)).toEqual(['ENABLED', 'ENABLED']);
});

test('a CSV with a lower-case header, LF line ends and blank lines is read as the console writes it', async () => {
  const [a, b] = await client.addAccounts(560000000000, 2);
  const started = await client.batch(`account id,email\n\n${a.accountId},${a.email}\n\n${b.accountId},${b.email}`);
  expect(started.status).toBe(202);
  const batch = await client.waitForBatch(started.json.batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', accountCount: 2, enabled: 2 });
});

test('throttled and failing batched calls are retried: every account still ends Enabled, and only the refused calls are repeated', async () => {
  const accounts = await client.addAccounts(570000000000, 120);
  await client.control('POST', 'faults', { operation: 'CreateMembers', accountId: LOCAL_ADMIN_ACCOUNT, error: 'throttle', count: 2 });
  await client.control('POST', 'faults', { operation: 'GetMembers', accountId: LOCAL_ADMIN_ACCOUNT, error: 'internal', count: 1 });
  const before = await adminCalls();
  const started = await client.batch({ accounts, regions: ['us-east-1'] });
  const batch = await client.waitForBatch(started.json.batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', enabled: 120, failed: 0 });
  const calls = callsBetween(before, await adminCalls());
  // ⌈120/50⌉ = 3 accounts-calls, over 2 parts (100 + 20): 3 CreateMembers that succeed, 2 refused
  // ones retried; a retried PrepareMembers reads again and creates only what is still missing.
  expect(calls['CreateMembers@us-east-1']).toBe(3 + 2);
  expect(calls['InviteMembers@us-east-1']).toBe(3);
});

test('without regions a batch covers the deployment default region', async () => {
  const accounts = await client.addAccounts(530000000000, 1);
  const started = await client.batch({ accounts });
  const batch = await client.waitForBatch(started.json.batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', regions: ['us-east-1'], enabled: 1 });
});

describe('requests that are refused start nothing', () => {
  const account = { accountId: '540000000001', email: 'root+540000000001@example.com' };
  const cases: [string, () => Promise<{ status: number; json: any }>][] = [
    ['an account listed twice (JSON)', () => client.batch({ accounts: [account, account] })],
    ['no accounts (JSON)', () => client.batch({ accounts: [] })],
    [
      '1,001 accounts (JSON)',
      () => client.batch({ accounts: Array.from({ length: 1001 }, (_, i) => ({ accountId: String(600000000000 + i), email: `a${i}@example.com` })) }),
    ],
    ['an email GuardDuty refuses (JSON)', () => client.batch({ accounts: [{ accountId: '540000000001', email: 'no-at-sign.example.com' }] })],
    ['an Idempotency-Key longer than 40 characters', () => client.batch({ accounts: [account] }, { headers: { 'Idempotency-Key': 'k'.repeat(41) } })],
    ['a CSV without the header line', () => client.batch('540000000001,root@example.com\n')],
    ['a CSV line with three cells', () => client.batch('Account ID,Email\n540000000001,root@example.com,extra\n')],
    ['a CSV line with a short account id', () => client.batch('Account ID,Email\n54000000001,root@example.com\n')],
    ['a CSV listing an account twice', () => client.batch('Account ID,Email\n540000000001,a@example.com\n540000000001,b@example.com\n')],
    ['a CSV with only its header', () => client.batch('Account ID,Email\n')],
    [
      'a CSV of 1,001 accounts',
      () => client.batch(['Account ID,Email', ...Array.from({ length: 1001 }, (_, i) => `${600000000000 + i},a${i}@example.com`)].join('\n')),
    ],
    ['a CSV with a bad regions query', () => client.batch('Account ID,Email\n540000000001,root@example.com\n', { query: 'regions=us-east-1,,eu' })],
  ];
  test.each(cases)('%s answers 400 with how a batch must look', async (_name, send) => {
    const executions = stack.stepFunctions.executionCount;
    const answer = await send();
    expect(answer.status).toBe(400);
    expect(answer.json.message).toEqual(expect.any(String));
    expect(stack.stepFunctions.executionCount).toBe(executions);
  });

  test('a body in another media type answers 415', async () => {
    const answer = await client.request('POST', '/enrollments/batch', { rawBody: '<accounts/>', headers: { 'content-type': 'application/xml' } });
    expect(answer.status).toBe(415);
  });
});

test('an Idempotency-Key makes a repeated batch the same batch while it runs, and 409 once it has finished', async () => {
  const accounts = await client.addAccounts(550000000000, 2);
  const headers = { 'Idempotency-Key': 'onboarding-wave-7' };
  const [first, second] = await Promise.all([client.batch({ accounts }, { headers }), client.batch({ accounts }, { headers })]);
  expect([first.status, second.status]).toEqual([202, 202]);
  expect(second.json.batchId).toBe('onboarding-wave-7');
  await client.waitForBatch('onboarding-wave-7');
  const late = await client.batch({ accounts }, { headers });
  expect(late.status).toBe(409);
  // The answer names the batch's own status route (not the single-enrollment route, which 404s for a batch).
  expect(late.json.statusUrl).toBe('/v1/enrollments/batch/onboarding-wave-7');
  expect((await client.request('GET', late.json.statusUrl.replace(/^\/v1/, ''))).json).toMatchObject({ batchId: 'onboarding-wave-7', status: 'SUCCEEDED' });
});

test('status and outcome routes answer 404 for what is not a batch or a part of one', async () => {
  const single = await client.enroll({ accountId: '222222222222', email: 'workloads-dev@example.com' });
  await client.waitFor(single.json.enrollmentId);
  expect((await client.request('GET', `/enrollments/batch/${single.json.enrollmentId}`)).status).toBe(404);
  const batch = await client.batch({ accounts: [{ accountId: '222222222222', email: 'workloads-dev@example.com' }] });
  await client.waitForBatch(batch.json.batchId);
  const asEnrollment = await client.request('GET', `/enrollments/${batch.json.batchId}`);
  expect(asEnrollment).toMatchObject({ status: 404, json: { message: expect.stringContaining('GET /enrollments/batch/') } });
  expect((await client.request('GET', '/enrollments/batch/no-such-batch')).status).toBe(404);
  expect((await client.request('GET', '/enrollments/batch/no-such-batch/parts/us-east-1-0')).status).toBe(404);
  expect((await client.request('GET', '/enrollments/batch/x/parts/not-a-part')).status).toBe(404);
});
