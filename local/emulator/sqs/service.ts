/**
 * Amazon SQS over its JSON protocol (botocore `sqs/2012-11-05`: `"protocol": "json"`, `"jsonVersion":
 * "1.0"`, `"targetPrefix": "AmazonSQS"`, which AWS SDK for JavaScript v3 uses): `POST /` with
 * `X-Amz-Target: AmazonSQS.<Operation>`. CreateQueue, GetQueueUrl, SendMessage, ReceiveMessage,
 * DeleteMessage and GetQueueAttributes on standard queues, for the dead-letter queue of
 * event-driven enrollment. Queue URLs are `<emulator>/<account>/<name>`, as SQS's are
 * `https://sqs.<region>.amazonaws.com/<account>/<name>`; only the path is read, so either form works.
 */
import { resourceCheck } from '../iam/action-data';
import type { IamCheck } from '../iam/evaluate';
import { AwsError } from '../core/errors';
import { jsonProtocolError, jsonProtocolReply, jsonTargetService, parseJsonObject } from '../core/json-protocol';
import type { AwsRequest, HttpReply, ServiceContext } from '../core/protocol';
import { QUEUE_NAME, md5OfBody, md5OfMessageAttributes } from './queues';
import type { MessageAttributeValue, Queue, QueueMessage } from './queues';

export const SQS_TARGET_PREFIX = 'AmazonSQS';

/** SendMessage's documented maximum message size (MessageBody plus attributes): 256 KiB. */
const MAX_MESSAGE_BYTES = 262_144;
/** ReceiveMessage MaxNumberOfMessages: 1-10 (default 1). */
const MAX_RECEIVE = 10;
/** At most 10 message attributes per message (SQS developer guide, message attributes). */
const MAX_ATTRIBUTES = 10;

type JsonObject = Record<string, unknown>;

/**
 * An SQS error: the JSON protocol answers `__type` `com.amazonaws.sqs#<Code>` and, for clients
 * that still read query-protocol codes, `x-amzn-query-error: <query code>;Sender` (SQS developer
 * guide, "Using the AWS JSON protocol").
 */
class SqsError extends AwsError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly queryCode = code,
  ) {
    super(status, code, message);
  }
}

/** QueueDoesNotExist (query code AWS.SimpleQueueService.NonExistentQueue), with SQS's text. */
function queueDoesNotExist(): SqsError {
  return new SqsError(400, 'QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');
}

function invalidParameter(reason: string): SqsError {
  return new SqsError(400, 'InvalidParameterValue', `One or more parameters are invalid. Reason: ${reason}`);
}

function missingParameter(name: string): SqsError {
  return new SqsError(400, 'MissingParameter', `The request must contain the parameter ${name}.`);
}

export const sqsService = jsonTargetService({
  name: 'sqs',
  targetPrefix: SQS_TARGET_PREFIX,
  version: '1.0',
  /**
   * `sqs:<Action>` on the queue the body names (QueueUrl, or QueueName and QueueOwnerAWSAccountId),
   * with the queue's policy as resource policy: another account's principal needs both (docs/aws-facts.md, IAM).
   */
  async authorization(context: ServiceContext, request: AwsRequest, operation: string): Promise<IamCheck[]> {
    const body = parseJsonObject(request.rawBody);
    const named = queueNamed(context, body);
    const arn = named && `arn:aws:sqs:${context.region}:${named.accountId}:${named.name}`;
    const policy = named && context.state.queues.get(named.accountId, named.name)?.policy;
    const check = await resourceCheck(`sqs:${operation}`, arn, context.caller.accountId, policy ? { resourcePolicy: policy } : {});
    return check ? [check] : [];
  },

  /** 403 AccessDenied (query code AccessDenied), as SQS answers a denied call. */
  accessDenied(message: string): AwsError {
    return new SqsError(403, 'AccessDenied', message);
  },

  handle(context: ServiceContext, request: AwsRequest, operation: string): HttpReply {
    const body = parseJsonObject(request.rawBody);
    const base = `http://${request.headers.host ?? '127.0.0.1'}`;
    switch (operation) {
      case 'CreateQueue':
        return ok(createQueue(context, body, base));
      case 'GetQueueUrl':
        return ok({ QueueUrl: queueUrl(base, findByName(context, body)) });
      case 'SendMessage':
        return ok(sendMessage(context, body));
      case 'ReceiveMessage':
        return ok(receiveMessage(context, body));
      case 'DeleteMessage':
        return ok(deleteMessage(context, body));
      case 'GetQueueAttributes':
        return ok(queueAttributes(context, body));
      default:
        throw new AwsError(400, 'UnknownOperationException', `The emulator does not implement SQS operation ${operation}.`);
    }
  },

  errorReply(error: AwsError): HttpReply {
    const queryCode = error instanceof SqsError ? error.queryCode : error.code;
    return jsonProtocolError(error, '1.0', `com.amazonaws.sqs#${error.code}`, { 'x-amzn-query-error': `${queryCode};${error.fault}` });
  },
});

function ok(body: unknown): HttpReply {
  return jsonProtocolReply(200, body, '1.0');
}

export function queueUrl(base: string, queue: Queue): string {
  return `${base}/${queue.accountId}/${queue.name}`;
}

function createQueue(context: ServiceContext, body: JsonObject, base: string): JsonObject {
  const name = body.QueueName;
  if (typeof name !== 'string') throw missingParameter('QueueName');
  if (!QUEUE_NAME.test(name)) throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  const attributes = (body.Attributes ?? {}) as Record<string, string>;
  const visibility = attributes.VisibilityTimeout === undefined ? undefined : Number(attributes.VisibilityTimeout);
  if (visibility !== undefined && !(Number.isInteger(visibility) && visibility >= 0 && visibility <= 43_200)) {
    throw new SqsError(400, 'InvalidAttributeValue', 'Invalid value for the parameter VisibilityTimeout.');
  }
  const queue = context.state.queues.create(context.caller.accountId, context.region, name, { visibilityTimeout: visibility });
  return { QueueUrl: queueUrl(base, queue) };
}

function findByName(context: ServiceContext, body: JsonObject): Queue {
  const named = namedByName(context, body);
  if (!named) throw missingParameter('QueueName');
  return owned(context.state.queues.get(named.accountId, named.name));
}

/** The account and name of the queue a request names, by QueueUrl or by QueueName (and owner). */
function queueNamed(context: ServiceContext, body: JsonObject): { accountId: string; name: string } | undefined {
  if (typeof body.QueueUrl === 'string') {
    const match = /\/(\d{12})\/([A-Za-z0-9_-]{1,80})\/?$/.exec(body.QueueUrl);
    return match ? { accountId: match[1], name: match[2] } : undefined;
  }
  return namedByName(context, body);
}

/** The queue QueueName names, in QueueOwnerAWSAccountId's account or else the caller's. */
function namedByName(context: ServiceContext, body: JsonObject): { accountId: string; name: string } | undefined {
  if (typeof body.QueueName !== 'string') return undefined;
  const owner = typeof body.QueueOwnerAWSAccountId === 'string' ? body.QueueOwnerAWSAccountId : context.caller.accountId;
  return { accountId: owner, name: body.QueueName };
}

/**
 * The queue a QueueUrl names (its last two path segments: account and name). Who may use it was
 * decided by IAM before (identity policy and queue policy).
 */
function findByUrl(context: ServiceContext, body: JsonObject): Queue {
  const url = body.QueueUrl;
  if (typeof url !== 'string') throw missingParameter('QueueUrl');
  const named = queueNamed(context, body);
  return owned(named ? context.state.queues.get(named.accountId, named.name) : undefined);
}

function owned(queue: Queue | undefined): Queue {
  if (!queue) throw queueDoesNotExist();
  return queue;
}

function readAttributes(raw: unknown): Record<string, MessageAttributeValue> {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidParameter('MessageAttributes must be a map.');
  const entries = Object.entries(raw as JsonObject);
  if (entries.length > MAX_ATTRIBUTES)
    throw invalidParameter(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    const attribute = (value ?? {}) as JsonObject;
    const dataType = attribute.DataType;
    if (typeof dataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
      throw invalidParameter(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const binary = dataType.startsWith('Binary');
    const text = binary ? attribute.BinaryValue : attribute.StringValue;
    if (typeof text !== 'string' || text === '')
      throw invalidParameter(`The message attribute '${name}' must contain a non-empty message attribute value for message attribute type '${dataType}'.`);
    result[name] = binary ? { DataType: dataType, BinaryValue: text } : { DataType: dataType, StringValue: text };
  }
  return result;
}

function sendMessage(context: ServiceContext, body: JsonObject): JsonObject {
  const queue = findByUrl(context, body);
  const messageBody = body.MessageBody;
  if (typeof messageBody !== 'string') throw missingParameter('MessageBody');
  if (messageBody === '') throw invalidParameter('The message body must be at least 1 character long.');
  const attributes = readAttributes(body.MessageAttributes);
  const size = Buffer.byteLength(messageBody) + Buffer.byteLength(JSON.stringify(attributes));
  if (size > MAX_MESSAGE_BYTES) throw invalidParameter(`Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`);
  const message = context.state.queues.send(queue, messageBody, attributes, context.now);
  const md5Attributes = md5OfMessageAttributes(attributes);
  return { MessageId: message.messageId, MD5OfMessageBody: md5OfBody(messageBody), ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes } : {}) };
}

function receiveMessage(context: ServiceContext, body: JsonObject): JsonObject {
  const queue = findByUrl(context, body);
  const max = body.MaxNumberOfMessages ?? 1;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RECEIVE) {
    throw invalidParameter(`Value ${String(max)} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
  }
  const visibility = typeof body.VisibilityTimeout === 'number' ? body.VisibilityTimeout : queue.visibilityTimeout;
  const wanted = new Set([...((body.MessageAttributeNames as string[] | undefined) ?? [])]);
  const system = new Set([...((body.AttributeNames as string[] | undefined) ?? []), ...((body.MessageSystemAttributeNames as string[] | undefined) ?? [])]);
  // WaitTimeSeconds (long polling) is accepted and not waited for: the emulator answers at once.
  const messages = context.state.queues.receive(queue, max, visibility, context.now);
  return { Messages: messages.map((message) => renderMessage(message, wanted, system)) };
}

/** A received message with the message attributes asked for (`All`, `.*`, a name or a `prefix.*`) and system attributes. */
function renderMessage(message: QueueMessage, wanted: Set<string>, system: Set<string>): JsonObject {
  const all = wanted.has('All') || wanted.has('.*');
  const picked = Object.fromEntries(
    Object.entries(message.attributes).filter(
      ([name]) => all || wanted.has(name) || [...wanted].some((w) => w.endsWith('.*') && name.startsWith(w.slice(0, -1))),
    ),
  );
  const md5Attributes = md5OfMessageAttributes(picked);
  const allSystem = system.has('All');
  const systemAttributes: Record<string, string> = {};
  if (allSystem || system.has('ApproximateReceiveCount')) systemAttributes.ApproximateReceiveCount = String(message.receiveCount);
  if (allSystem || system.has('SentTimestamp')) systemAttributes.SentTimestamp = String(message.sentAt);
  if (allSystem || system.has('ApproximateFirstReceiveTimestamp')) systemAttributes.ApproximateFirstReceiveTimestamp = String(message.firstReceivedAt);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5OfBody(message.body),
    Body: message.body,
    ...(Object.keys(systemAttributes).length > 0 ? { Attributes: systemAttributes } : {}),
    ...(md5Attributes ? { MessageAttributes: picked, MD5OfMessageAttributes: md5Attributes } : {}),
  };
}

function deleteMessage(context: ServiceContext, body: JsonObject): JsonObject {
  const queue = findByUrl(context, body);
  const handle = body.ReceiptHandle;
  if (typeof handle !== 'string') throw missingParameter('ReceiptHandle');
  // Deleting a message that is already gone succeeds in SQS (an old but valid handle); a handle this
  // emulator never issued is ReceiptHandleIsInvalid.
  if (!context.state.queues.delete(queue, handle) && !Buffer.from(handle, 'base64').toString('utf8').startsWith(`${queue.arn}|`)) {
    throw new SqsError(400, 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
  return {};
}

function queueAttributes(context: ServiceContext, body: JsonObject): JsonObject {
  const queue = findByUrl(context, body);
  const now = context.now;
  const visible = queue.messages.filter((message) => message.invisibleUntil <= now).length;
  const all: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
    VisibilityTimeout: String(queue.visibilityTimeout),
  };
  const names = (body.AttributeNames as string[] | undefined) ?? [];
  const picked = names.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
  return { Attributes: picked };
}
