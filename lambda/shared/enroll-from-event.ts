import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { accountEmail } from './account-email';
import { sendToDeadLetterQueue } from './dead-letter';
import { UnusableEventError, checkedRequest, readEnrollmentEvent } from './enrollment-event';
import type { EnrollmentIntent } from './enrollment-event';
import { logger } from './logger';
import { startEnrollment } from './start-enrollment';
import { eventCaller } from '../../contract/requested-by';
import type { EnrollmentRequest } from '../../contract/workflow-types';
import type { DeadLetterCode } from '../../contract/enrollment-events';

/** The clients event-driven enrollment calls. */
export interface EventClients {
  sfn: SFNClient;
  sqs: SQSClient;
  organizations: OrganizationsClient;
}

/** Where enrollments start and where unusable events go. */
export interface EventDestinations {
  stateMachineArn: string;
  deadLetterQueueUrl: string;
}

/** What became of one event. */
export type EventOutcome =
  | { outcome: 'STARTED'; enrollmentId: string; executionArn: string }
  /** A duplicate delivery of an event whose execution already ran: nothing new was started. */
  | { outcome: 'ALREADY_STARTED'; enrollmentId: string }
  | { outcome: 'DEAD_LETTERED'; code: DeadLetterCode; reason: string; messageId: string };

/** The execution input an intent stands for: the request as given, or the managed account with its email from Organizations. */
async function requestOf(intent: EnrollmentIntent, organizations: OrganizationsClient): Promise<EnrollmentRequest> {
  if (intent.kind === 'request') return intent.request;
  // No regions: the state machine then uses the deployment's default regions.
  return checkedRequest({ accountId: intent.accountId, email: await accountEmail(organizations, intent.accountId) });
}

/**
 * Enrolls the account an EventBridge event names: starts the enrollment state machine with the
 * event id as the execution name (so `GET /enrollments/{EventId}` follows it). An event that can
 * never be enrolled goes to the dead-letter queue with its reason and the function returns
 * normally, so it is not retried; anything else that fails (throttling, a 5xx, the queue itself) is
 * thrown for Lambda's asynchronous retries, after which Lambda dead-letters the event itself.
 */
export async function enrollFromEvent(event: unknown, clients: EventClients, destinations: EventDestinations): Promise<EventOutcome> {
  try {
    const intent = readEnrollmentEvent(event);
    const { source, account } = event as { source?: unknown; account?: unknown };
    // Who asked: the event's source and the account that put it; a detail's own requestedBy is never read.
    const request = { ...(await requestOf(intent, clients.organizations)), requestedBy: eventCaller(String(source), String(account)) };
    const started = await startEnrollment(clients.sfn, destinations.stateMachineArn, intent.eventId, request);
    if (started.status === 'ALREADY_STARTED') {
      logger.info('Event already handled: its enrollment exists, nothing started', { eventKind: intent.kind });
      return { outcome: 'ALREADY_STARTED', enrollmentId: intent.eventId };
    }
    logger.info('Enrollment started', { eventKind: intent.kind, executionArn: started.executionArn });
    return { outcome: 'STARTED', enrollmentId: intent.eventId, executionArn: started.executionArn };
  } catch (error) {
    if (!(error instanceof UnusableEventError)) throw error;
    const messageId = await sendToDeadLetterQueue(clients.sqs, destinations.deadLetterQueueUrl, event, error.code, error.message);
    logger.error('Event sent to the dead-letter queue', { errorCode: error.code, reason: error.message, messageId });
    return { outcome: 'DEAD_LETTERED', code: error.code, reason: error.message, messageId };
  }
}
