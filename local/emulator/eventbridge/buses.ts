/**
 * What the emulator remembers about EventBridge: event buses (each account has `default`), their
 * rules and targets, and what became of each delivery. Buses with rules are declared by the code
 * that embeds the emulator (local mode reads them from the synthesized template); the emulator has
 * no PutRule/PutTargets. Delivering to a target is the embedding code's too ({@link TargetInvoker}):
 * the emulator runs EventBridge's side, the retry policy and the target's dead-letter queue.
 */
import { deniedMessage, evaluate } from '../iam/evaluate';
import type { PolicyDocument } from '../iam/types';
import { checkPattern, matchesPattern } from './pattern';
import { sleep } from '../core/http';
import type { MessageAttributeValue, QueueBook } from '../sqs/queues';

type Json = Record<string, unknown>;

/** An event as EventBridge hands it to targets (EventBridge user guide, "Amazon EventBridge events"). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** A rule's target: where matched events go, how often delivery is retried, where it is dead-lettered. */
export interface RuleTarget {
  id: string;
  arn: string;
  /** RetryPolicy MaximumRetryAttempts (EventBridge default 185). */
  maximumRetryAttempts: number;
  /** RetryPolicy MaximumEventAgeInSeconds (EventBridge default 86400). */
  maximumEventAgeSeconds: number;
  /** DeadLetterConfig Arn: an SQS queue ARN. */
  deadLetterArn?: string;
}

export interface EventRule {
  name: string;
  arn: string;
  pattern: Json;
  enabled: boolean;
  targets: RuleTarget[];
}

export interface EventBus {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  /** The bus's resource policy (who else may put events), evaluated by IAM. */
  policy: PolicyDocument | undefined;
  rules: EventRule[];
}

/**
 * Delivers an event to a target ARN; resolves once the target accepted it (for Lambda: once the
 * asynchronous invocation is queued). Throws a {@link DeliveryError} when it could not.
 */
export type TargetInvoker = (targetArn: string, event: BusEvent) => Promise<void>;

/**
 * A failed delivery. `code` is what EventBridge puts in the dead-letter message's ERROR_CODE;
 * `retryable: false` (a missing target, missing permissions) skips the retries, as EventBridge does
 * (user guide, "Event retry policy and using dead-letter queues").
 */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = true,
  ) {
    super(message);
  }
}

/** What became of one event at one target, for `GET /_emulator/events`. */
export interface DeliveryRecord {
  eventId: string;
  ruleArn: string;
  targetArn: string;
  outcome: 'PENDING' | 'DELIVERED' | 'DEAD_LETTERED' | 'DROPPED';
  attempts: number;
  error?: string;
}

function busKey(accountId: string, region: string, name: string): string {
  return `${accountId}|${region}|${name}`;
}

/** Event buses, rules, the target invoker and the deliveries in flight. */
export class EventBusBook {
  private readonly buses = new Map<string, EventBus>();
  private invoker: TargetInvoker | undefined;
  /** Targets' resource policies (a Lambda function's, from its permissions), by target ARN. */
  private readonly targetPolicies = new Map<string, PolicyDocument>();
  private readonly inFlight = new Set<Promise<void>>();
  readonly deliveries: DeliveryRecord[] = [];
  /** Milliseconds between delivery attempts (EventBridge backs off over minutes; the emulator is quick). */
  retryDelayMs = 10;

  constructor(private readonly queues: QueueBook) {}

  /** Declares a bus (or replaces its policy); `default` buses exist without being declared. */
  putBus(accountId: string, region: string, name: string, policy?: PolicyDocument): EventBus {
    const existing = this.buses.get(busKey(accountId, region, name));
    if (existing) {
      existing.policy = policy;
      return existing;
    }
    const bus: EventBus = { name, accountId, region, arn: `arn:aws:events:${region}:${accountId}:event-bus/${name}`, policy, rules: [] };
    this.buses.set(busKey(accountId, region, name), bus);
    return bus;
  }

  /**
   * The bus `nameOrArn` names for a caller in `accountId`/`region`: a name is the caller's own bus,
   * an ARN may name another account's. `default` always exists.
   */
  find(accountId: string, region: string, nameOrArn: string): EventBus | undefined {
    const arn = /^arn:[^:]+:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(nameOrArn);
    const [busRegion, owner, name] = arn ? [arn[1], arn[2], arn[3]] : [region, accountId, nameOrArn];
    return this.buses.get(busKey(owner, busRegion, name)) ?? (name === 'default' ? this.putBus(owner, busRegion, 'default') : undefined);
  }

  /**
   * Adds a rule to a bus.
   * @throws UnsupportedPatternError when the pattern uses what the emulator does not implement.
   */
  putRule(bus: EventBus, rule: EventRule): void {
    checkPattern(rule.pattern);
    bus.rules = [...bus.rules.filter((r) => r.name !== rule.name), rule];
  }

  /** Sets who delivers events to targets. */
  /** Declares a target's resource policy (a Lambda function's policy: who may invoke it). */
  putTargetPolicy(targetArn: string, policy: PolicyDocument): void {
    this.targetPolicies.set(targetArn, policy);
  }

  setInvoker(invoker: TargetInvoker | undefined): void {
    this.invoker = invoker;
  }

  /** Matches an event against the bus's enabled rules and delivers it to each matching rule's targets, in the background. */
  publish(bus: EventBus, event: BusEvent): string[] {
    const matched = bus.rules.filter((rule) => rule.enabled && matchesPattern(rule.pattern, event));
    for (const rule of matched) {
      for (const target of rule.targets) this.track(this.deliver(rule, target, event));
    }
    return matched.map((rule) => rule.arn);
  }

  /** Resolves when every delivery started so far has finished (delivered, dead-lettered or dropped). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Forgets the delivery log (declared buses and rules stay: they are the deployment). */
  clear(): void {
    this.deliveries.length = 0;
  }

  list(): EventBus[] {
    return [...this.buses.values()];
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Delivers with the target's retry policy; when retries run out, to its DLQ or nowhere. */
  private async deliver(rule: EventRule, target: RuleTarget, event: BusEvent): Promise<void> {
    const record: DeliveryRecord = { eventId: event.id, ruleArn: rule.arn, targetArn: target.arn, outcome: 'PENDING', attempts: 0 };
    this.deliveries.push(record);
    const started = Date.now();
    for (;;) {
      record.attempts += 1;
      try {
        if (!this.invoker) throw new DeliveryError('RESOURCE_NOT_FOUND', `No target is reachable at ${target.arn}.`, false);
        if (target.arn.startsWith('arn:aws:lambda:')) {
          // EventBridge invokes a function only if the function's policy lets it, for this rule (docs/aws-facts.md, IAM).
          const denied = await eventBridgeMay('lambda:InvokeFunction', target.arn, this.targetPolicies.get(target.arn), rule);
          if (denied) throw new DeliveryError('NO_PERMISSIONS', denied, false);
        }
        await this.invoker(target.arn, event);
        record.outcome = 'DELIVERED';
        return;
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError('SDK_CLIENT_ERROR', error instanceof Error ? error.message : String(error));
        record.error = `${failure.code}: ${failure.message}`;
        const retriesLeft = failure.retryable && record.attempts <= target.maximumRetryAttempts;
        const young = Date.now() - started < target.maximumEventAgeSeconds * 1000;
        if (retriesLeft && young) {
          await sleep(this.retryDelayMs);
          continue;
        }
        const exhausted = !failure.retryable ? 'NotRetryable' : young ? 'MaximumRetryAttempts' : 'MaximumEventAgeInSeconds';
        record.outcome = (await this.deadLetter(rule, target, event, failure, exhausted, record.attempts - 1, record)) ? 'DEAD_LETTERED' : 'DROPPED';
        return;
      }
    }
  }

  /**
   * Sends the event to the target's dead-letter queue with the attributes EventBridge documents
   * (user guide, "Using dead-letter queues to process undelivered events": ERROR_CODE,
   * ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, RULE_ARN, TARGET_ARN).
   */
  private async deadLetter(
    rule: EventRule,
    target: RuleTarget,
    event: BusEvent,
    failure: DeliveryError,
    exhausted: string,
    retries: number,
    record: DeliveryRecord,
  ): Promise<boolean> {
    const queue = target.deadLetterArn ? this.queues.byArn(target.deadLetterArn) : undefined;
    if (!queue) return false;
    // The queue's policy must let EventBridge send for this rule; otherwise the event is lost.
    const denied = await eventBridgeMay('sqs:SendMessage', queue.arn, queue.policy, rule);
    if (denied) {
      record.error = `${record.error ?? ''}; dead-letter queue refused: ${denied}`;
      return false;
    }
    const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
    this.queues.send(queue, JSON.stringify(event), {
      ERROR_CODE: text(failure.code),
      ERROR_MESSAGE: text(failure.message),
      EXHAUSTED_RETRY_CONDITION: text(exhausted),
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(retries) },
      RULE_ARN: text(rule.arn),
      TARGET_ARN: text(target.arn),
    });
    return true;
  }
}

/**
 * Whether EventBridge (the service principal `events.amazonaws.com`, acting for `rule`) may call
 * `action` on a resource whose policy is `policy`: undefined when allowed, else AWS's denial. A
 * service principal has no identity policy, so only the resource's policy can allow it.
 */
async function eventBridgeMay(action: string, resource: string, policy: PolicyDocument | undefined, rule: EventRule): Promise<string | undefined> {
  const account = /^arn:aws:events:[^:]*:(\d{12}):/.exec(rule.arn)?.[1] ?? '';
  const check = {
    action,
    resource,
    resourceAccount: /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? account,
    resourcePolicy: policy,
    context: { 'aws:SourceArn': rule.arn, 'aws:SourceAccount': account },
  };
  const decision = policy
    ? await evaluate({ arn: 'events.amazonaws.com', identityPolicies: [], context: {} }, check)
    : ({ allowed: false, reason: 'no resource-based policy allows' } as const);
  return decision.allowed ? undefined : deniedMessage('events.amazonaws.com', check, decision.reason);
}
