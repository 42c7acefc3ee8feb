/**
 * End to end at the largest batch the API takes: 1,000 accounts with the longest emails GuardDuty
 * accepts. Step Functions refuses a state over 256 KiB (the local runner does not), so the test
 * measures every state every execution of the batch enters.
 */
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { LOCAL_ADMIN_ACCOUNT, startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { LocalClient } from './local-client';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack({ retryDelayMs: 5, lambdaLogLevel: 'SILENT' });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(() => stack.close());

test('1,000 accounts with 64-character emails in two regions: every state stays under 256 KiB, and everyone ends Enabled with ⌈1000/50⌉ calls per batched operation', async () => {
  const accounts = Array.from({ length: 1000 }, (_, i) => {
    const accountId = String(800000000000 + i);
    return { accountId, email: `root.${'x'.repeat(34)}+${accountId}@example.com` };
  });
  expect(accounts[0].email).toHaveLength(64);
  for (const account of accounts) await client.control('POST', 'accounts', account);

  let largestState = 0;
  const executions = new Set<string>();
  const stop = stack.stepFunctions.onEvent((name, event) => {
    executions.add(name);
    if (event.state?.input !== undefined) largestState = Math.max(largestState, Buffer.byteLength(JSON.stringify(event.state.input)));
  });
  const started = await client.batch({ accounts, regions: ['us-east-1', 'eu-west-1'] });
  expect(started.status).toBe(202);
  const batch = await client.waitForBatch(started.json.batchId);
  stop();

  expect(batch).toMatchObject({ status: 'SUCCEEDED', accountCount: 1000, enabled: 2000, failed: 0 });
  expect(batch.parts).toHaveLength(20);
  expect(executions.size).toBe(1 + 20);
  expect(largestState).toBeLessThan(256 * 1024);

  const { calls } = (await client.control('GET', 'calls')) as { calls: { operation: string; accountId: string; region: string; count: number }[] };
  const admin = (operation: string, region: string) =>
    calls.find((c) => c.operation === operation && c.accountId === LOCAL_ADMIN_ACCOUNT && c.region === region)?.count;
  for (const region of ['us-east-1', 'eu-west-1']) {
    expect(admin('CreateMembers', region)).toBe(20);
    expect(admin('InviteMembers', region)).toBe(20);
  }
});
