import type { ExecutionEvent, ExecutionResult, LocalWorkflow } from './workflow-runner';

/** An HTTP answer in Step Functions' JSON protocol (awsJson1_0). */
export interface ServiceResponse {
  statusCode: number;
  body: string;
}

interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  result?: ExecutionResult;
  stopDate?: number;
  readonly done: Promise<void>;
  readonly events: ExecutionEvent[];
}

/**
 * Step Functions' execution name rule (API reference, StartExecution `name`): 1-80 characters, none
 * of whitespace, `< > { } [ ]`, `? *`, `" # % \ ^ | ~ \` $ & , ; : /` or control characters.
 */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
/** Step Functions' maximum execution input: 256 KiB of UTF-8 (API reference, StartExecution `input`). */
const MAX_INPUT_BYTES = 256 * 1024;

const seconds = (ms: number) => ms / 1000;

function error(type: string, message: string): ServiceResponse {
  return { statusCode: 400, body: JSON.stringify({ __type: `com.amazonaws.swf.service.v2.model#${type}`, message }) };
}

function ok(body: unknown): ServiceResponse {
  return { statusCode: 200, body: JSON.stringify(body) };
}

/**
 * StartExecution and DescribeExecution of one Standard state machine, answered as Step Functions
 * answers them, with executions run by the local workflow runner. Standard semantics kept:
 * StartExecution with the name and input of a running execution returns that execution; a closed
 * one, or a different input, is ExecutionAlreadyExists (API reference, StartExecution).
 */
export class LocalStepFunctions {
  private readonly executions = new Map<string, Execution>();
  private readonly listeners = new Set<(name: string, event: ExecutionEvent) => void>();

  constructor(
    private readonly workflow: LocalWorkflow,
    private readonly options: { retryDelayMs?: number } = {},
  ) {}

  /** Subscribes to every execution's events; returns the unsubscribe function. */
  onEvent(listener: (executionName: string, event: ExecutionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many executions were started. */
  get executionCount(): number {
    return this.executions.size;
  }

  /** Resolves when the named execution has stopped. */
  async waitFor(name: string): Promise<ExecutionResult | undefined> {
    const execution = this.executions.get(name);
    await execution?.done;
    return execution?.result;
  }

  /** Resolves when every execution started so far has stopped. */
  async idle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  /** Answers one Step Functions API action with its JSON body. */
  async handle(action: string, body: string): Promise<ServiceResponse> {
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return error('SerializationException', 'Malformed request body: not JSON');
    }
    switch (action) {
      case 'StartExecution':
        return this.start(request);
      case 'DescribeExecution':
        return this.describe(request);
      case 'GetExecutionHistory':
        return this.history(request);
      default:
        return error('UnknownOperationException', `Local Step Functions does not implement ${action}`);
    }
  }

  private start(request: Record<string, unknown>): ServiceResponse {
    if (request.stateMachineArn !== this.workflow.stateMachineArn) {
      return error('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(request.stateMachineArn)}'`);
    }
    const name = typeof request.name === 'string' ? request.name : crypto.randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) return error('InvalidName', `Invalid Name: '${name}'`);
    const input = typeof request.input === 'string' ? request.input : '{}';
    if (Buffer.byteLength(input) > MAX_INPUT_BYTES) return error('InvalidExecutionInput', 'Execution input exceeds the 262144-byte limit');
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      return error('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
    }
    const existing = this.executions.get(name);
    if (existing) {
      if (!existing.result && existing.input === input) return ok({ executionArn: existing.arn, startDate: seconds(existing.startDate) });
      return error('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
    }
    const arn = `${this.workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const events: ExecutionEvent[] = [];
    const execution: Execution = {
      arn,
      name,
      input,
      startDate: Date.now(),
      events,
      done: this.workflow
        .run(parsed, {
          name,
          retryDelayMs: this.options.retryDelayMs,
          onEvent: (event) => {
            events.push(event);
            for (const listener of this.listeners) listener(name, event);
          },
        })
        .then((result) => {
          execution.result = result;
          execution.stopDate = Date.now();
        }),
    };
    this.executions.set(name, execution);
    return ok({ executionArn: arn, startDate: seconds(execution.startDate) });
  }

  /** The execution an `executionArn` names, or the error Step Functions answers. */
  private find(request: Record<string, unknown>): Execution | ServiceResponse {
    const arn = String(request.executionArn ?? '');
    const prefix = `${this.workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
    const parts = arn.split(':');
    if (parts.length < 8 || parts[0] !== 'arn' || parts[5] !== 'execution') return error('InvalidArn', `Invalid Arn: '${arn}'`);
    const execution = arn.startsWith(prefix) ? this.executions.get(arn.slice(prefix.length)) : undefined;
    return execution ?? error('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }

  /**
   * GetExecutionHistory from the runner's event log: the state-entered events (type `<Type>StateEntered`
   * with `stateEnteredEventDetails {name, input}`) and the execution's start and end, in order or
   * newest first (`reverseOrder`), at most `maxResults` (1-1000, default 100) without paging further.
   */
  private history(request: Record<string, unknown>): ServiceResponse {
    const execution = this.find(request);
    if (!('arn' in execution)) return execution;
    const max = request.maxResults === undefined ? 100 : Number(request.maxResults);
    if (!Number.isInteger(max) || max < 0 || max > 1000) return error('ValidationException', 'maxResults must be between 0 and 1000');
    const withData = request.includeExecutionData !== false;
    const events = execution.events.flatMap((event, index) => {
      const base = { id: index + 1, timestamp: seconds(event.timestamp) };
      if (event.type === 'StateEntered' && event.state) {
        const details = { name: event.state.name, ...(withData ? { input: JSON.stringify(event.state.input ?? null), inputDetails: { truncated: false } } : {}) };
        return [{ ...base, type: `${event.state.type}StateEntered`, stateEnteredEventDetails: details }];
      }
      if (['ExecutionStarted', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimeout'].includes(event.type)) {
        return [{ ...base, type: event.type === 'ExecutionTimeout' ? 'ExecutionTimedOut' : event.type }];
      }
      return [];
    });
    if (request.reverseOrder === true) events.reverse();
    return ok({ events: events.slice(0, max || 100) });
  }

  private describe(request: Record<string, unknown>): ServiceResponse {
    const execution = this.find(request);
    if (!('arn' in execution)) return execution;
    const result = execution.result;
    const output = result?.status === 'SUCCEEDED' ? { output: JSON.stringify(result.output), outputDetails: { included: true } } : {};
    const failure = result && result.status !== 'SUCCEEDED' ? { error: result.error, cause: result.cause } : {};
    return ok({
      executionArn: execution.arn,
      stateMachineArn: this.workflow.stateMachineArn,
      name: execution.name,
      status: result?.status ?? 'RUNNING',
      startDate: seconds(execution.startDate),
      ...(execution.stopDate ? { stopDate: seconds(execution.stopDate) } : {}),
      input: execution.input,
      inputDetails: { included: true },
      ...output,
      ...failure,
    });
  }
}
