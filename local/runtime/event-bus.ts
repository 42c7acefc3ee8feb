/**
 * Local mode's EventBridge side: the template's queues, event buses and rules declared in the
 * emulator, with Lambda targets delivered to the template's functions (asynchronously, with
 * Lambda's retries and dead-letter queue). Then a pipeline's PutEvents against the emulator runs
 * the same rules, function and state machine as in AWS.
 */
import type { PolicyDocument } from '../emulator/iam/types';
import type { EmulatorState } from '../emulator/core/state';
import { LocalAsyncInvocations } from './lambda/async-invocations';
import type { LocalFunctions } from './lambda/functions';
import type { TemplateResolver } from './template/resolver';

/** EventBridge's defaults for a target's RetryPolicy (API reference, RetryPolicy). */
const DEFAULT_RETRY_ATTEMPTS = 185;
const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;

type Json = Record<string, unknown>;

export interface LocalEventBus {
  /** The template's custom buses: name and ARN. */
  readonly buses: Array<{ name: string; arn: string }>;
  /** Resolves when every event put so far has been delivered and handled (or dead-lettered). */
  idle(): Promise<void>;
}

/**
 * Declares the template's SQS queues, event buses (with their resource policy) and rules in the
 * emulator, and delivers rule targets to the template's functions.
 * @throws when a rule uses what the emulator does not implement (a content filter, an input transformer).
 */
export function attachEventBus(
  resolver: TemplateResolver,
  state: EmulatorState,
  functions: LocalFunctions,
  options: { retryDelayMs?: number } = {},
): LocalEventBus {
  const { account, region } = resolver.deployment;
  for (const id of resolver.resourcesOfType('AWS::SQS::Queue')) {
    state.queues.create(account, region, resolver.getAtt(id, 'QueueName'), { declared: true });
  }
  // Queue policies (AWS::SQS::QueuePolicy: Queues are queue URLs) are evaluated with each SQS call.
  for (const id of resolver.resourcesOfType('AWS::SQS::QueuePolicy')) {
    const props = resolver.properties(id) as { Queues: string[]; PolicyDocument: PolicyDocument };
    for (const url of props.Queues) {
      const queue = state.queues.get(account, url.split('/').pop() ?? '');
      if (queue) queue.policy = props.PolicyDocument;
    }
  }
  const buses = resolver.resourcesOfType('AWS::Events::EventBus').map((id) => {
    const name = resolver.getAtt(id, 'Name');
    state.eventBuses.putBus(account, region, name, resolver.properties(id).Policy as PolicyDocument | undefined);
    return { name, arn: resolver.getAtt(id, 'Arn') };
  });
  for (const id of resolver.resourcesOfType('AWS::Events::Rule')) {
    const props = resolver.properties(id);
    const bus = state.eventBuses.find(account, region, String(props.EventBusName ?? 'default'));
    if (!bus) throw new Error(`Rule ${id} is on event bus ${String(props.EventBusName)}, which the template does not declare`);
    const targets = ((props.Targets ?? []) as Json[]).map((target) => {
      if (target.Input !== undefined || target.InputPath !== undefined || target.InputTransformer !== undefined) {
        throw new Error(`Rule ${id} target ${String(target.Id)} transforms its input, which local mode does not implement`);
      }
      const retry = (target.RetryPolicy ?? {}) as { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
      return {
        id: String(target.Id),
        arn: String(target.Arn),
        maximumRetryAttempts: retry.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
        maximumEventAgeSeconds: retry.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS,
        deadLetterArn: (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn,
      };
    });
    state.eventBuses.putRule(bus, {
      name: id,
      arn: resolver.getAtt(id, 'Arn'),
      pattern: props.EventPattern as Json,
      enabled: props.State !== 'DISABLED',
      targets,
    });
  }
  // Lambda functions' policies (AWS::Lambda::Permission), as Lambda's GetPolicy shows them: who may
  // invoke the function, narrowed by source ARN and account (Lambda developer guide, "Resource-based policies").
  const permissions = new Map<string, unknown[]>();
  for (const id of resolver.resourcesOfType('AWS::Lambda::Permission')) {
    const props = resolver.properties(id) as { Action: string; FunctionName: string; Principal: string; SourceArn?: string; SourceAccount?: string };
    const condition: Record<string, Record<string, string>> = {};
    if (props.SourceArn) condition.ArnLike = { 'AWS:SourceArn': props.SourceArn };
    if (props.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': props.SourceAccount };
    const principal = props.Principal.endsWith('.amazonaws.com') ? { Service: props.Principal } : { AWS: props.Principal };
    const statement = {
      Sid: id,
      Effect: 'Allow',
      Principal: principal,
      Action: props.Action,
      Resource: props.FunctionName,
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
    permissions.set(props.FunctionName, [...(permissions.get(props.FunctionName) ?? []), statement]);
  }
  for (const [functionArn, statements] of permissions) state.eventBuses.putTargetPolicy(functionArn, { Version: '2012-10-17', Statement: statements });
  const invocations = new LocalAsyncInvocations(functions, resolver, state.queues, options.retryDelayMs);
  if (options.retryDelayMs !== undefined) state.eventBuses.retryDelayMs = options.retryDelayMs;
  state.eventBuses.setInvoker(invocations.invoke);
  return {
    buses,
    async idle() {
      // A delivery queues an invocation, so wait for the deliveries first, then the invocations.
      await state.eventBuses.idle();
      await invocations.idle();
    },
  };
}
