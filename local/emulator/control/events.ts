/**
 * Control API for EventBridge and SQS (not an AWS API; JSON in, JSON out):
 *
 * - `GET  /_emulator/queues` → `{queues: [{name, accountId, region, arn, messages: [{messageId, body,
 *   messageAttributes: {name: value}, sentAt, receiveCount}]}]}`: every queue and its messages, read
 *   without receiving them (receive counts and visibility are left alone).
 * - `POST /_emulator/events` `{event: {source, detail-type, detail, account?, region?, resources?, id?},
 *   eventBusName?, accountId?, region?}` → `{eventId, matchedRules}`: puts an event on a bus as
 *   EventBridge itself delivers one (for `aws.*` events such as Control Tower's, which PutEvents
 *   refuses to callers, and which arrive on a bus through CloudTrail or another bus's rule). The bus
 *   defaults to `default` of the emulator's administrator account in us-east-1.
 * - `GET  /_emulator/events` → `{deliveries: [{eventId, ruleArn, targetArn, outcome, attempts, error?}]}`.
 */
import { randomUUID } from 'node:crypto';
import type { BusEvent } from '../eventbridge/buses';
import { eventTime } from '../eventbridge/service';
import { jsonReply } from '../core/http';
import type { HttpReply } from '../core/protocol';
import type { EmulatorState } from '../core/state';

/** The control routes this module answers. */
export const QUEUES_CONTROL_PATH = '/_emulator/queues';
export const EVENTS_CONTROL_PATH = '/_emulator/events';

type Body = Record<string, unknown>;

/** Handles `/_emulator/queues` and `/_emulator/events`. */
export function handleEventsControl(state: EmulatorState, method: string, path: string, rawBody: string): HttpReply {
  if (method === 'GET' && path === QUEUES_CONTROL_PATH) return jsonReply(200, { queues: state.queues.list().map(queueView) });
  if (method === 'GET' && path === EVENTS_CONTROL_PATH) return jsonReply(200, { deliveries: state.eventBuses.deliveries });
  if (method === 'POST' && path === EVENTS_CONTROL_PATH) return injectEvent(state, rawBody);
  return jsonReply(404, { message: `No control route ${method} ${path}.` });
}

function queueView(queue: ReturnType<EmulatorState['queues']['list']>[number]): Body {
  return {
    name: queue.name,
    accountId: queue.accountId,
    region: queue.region,
    arn: queue.arn,
    messages: queue.messages.map((message) => ({
      messageId: message.messageId,
      body: message.body,
      messageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([name, value]) => [name, value.StringValue ?? value.BinaryValue])),
      sentAt: message.sentAt,
      receiveCount: message.receiveCount,
    })),
  };
}

function injectEvent(state: EmulatorState, rawBody: string): HttpReply {
  let body: Body;
  try {
    body = JSON.parse(rawBody || '{}') as Body;
  } catch {
    return jsonReply(400, { message: 'The body is not valid JSON.' });
  }
  const raw = body.event as Body | undefined;
  if (
    !raw ||
    typeof raw !== 'object' ||
    typeof raw.source !== 'string' ||
    typeof raw['detail-type'] !== 'string' ||
    typeof raw.detail !== 'object' ||
    raw.detail === null
  ) {
    return jsonReply(400, { message: 'event must be {source, detail-type, detail, account?, region?, resources?, id?}.' });
  }
  const accountId = typeof body.accountId === 'string' ? body.accountId : state.options.administratorAccountId;
  const region = typeof body.region === 'string' ? body.region : 'us-east-1';
  const busName = typeof body.eventBusName === 'string' ? body.eventBusName : 'default';
  const bus = state.eventBuses.find(accountId, region, busName);
  if (!bus) return jsonReply(404, { message: `Event bus ${busName} does not exist in ${accountId}/${region}.` });
  const event: BusEvent = {
    version: '0',
    id: typeof raw.id === 'string' ? raw.id : randomUUID(),
    'detail-type': raw['detail-type'],
    source: raw.source,
    account: typeof raw.account === 'string' ? raw.account : accountId,
    time: eventTime(new Date()),
    region: typeof raw.region === 'string' ? raw.region : region,
    resources: Array.isArray(raw.resources) ? (raw.resources as string[]) : [],
    detail: raw.detail,
  };
  const matchedRules = state.eventBuses.publish(bus, event);
  return jsonReply(200, { eventId: event.id, matchedRules });
}
