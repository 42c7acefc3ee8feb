/** End to end: each region's current step while an enrollment runs, from the execution history. */
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { LocalClient } from './local-client';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  // Retries wait 300 ms, so an enrollment waiting for a slow invitation is seen mid-way.
  stack = await startLocalStack({ retryDelayMs: 300, lambdaLogLevel: 'ERROR' });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(() => stack.close());

test('while an enrollment runs, progress names each region and the step it is in; at the end, its last step', async () => {
  await client.control('POST', 'accounts', { accountId: '530000000001', email: 'progress@example.com' });
  await client.control('POST', 'settings', { invitationDelayMs: 1200 });
  try {
    const started = await client.enroll({ accountId: '530000000001', email: 'progress@example.com', regions: ['us-east-1', 'eu-west-1'] });
    expect(started.status).toBe(202);
    const id = started.json.enrollmentId as string;

    let seenWaiting = false;
    for (let i = 0; i < 40 && !seenWaiting; i++) {
      const progress = await client.request('GET', `/enrollments/${id}/progress`);
      expect(progress.status).toBe(200);
      expect(progress.json.enrollmentId).toBe(id);
      seenWaiting = (progress.json.regions as { step: string }[]).some((r) => r.step === 'AcceptInvitation');
      if (!seenWaiting) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seenWaiting).toBe(true);

    expect((await client.waitFor(id)).status).toBe('SUCCEEDED');
    const done = await client.request('GET', `/enrollments/${id}/progress`);
    expect([...done.json.regions].sort((a: { region: string }, b: { region: string }) => a.region.localeCompare(b.region))).toEqual([
      { region: 'eu-west-1', step: 'ApplyProtectionPlans' },
      { region: 'us-east-1', step: 'ApplyProtectionPlans' },
    ]);
    // State inputs carry the email; the progress answer must not.
    expect(done.text).not.toContain('progress@example.com');
  } finally {
    await client.control('POST', 'settings', { invitationDelayMs: 0 });
  }
});

test('progress of an unknown enrollment answers 404', async () => {
  const response = await client.request('GET', '/enrollments/no-such-enrollment/progress');
  expect(response.status).toBe(404);
});
