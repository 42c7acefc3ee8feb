/**
 * Amazon EventBridge over JSON 1.1 (botocore `events/2015-10-07`: `"targetPrefix": "AWSEvents"`):
 * PutEvents only. Each entry is checked and answered on its own (PutEventsResultEntry: an EventId,
 * or an ErrorCode and ErrorMessage), matched against the bus's rules and delivered in the
 * background (buses.ts).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors';
import type { BusEvent } from './buses';
import { jsonProtocolReply, jsonTargetService, parseJsonObject } from '../core/json-protocol';
import type { AwsRequest, HttpReply, ServiceContext } from '../core/protocol';

export const EVENTS_TARGET_PREFIX = 'AWSEvents';

/** PutEvents Entries: 1 to 10 (API reference, PutEvents). */
const MAX_ENTRIES = 10;
/** PutEventsRequestEntry DetailType: at most 128 characters. */
const MAX_DETAIL_TYPE = 128;

type JsonObject = Record<string, unknown>;
type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export const eventBridgeService = jsonTargetService({
  name: 'events',
  targetPrefix: EVENTS_TARGET_PREFIX,
  version: '1.1',
  /** PutEvents is authorized entry by entry, on each entry's bus (PutEventsResultEntry AccessDeniedException). */
  authorization: () => [],
  async handle(context: ServiceContext, request: AwsRequest, operation: string): Promise<HttpReply> {
    if (operation !== 'PutEvents') throw new AwsError(400, 'UnknownOperationException', `The emulator does not implement EventBridge operation ${operation}.`);
    return jsonProtocolReply(200, await putEvents(context, parseJsonObject(request.rawBody)), '1.1');
  },
});

/** The ValidationException text AWS's request validation uses for a constraint on `entries`. */
function entriesInvalid(constraint: string): AwsError {
  return new AwsError(400, 'ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: ${constraint}`);
}

const REQUIRED = ['Source', 'DetailType', 'Detail'] as const;

async function putEvents(context: ServiceContext, body: JsonObject): Promise<JsonObject> {
  const entries = body.Entries;
  if (!Array.isArray(entries)) throw entriesInvalid('Member must not be null');
  if (entries.length < 1) throw entriesInvalid('Member must have length greater than or equal to 1');
  if (entries.length > MAX_ENTRIES) throw entriesInvalid(`Member must have length less than or equal to ${MAX_ENTRIES}`);
  // PutEventsRequestEntry: "If you submit a request in which none of the entries have each of these
  // properties, EventBridge fails the entire request." The message is the emulator's.
  const complete = (entry: unknown) =>
    typeof entry === 'object' && entry !== null && REQUIRED.every((field) => typeof (entry as JsonObject)[field] === 'string');
  if (!entries.some(complete))
    throw new AwsError(400, 'ValidationException', 'Every entry is missing Source, DetailType or Detail: EventBridge needs all three.');
  const results: EntryResult[] = [];
  for (const entry of entries) results.push(await putEntry(context, (entry ?? {}) as JsonObject));
  return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
}

function failed(ErrorCode: string, ErrorMessage: string): EntryResult {
  return { ErrorCode, ErrorMessage };
}

/**
 * One entry. Error codes are those PutEventsResultEntry lists (InvalidArgument, MalformedDetail,
 * NotAuthorizedForSourceException, AccessDeniedException); an unknown bus is ResourceNotFoundException
 * (EventBridge's exception for a missing bus elsewhere in its API; PutEvents' list names no code for
 * it: emulator choice). Messages are the emulator's unless noted.
 */
async function putEntry(context: ServiceContext, entry: JsonObject): Promise<EntryResult> {
  const missing = REQUIRED.filter((field) => typeof entry[field] !== 'string');
  if (missing.length > 0) return failed('InvalidArgument', `Parameter(s) ${missing.join(', ')} must be specified.`);
  const source = entry.Source as string;
  const detailType = entry.DetailType as string;
  if (detailType.length > MAX_DETAIL_TYPE) return failed('InvalidArgument', `Parameter DetailType is not valid: at most ${MAX_DETAIL_TYPE} characters.`);
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  // Detail: "A valid JSON object" (PutEventsRequestEntry).
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return failed('MalformedDetail', 'Detail is malformed.');
  // Event sources starting with `aws.` are reserved for AWS services (user guide, "Sending events").
  if (source.startsWith('aws.')) return failed('NotAuthorizedForSourceException', 'Not authorized for the source.');
  const caller = context.caller.accountId;
  const busName = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : 'default';
  const bus = context.state.eventBuses.find(caller, context.region, busName);
  if (!bus) return failed('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
  // IAM: the caller's identity policy, and the bus policy for another account's bus (docs/aws-facts.md, IAM).
  const denied = await context.authorize({ action: 'events:PutEvents', resource: bus.arn, resourceAccount: bus.accountId, resourcePolicy: bus.policy });
  if (denied) return failed('AccessDeniedException', denied);
  const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date(context.now);
  const event: BusEvent = {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: caller,
    time: eventTime(time),
    region: bus.region,
    resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
    detail,
  };
  context.state.eventBuses.publish(bus, event);
  return { EventId: event.id };
}

/** Event `time`: ISO 8601 in UTC to the second, as EventBridge writes it (`2026-01-01T00:00:00Z`). */
export function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
