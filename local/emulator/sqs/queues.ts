/**
 * What the emulator remembers about SQS: standard queues (by owner account and name) and their
 * messages, with receive counts and visibility timeouts. FIFO queues are not emulated.
 */
import type { PolicyDocument } from '../iam/types';
import { createHash, randomUUID } from 'node:crypto';

/** A message attribute as SendMessage takes it and ReceiveMessage returns it (model MessageAttributeValue). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface QueueMessage {
  messageId: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  receiptHandle: string | undefined;
  /** Epoch ms until which a received message stays hidden from ReceiveMessage. */
  invisibleUntil: number;
}

export interface Queue {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  /** Seconds a received message stays hidden (CreateQueue attribute VisibilityTimeout, default 30). */
  visibilityTimeout: number;
  messages: QueueMessage[];
  /** Declared by the embedding code (local mode's template): kept, emptied, by a reset. */
  declared: boolean;
  /** The queue's policy (AWS::SQS::QueuePolicy), evaluated with the caller's identity policy. */
  policy?: PolicyDocument;
}

/** SQS queue names: 1-80 of letters, digits, hyphens and underscores (CreateQueue QueueName). */
export const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** MD5 of the body, hex, as SendMessage's MD5OfMessageBody (the SDK checks it). */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * MD5 of the message attributes as SQS computes it (SQS developer guide, "Calculating the MD5
 * message digest for message attributes"): attributes sorted by name; for each, the name, the data
 * type and the value, each as a 4-byte big-endian length and its bytes, with a transport byte (1
 * string, 2 binary) before the value.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const value = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(value.DataType, 'utf8'));
    const binary = value.BinaryValue !== undefined;
    hash.update(Buffer.from([binary ? 2 : 1]));
    field(binary ? Buffer.from(value.BinaryValue as string, 'base64') : Buffer.from(value.StringValue ?? '', 'utf8'));
  }
  return hash.digest('hex');
}

function key(accountId: string, name: string): string {
  return `${accountId}|${name}`;
}

/** Every queue, by owner and name. */
export class QueueBook {
  private readonly queues = new Map<string, Queue>();

  /** Creates a queue, or returns the one of that owner and name. */
  create(accountId: string, region: string, name: string, options: { visibilityTimeout?: number; declared?: boolean } = {}): Queue {
    const existing = this.queues.get(key(accountId, name));
    if (existing) return existing;
    const queue: Queue = {
      name,
      accountId,
      region,
      arn: `arn:aws:sqs:${region}:${accountId}:${name}`,
      visibilityTimeout: options.visibilityTimeout ?? 30,
      messages: [],
      declared: options.declared ?? false,
    };
    this.queues.set(key(accountId, name), queue);
    return queue;
  }

  get(accountId: string, name: string): Queue | undefined {
    return this.queues.get(key(accountId, name));
  }

  /** The queue an ARN `arn:<partition>:sqs:<region>:<account>:<name>` names. */
  byArn(arn: string): Queue | undefined {
    const parts = arn.split(':');
    return parts.length === 6 && parts[2] === 'sqs' ? this.get(parts[4], parts[5]) : undefined;
  }

  /** Adds a message; returns it. */
  send(queue: Queue, body: string, attributes: Record<string, MessageAttributeValue> = {}, now = Date.now()): QueueMessage {
    const message: QueueMessage = {
      messageId: randomUUID(),
      body,
      attributes,
      sentAt: now,
      receiveCount: 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
      invisibleUntil: 0,
    };
    queue.messages.push(message);
    return message;
  }

  /** Up to `max` visible messages, hidden for `visibilityTimeout` seconds and given a new receipt handle. */
  receive(queue: Queue, max: number, visibilityTimeout: number, now = Date.now()): QueueMessage[] {
    const visible = queue.messages.filter((message) => message.invisibleUntil <= now).slice(0, max);
    for (const message of visible) {
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = Buffer.from(`${queue.arn}|${message.messageId}|${randomUUID()}`).toString('base64');
      message.invisibleUntil = now + visibilityTimeout * 1000;
    }
    return visible;
  }

  /** Deletes the message with this receipt handle; false when no message has it. */
  delete(queue: Queue, receiptHandle: string): boolean {
    const before = queue.messages.length;
    queue.messages = queue.messages.filter((message) => message.receiptHandle !== receiptHandle);
    return queue.messages.length < before;
  }

  list(): Queue[] {
    return [...this.queues.values()];
  }

  /** Empties every queue and forgets those not declared by the embedding code. */
  clear(): void {
    for (const [id, queue] of this.queues) {
      if (queue.declared) queue.messages = [];
      else this.queues.delete(id);
    }
  }
}
