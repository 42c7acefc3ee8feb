import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterCode } from '../../contract/enrollment-events';
import { MetricNames } from '../../contract/metrics';
import { publishCount } from './metrics';

/**
 * Message attributes of a dead-lettered enrollment event. The names are those Lambda itself gives
 * the messages it dead-letters after failed asynchronous invocations (Lambda developer guide,
 * "dead-letter queues": RequestID, ErrorCode, ErrorMessage), so one reader handles both kinds.
 */
export const DEAD_LETTER_ATTRIBUTES = { code: 'ErrorCode', message: 'ErrorMessage' } as const;

/** Lambda keeps the first 1 KB of the error message in its dead-letter messages; so does this. */
const MAX_MESSAGE_LENGTH = 1024;

/**
 * Sends an event that cannot be enrolled to the dead-letter queue: the body is the event exactly as
 * EventBridge delivered it (so it can be fixed and put again), the attributes say why.
 * @returns the SQS message id.
 */
export async function sendToDeadLetterQueue(sqs: SQSClient, queueUrl: string, event: unknown, code: DeadLetterCode, message: string): Promise<string> {
  const { MessageId } = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(event),
      MessageAttributes: {
        [DEAD_LETTER_ATTRIBUTES.code]: { DataType: 'String', StringValue: code },
        [DEAD_LETTER_ATTRIBUTES.message]: { DataType: 'String', StringValue: message.slice(0, MAX_MESSAGE_LENGTH) },
      },
    }),
  );
  // The alarm reads the queue itself; this metric says why, by error code, on the dashboard.
  publishCount(MetricNames.deadLetteredEvents, 1);
  publishCount(MetricNames.deadLetteredEvents, 1, { ErrorCode: code });
  return MessageId ?? '';
}
