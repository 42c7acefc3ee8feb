import type { Context } from 'aws-lambda';
import { organizationsClient, sfnClient, sqsClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { enrollFromEvent } from '../shared/enroll-from-event';
import type { EventOutcome } from '../shared/enroll-from-event';
import type { DeliveredEvent } from '../shared/enrollment-event';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';

/**
 * EnrollFromEvent: the target of the enrollment bus's rules (invoked asynchronously by
 * EventBridge). Starts the enrollment an event asks for, or dead-letters an event that cannot be
 * enrolled. Needs STATE_MACHINE_ARN and DEAD_LETTER_QUEUE_URL.
 */
export async function handler(event: DeliveredEvent, context?: Context): Promise<EventOutcome> {
  const detail = (event?.detail ?? {}) as { accountId?: unknown };
  setEnrollmentKeys({ enrollmentId: event?.id, accountId: typeof detail.accountId === 'string' ? detail.accountId : undefined });
  if (context) logger.addContext(context);
  try {
    const destinations = getConfig(['stateMachineArn', 'deadLetterQueueUrl']);
    return await enrollFromEvent(event, { sfn: sfnClient(), sqs: sqsClient(), organizations: organizationsClient() }, destinations);
  } catch (error) {
    throw logFailure(error);
  }
}
