/** The gde CLI against the whole app in local mode: what a person at a terminal or a pipeline sees. */
import { signedFetch } from '../../local/runtime/signed-fetch';
import { runCli } from '../../cli/main';
import { STAGE_NAME } from '../../lib/enrollment-api';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { LOCAL_ADMIN_ACCOUNT, startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { until } from '../helpers/until';
import { captureIo } from './capture-io';

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  // Detector deletion turned on (allowDetectorDeletion) for offboard --delete-detector.
  stack = await startLocalStack({ retryDelayMs: 20, lambdaLogLevel: 'SILENT', settings: { allowDetectorDeletion: true } });
  await seedSampleOrganization(stack.emulatorUrl);
  env = { GDE_API_URL: `${stack.apiUrl}/${STAGE_NAME}`, GDE_API_KEY: stack.apiKey };
});
afterAll(() => stack.close());

async function addAccount(accountId: string): Promise<{ accountId: string; email: string }> {
  const email = `owner-${accountId}@example.com`;
  const response = await fetch(`${stack.emulatorUrl}/_emulator/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountId, email }),
  });
  expect(response.status).toBe(200);
  return { accountId, email };
}

/** The emulator, as the emulator's control API answers. */
async function emulatorControl(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${stack.emulatorUrl}/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

/**
 * Holds the administrator's CreateMembers in `region` until released: an enrollment there stays
 * RUNNING in its CreateMember step for as long as the test needs, on a busy machine as on a quiet one.
 */
async function holdCreateMembers(region: string): Promise<{ whenHeld: () => Promise<void>; release: () => Promise<void> }> {
  const { id } = (await emulatorControl('POST', 'faults', { operation: 'CreateMembers', accountId: LOCAL_ADMIN_ACCOUNT, region, hold: true, count: 1 })) as {
    id: number;
  };
  return {
    whenHeld: () =>
      until(async () =>
        ((await emulatorControl('GET', 'faults')) as { faults: { id: number; held?: number }[] }).faults.some((f) => f.id === id && f.held === 1),
      ),
    release: async () => {
      await emulatorControl('POST', `faults/${id}/release`);
    },
  };
}

/** Starts the CLI in process; `done` is its exit code, `io` what it has written so far. */
function startGde(args: string[], options: { tty?: boolean; files?: Record<string, string> } = {}) {
  const io = captureIo({ env, ...options });
  // Poll fast: local enrollments take well under a second.
  const done = runCli(args.includes('--wait') ? [...args, '--poll-ms', '20'] : args, io);
  return { io, done };
}

async function gde(args: string[], options: { tty?: boolean; files?: Record<string, string> } = {}) {
  const { io, done } = startGde(args, options);
  const code = await done;
  return { code, out: io.out(), err: io.err() };
}

test('enroll --wait ends with every region ENABLED and exit code 0', async () => {
  const account = await addAccount('610000000001');
  const { code, out, err } = await gde(['enroll', '--account', account.accountId, '--email', account.email, '--regions', 'us-east-1,eu-west-1', '--wait']);
  expect(err).toBe('');
  expect(code).toBe(0);
  expect(out).toMatch(/pending: us-east-1, eu-west-1/);
  expect(out).toMatch(/us-east-1\s+ENABLED\s+Enabled, detector \w+/);
  expect(out).toMatch(/eu-west-1\s+ENABLED\s+Enabled, detector \w+/);
  expect(out).toMatch(/All 2 region\(s\) ENABLED\./);
  // Each region's protection plans and the free-trial days GuardDuty reports for the account.
  expect(out).toMatch(/us-east-1 protection plans: S3_DATA_EVENTS ENABLED, EKS_AUDIT_LOGS ENABLED, EBS_MALWARE_PROTECTION DISABLED/);
  expect(out).toMatch(/eu-west-1 free trial: .*S3_DATA_EVENTS 30 day\(s\) left/);
});

test('a region that fails makes enroll --wait exit 1 and shows its error code', async () => {
  // 444444444444 of the sample organisation has no member role.
  const { code, out } = await gde(['enroll', '--account', '444444444444', '--email', 'sandbox@example.com', '--regions', 'us-east-1', '--wait']);
  expect(code).toBe(1);
  expect(out).toMatch(/us-east-1\s+FAILED\s+MemberRoleNotAssumable: /);
  expect(out).toMatch(/1 of 1 region\(s\) FAILED/);
});

test("a request the API refuses shows the API's 400 message and exits 1", async () => {
  const { code, out, err } = await gde(['enroll', '--account', '610000000020', '--email', 'someone@example.com', '--regions', 'us-east-9']);
  expect(code).toBe(1);
  expect(out).toBe('');
  expect(err).toMatch(/POST \/enrollments → 400: Invalid request body: .*us-east-9/);
});

test.each([
  ['an account id that is not 12 digits', ['--account', '12345', '--email', 'someone@example.com'], /"12345" is not a 12-digit account id/],
  ['an email GuardDuty refuses', ['--account', '610000000021', '--email', 'someone@example'], /"someone@example" is not an email GuardDuty accepts/],
])('enroll with %s is refused before anything is sent: exit 2', async (_name, args, message) => {
  const executions = stack.stepFunctions.executionCount;
  const { code, err } = await gde(['enroll', ...args]);
  expect(code).toBe(2);
  expect(err).toMatch(message);
  expect(stack.stepFunctions.executionCount).toBe(executions);
});

test('enroll --idempotency-key K --wait run again after K succeeded follows the finished enrollment and exits 0', async () => {
  const account = await addAccount('610000000022');
  const args = [
    'enroll',
    '--account',
    account.accountId,
    '--email',
    account.email,
    '--regions',
    'us-east-1',
    '--idempotency-key',
    'vend-610000000022',
    '--wait',
  ];
  expect((await gde(args)).code).toBe(0);
  const executions = stack.stepFunctions.executionCount;
  const again = await gde(args);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/started earlier with this Idempotency-Key/);
  expect(again.out).toMatch(/All 1 region\(s\) ENABLED/);
  expect(stack.stepFunctions.executionCount).toBe(executions);
  // The same key for another account is not followed: it is someone else's enrollment.
  const other = await addAccount('610000000023');
  const taken = await gde(['enroll', '--account', other.accountId, '--email', other.email, '--idempotency-key', 'vend-610000000022', '--wait']);
  expect(taken.code).toBe(1);
  expect(taken.err).toMatch(/is taken by another enrollment/);
});

test('status shows a batch as well as an enrollment, and exits 1 once an account failed', async () => {
  const a = await addAccount('610000000024');
  const started = await signedFetch(`${env.GDE_API_URL}/enrollments/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
    body: JSON.stringify({ accounts: [a, { accountId: '444444444444', email: 'sandbox@example.com' }], regions: ['us-east-1'] }),
  });
  const { batchId } = (await started.json()) as { batchId: string };
  const { code, out } = await gde(['status', batchId, '--wait']);
  expect(code).toBe(1);
  expect(out).toMatch(new RegExp(`Batch ${batchId} · SUCCEEDED · 2 account\\(s\\) × 1 region\\(s\\) · 1 ENABLED, 1 FAILED`));
  expect(out).toMatch(/us-east-1-0: 1 ENABLED, 1 FAILED/);
  expect((await gde(['status', 'no-such-id'])).code).toBe(1);
});

test('--json prints only JSON: the started enrollment, then the final view with --wait', async () => {
  const account = await addAccount('610000000002');
  const started = await gde([
    'enroll',
    '--account',
    account.accountId,
    '--email',
    account.email,
    '--regions',
    'us-east-1',
    '--json',
    '--idempotency-key',
    'cli-json-610000000002',
  ]);
  expect(started.code).toBe(0);
  expect(JSON.parse(started.out)).toEqual({ enrollmentId: 'cli-json-610000000002', status: 'RUNNING', statusUrl: '/v1/enrollments/cli-json-610000000002' });

  const followed = await gde(['status', 'cli-json-610000000002', '--wait', '--json']);
  expect(followed.code).toBe(0);
  const view = JSON.parse(followed.out);
  expect(view).toMatchObject({ enrollmentId: 'cli-json-610000000002', accountId: account.accountId, status: 'SUCCEEDED', error: null });
  expect(view.regions).toEqual([expect.objectContaining({ region: 'us-east-1', outcome: 'ENABLED' })]);

  // Without --json, status prints the region's protection plans and free-trial days.
  const plain = await gde(['status', 'cli-json-610000000002']);
  expect(plain.code).toBe(0);
  expect(plain.out).toMatch(/us-east-1 protection plans: S3_DATA_EVENTS ENABLED, .*AI_PROTECTION DISABLED/);
  expect(plain.out).toMatch(/us-east-1 free trial: .*CLOUD_TRAIL 30 day\(s\) left/);
});

test('--json errors are JSON too, with the status and message', async () => {
  const { code, out } = await gde(['status', 'no-such-enrollment', '--json']);
  expect(code).toBe(1);
  expect(JSON.parse(out)).toEqual({ error: { status: 404, message: 'No enrollment has this id.', kind: 'api' } });
});

test('on a terminal --wait redraws one progress block in place and ends with the outcomes', async () => {
  const account = await addAccount('610000000003');
  const hold = await holdCreateMembers('us-west-2');
  const { io, done } = startGde(['enroll', '--account', account.accountId, '--email', account.email, '--regions', 'us-east-1,us-west-2', '--wait'], {
    tty: true,
  });
  try {
    // Held in us-west-2, the enrollment runs until released: the block is drawn, then drawn over.
    await until(() => io.out().includes('\x1b[3A\x1b[0J')); // cursor up over the block (header + 2 regions), erase below
    expect(io.out()).toMatch(/us-west-2\s+pending/);
  } finally {
    await hold.release();
  }
  expect(await done).toBe(0);
  const lastBlock = io.out().split('\x1b[0J').pop()!;
  expect(lastBlock).toMatch(/SUCCEEDED/);
  expect(lastBlock).not.toMatch(/pending/);
});

test('--wait that runs out of time exits 3 and says how to keep following', async () => {
  const account = await addAccount('610000000007');
  const hold = await holdCreateMembers('us-east-1');
  try {
    const started = await gde([
      'enroll',
      '--account',
      account.accountId,
      '--email',
      account.email,
      '--regions',
      'us-east-1',
      '--idempotency-key',
      'cli-slow-610000000007',
    ]);
    expect(started.code).toBe(0);
    // Held in its CreateMember step, the enrollment is still running when the 1 s wait ends, however long that took.
    await hold.whenHeld();
    const { code, out, err } = await gde(['status', 'cli-slow-610000000007', '--wait', '--timeout', '1']);
    expect(code).toBe(3);
    // The status route has no regions while it runs; the progress route names the started one and its step.
    expect(out).toMatch(/^Enrollment cli-slow-610000000007 for account 610000000007: RUNNING/);
    expect(out).toMatch(/^ {2}us-east-1: CreateMember$/m);
    expect(err).toMatch(/still RUNNING after \d+ s; it goes on\. Follow it with: gde status cli-slow-610000000007 --wait/);
  } finally {
    await hold.release();
    await stack.stepFunctions.idle();
  }
});

test('bulk --wait enrolls the CSV as one batch and reports each account in each region; an account that fails makes it exit 1', async () => {
  const a = await addAccount('610000000004');
  const b = await addAccount('610000000005');
  // 444444444444 of the sample organisation has no member role.
  const csv = `Account ID,Email\r\n${a.accountId},${a.email}\r\n"${b.accountId}","${b.email}"\r\n444444444444,sandbox@example.com\r\n`;
  const { code, out, err } = await gde(['bulk', 'accounts.csv', '--regions', 'us-east-1,eu-west-1', '--wait'], { files: { 'accounts.csv': csv } });
  expect(err).toBe('');
  expect(code).toBe(1);
  expect(out).toMatch(/^Batch \S+ started: 3 account\(s\) \(lines 2–4\) in us-east-1, eu-west-1\.$/m);
  expect(out).toMatch(/Batch \S+: SUCCEEDED after [\d.]+s \(4 ENABLED, 2 FAILED\)/);
  for (const region of ['us-east-1', 'eu-west-1']) {
    expect(out).toMatch(new RegExp(`✔ line 2 +610000000004 +${region} +ENABLED +Enabled, detector \\w+`));
    expect(out).toMatch(new RegExp(`✔ line 3 +610000000005 +${region} +ENABLED +Enabled, detector \\w+`));
    expect(out).toMatch(new RegExp(`✖ line 4 +444444444444 +${region} +FAILED +MemberRoleNotAssumable: `));
  }
  expect(out).toMatch(/2 of 6 account-region\(s\) FAILED \(lines 4\)\.$/m);
});

test('bulk --json starts one batch; the same command again with --wait starts nothing new and reports every account ENABLED', async () => {
  const a = await addAccount('610000000009');
  const b = await addAccount('610000000010');
  const files = { 'accounts.csv': `Account ID,Email\n${a.accountId},${a.email}\n${b.accountId},${b.email}\n` };
  const args = ['bulk', 'accounts.csv', '--regions', 'us-east-1', '--idempotency-key', 'cli-bulk-wave', '--json'];
  const started = await gde(args, { files });
  expect(started.code).toBe(0);
  expect(JSON.parse(started.out)).toEqual({
    batches: [
      { batchId: 'cli-bulk-wave', status: 'RUNNING', statusUrl: '/v1/enrollments/batch/cli-bulk-wave', accountCount: 2, lines: [2, 3], existing: false },
    ],
  });
  await stack.stepFunctions.idle();

  const executions = stack.stepFunctions.executionCount;
  const followed = await gde([...args, '--wait'], { files });
  expect(followed.code).toBe(0);
  expect(stack.stepFunctions.executionCount).toBe(executions);
  const [batch] = JSON.parse(followed.out).batches;
  expect(batch).toMatchObject({ batchId: 'cli-bulk-wave', status: 'SUCCEEDED', existing: true, enabled: 2, failed: 0 });
  expect(batch.outcomes).toEqual([
    {
      line: 2,
      accountId: a.accountId,
      region: 'us-east-1',
      outcome: 'ENABLED',
      relationshipStatus: 'Enabled',
      memberDetectorId: expect.any(String),
      error: null,
      protectionPlans: expect.any(Array),
    },
    {
      line: 3,
      accountId: b.accountId,
      region: 'us-east-1',
      outcome: 'ENABLED',
      relationshipStatus: 'Enabled',
      memberDetectorId: expect.any(String),
      error: null,
      protectionPlans: expect.any(Array),
    },
  ]);
});

test('bulk refuses a CSV without the console header and sends nothing', async () => {
  const before = stack.stepFunctions.executionCount;
  const { code, err } = await gde(['bulk', 'accounts.csv'], { files: { 'accounts.csv': 'AccountId,EmailAddress\n610000000006,x@example.com\n' } });
  expect(code).toBe(2);
  expect(err).toMatch(/accounts\.csv: the first line must be the GuardDuty console header "Account ID,Email"; found "AccountId,EmailAddress"/);
  expect(stack.stepFunctions.executionCount).toBe(before);
});

test('offboard --wait after enroll ends with every region OFFBOARDED, the detector kept, and exit code 0', async () => {
  const account = await addAccount('610000000007');
  expect((await gde(['enroll', '--account', account.accountId, '--email', account.email, '--regions', 'us-east-1,eu-west-1', '--wait'])).code).toBe(0);
  const { code, out, err } = await gde(['offboard', account.accountId, '--regions', 'us-east-1,eu-west-1', '--wait']);
  expect(err).toBe('');
  expect(code).toBe(0);
  expect(out).toMatch(/us-east-1\s+OFFBOARDED\s+Enabled, detector \w+/);
  expect(out).toMatch(/eu-west-1\s+OFFBOARDED\s+Enabled, detector \w+/);
  expect(out).toMatch(/All 2 region\(s\) OFFBOARDED\./);
});

test('offboard --delete-detector --json answers the started offboarding, which ends with no detector left', async () => {
  const account = await addAccount('610000000008');
  expect((await gde(['enroll', '--account', account.accountId, '--email', account.email, '--regions', 'us-east-1', '--wait'])).code).toBe(0);
  const { code, out } = await gde([
    'offboard',
    account.accountId,
    '--regions',
    'us-east-1',
    '--delete-detector',
    '--idempotency-key',
    `off-${account.accountId}`,
    '--json',
  ]);
  expect(code).toBe(0);
  expect(JSON.parse(out)).toEqual({ enrollmentId: `off-${account.accountId}`, status: 'RUNNING', statusUrl: `/v1/enrollments/off-${account.accountId}` });
  const status = await gde(['status', `off-${account.accountId}`, '--wait', '--json']);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.out).regions).toEqual([
    { region: 'us-east-1', outcome: 'OFFBOARDED', relationshipStatus: 'Enabled', memberDetectorId: null, error: null },
  ]);
});

test("offboard of an invalid account id shows the API's 400 message and exits 1", async () => {
  const { code, err } = await gde(['offboard', '12345']);
  expect(code).toBe(1);
  expect(err).toMatch(/DELETE \/enrollments\/12345 → 400: Offboarding needs a 12-digit account id/);
});

test('offboard against an API without the route explains that offboarding is not available', async () => {
  const io = captureIo({ env: { ...env, GDE_API_URL: `${stack.apiUrl}/${STAGE_NAME}/not-this-api` } });
  expect(await runCli(['offboard', '222222222222'], io)).toBe(1);
  expect(io.err()).toMatch(/DELETE \/enrollments\/222222222222 → 403: Missing Authentication Token/);
  expect(io.err()).toMatch(/Offboarding is not available from this API.*Nothing was changed/);
});

test('a wrong API key is named as the problem', async () => {
  const io = captureIo({ env: { ...env, GDE_API_KEY: 'wrong' } });
  expect(await runCli(['status', 'anything'], io)).toBe(1);
  expect(io.err()).toMatch(/403: Forbidden\n {2}The API key was refused/);
});
