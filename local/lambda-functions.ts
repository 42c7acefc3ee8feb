import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { HANDLER_ENTRY_METADATA, PROJECT_ROOT } from '../lib/step-function';
import type { TemplateResolver } from './template';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** One Lambda function of the template, as local mode runs it: the real handler module, in process. */
export interface LocalFunction {
  readonly logicalId: string;
  readonly arn: string;
  readonly entry: string;
  readonly environment: Record<string, string>;
}

/**
 * Lambda's error contract as Step Functions sees it: the error name is the handler's `error.name`
 * and the cause is the JSON error payload `{errorType, errorMessage, trace}`.
 */
export class LambdaFunctionError extends Error {
  constructor(error: unknown) {
    const e = error instanceof Error ? error : new Error(String(error));
    const errorType = e.name || 'Error';
    super(JSON.stringify({ errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }));
    this.name = errorType;
  }
}

/**
 * The template's Lambda functions that name their handler module (StepFunction's metadata), invoked
 * in process by ARN: what the local state machines and the local event bus call.
 */
export class LocalFunctions {
  private readonly byArn = new Map<string, LocalFunction>();

  constructor(resolver: TemplateResolver) {
    for (const id of resolver.resourcesOfType('AWS::Lambda::Function')) {
      const entry = resolver.template.Resources[id].Metadata?.[HANDLER_ENTRY_METADATA] as string | undefined;
      if (!entry) continue;
      const fnProps = resolver.properties(id);
      const environment = (fnProps.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
      const arn = resolver.getAtt(id, 'Arn');
      this.byArn.set(arn, { logicalId: id, arn, entry, environment });
    }
  }

  /** The function with this ARN, if the template has it. */
  get(arn: string): LocalFunction | undefined {
    return this.byArn.get(arn);
  }

  /** Every environment variable the template gives the functions (they share one process here). */
  environment(): Record<string, string> {
    return Object.assign({}, ...[...this.byArn.values()].map((f) => f.environment)) as Record<string, string>;
  }

  /**
   * Invokes the function's handler with `input` and Lambda's error contract: a thrown error becomes
   * a LambdaFunctionError (name = error type, message = the JSON error payload).
   */
  async invoke(fn: LocalFunction, input: unknown): Promise<unknown> {
    const module = (await import(path.join(PROJECT_ROOT, fn.entry))) as { handler: Handler };
    const context = { functionName: fn.logicalId, invokedFunctionArn: fn.arn, awsRequestId: `local-${Date.now()}` } as Context;
    try {
      return await module.handler(input, context);
    } catch (error) {
      throw new LambdaFunctionError(error);
    }
  }
}
