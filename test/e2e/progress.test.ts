/** End to end: each region's current step while an enrollment runs, from the execution history. */
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { until } from '../helpers/until';
import { LocalClient } from './local-client';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack({ retryDelayMs: 20, lambdaLogLevel: 'ERROR' });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(() => stack.close());

test('while an enrollment runs, progress names each region and the step it is in; at the end, its last step', async () => {
  await client.control('POST', 'accounts', { accountId: '530000000001', email: 'progress@example.com' });
  // The member's acceptance is held in both regions until released: the enrollment waits in its
  // AcceptInvitation step for as long as the test looks, however busy the machine.
  const hold = (await client.control('POST', 'faults', { operation: 'AcceptAdministratorInvitation', accountId: '530000000001', hold: true, count: 2 })) as {
    id: number;
  };
  let id: string;
  try {
    const started = await client.enroll({ accountId: '530000000001', email: 'progress@example.com', regions: ['us-east-1', 'eu-west-1'] });
    expect(started.status).toBe(202);
    id = started.json.enrollmentId as string;
    await until(async () => {
      const progress = await client.request('GET', `/enrollments/${id}/progress`);
      expect(progress.status).toBe(200);
      expect(progress.json.enrollmentId).toBe(id);
      return (progress.json.regions as { step: string }[]).some((r) => r.step === 'AcceptInvitation');
    }, 50);
  } finally {
    await client.control('POST', `faults/${hold.id}/release`);
  }
  expect((await client.waitFor(id)).status).toBe('SUCCEEDED');
  const done = await client.request('GET', `/enrollments/${id}/progress`);
  expect([...done.json.regions].sort((a: { region: string }, b: { region: string }) => a.region.localeCompare(b.region))).toEqual([
    { region: 'eu-west-1', step: 'ApplyProtectionPlans' },
    { region: 'us-east-1', step: 'ApplyProtectionPlans' },
  ]);
  // State inputs carry the email; the progress answer must not.
  expect(done.text).not.toContain('progress@example.com');
});

test('progress of an unknown enrollment answers 404', async () => {
  const response = await client.request('GET', '/enrollments/no-such-enrollment/progress');
  expect(response.status).toBe(404);
});
