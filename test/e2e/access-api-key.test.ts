/**
 * Access with authorization 'apiKey': the key alone, as before IAM authorization, for callers that
 * cannot sign (the earlier GuardDuty Signup API's clients among them). Who asked is the key's id.
 */
import { useSeededStack } from './seeded-stack';

const local = useSeededStack({ settings: { authorization: 'apiKey' } });
const ENROLL = { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1'] };

test('an unsigned call with the key enrolls, and who asked is the key id, never the key', async () => {
  const started = await local.client.request('POST', '/enrollments', { body: ENROLL, signed: false });
  expect(started.status).toBe(202);
  const view = (await local.client.waitFor(started.json.enrollmentId)) as unknown as { status: string; requestedBy: string };
  expect(view.status).toBe('SUCCEEDED');
  expect(view.requestedBy).toMatch(/^apiKey:\w+$/);
  expect(view.requestedBy).not.toContain(local.stack.apiKey);
});

test('the GuardDuty Signup route works for its old, unsigned clients', async () => {
  const answer = await local.client.request('GET', '/guarddutysignup/MasterDetectorId/d1/MemberId/222222222222/Email/workloads-dev@example.com', {
    signed: false,
  });
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ status: 'RUNNING' });
});

test('a wrong or missing key is still 403 and starts nothing', async () => {
  const before = local.stack.stepFunctions.executionCount;
  expect((await local.client.request('POST', '/enrollments', { body: ENROLL, signed: false, apiKey: 'wrong' })).status).toBe(403);
  expect((await local.client.request('POST', '/enrollments', { body: ENROLL, signed: false, apiKey: null })).status).toBe(403);
  expect(local.stack.stepFunctions.executionCount).toBe(before);
});

test('deleteDetector=true is refused here too while detector deletion is off', async () => {
  const before = local.stack.stepFunctions.executionCount;
  const answer = await local.client.request('DELETE', '/enrollments/222222222222?regions=us-east-1&deleteDetector=true', { signed: false });
  expect(answer.status).toBe(400);
  expect(answer.json.message).toMatch(/allowDetectorDeletion/);
  expect(local.stack.stepFunctions.executionCount).toBe(before);
});
