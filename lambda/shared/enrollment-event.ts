import type { EventBridgeEvent } from 'aws-lambda';
import { CONTROL_TOWER, DeadLetterCodes, ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE } from '../../contract/enrollment-events';
import type { DeadLetterCode } from '../../contract/enrollment-events';
import type { EnrollmentRequest } from '../../contract/workflow-types';
import { ACCOUNT_ID_PATTERN, enrollmentRequestProblem } from './validation';
import { IDEMPOTENCY_KEY_PATTERN } from '../../contract/api-rules';

/** An event that can never become an enrollment: it goes to the dead-letter queue, not to a retry. */
export class UnusableEventError extends Error {
  constructor(
    readonly code: DeadLetterCode,
    message: string,
  ) {
    super(message);
    this.name = 'UnusableEventError';
  }
}

/** What an event asks for: an enrollment request as it stands, or the account Control Tower created. */
export type EnrollmentIntent = { kind: 'request'; eventId: string; request: EnrollmentRequest } | { kind: 'controlTower'; eventId: string; accountId: string };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unrecognized(message: string): UnusableEventError {
  return new UnusableEventError(DeadLetterCodes.UnrecognizedEvent, message);
}

/**
 * The enrollment request in `body`, checked with the API's own rules (validation.ts).
 * @throws UnusableEventError InvalidEnrollmentRequest with the reason (which never holds the email).
 */
export function checkedRequest(body: unknown): EnrollmentRequest {
  const problem = enrollmentRequestProblem(body);
  if (problem) throw new UnusableEventError(DeadLetterCodes.InvalidEnrollmentRequest, problem);
  const { accountId, email, regions, invitationMessage, protectionPlans } = body as EnrollmentRequest;
  // Always the same field order, so a duplicate delivery builds a byte-identical execution input.
  return {
    accountId,
    email,
    ...(regions !== undefined ? { regions } : {}),
    ...(invitationMessage !== undefined ? { invitationMessage } : {}),
    ...(protectionPlans !== undefined ? { protectionPlans } : {}),
  };
}

/**
 * Reads an EventBridge event delivered to the enrollment function.
 * @throws UnusableEventError when it is not an event this bus enrolls from, or its request is invalid.
 */
export function readEnrollmentEvent(event: unknown): EnrollmentIntent {
  if (!isObject(event)) throw unrecognized('the event is not a JSON object');
  const { id, source, detail } = event;
  const detailType = event['detail-type'];
  // The event id becomes the execution name, so a caller can follow it with the EventId PutEvents gave.
  if (typeof id !== 'string' || !new RegExp(IDEMPOTENCY_KEY_PATTERN).test(id)) {
    throw unrecognized(`the event id '${String(id)}' is not 1 to 80 letters, digits, hyphens or underscores`);
  }
  if (!isObject(detail)) throw unrecognized('the event has no detail object');
  if (source === ENROLLMENT_EVENT_SOURCE && detailType === ENROLL_ACCOUNT_DETAIL_TYPE) {
    return { kind: 'request', eventId: id, request: checkedRequest(detail) };
  }
  if (source === CONTROL_TOWER.source && detailType === CONTROL_TOWER.detailType) {
    return { kind: 'controlTower', eventId: id, accountId: managedAccountId(detail) };
  }
  throw unrecognized(
    `source '${String(source)}' with detail-type '${String(detailType)}' is neither an enrollment event ` +
      `(${ENROLLMENT_EVENT_SOURCE} / ${ENROLL_ACCOUNT_DETAIL_TYPE}) nor Control Tower's ${CONTROL_TOWER.eventName}`,
  );
}

/** The new account's id in a successful CreateManagedAccount event's detail. */
function managedAccountId(detail: Json): string {
  if (detail.eventName !== CONTROL_TOWER.eventName) throw unrecognized(`Control Tower event '${String(detail.eventName)}' is not ${CONTROL_TOWER.eventName}`);
  const serviceEventDetails = isObject(detail.serviceEventDetails) ? detail.serviceEventDetails : {};
  const status = isObject(serviceEventDetails.createManagedAccountStatus) ? serviceEventDetails.createManagedAccountStatus : {};
  if (status.state !== CONTROL_TOWER.succeeded) {
    throw unrecognized(`${CONTROL_TOWER.eventName} state is '${String(status.state)}', not ${CONTROL_TOWER.succeeded}: there is no account to enroll`);
  }
  const accountId = isObject(status.account) ? status.account.accountId : undefined;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw unrecognized(`${CONTROL_TOWER.eventName} carries no 12-digit serviceEventDetails.createManagedAccountStatus.account.accountId`);
  }
  return accountId;
}

/** An EventBridge event as Lambda receives it from a rule (the whole event, no input transformer). */
export type DeliveredEvent = EventBridgeEvent<string, unknown>;
