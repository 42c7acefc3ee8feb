/** `gde bulk` against a fake of the batch routes: what is sent, what is printed, and the exit code. */
import { planBatches } from '../../cli/batches';
import { runCli } from '../../cli/main';
import { captureIo } from './capture-io';
import { FAKE_API_URL, FakeBatchApi, consoleCsv } from './fake-batch-api';

/** gde signs every request (SigV4) with the keys of its environment; the fake API ignores the signature. */
const SIGNING_KEYS = { AWS_ACCESS_KEY_ID: 'AKID111111111111', AWS_SECRET_ACCESS_KEY: 'x' };

let api: FakeBatchApi;
beforeEach(() => {
  api = new FakeBatchApi().install();
});
afterEach(() => api.uninstall());

async function gde(args: string[], files: Record<string, string>) {
  const io = captureIo({ env: { GDE_API_URL: FAKE_API_URL, GDE_API_KEY: 'k', ...SIGNING_KEYS }, files });
  const code = await runCli(args.includes('--wait') ? [...args, '--poll-ms', '10'] : args, io);
  return { code, out: io.out(), err: io.err() };
}

test('a file of 2,500 accounts is sent as three batches of at most 1,000, keyed K-1, K-2 and K-3', async () => {
  const { code, out } = await gde(['bulk', 'big.csv', '--regions', 'us-east-1,eu-west-1', '--idempotency-key', 'wave7'], { 'big.csv': consoleCsv(2500) });
  expect(code).toBe(0);
  expect(api.posted.map((r) => [r.headers['idempotency-key'], r.body.accounts.length, r.body.regions])).toEqual([
    ['wave7-1', 1000, ['us-east-1', 'eu-west-1']],
    ['wave7-2', 1000, ['us-east-1', 'eu-west-1']],
    ['wave7-3', 500, ['us-east-1', 'eu-west-1']],
  ]);
  expect(api.posted[1].body.accounts[0]).toEqual({ accountId: '100000001000', email: 'root+100000001000@example.com' });
  expect(out).toContain('Batch wave7-1 started: 1000 account(s) (lines 2–1001) in us-east-1, eu-west-1.');
  expect(out).toContain('Batch wave7-3 started: 500 account(s) (lines 2002–2501) in us-east-1, eu-west-1.');
  expect(out).toContain('gde bulk big.csv --idempotency-key wave7 --regions us-east-1,eu-west-1 --wait');
});

test('a file of up to 1,000 accounts is one batch keyed by the key as given; without a key no Idempotency-Key is sent', async () => {
  expect(
    planBatches(
      Array.from({ length: 1000 }, (_, i) => i),
      'k',
    ).map((b) => [b.key, b.accounts.length]),
  ).toEqual([['k', 1000]]);
  const { code, out } = await gde(['bulk', 'a.csv'], { 'a.csv': consoleCsv(3) });
  expect(code).toBe(0);
  expect(api.posted).toHaveLength(1);
  expect(api.posted[0].headers['idempotency-key']).toBeUndefined();
  expect(api.posted[0].body).toEqual({ accounts: expect.any(Array) });
  expect(out).toContain("in the deployment's default regions");
  expect(out).toContain('Status: GET /v1/enrollments/batch/request-1');
});

test('a bad account id or email is named by its line before anything is sent (exit 2)', async () => {
  const badId = await gde(['bulk', 'a.csv'], { 'a.csv': 'Account ID,Email\n111122223333,a@example.com\n11112222333,b@example.com\n' });
  expect(badId.code).toBe(2);
  expect(badId.err).toMatch(/a\.csv line 3: "11112222333" is not a 12-digit account id\. Nothing was sent\./);
  const badEmail = await gde(['bulk', 'a.csv', '--json'], { 'a.csv': 'Account ID,Email\n111122223333,no-at-sign.example.com\n' });
  expect(badEmail.code).toBe(2);
  expect(JSON.parse(badEmail.out).error.message).toMatch(/a\.csv line 2: "no-at-sign\.example\.com" is not an email GuardDuty accepts/);
  expect(api.requests).toEqual([]);
});

test('a key too long for the suffixes of several batches is refused before anything is sent', async () => {
  const { code, err } = await gde(['bulk', 'big.csv', '--idempotency-key', 'k'.repeat(39)], { 'big.csv': consoleCsv(1001) });
  expect(code).toBe(2);
  expect(err).toMatch(/is too long for 2 batches: .* use at most 38 characters/);
  expect(api.requests).toEqual([]);
});

test('the options of the one-enrollment-per-row bulk are refused with what to use instead', async () => {
  const { code, err } = await gde(['bulk', 'a.csv', '--idempotency-prefix', 'p'], { 'a.csv': consoleCsv(1) });
  expect(code).toBe(2);
  expect(err).toMatch(/--idempotency-prefix.*use --idempotency-key K/);
});

test('--wait reports every account in every region with its line, and exits 1 when one FAILED', async () => {
  api.failing.set('100000000001', { code: 'MemberRoleNotAssumable', message: 'The member role cannot be assumed.' });
  const { code, out } = await gde(['bulk', 'a.csv', '--regions', 'us-east-1,eu-west-1', '--wait'], { 'a.csv': consoleCsv(3) });
  expect(code).toBe(1);
  expect(out).toMatch(/Batch request-1: SUCCEEDED after [\d.]+s \(4 ENABLED, 2 FAILED\)/);
  expect(out).toMatch(/✔ line 2 +100000000000 +us-east-1 +ENABLED +Enabled, detector det100000000000/);
  expect(out).toMatch(/✖ line 3 +100000000001 +eu-west-1 +FAILED +MemberRoleNotAssumable: The member role cannot be assumed\./);
  expect(out.match(/^ {2}[✔✖] line/gm)).toHaveLength(6);
  expect(out).toMatch(/2 of 6 account-region\(s\) FAILED \(lines 3\)\.$/m);
});

test('--wait exits 0 with "All … ENABLED" when every account of every batch is enrolled', async () => {
  const { code, out } = await gde(['bulk', 'big.csv', '--wait'], { 'big.csv': consoleCsv(1200) });
  expect(code).toBe(0);
  // Every part of both batches was read: 10 parts and 2 parts of 100 accounts.
  expect(api.requests.filter((r) => r.path.includes('/parts/'))).toHaveLength(12);
  expect(out).toMatch(/All 1200 account-region\(s\) ENABLED\.$/m);
});

test('--wait --json prints one JSON document with every outcome and its line in the file', async () => {
  api.failing.set('100000000000', { code: 'EmailVerificationFailed', message: 'The email does not match.' });
  const { code, out } = await gde(['bulk', 'a.csv', '--wait', '--json'], { 'a.csv': consoleCsv(2) });
  expect(code).toBe(1);
  const json = JSON.parse(out);
  expect(json.batches).toHaveLength(1);
  expect(json.batches[0]).toMatchObject({ batchId: 'request-1', status: 'SUCCEEDED', enabled: 1, failed: 1, lines: [2, 3], existing: false });
  expect(json.batches[0].outcomes).toEqual([
    {
      line: 2,
      accountId: '100000000000',
      region: 'us-east-1',
      outcome: 'FAILED',
      relationshipStatus: 'Invited',
      memberDetectorId: null,
      error: { code: 'EmailVerificationFailed', message: 'The email does not match.' },
    },
    {
      line: 3,
      accountId: '100000000001',
      region: 'us-east-1',
      outcome: 'ENABLED',
      relationshipStatus: 'Enabled',
      memberDetectorId: 'det100000000001',
      error: null,
    },
  ]);
});

test('running the same command again with the same key starts nothing new and still reports the outcomes', async () => {
  const files = { 'a.csv': consoleCsv(2) };
  expect((await gde(['bulk', 'a.csv', '--idempotency-key', 'again'], files)).code).toBe(0);
  const { code, out } = await gde(['bulk', 'a.csv', '--idempotency-key', 'again', '--wait'], files);
  expect(code).toBe(0);
  expect(api.batches.size).toBe(1);
  expect(out).toContain('Batch again was started earlier with this Idempotency-Key (not started again): 2 account(s) (lines 2–3)');
  expect(out).toMatch(/All 2 account-region\(s\) ENABLED\./);
});

test('a key taken by a batch of other accounts is refused with a hint to choose another', async () => {
  expect((await gde(['bulk', 'a.csv', '--idempotency-key', 'taken'], { 'a.csv': consoleCsv(2) })).code).toBe(0);
  const { code, err } = await gde(['bulk', 'b.csv', '--idempotency-key', 'taken'], { 'b.csv': consoleCsv(5, 200000000000) });
  expect(code).toBe(1);
  expect(err).toMatch(/409: .*\n {2}The Idempotency-Key taken is taken by another enrollment or batch .*choose another --idempotency-key/);
});

test('when a later batch is refused, the batches already started are named and the unsent lines too (exit 1)', async () => {
  api.refuse = { nth: 2, status: 500, message: 'The enrollment could not be started.' };
  const { code, out, err } = await gde(['bulk', 'big.csv', '--idempotency-key', 'w'], { 'big.csv': consoleCsv(1500) });
  expect(code).toBe(1);
  expect(out).toContain('Batch w-1 started: 1000 account(s) (lines 2–1001)');
  expect(err).toMatch(/500: The enrollment could not be started.*\n[\s\S]*Lines 1002–1501 were not sent\./);
});

test('--wait that runs out of time exits 3 and says how to keep following', async () => {
  api.runningPolls = 1_000;
  const { code, err } = await gde(['bulk', 'a.csv', '--idempotency-key', 'slow', '--wait', '--timeout', '1'], { 'a.csv': consoleCsv(1) });
  expect(code).toBe(3);
  expect(err).toMatch(
    /Batch\(es\) slow still RUNNING after \d+ s; they go on\. Follow with the same command and --wait .*gde bulk a\.csv --idempotency-key slow --wait/,
  );
});
