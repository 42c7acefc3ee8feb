/**
 * Lambda's asynchronous invocation, as EventBridge uses it for Lambda targets (Lambda developer
 * guide, "Asynchronous invocation"): the event is queued and the call returns at once; a function
 * error is retried (MaximumRetryAttempts of the function's EventInvokeConfig, default 2); when every
 * attempt failed, the event goes to the function's dead-letter queue (DeadLetterConfig) with the
 * message attributes RequestID, ErrorCode and ErrorMessage.
 */
import { randomUUID } from 'node:crypto';
import { DeliveryError } from '../../emulator/eventbridge/buses';
import type { BusEvent } from '../../emulator/eventbridge/buses';
import type { QueueBook } from '../../emulator/sqs/queues';
import type { LocalFunction, LocalFunctions } from './functions';
import type { TemplateResolver } from '../template/resolver';

/** Lambda's default for asynchronous invocations: two retries (EventInvokeConfig MaximumRetryAttempts). */
const DEFAULT_RETRIES = 2;
/** Lambda keeps the first 1 KB of the error message in the dead-letter message. */
const MAX_ERROR_MESSAGE = 1024;

interface AsyncConfig {
  retries: number;
  deadLetterArn: string | undefined;
}

/** The template's functions, invoked asynchronously with Lambda's retries and dead-letter queue. */
export class LocalAsyncInvocations {
  private readonly configs = new Map<string, AsyncConfig>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly functions: LocalFunctions,
    resolver: TemplateResolver,
    private readonly queues: QueueBook,
    /** Milliseconds between attempts (Lambda waits 1 then 2 minutes). */
    private readonly retryDelayMs = 1000,
  ) {
    const retriesByFunction = new Map<string, number>();
    for (const id of resolver.resourcesOfType('AWS::Lambda::EventInvokeConfig')) {
      const props = resolver.properties(id);
      if (typeof props.MaximumRetryAttempts === 'number') retriesByFunction.set(String(props.FunctionName), props.MaximumRetryAttempts);
    }
    for (const id of resolver.resourcesOfType('AWS::Lambda::Function')) {
      const props = resolver.properties(id);
      const deadLetterArn = (props.DeadLetterConfig as { TargetArn?: string } | undefined)?.TargetArn;
      this.configs.set(resolver.getAtt(id, 'Arn'), { retries: retriesByFunction.get(resolver.ref(id)) ?? DEFAULT_RETRIES, deadLetterArn });
    }
  }

  /**
   * Queues an invocation and returns at once (the EventBridge target's view of Lambda). A function the
   * template does not have is a delivery failure EventBridge does not retry.
   */
  readonly invoke = async (arn: string, event: BusEvent): Promise<void> => {
    const fn = this.functions.get(arn);
    if (!fn) throw new DeliveryError('RESOURCE_NOT_FOUND', `Function not found: ${arn}`, false);
    const run = this.run(fn, event, this.configs.get(arn) ?? { retries: DEFAULT_RETRIES, deadLetterArn: undefined });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  };

  /** Resolves when every invocation queued so far has finished (succeeded or dead-lettered). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run(fn: LocalFunction, event: BusEvent, config: AsyncConfig): Promise<void> {
    const requestId = randomUUID();
    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= config.retries; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      try {
        await this.functions.invoke(fn, event);
        return;
      } catch (error) {
        lastError = error as Error;
      }
    }
    const queue = config.deadLetterArn ? this.queues.byArn(config.deadLetterArn) : undefined;
    if (!queue) return;
    this.queues.send(queue, JSON.stringify(event), {
      RequestID: { DataType: 'String', StringValue: requestId },
      // Assumption: the Invoke status of a function error, 200 (the docs call it "the three-digit error code").
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: errorMessageOf(lastError).slice(0, MAX_ERROR_MESSAGE) },
    });
  }
}

/** The function's own error message, out of the Lambda error payload LocalFunctions throws. */
function errorMessageOf(error: Error | undefined): string {
  try {
    return (JSON.parse(error?.message ?? '') as { errorMessage?: string }).errorMessage ?? String(error?.message);
  } catch {
    return String(error?.message ?? 'Unknown error');
  }
}
