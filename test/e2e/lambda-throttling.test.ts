/**
 * End to end: Lambda refusing invocations (Lambda.TooManyRequestsException, its concurrency limit)
 * is retried by the state machines with a bounded budget, for single enrollments and for a batch,
 * whose AcceptInvitation runs many invocations at once.
 */
import { useSeededStack } from './seeded-stack';

const local = useSeededStack();

test('an enrollment whose every step is throttled by Lambda several times still ends ENABLED', async () => {
  const [account] = await local.client.addAccounts(810000000000, 1);
  for (const state of ['CreateMember', 'InviteMember', 'AcceptInvitation', 'VerifyMembership']) local.stack.stepFunctions.lambda.throttleNext(3, state);
  const before = local.stack.stepFunctions.lambda.throttledCount;
  const result = await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] });
  expect(local.stack.stepFunctions.lambda.throttledCount - before).toBe(12);
  expect(result.status).toBe('SUCCEEDED');
  expect(result.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
});

test("a batch's AcceptInvitation invocations refused by Lambda are retried: every account ends ENABLED", async () => {
  const accounts = await local.client.addAccounts(820000000000, 12);
  // More refusals than one invocation's budget, spread over the part's concurrent invocations.
  local.stack.stepFunctions.lambda.throttleNext(30, 'AcceptInvitation');
  const started = await local.client.batch({ accounts, regions: ['us-east-1'] });
  const batch = await local.client.waitForBatch(started.json.batchId);
  expect(batch).toMatchObject({ status: 'SUCCEEDED', enabled: 12, failed: 0 });
});

test('a task Lambda keeps refusing past the budget fails its region with Lambda.TooManyRequestsException, after a bounded number of attempts', async () => {
  const [account] = await local.client.addAccounts(830000000000, 1);
  local.stack.stepFunctions.lambda.throttleNext(1000, 'CreateMember');
  const before = local.stack.stepFunctions.lambda.throttledCount;
  const result = await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] });
  const refused = local.stack.stepFunctions.lambda.throttledCount - before;
  local.stack.stepFunctions.lambda.clearThrottles();
  expect(result.status).toBe('FAILED');
  expect(result.regions[0]).toMatchObject({ outcome: 'FAILED', error: { code: 'Lambda.TooManyRequestsException' } });
  // The first attempt and the 8 retries of RETRIES.lambdaThrottled (MaxAttempts counts retries), no more.
  expect(refused).toBe(9);
});
