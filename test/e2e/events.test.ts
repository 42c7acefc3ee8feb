/**
 * End to end, event-driven: a pipeline's PutEvents (the AWS SDK against the emulator) → the
 * template's rules → EnrollFromEvent (asynchronous, with Lambda's retries and DLQ) → the state
 * machine → the workflow's handlers → the emulator; the result read through the local API.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { LOCAL_ADMIN_ACCOUNT, LOCAL_REGION, startLocalStack } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import { controlTowerEvent } from '../unit/support/events';
import { LocalClient } from './local-client';
import { ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE } from '../../contract/enrollment-events';

const MANAGEMENT = '999999999999';
let stack: LocalStack;
let client: LocalClient;
let busName: string;
let pipeline: EventBridgeClient;

interface DeadLetter {
  body: string;
  messageAttributes: Record<string, string>;
}

beforeAll(async () => {
  // The management account forwards Control Tower's events: the deployment lists it (README, Event-driven enrollment).
  stack = await startLocalStack({ retryDelayMs: 20, lambdaLogLevel: 'SILENT', settings: { eventSourceAccounts: [MANAGEMENT] } });
  client = new LocalClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
  busName = stack.events.buses[0].name;
  // The pipeline, with its own SDK client: the administrator account's credentials, the emulator as endpoint.
  pipeline = new EventBridgeClient({
    region: LOCAL_REGION,
    endpoint: stack.emulatorUrl,
    credentials: { accessKeyId: `AKID${LOCAL_ADMIN_ACCOUNT}`, secretAccessKey: 'x' },
  });
  // Control Tower's organisation: its management account, the administrator as a delegated
  // administrator (so it may call DescribeAccount), and the accounts Control Tower vends.
  await client.control('POST', 'organization', {
    managementAccountId: MANAGEMENT,
    accounts: [
      { accountId: MANAGEMENT, email: 'management@example.com' },
      { accountId: LOCAL_ADMIN_ACCOUNT, email: 'security@example.com' },
      { accountId: '530000000001', email: 'vended-one@example.com' },
    ],
    delegatedAdministrators: [LOCAL_ADMIN_ACCOUNT],
  });
});
afterAll(() => stack.close());

async function addAccount(accountId: string) {
  await client.control('POST', 'accounts', { accountId, email: `owner-${accountId}@example.com` });
  return { accountId, email: `owner-${accountId}@example.com` };
}

async function put(...details: Array<{ detail: unknown; detailType?: string }>): Promise<string[]> {
  const Entries: PutEventsRequestEntry[] = details.map(({ detail, detailType }) => ({
    EventBusName: busName,
    Source: ENROLLMENT_EVENT_SOURCE,
    DetailType: detailType ?? ENROLL_ACCOUNT_DETAIL_TYPE,
    Detail: JSON.stringify(detail),
  }));
  const answer = await pipeline.send(new PutEventsCommand({ Entries }));
  expect(answer.FailedEntryCount).toBe(0);
  await stack.events.idle();
  return answer.Entries!.map((entry) => entry.EventId!);
}

/** The dead-letter queue's messages for these event ids (read through the control API, not received). */
async function deadLetters(eventIds: string[]): Promise<DeadLetter[]> {
  const { queues } = (await client.control('GET', 'queues')) as { queues: Array<{ messages: DeadLetter[] }> };
  expect(queues).toHaveLength(1);
  return queues[0].messages.filter((message) => eventIds.includes(JSON.parse(message.body).id));
}

test('a pipeline puts an Enroll Account event and the account is enrolled under the EventId', async () => {
  const account = await addAccount('530000000101');
  const [eventId] = await put({ detail: { ...account, regions: ['us-east-1', 'eu-west-1'] } });

  const result = await client.waitFor(eventId);
  expect(result).toMatchObject({ enrollmentId: eventId, accountId: account.accountId, status: 'SUCCEEDED', error: null });
  expect(result.regions.map((r) => [r.region, r.outcome, r.relationshipStatus])).toEqual([
    ['us-east-1', 'ENABLED', 'Enabled'],
    ['eu-west-1', 'ENABLED', 'Enabled'],
  ]);
  const view = await client.control('GET', `accounts/${account.accountId}`);
  expect(view.regions['us-east-1'].administrator).toMatchObject({ accountId: LOCAL_ADMIN_ACCOUNT, relationshipStatus: 'Enabled' });
  expect(await deadLetters([eventId])).toEqual([]);
  // The handler's StartExecution went through the emulator like any AWS call.
  expect((await client.callCounts()).StartExecution).toBeGreaterThanOrEqual(1);
});

test('the same event delivered twice (EventBridge delivers at least once) starts one execution', async () => {
  const account = await addAccount('530000000102');
  const event = {
    id: 'f3b1a4c2-0000-4000-8000-000000000102',
    source: ENROLLMENT_EVENT_SOURCE,
    'detail-type': ENROLL_ACCOUNT_DETAIL_TYPE,
    detail: { ...account, regions: ['us-east-1'] },
  };
  const executions = stack.stepFunctions.executionCount;
  await client.control('POST', 'events', { eventBusName: busName, event });
  await client.control('POST', 'events', { eventBusName: busName, event });
  await stack.events.idle();
  expect(stack.stepFunctions.executionCount).toBe(executions + 1);
  expect((await client.waitFor(event.id)).status).toBe('SUCCEEDED');

  // Delivered once more after the execution ended: nothing new, and nothing dead-lettered.
  await client.control('POST', 'events', { eventBusName: busName, event });
  await stack.events.idle();
  expect(stack.stepFunctions.executionCount).toBe(executions + 1);
  expect(await deadLetters([event.id])).toEqual([]);
});

test('bad events each land once in the dead-letter queue with their reason, and start nothing', async () => {
  const executions = stack.stepFunctions.executionCount;
  const ids = await put(
    { detail: { accountId: '530000000103' } },
    { detail: { accountId: '53000000010', email: 'owner@example.com' } },
    { detail: { account: { id: '530000000103' }, email: 'owner@example.com' } },
    { detail: { accountId: '530000000103', email: 'owner@example.com' }, detailType: 'Enrol Account' },
  );
  const letters = await deadLetters(ids);
  const byEvent = Object.fromEntries(letters.map((l) => [JSON.parse(l.body).id, l.messageAttributes]));
  expect(letters).toHaveLength(4);
  expect(byEvent[ids[0]]).toEqual({ ErrorCode: 'InvalidEnrollmentRequest', ErrorMessage: expect.stringMatching(/email is missing/) });
  expect(byEvent[ids[1]]).toEqual({ ErrorCode: 'InvalidEnrollmentRequest', ErrorMessage: expect.stringMatching(/accountId must be a 12-digit/) });
  expect(byEvent[ids[2]]).toEqual({ ErrorCode: 'InvalidEnrollmentRequest', ErrorMessage: expect.stringMatching(/unknown field\(s\) account/) });
  expect(byEvent[ids[3]]).toEqual({ ErrorCode: 'UnrecognizedEvent', ErrorMessage: expect.stringMatching(/detail-type 'Enrol Account'/) });
  // The message body is the event as delivered, so it can be fixed and put again.
  expect(JSON.parse(letters[0].body)).toMatchObject({ source: ENROLLMENT_EVENT_SOURCE, account: LOCAL_ADMIN_ACCOUNT, detail: expect.any(Object) });
  expect(stack.stepFunctions.executionCount).toBe(executions);
});

test('a forwarded Control Tower CreateManagedAccount event enrolls the new account with its email from Organizations', async () => {
  const event = controlTowerEvent('530000000001');
  const answer = await client.control('POST', 'events', { eventBusName: busName, event: { ...event, account: MANAGEMENT } });
  expect(answer.matchedRules).toHaveLength(1);
  await stack.events.idle();

  const result = await client.waitFor(event.id);
  // No regions in the event: the deployment's default regions (here the stack's own).
  expect(result).toMatchObject({ status: 'SUCCEEDED', accountId: '530000000001' });
  expect(result.regions.map((r) => [r.region, r.outcome])).toEqual([[LOCAL_REGION, 'ENABLED']]);
  const admin = await client.control('GET', `accounts/${LOCAL_ADMIN_ACCOUNT}`);
  expect(admin.regions[LOCAL_REGION].members).toContainEqual(
    expect.objectContaining({ accountId: '530000000001', email: 'vended-one@example.com', relationshipStatus: 'Enabled' }),
  );
  expect((await client.callCounts()).DescribeAccount).toBeGreaterThanOrEqual(1);
});

test('a Control Tower event for an account Organizations does not know goes to the dead-letter queue', async () => {
  const executions = stack.stepFunctions.executionCount;
  const event = controlTowerEvent('530000000999');
  await client.control('POST', 'events', { eventBusName: busName, event: { ...event, account: MANAGEMENT } });
  await stack.events.idle();
  expect(await deadLetters([event.id])).toEqual([
    expect.objectContaining({
      messageAttributes: { ErrorCode: 'AccountEmailUnavailable', ErrorMessage: expect.stringMatching(/530000000999.*AccountNotFoundException/) },
    }),
  ]);
  expect(stack.stepFunctions.executionCount).toBe(executions);
  // A FAILED account creation matches no rule: EventBridge delivers it nowhere.
  const failed = controlTowerEvent('530000000001', 'FAILED');
  expect((await client.control('POST', 'events', { eventBusName: busName, event: failed })).matchedRules).toEqual([]);
});

test('a throttled StartExecution is retried by Lambda and the enrollment still starts', async () => {
  const account = await addAccount('530000000104');
  // The SDK makes 3 attempts per invocation: 4 throttles fail the first invocation, Lambda's retry succeeds.
  await client.control('POST', 'faults', { operation: 'StartExecution', error: 'throttle', count: 4 });
  const [eventId] = await put({ detail: { ...account, regions: ['us-east-1'] } });
  expect((await client.waitFor(eventId)).status).toBe('SUCCEEDED');
  expect(await deadLetters([eventId])).toEqual([]);
});

test('when every attempt fails, Lambda dead-letters the event with its own attributes', async () => {
  const account = await addAccount('530000000105');
  await client.control('POST', 'faults', { operation: 'StartExecution', error: 'internal', count: 9 });
  const executions = stack.stepFunctions.executionCount;
  const [eventId] = await put({ detail: { ...account, regions: ['us-east-1'] } });
  expect(await deadLetters([eventId])).toEqual([
    expect.objectContaining({ messageAttributes: { RequestID: expect.any(String), ErrorCode: '200', ErrorMessage: expect.stringMatching(/unknown error/) } }),
  ]);
  expect(stack.stepFunctions.executionCount).toBe(executions);
  await client.control('DELETE', 'faults');
});
