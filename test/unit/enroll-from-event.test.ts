import './support/env';
import { AccountNotFoundException, DescribeAccountCommand, OrganizationsClient, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { ExecutionAlreadyExists, SFNClient, SFNServiceException, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/handlers/enroll-from-event';
import { DEAD_LETTER_ATTRIBUTES } from '../../lambda/shared/dead-letter';
import { ADMIN } from './support/env';
import { EMAIL, MASKED_EMAIL, thrown } from './support/fixtures';
import { controlTowerEvent, enrollEvent } from './support/events';
import { captureLogs } from './support/logs';

const STATE_MACHINE_ARN = `arn:aws:states:us-east-1:${ADMIN}:stateMachine:Enrollment`;
const QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${ADMIN}/EnrollmentEventsDeadLetters`;
Object.assign(process.env, { STATE_MACHINE_ARN, DEAD_LETTER_QUEUE_URL: QUEUE_URL });

const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const organizations = mockClient(OrganizationsClient);

beforeEach(() => {
  sfn.reset();
  sqs.reset();
  organizations.reset();
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
    executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
  sqs.on(SendMessageCommand).resolves({ MessageId: 'msg-1', MD5OfMessageBody: 'x' });
});

/** The dead-letter messages sent, as {code, message, body}. */
function deadLetters() {
  return sqs.commandCalls(SendMessageCommand).map((call) => {
    const input = call.args[0].input;
    return {
      queueUrl: input.QueueUrl,
      code: input.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.code]?.StringValue,
      message: input.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.message]?.StringValue ?? '',
      body: JSON.parse(input.MessageBody ?? 'null'),
    };
  });
}

describe('a pipeline enrollment event', () => {
  test('starts the state machine with the request as input, who asked from the envelope, and the event id as execution name', async () => {
    const event = enrollEvent({ accountId: '222222222222', email: EMAIL, regions: ['us-east-1', 'eu-west-1'] });
    const outcome = await handler(event);
    expect(outcome).toEqual({ outcome: 'STARTED', enrollmentId: event.id, executionArn: expect.stringContaining(`:execution:Enrollment:${event.id}`) });
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call.args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: event.id,
      input: JSON.stringify({
        accountId: '222222222222',
        email: EMAIL,
        regions: ['us-east-1', 'eu-west-1'],
        requestedBy: 'event:guardduty-enrollment/111111111111',
      }),
    });
    expect(deadLetters()).toEqual([]);
  });

  test('delivered again after its execution ended, it starts nothing and is not dead-lettered', async () => {
    const event = enrollEvent({ accountId: '222222222222', email: EMAIL });
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: `Execution Already Exists: '...:${event.id}'`, $metadata: { httpStatusCode: 400 } }));
    expect(await handler(event)).toEqual({ outcome: 'ALREADY_STARTED', enrollmentId: event.id });
    expect(deadLetters()).toEqual([]);
  });

  test('a throttled StartExecution is thrown, so Lambda retries the event, and nothing is dead-lettered', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new SFNServiceException({ name: 'ThrottlingException', message: 'Rate exceeded', $fault: 'client', $metadata: { httpStatusCode: 400 } }));
    const error = await thrown(() => handler(enrollEvent({ accountId: '222222222222', email: EMAIL })));
    expect(error.name).toBe('ThrottlingException');
    expect(deadLetters()).toEqual([]);
  });

  test.each([
    ['missing email', { accountId: '222222222222' }, /email is missing/],
    ['bad account id', { accountId: '22222222222x', email: EMAIL }, /accountId must be a 12-digit/],
    [
      'too many regions',
      { accountId: '222222222222', email: EMAIL, regions: Array.from({ length: 41 }, (_, i) => `us-east-${i + 1}`) },
      /1 to 40 distinct region names/,
    ],
  ])('with a %s goes to the dead-letter queue with its reason, and starts nothing', async (_label, detail, reason) => {
    const event = enrollEvent(detail);
    const outcome = await handler(event);
    expect(outcome).toEqual({ outcome: 'DEAD_LETTERED', code: 'InvalidEnrollmentRequest', reason: expect.stringMatching(reason), messageId: 'msg-1' });
    expect(deadLetters()).toEqual([{ queueUrl: QUEUE_URL, code: 'InvalidEnrollmentRequest', message: expect.stringMatching(reason), body: event }]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('an event of an unknown shape is dead-lettered as UnrecognizedEvent', async () => {
    const event = { ...enrollEvent({ accountId: '222222222222', email: EMAIL }), source: 'com.example.vending' };
    expect(await handler(event)).toMatchObject({ outcome: 'DEAD_LETTERED', code: 'UnrecognizedEvent' });
    expect(deadLetters()).toEqual([expect.objectContaining({ code: 'UnrecognizedEvent', body: event })]);
  });

  test('when the dead-letter queue itself fails, the error is thrown for Lambda to retry', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('queue unavailable'));
    await expect(handler(enrollEvent({ accountId: 'nope', email: EMAIL }))).rejects.toThrow('queue unavailable');
  });

  test('logs name the event and outcome but never the full email', async () => {
    const logs = captureLogs();
    try {
      await handler(enrollEvent({ accountId: '222222222222', email: EMAIL }));
      await handler(enrollEvent({ accountId: '222222222222', email: EMAIL, extra: true }));
      await handler(enrollEvent({ accountId: '222222222222', email: 'jane.doe@example' }));
    } finally {
      logs.restore();
    }
    expect(logs.text()).not.toContain(EMAIL);
    expect(logs.text()).not.toContain('jane.doe@');
    expect(logs.text()).toContain(MASKED_EMAIL.replace('.com', ''));
    expect(logs.lines().map((l) => l.message)).toEqual(['Enrollment started', 'Event sent to the dead-letter queue', 'Event sent to the dead-letter queue']);
  });
});

describe('a forwarded Control Tower CreateManagedAccount event', () => {
  test("enrolls the new account with its root email from Organizations, in the deployment's default regions", async () => {
    organizations.on(DescribeAccountCommand, { AccountId: '555555555555' }).resolves({ Account: { Id: '555555555555', Email: 'workloads@example.com' } });
    const event = controlTowerEvent('555555555555');
    expect(await handler(event)).toMatchObject({ outcome: 'STARTED', enrollmentId: event.id });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: event.id,
      input: JSON.stringify({ accountId: '555555555555', email: 'workloads@example.com', requestedBy: 'event:aws.controltower/999999999999' }),
    });
  });

  test('an account Organizations does not know is dead-lettered as AccountEmailUnavailable', async () => {
    organizations
      .on(DescribeAccountCommand)
      .rejects(new AccountNotFoundException({ message: 'You specified an account that does not exist.', $metadata: { httpStatusCode: 400 } }));
    const event = controlTowerEvent('555555555555');
    expect(await handler(event)).toMatchObject({ outcome: 'DEAD_LETTERED', code: 'AccountEmailUnavailable' });
    expect(deadLetters()).toEqual([
      expect.objectContaining({ code: 'AccountEmailUnavailable', message: expect.stringMatching(/account 555555555555.*does not know/), body: event }),
    ]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('a throttled DescribeAccount is thrown for Lambda to retry', async () => {
    organizations.on(DescribeAccountCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }));
    expect((await thrown(() => handler(controlTowerEvent('555555555555')))).name).toBe('TooManyRequestsException');
    expect(deadLetters()).toEqual([]);
  });
});
