import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { HANDLER_ENTRY_METADATA, PROJECT_ROOT } from '../../../lib/step-lambda';
import type { TemplateResolver } from '../template/resolver';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** One Lambda function of the template, as local mode runs it: the real handler module. */
export interface LocalFunction {
  readonly logicalId: string;
  readonly arn: string;
  readonly entry: string;
  readonly environment: Record<string, string>;
  /** Its execution role's ARN. */
  readonly roleArn: string;
}

/**
 * Lambda's error contract as Step Functions sees it: the error name is the handler's `error.name`
 * and the cause is the JSON error payload `{errorType, errorMessage, trace}`.
 */
export class LambdaFunctionError extends Error {
  constructor(error: { name?: string; message?: string; stack?: string }) {
    const errorType = error.name || 'Error';
    super(JSON.stringify({ errorType, errorMessage: error.message ?? '', trace: (error.stack ?? '').split('\n') }));
    this.name = errorType;
  }
}

/**
 * How functions run:
 * - `in-process`: the handler module is imported into this process (tests that mock the SDK
 *   clients with aws-sdk-client-mock need this); every function shares the process environment.
 * - `sandboxed`: each function in its own worker thread with its own environment, as Lambda gives
 *   each function its own sandbox; `environmentOf` supplies it (the template's variables plus the
 *   region, endpoints and the execution role's session credentials).
 */
export type FunctionIsolation = { mode: 'in-process' } | { mode: 'sandboxed'; environmentOf: (fn: LocalFunction) => Promise<Record<string, string>> };

interface Sandbox {
  worker: Worker;
  pending: Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>;
}

const WORKER_SCRIPT = path.join(__dirname, 'worker.js');

/**
 * The template's Lambda functions that name their handler module (StepLambda's metadata), invoked
 * by ARN: what the local state machines and the local event bus call.
 */
export class LocalFunctions {
  private readonly byArn = new Map<string, LocalFunction>();
  private readonly sandboxes = new Map<string, Promise<Sandbox>>();
  private nextId = 1;
  private isolation: FunctionIsolation = { mode: 'in-process' };

  constructor(resolver: TemplateResolver) {
    for (const id of resolver.resourcesOfType('AWS::Lambda::Function')) {
      const entry = resolver.template.Resources[id].Metadata?.[HANDLER_ENTRY_METADATA] as string | undefined;
      if (!entry) continue;
      const fnProps = resolver.properties(id);
      const environment = (fnProps.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
      const arn = resolver.getAtt(id, 'Arn');
      this.byArn.set(arn, { logicalId: id, arn, entry, environment, roleArn: String(fnProps.Role) });
    }
  }

  /** Runs every function in its own sandbox from now on (see {@link FunctionIsolation}). */
  isolate(isolation: FunctionIsolation): void {
    this.isolation = isolation;
  }

  /** The function with this ARN, if the template has it. */
  get(arn: string): LocalFunction | undefined {
    return this.byArn.get(arn);
  }

  /** Every function of the template. */
  all(): LocalFunction[] {
    return [...this.byArn.values()];
  }

  /** Every environment variable the template gives the functions (for running them in process). */
  environment(): Record<string, string> {
    return Object.assign({}, ...[...this.byArn.values()].map((f) => f.environment)) as Record<string, string>;
  }

  /**
   * Invokes the function's handler with `input` and Lambda's error contract: a thrown error becomes
   * a LambdaFunctionError (name = error type, message = the JSON error payload).
   */
  async invoke(fn: LocalFunction, input: unknown): Promise<unknown> {
    const context = { functionName: fn.logicalId, invokedFunctionArn: fn.arn, awsRequestId: `local-${Date.now()}-${this.nextId}` };
    if (this.isolation.mode === 'sandboxed') return this.invokeSandboxed(fn, input, context, this.isolation.environmentOf);
    const module = (await import(path.join(PROJECT_ROOT, fn.entry))) as { handler: Handler };
    try {
      return await module.handler(input, context as Context);
    } catch (error) {
      throw new LambdaFunctionError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Makes every started sandbox load the project's modules afresh on its next invocation (module
   * state such as a cached detector id is gone, as in a new container; the SDK stays loaded).
   */
  async resetModuleState(): Promise<void> {
    for (const started of this.sandboxes.values()) {
      const sandbox = await started;
      const id = this.nextId++;
      await new Promise((resolve, reject) => {
        sandbox.pending.set(id, { resolve, reject });
        sandbox.worker.postMessage({ id, reset: true });
      });
    }
  }

  /** Stops every sandbox. */
  async close(): Promise<void> {
    const sandboxes = await Promise.allSettled([...this.sandboxes.values()]);
    this.sandboxes.clear();
    await Promise.all(sandboxes.map((s) => (s.status === 'fulfilled' ? s.value.worker.terminate() : undefined)));
  }

  private async invokeSandboxed(
    fn: LocalFunction,
    input: unknown,
    context: object,
    environmentOf: (fn: LocalFunction) => Promise<Record<string, string>>,
  ): Promise<unknown> {
    let started = this.sandboxes.get(fn.arn);
    if (!started) {
      started = environmentOf(fn).then((env) => this.startSandbox(fn, env));
      this.sandboxes.set(fn.arn, started);
    }
    const sandbox = await started;
    const id = this.nextId++;
    const answer = await new Promise<unknown>((resolve, reject) => {
      sandbox.pending.set(id, { resolve, reject });
      // Lambda hands the handler the JSON-parsed event.
      sandbox.worker.postMessage({ id, input: JSON.parse(JSON.stringify(input ?? null)), context });
    });
    return answer;
  }

  private startSandbox(fn: LocalFunction, env: Record<string, string>): Sandbox {
    const worker = new Worker(WORKER_SCRIPT, { env, workerData: { entry: path.join(PROJECT_ROOT, fn.entry) } });
    const sandbox: Sandbox = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; output?: string; error?: { name?: string; message?: string; stack?: string } }) => {
      const waiting = sandbox.pending.get(message.id);
      if (!waiting) return;
      sandbox.pending.delete(message.id);
      if (message.error) waiting.reject(new LambdaFunctionError(message.error));
      else waiting.resolve(JSON.parse(message.output ?? 'null'));
    });
    const failAll = (error: unknown) => {
      for (const waiting of sandbox.pending.values()) waiting.reject(new LambdaFunctionError({ name: 'Runtime.ExitError', message: String(error) }));
      sandbox.pending.clear();
      this.sandboxes.delete(fn.arn);
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(`the function's sandbox exited with code ${code}`));
    // A sandbox that waits for work does not keep the process alive.
    worker.unref();
    return sandbox;
  }
}
