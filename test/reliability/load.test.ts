/**
 * Load, end to end on 127.0.0.1: a hundred enrollments of distinct accounts at once, plus the
 * repeats real callers send (the same Idempotency-Key while the first call runs and after it ended,
 * and no key at all). Nothing may be lost or doubled: every request answered, every enrollment
 * terminal, and each account exactly one membership per region, Enabled, as the administrator's
 * own ListMembers reports it. Counts are fixed; every wait ends on an event (an answer, an
 * execution's end), never on a clock, so a busy machine makes the file slower but not different.
 * How long the burst takes is a figure for `npm run bench`, not a verdict here.
 */
import { ListDetectorsCommand, ListMembersCommand } from '@aws-sdk/client-guardduty';
import type { Member } from '@aws-sdk/client-guardduty';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import type { LocalStack } from '../../local/runtime/stack';
import { LOCAL_ADMIN_ACCOUNT, ReliabilityClient, mapWithConcurrency, startReliabilityStack } from './harness';
import type { HttpAnswer } from './harness';
import { DISTINCT_ACCOUNTS, KEYED_REPEATS, LOAD_CASES, UNKEYED_REPEATS } from './load-cases';
import { ResultLog } from './results';

/** Answers the README documents for POST /enrollments under load. */
const DOCUMENTED = [202, 409, 429];

interface Sent {
  kind: 'original' | 'keyed-repeat' | 'unkeyed-repeat' | 'late-repeat';
  accountId: string;
  key?: string;
  answer?: HttpAnswer;
  error?: unknown;
}

const log = new ResultLog('load');
let stack: LocalStack;
let client: ReliabilityClient;
const sent: Sent[] = [];
const regionsOf = (i: number) => (i % 2 === 0 ? ['us-east-1'] : ['us-east-1', 'eu-west-1']);
const accounts = Array.from({ length: DISTINCT_ACCOUNTS }, (_, i) => ({ accountId: `91${String(i).padStart(10, '0')}`, index: i }));
const bodyOf = (i: number) => ({ accountId: accounts[i].accountId, email: `owner-${accounts[i].accountId}@example.com`, regions: regionsOf(i) });
/** Every other account is sent with an Idempotency-Key, as a vending pipeline would. */
const keyOf = (i: number) => (i % 2 === 0 ? `load-${accounts[i].accountId}` : undefined);
let executionsAfterBurst = 0;
let memberships = new Map<string, Member[]>();

async function send(entry: Sent, body: unknown): Promise<Sent> {
  try {
    entry.answer = await client.enroll(body, entry.key ? { 'Idempotency-Key': entry.key } : {});
  } catch (error) {
    entry.error = error;
  }
  sent.push(entry);
  return entry;
}

/** Every member of the administrator in the region, all pages (ListMembers returns at most 50 a page). */
async function listAllMembers(region: string): Promise<Member[]> {
  const admin = client.guardDuty(LOCAL_ADMIN_ACCOUNT, region);
  try {
    const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
    const members: Member[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const answer = await admin.send(new ListMembersCommand({ DetectorId: DetectorIds![0], OnlyAssociated: 'false', MaxResults: 50, NextToken: nextToken }));
      members.push(...(answer.Members ?? []));
      nextToken = answer.NextToken || undefined;
      if (!nextToken) return members;
    }
    throw new Error('ListMembers did not end within 100 pages');
  } finally {
    admin.destroy();
  }
}

beforeAll(async () => {
  stack = await startReliabilityStack();
  client = new ReliabilityClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
  await mapWithConcurrency(accounts, 20, ({ accountId }) => client.addAccount(accountId));

  // The burst: every original and every concurrent repeat, all in flight together.
  const keyedRepeats = accounts.filter((a) => keyOf(a.index)).slice(0, KEYED_REPEATS);
  const unkeyedRepeats = accounts.filter((_, i) => i % 3 === 1).slice(0, UNKEYED_REPEATS);
  // A repeated account's enrollment is held at its own CreateDetector until its repeat is answered,
  // so the repeat certainly finds the enrollment still running. Each is released as soon as its
  // repeat has its answer: the held step is a Lambda task, which times out after 60 s.
  const holds = new Map<string, number>();
  for (const { accountId } of keyedRepeats) holds.set(accountId, await client.addFault({ operation: 'CreateDetector', accountId, hold: true, count: 1 }));
  const release = async (accountId: string) => {
    const id = holds.get(accountId);
    holds.delete(accountId);
    if (id !== undefined) await client.releaseFault(id);
  };
  try {
    // A keyed repeat goes out right behind its original, as a client retrying a call it thinks was lost.
    await Promise.all([
      ...accounts.flatMap((a) => [
        send({ kind: 'original', accountId: a.accountId, key: keyOf(a.index) }, bodyOf(a.index)),
        ...(holds.has(a.accountId)
          ? [send({ kind: 'keyed-repeat', accountId: a.accountId, key: keyOf(a.index) }, bodyOf(a.index)).then(() => release(a.accountId))]
          : []),
      ]),
      ...unkeyedRepeats.map((a) => send({ kind: 'unkeyed-repeat', accountId: a.accountId }, bodyOf(a.index))),
    ]);
    executionsAfterBurst = stack.stepFunctions.executionCount;
  } finally {
    for (const accountId of [...holds.keys()]) await release(accountId);
  }
  await stack.stepFunctions.idle();

  // The same keys once their enrollments have finished: Step Functions refuses a finished name.
  await Promise.all(keyedRepeats.map((a) => send({ kind: 'late-repeat', accountId: a.accountId, key: keyOf(a.index) }, bodyOf(a.index))));
  memberships = new Map(await Promise.all(['us-east-1', 'eu-west-1'].map(async (r) => [r, await listAllMembers(r)] as const)));
});

afterAll(async () => {
  log.write();
  await stack?.close();
});

const ofKind = (kind: Sent['kind']) => sent.filter((s) => s.kind === kind);
const statuses = (entries: Sent[]) => entries.map((s) => s.answer?.status ?? 'no answer').join(',');
const tally = (entries: Sent[]) => {
  const counts = new Map<string, number>();
  for (const s of entries) counts.set(String(s.answer?.status ?? 'none'), (counts.get(String(s.answer?.status ?? 'none')) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n}×${status}`).join(' ');
};

test(`${DISTINCT_ACCOUNTS} distinct accounts at once: each answered 202, each enrollment SUCCEEDED, each account one Enabled membership per region`, async () => {
  const originals = ofKind('original');
  const results = await Promise.all(originals.map((s) => stack.stepFunctions.waitFor(s.answer?.json?.enrollmentId)));
  await log.check(
    'load/distinct-accounts',
    originals.length,
    () => `${tally(originals)}; ${results.filter((r) => r?.status === 'SUCCEEDED').length} SUCCEEDED`,
    () => {
      expect(originals).toHaveLength(DISTINCT_ACCOUNTS);
      expect(originals.every((s) => s.answer?.status === 202)).toBe(true);
      expect(results.map((r) => r?.status)).toEqual(originals.map(() => 'SUCCEEDED'));
      for (const { accountId, index } of accounts) {
        for (const region of ['us-east-1', 'eu-west-1']) {
          const records = (memberships.get(region) ?? []).filter((m) => m.AccountId === accountId);
          const wanted = regionsOf(index).includes(region) ? 1 : 0;
          expect({ accountId, region, count: records.length }).toEqual({ accountId, region, count: wanted });
          for (const record of records) expect(record.RelationshipStatus).toBe('Enabled');
        }
      }
    },
  );
});

test('the same Idempotency-Key sent again while running returns the same enrollment and starts nothing; once finished it answers 409', async () => {
  const repeats = ofKind('keyed-repeat');
  const late = ofKind('late-repeat');
  const originals = new Map(ofKind('original').map((s) => [s.accountId, s]));
  await log.check(
    'load/same-idempotency-key',
    repeats.length + late.length,
    () => `while running: ${tally(repeats)}; after: ${tally(late)}`,
    () => {
      expect(repeats).toHaveLength(KEYED_REPEATS);
      for (const repeat of repeats) {
        const original = originals.get(repeat.accountId)!;
        expect(repeat.answer?.status).toBe(202);
        expect(repeat.answer?.json.enrollmentId).toBe(original.answer?.json.enrollmentId);
        expect(repeat.answer?.json.enrollmentId).toBe(repeat.key);
      }
      expect(late.map((s) => s.answer?.status)).toEqual(late.map(() => 409));
      expect(late.every((s) => /Idempotency-Key already exists/.test(s.answer?.json.message))).toBe(true);
      // Only originals and key-less repeats started executions; the late repeats started none either.
      expect(executionsAfterBurst).toBe(DISTINCT_ACCOUNTS + UNKEYED_REPEATS);
      expect(stack.stepFunctions.executionCount).toBe(DISTINCT_ACCOUNTS + UNKEYED_REPEATS);
    },
  );
});

test('a repeat without an Idempotency-Key starts a second enrollment, which also SUCCEEDS without a second membership', async () => {
  const repeats = ofKind('unkeyed-repeat');
  const results = await Promise.all(repeats.map((s) => stack.stepFunctions.waitFor(s.answer?.json?.enrollmentId)));
  const originals = new Map(ofKind('original').map((s) => [s.accountId, s]));
  await log.check(
    'load/repeats-without-key',
    repeats.length,
    () => `${tally(repeats)}; ${results.filter((r) => r?.status === 'SUCCEEDED').length} SUCCEEDED`,
    () => {
      expect(repeats).toHaveLength(UNKEYED_REPEATS);
      for (const repeat of repeats) {
        expect(repeat.answer?.status).toBe(202);
        expect(repeat.answer?.json.enrollmentId).not.toBe(originals.get(repeat.accountId)?.answer?.json.enrollmentId);
      }
      expect(results.map((r) => r?.status)).toEqual(repeats.map(() => 'SUCCEEDED'));
      // The one-membership check of the distinct-accounts case covers these accounts too.
    },
  );
});

test('every request was answered with 202 or a documented 4xx, and every enrollment is terminal', async () => {
  const ids = [...new Set(sent.filter((s) => s.answer?.status === 202).map((s) => s.answer!.json.enrollmentId as string))];
  const results = await Promise.all(ids.map((id) => stack.stepFunctions.waitFor(id)));
  await log.check(
    'load/every-request-answered',
    sent.length,
    () => `${sent.length} requests: ${tally(sent)}; ${ids.length} enrollments terminal`,
    () => {
      expect(sent.filter((s) => s.error !== undefined).map((s) => String(s.error))).toEqual([]);
      expect(
        statuses(sent)
          .split(',')
          .filter((status) => !DOCUMENTED.includes(Number(status))),
      ).toEqual([]);
      expect(results.filter((r) => r === undefined || !['SUCCEEDED', 'FAILED'].includes(r.status))).toEqual([]);
    },
  );
});

test('this file ran exactly the cases its catalogue defines (the ones RELIABILITY.md lists)', () => {
  expect(log.ids().sort()).toEqual(LOAD_CASES.map((c) => c.id).sort());
});
