/** The emulator's EventBridge, SQS, Step Functions front and Organizations DescribeAccount, through the real SDK clients. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { DeliveryError } from '../../local/emulator/eventbridge/buses';
import type { BusEvent } from '../../local/emulator/eventbridge/buses';
import { UnsupportedPatternError, checkPattern, matchesPattern } from '../../local/emulator/eventbridge/pattern';
import { startEmulator } from '../../local/emulator/core/server';
import type { RunningEmulator } from '../../local/emulator/core/server';
import { ADMIN, REGION, control, failure, staticCredentials } from './helpers';

const MANAGEMENT = '999999999999';
const PIPELINE = '444444444444';
let emulator: RunningEmulator;
let delivered: BusEvent[];

const config = (accountId = ADMIN) => ({ endpoint: emulator.url, region: REGION, credentials: staticCredentials(accountId), maxAttempts: 1 });

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator.url, 'POST', '/_emulator/reset');
  delivered = [];
  emulator.state.eventBuses.retryDelayMs = 1;
  emulator.state.eventBuses.setInvoker(async (arn, event) => {
    if (arn.endsWith(':missing')) throw new DeliveryError('RESOURCE_NOT_FOUND', `Function not found: ${arn}`, false);
    if (arn.endsWith(':flaky')) throw new DeliveryError('SDK_CLIENT_ERROR', 'Rate exceeded');
    delivered.push(event);
  });
});

const RULE_ARN = `arn:aws:events:${REGION}:${ADMIN}:rule/enrollment/app`;

/** A resource policy letting EventBridge do `action` on `resource` for the rule (as CDK writes them). */
function eventBridgeMay(action: string, resource: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: action,
        Resource: resource,
        Condition: { ArnLike: { 'aws:SourceArn': RULE_ARN } },
      },
    ],
  };
}

/**
 * A bus of the administrator with one rule for `source: [app]` delivering to `targetArn`, whose
 * policy (and the DLQ's) lets EventBridge deliver unless `permitted` is false.
 */
function declareBus(targetArn = 'arn:aws:lambda:us-east-1:111111111111:function:ok', permitted = true) {
  const book = emulator.state.eventBuses;
  const bus = book.putBus(ADMIN, REGION, 'enrollment');
  const dlq = emulator.state.queues.create(ADMIN, REGION, 'dlq', { declared: true });
  dlq.policy = eventBridgeMay('sqs:SendMessage', dlq.arn);
  if (permitted) book.putTargetPolicy(targetArn, eventBridgeMay('lambda:InvokeFunction', targetArn));
  book.putRule(bus, {
    name: 'app',
    arn: RULE_ARN,
    pattern: { source: ['app'], detail: { kind: ['enroll'] } },
    enabled: true,
    targets: [{ id: 't', arn: targetArn, maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600, deadLetterArn: dlq.arn }],
  });
  return { bus, dlq };
}

const entry = (overrides: Record<string, unknown> = {}) => ({
  Source: 'app',
  DetailType: 'Thing',
  Detail: JSON.stringify({ kind: 'enroll' }),
  EventBusName: 'enrollment',
  ...overrides,
});

describe('EventBridge PutEvents', () => {
  test('an event matching a rule reaches its target with the EventId PutEvents answered', async () => {
    declareBus();
    const events = new EventBridgeClient(config());
    const answer = await events.send(new PutEventsCommand({ Entries: [entry(), entry({ Detail: JSON.stringify({ kind: 'other' }) })] }));
    expect(answer.FailedEntryCount).toBe(0);
    await emulator.state.eventBuses.idle();
    expect(delivered).toEqual([
      {
        version: '0',
        id: answer.Entries![0].EventId,
        'detail-type': 'Thing',
        source: 'app',
        account: ADMIN,
        time: expect.stringMatching(/Z$/),
        region: REGION,
        resources: [],
        detail: { kind: 'enroll' },
      },
    ]);
  });

  test('each bad entry fails on its own with the documented error code', async () => {
    declareBus();
    const events = new EventBridgeClient(config());
    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: 'aws.controltower' }),
          entry({ Detail: '[1,2]' }),
          entry({ EventBusName: 'nope' }),
          entry({ DetailType: undefined }),
          entry(),
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(4);
    expect(answer.Entries!.map((e) => e.ErrorCode ?? 'OK')).toEqual([
      'NotAuthorizedForSourceException',
      'MalformedDetail',
      'ResourceNotFoundException',
      'InvalidArgument',
      'OK',
    ]);
  });

  test('more than 10 entries, or none complete, fail the whole request', async () => {
    const events = new EventBridgeClient(config());
    expect((await failure(events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })))).name).toBe('ValidationException');
    expect((await failure(events.send(new PutEventsCommand({ Entries: [{ Source: 'app' }] })))).name).toBe('ValidationException');
  });

  test("another account may put events only when the bus's policy allows it", async () => {
    const { bus } = declareBus();
    const pipeline = new EventBridgeClient(config(PIPELINE));
    const refused = await pipeline.send(new PutEventsCommand({ Entries: [entry({ EventBusName: bus.arn })] }));
    expect(refused.Entries![0]).toMatchObject({
      ErrorCode: 'AccessDeniedException',
      ErrorMessage: expect.stringContaining('no resource-based policy allows the events:PutEvents action'),
    });
    emulator.state.eventBuses.putBus(ADMIN, REGION, 'enrollment', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PIPELINE}:root` }, Action: 'events:PutEvents', Resource: bus.arn }],
    });
    const accepted = await pipeline.send(new PutEventsCommand({ Entries: [entry({ EventBusName: bus.arn })] }));
    expect(accepted.FailedEntryCount).toBe(0);
    await emulator.state.eventBuses.idle();
    expect(delivered.map((e) => e.account)).toEqual([PIPELINE]);
  });

  test('a target that keeps failing is retried per its retry policy, then the event goes to its DLQ with the EventBridge attributes', async () => {
    declareBus('arn:aws:lambda:us-east-1:111111111111:function:flaky');
    const answer = await new EventBridgeClient(config()).send(new PutEventsCommand({ Entries: [entry()] }));
    await emulator.state.eventBuses.idle();
    const { queues } = (await control<{ queues: any[] }>(emulator.url, 'GET', '/_emulator/queues')).body;
    expect(queues).toEqual([
      expect.objectContaining({
        name: 'dlq',
        messages: [
          expect.objectContaining({
            body: expect.stringContaining(answer.Entries![0].EventId!),
            messageAttributes: {
              ERROR_CODE: 'SDK_CLIENT_ERROR',
              ERROR_MESSAGE: 'Rate exceeded',
              EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
              RETRY_ATTEMPTS: '2',
              RULE_ARN: `arn:aws:events:${REGION}:${ADMIN}:rule/enrollment/app`,
              TARGET_ARN: 'arn:aws:lambda:us-east-1:111111111111:function:flaky',
            },
          }),
        ],
      }),
    ]);
    expect((await control<{ deliveries: any[] }>(emulator.url, 'GET', '/_emulator/events')).body.deliveries).toEqual([
      expect.objectContaining({ outcome: 'DEAD_LETTERED', attempts: 3 }),
    ]);
  });

  test('a missing target is not retried: straight to the DLQ', async () => {
    declareBus('arn:aws:lambda:us-east-1:111111111111:function:missing');
    await new EventBridgeClient(config()).send(new PutEventsCommand({ Entries: [entry()] }));
    await emulator.state.eventBuses.idle();
    expect(emulator.state.eventBuses.deliveries).toEqual([expect.objectContaining({ outcome: 'DEAD_LETTERED', attempts: 1 })]);
  });

  test('the control API delivers an aws.* event as EventBridge would, which PutEvents refuses', async () => {
    const book = emulator.state.eventBuses;
    const bus = book.putBus(ADMIN, REGION, 'enrollment');
    book.putRule(bus, {
      name: 'ct',
      arn: 'arn:ct',
      pattern: { source: ['aws.controltower'] },
      enabled: true,
      targets: [{ id: 't', arn: 'arn:ok', maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 }],
    });
    const answer = await control<{ eventId: string; matchedRules: string[] }>(emulator.url, 'POST', '/_emulator/events', {
      eventBusName: 'enrollment',
      event: {
        source: 'aws.controltower',
        'detail-type': 'AWS Service Event via CloudTrail',
        detail: { eventName: 'CreateManagedAccount' },
        account: MANAGEMENT,
      },
    });
    expect(answer.body.matchedRules).toEqual(['arn:ct']);
    await book.idle();
    expect(delivered).toEqual([expect.objectContaining({ id: answer.body.eventId, source: 'aws.controltower', account: MANAGEMENT })]);
  });

  test('a function whose policy does not let EventBridge invoke it is not invoked: straight to the DLQ with NO_PERMISSIONS', async () => {
    const { dlq } = declareBus('arn:aws:lambda:us-east-1:111111111111:function:unpermitted', false);
    const events = new EventBridgeClient(config());
    await events.send(new PutEventsCommand({ Entries: [entry()] }));
    await emulator.state.eventBuses.idle();
    expect(delivered).toEqual([]);
    const [message] = dlq.messages;
    expect(message.attributes.ERROR_CODE.StringValue).toBe('NO_PERMISSIONS');
    expect(message.attributes.ERROR_MESSAGE.StringValue).toBe(
      'User: events.amazonaws.com is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:111111111111:function:unpermitted because no resource-based policy allows the lambda:InvokeFunction action',
    );
    expect(message.attributes.RETRY_ATTEMPTS.StringValue).toBe('0');
  });

  test('PutEvents calls are counted like every other call', async () => {
    declareBus();
    await new EventBridgeClient(config()).send(new PutEventsCommand({ Entries: [entry()] }));
    const { calls } = (await control<{ calls: any[] }>(emulator.url, 'GET', '/_emulator/calls')).body;
    expect(calls).toContainEqual({ service: 'events', operation: 'PutEvents', accountId: ADMIN, region: REGION, count: 1 });
  });
});

describe('event patterns', () => {
  test('exact values, nested objects and array fields match as in EventBridge', () => {
    const pattern = { source: ['a', 'b'], detail: { state: ['SUCCEEDED'], nested: { n: [1] } } };
    expect(matchesPattern(pattern, { source: 'b', detail: { state: 'SUCCEEDED', nested: { n: 1 }, other: true } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'b', detail: { state: 'FAILED', nested: { n: 1 } } })).toBe(false);
    expect(matchesPattern(pattern, { source: 'b', detail: { state: 'SUCCEEDED' } })).toBe(false);
    expect(matchesPattern({ tags: ['x'] }, { tags: ['y', 'x'] })).toBe(true);
    expect(matchesPattern({ n: ['1'] }, { n: 1 })).toBe(false);
  });

  test('content filters the emulator does not implement are refused, never silently ignored', () => {
    expect(() => checkPattern({ source: [{ prefix: 'aws.' }] })).toThrow(UnsupportedPatternError);
    expect(() => checkPattern({ $or: [{ a: ['1'] }] })).toThrow(UnsupportedPatternError);
    expect(() => checkPattern({ source: 'app' })).toThrow(UnsupportedPatternError);
  });
});

describe('SQS', () => {
  test('send, receive with attributes (the SDK checks the body MD5), delete', async () => {
    const sqs = new SQSClient(config());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'work' }));
    expect(QueueUrl).toBe(`${emulator.url}/${ADMIN}/work`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'work' }))).QueueUrl).toBe(QueueUrl);
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"a":1}',
        MessageAttributes: { ErrorCode: { DataType: 'String', StringValue: 'X' }, Count: { DataType: 'Number', StringValue: '2' } },
      }),
    );
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(received.Messages).toEqual([
      expect.objectContaining({
        MessageId: sent.MessageId,
        Body: '{"a":1}',
        MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
        Attributes: { ApproximateReceiveCount: '1' },
      }),
    ]);
    expect(received.Messages![0].MessageAttributes).toEqual({
      ErrorCode: { DataType: 'String', StringValue: 'X' },
      Count: { DataType: 'Number', StringValue: '2' },
    });
    // Received messages stay hidden for the visibility timeout.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toEqual([]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages![0].ReceiptHandle }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      QueueArn: `arn:aws:sqs:${REGION}:${ADMIN}:work`,
    });
  });

  test("an unknown queue is QueueDoesNotExist; another account's queue is AccessDenied", async () => {
    const sqs = new SQSClient(config());
    expect(await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })))).toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
      status: 400,
    });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'mine' }));
    expect((await failure(new SQSClient(config(PIPELINE)).send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })))).name).toBe('AccessDenied');
  });
});

describe('Organizations DescribeAccount', () => {
  beforeEach(async () => {
    const seeded = await control(emulator.url, 'POST', '/_emulator/organization', {
      managementAccountId: MANAGEMENT,
      accounts: [
        { accountId: MANAGEMENT, email: 'management@example.com' },
        { accountId: ADMIN, email: 'security@example.com' },
        { accountId: '555555555555', email: 'workloads@example.com' },
      ],
      delegatedAdministrators: [ADMIN],
    });
    expect(seeded.status).toBe(200);
  });

  test('the management account and a delegated administrator read an account, email included', async () => {
    for (const caller of [MANAGEMENT, ADMIN]) {
      const { Account } = await new OrganizationsClient(config(caller)).send(new DescribeAccountCommand({ AccountId: '555555555555' }));
      expect(Account).toMatchObject({ Id: '555555555555', Email: 'workloads@example.com', Status: 'ACTIVE' });
    }
  });

  test('other callers and unknown accounts get the documented errors', async () => {
    const describe = (caller: string, accountId: string) =>
      failure(new OrganizationsClient(config(caller)).send(new DescribeAccountCommand({ AccountId: accountId })));
    expect((await describe('555555555555', ADMIN)).name).toBe('AccessDeniedException');
    expect((await describe(ADMIN, '666666666666')).name).toBe('AccountNotFoundException');
    expect((await describe(PIPELINE, '555555555555')).name).toBe('AWSOrganizationsNotInUseException');
    expect((await describe(ADMIN, '12345')).name).toBe('InvalidInputException');
  });
});

describe('Step Functions front', () => {
  const stateMachineArn = `arn:aws:states:${REGION}:${ADMIN}:stateMachine:M`;

  test('without local mode attached, every call is UnknownOperationException', async () => {
    emulator.state.stepFunctions = undefined;
    expect((await failure(new SFNClient(config()).send(new StartExecutionCommand({ stateMachineArn })))).name).toBe('UnknownOperationException');
  });

  test('calls reach the attached handler and its answers (errors included) reach the SDK', async () => {
    const seen: string[] = [];
    emulator.state.stepFunctions = async (action, body) => {
      seen.push(`${action} ${JSON.parse(body).name ?? ''}`);
      if (action === 'DescribeExecution')
        return {
          statusCode: 400,
          body: JSON.stringify({ __type: 'com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist', message: 'Execution Does Not Exist' }),
        };
      return { statusCode: 200, body: JSON.stringify({ executionArn: `${stateMachineArn}:x`, startDate: 1767225600 }) };
    };
    const sfn = new SFNClient(config());
    expect((await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'x' }))).executionArn).toBe(`${stateMachineArn}:x`);
    expect((await failure(sfn.send(new DescribeExecutionCommand({ executionArn: `${stateMachineArn}:x` })))).name).toBe('ExecutionDoesNotExist');
    expect(seen).toEqual(['StartExecution x', 'DescribeExecution ']);
    emulator.state.stepFunctions = undefined;
  });
});
