/**
 * End to end: status reads when Step Functions throttles them (DescribeExecution and
 * GetExecutionHistory have small token buckets). Each GET route answers 429 with Retry-After, never
 * 500, and gde's client waits at least that long and then reads the status.
 */
import { signLocalRequest, signedFetch } from '../../local/runtime/signed-fetch';
import { EnrollmentApiClient } from '../../cli/api-client';
import { RETRY_AFTER_SECONDS, STAGE_NAME } from '../../lib/enrollment-api';
import { useSeededStack } from './seeded-stack';

const local = useSeededStack();
let enrollmentId: string;
let batchId: string;

beforeAll(async () => {
  const [account, other] = await local.client.addAccounts(840000000000, 2);
  enrollmentId = (await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] })).enrollmentId;
  const started = await local.client.batch({ accounts: [other], regions: ['us-east-1'] });
  batchId = (await local.client.waitForBatch(started.json.batchId)).batchId;
});

test.each([
  ['GET /enrollments/{id}', 'DescribeExecution', () => `/enrollments/${enrollmentId}`],
  ['GET /enrollments/{id}/progress', 'GetExecutionHistory', () => `/enrollments/${enrollmentId}/progress`],
  ['GET /enrollments/batch/{id}', 'DescribeExecution', () => `/enrollments/batch/${batchId}`],
  ['GET /enrollments/batch/{id}/parts/{partId}', 'DescribeExecution', () => `/enrollments/batch/${batchId}/parts/us-east-1-0`],
])('%s throttled by Step Functions answers 429 with Retry-After, and the next read 200', async (_route, action, path) => {
  local.stack.stepFunctions.throttleNext(action, 1);
  const throttled = await signedFetch(`${local.stack.apiUrl}/${STAGE_NAME}${path()}`, { headers: { 'x-api-key': local.stack.apiKey } });
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
  expect(((await throttled.json()) as { message: string }).message).toMatch(/retry after/);
  expect((await local.client.request('GET', path())).status).toBe(200);
});

test("gde's client waits at least Retry-After on a throttled status read, then reads the status", async () => {
  const waits: number[] = [];
  const api = new EnrollmentApiClient({
    baseUrl: `${local.stack.apiUrl}/${STAGE_NAME}`,
    apiKey: local.stack.apiKey,
    signer: ({ method, url, headers, body }) => signLocalRequest(method, url, headers, body),
    sleep: async (ms) => void waits.push(ms),
  });
  local.stack.stepFunctions.throttleNext('DescribeExecution', 2);
  const view = await api.getEnrollment(enrollmentId);
  expect(view).toMatchObject({ enrollmentId, status: 'SUCCEEDED' });
  expect(waits).toHaveLength(2);
  for (const ms of waits) expect(ms).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1000);
});
