import { LambdaConcurrency } from '../lambda/concurrency';
import type { ChildExecutionRequest, ExecutionEvent, ExecutionResult, LocalWorkflow } from './runner';

/** An HTTP answer in Step Functions' JSON protocol (awsJson1_0). */
export interface ServiceResponse {
  statusCode: number;
  body: string;
}

/** A stopped execution, as its status-change event describes it (local/runtime/step-functions/execution-events.ts). */
export interface FinishedExecution {
  readonly arn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate: number;
  readonly stopDate: number;
  readonly input: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

interface Execution {
  readonly arn: string;
  readonly stateMachineArn: string;
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
// biome-ignore lint/suspicious/noControlCharactersInRegex: Step Functions refuses control characters in names; this is that rule.
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

/** An execution's ARN: its state machine's ARN with `execution` for `stateMachine`, then its name. */
function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * StartExecution, DescribeExecution, GetExecutionHistory and ListExecutions of the template's Standard state
 * machines, answered as Step Functions answers them, with executions run by the local workflow
 * runner; a `startExecution.sync:2` task of one machine starts and awaits an execution of another.
 * Standard semantics kept: StartExecution with the name and input of a running execution returns
 * that execution; a closed one, or a different input, is ExecutionAlreadyExists (API reference,
 * StartExecution). Execution names are unique per state machine.
 */
export class LocalStepFunctions {
  /** Executions by ARN. */
  private readonly executions = new Map<string, Execution>();
  private readonly listeners = new Set<(name: string, event: ExecutionEvent) => void>();
  private readonly finishedListeners = new Set<(execution: FinishedExecution) => void>();
  private readonly workflows: Map<string, LocalWorkflow>;
  /** The first workflow given: the one `waitFor` looks in by default. */
  private readonly main: LocalWorkflow;
  /** Calls still to refuse with ThrottlingException, by action (throttleNext). */
  private readonly throttles = new Map<string, number>();
  /** Lambda's throttling of every execution's Lambda tasks (one account's concurrency). */
  readonly lambda = new LambdaConcurrency();

  constructor(
    workflows: LocalWorkflow | readonly LocalWorkflow[],
    private readonly options: {
      retryDelayMs?: number;
      authorizeAs?: (workflow: LocalWorkflow, action: string, resource: string) => Promise<string | undefined>;
    } = {},
  ) {
    const list = Array.isArray(workflows) ? (workflows as readonly LocalWorkflow[]) : [workflows as LocalWorkflow];
    this.main = list[0];
    this.workflows = new Map(list.map((w) => [w.stateMachineArn, w]));
  }

  /** Subscribes to every execution's events; returns the unsubscribe function. */
  onEvent(listener: (executionName: string, event: ExecutionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to every execution's end (Step Functions' status-change events); returns the unsubscribe function. */
  onFinished(listener: (execution: FinishedExecution) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  /** How many executions were started. */
  get executionCount(): number {
    return this.executions.size;
  }

  /** Resolves when the named execution (of the first state machine, unless another is named) has stopped. */
  async waitFor(name: string, stateMachineArn = this.main.stateMachineArn): Promise<ExecutionResult | undefined> {
    const execution = this.executions.get(executionArn(stateMachineArn, name));
    await execution?.done;
    return execution?.result;
  }

  /** The ARN of the template's state machine with this role (STATE_MACHINE_METADATA). */
  stateMachineArnOf(role: string): string {
    const workflow = [...this.workflows.values()].find((w) => w.role === role);
    if (!workflow) throw new Error(`No ${role} state machine`);
    return workflow.stateMachineArn;
  }

  /** The results of the finished executions of a machine whose names start with `prefix` (measurements). */
  async resultsOf(stateMachineArn: string, prefix: string): Promise<ExecutionResult[]> {
    const matching = [...this.executions.values()].filter((e) => e.stateMachineArn === stateMachineArn && e.name.startsWith(prefix));
    await Promise.all(matching.map((e) => e.done));
    return matching.map((e) => e.result as ExecutionResult);
  }

  /** Resolves when every execution started so far has stopped. */
  async idle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  /**
   * Refuses the next `count` calls of `action` with ThrottlingException, as Step Functions' token
   * buckets do under load (DescribeExecution and GetExecutionHistory have small ones: docs/aws-facts.md, "Step
   * Functions (Standard) quotas"). Both fronts go through here: the API's integration and the
   * handlers' SDK calls through the emulator.
   */
  throttleNext(action: string, count: number): void {
    this.throttles.set(action, (this.throttles.get(action) ?? 0) + count);
  }

  /** Answers one Step Functions API action with its JSON body. */
  async handle(action: string, body: string): Promise<ServiceResponse> {
    const throttled = this.throttles.get(action) ?? 0;
    if (throttled > 0) {
      this.throttles.set(action, throttled - 1);
      return error('ThrottlingException', 'Rate exceeded');
    }
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
      case 'ListExecutions':
        return this.list(request);
      default:
        return error('UnknownOperationException', `Local Step Functions does not implement ${action}`);
    }
  }

  /**
   * A `startExecution.sync:2` task: starts the child, waits for it and returns what Step Functions
   * returns for it (`Output` as JSON, not text), or throws the task's error: the StartExecution
   * error as `StepFunctions.<code>Exception`, or `States.TaskFailed` with the child's description
   * as the cause when it did not succeed.
   */
  async runChild(request: ChildExecutionRequest): Promise<unknown> {
    const started = this.start({ stateMachineArn: request.StateMachineArn, name: request.Name, input: JSON.stringify(request.Input ?? {}) });
    const body = JSON.parse(started.body) as { executionArn?: string; __type?: string; message?: string };
    if (started.statusCode !== 200 || !body.executionArn) {
      const failure = new Error(body.message ?? 'StartExecution failed');
      failure.name = `StepFunctions.${String(body.__type).split('#').pop()}Exception`;
      throw failure;
    }
    const execution = this.executions.get(body.executionArn) as Execution;
    await execution.done;
    const description = JSON.parse(this.describe({ executionArn: execution.arn }).body) as Record<string, unknown>;
    if (execution.result?.status !== 'SUCCEEDED') {
      const failure = new Error(JSON.stringify(description));
      failure.name = 'States.TaskFailed';
      throw failure;
    }
    const { output, outputDetails, input, inputDetails, executionArn: arn, stateMachineArn, name, status, startDate, stopDate } = description;
    return {
      ExecutionArn: arn,
      StateMachineArn: stateMachineArn,
      Name: name,
      Status: status,
      StartDate: startDate,
      StopDate: stopDate,
      Input: input,
      InputDetails: inputDetails,
      Output: JSON.parse(String(output)),
      OutputDetails: outputDetails,
    };
  }

  private start(request: Record<string, unknown>): ServiceResponse {
    const workflow = this.workflows.get(String(request.stateMachineArn));
    if (!workflow) {
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
    const arn = executionArn(workflow.stateMachineArn, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (!existing.result && existing.input === input) return ok({ executionArn: existing.arn, startDate: seconds(existing.startDate) });
      return error('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
    }
    const events: ExecutionEvent[] = [];
    const execution: Execution = {
      arn,
      stateMachineArn: workflow.stateMachineArn,
      name,
      input,
      startDate: Date.now(),
      events,
      done: workflow
        .run(parsed, {
          name,
          retryDelayMs: this.options.retryDelayMs,
          lambda: this.lambda,
          startExecution: (child) => this.runChild(child),
          authorize: this.options.authorizeAs && ((action, resource) => this.options.authorizeAs!(workflow, action, resource)),
          onEvent: (event) => {
            events.push(event);
            for (const listener of this.listeners) listener(name, event);
          },
        })
        .then((result) => {
          execution.result = result;
          execution.stopDate = Date.now();
          const finished: FinishedExecution = {
            arn,
            stateMachineArn: workflow.stateMachineArn,
            name,
            status: result.status,
            startDate: execution.startDate,
            stopDate: execution.stopDate,
            input,
            ...(result.status === 'SUCCEEDED' ? { output: JSON.stringify(result.output) } : { error: result.error, cause: result.cause }),
          };
          for (const listener of this.finishedListeners) listener(finished);
        }),
    };
    this.executions.set(arn, execution);
    return ok({ executionArn: arn, startDate: seconds(execution.startDate) });
  }

  /** The execution an `executionArn` names, or the error Step Functions answers. */
  private find(request: Record<string, unknown>): Execution | ServiceResponse {
    const arn = String(request.executionArn ?? '');
    const parts = arn.split(':');
    if (parts.length < 8 || parts[0] !== 'arn' || parts[5] !== 'execution') return error('InvalidArn', `Invalid Arn: '${arn}'`);
    return this.executions.get(arn) ?? error('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
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
        const details = {
          name: event.state.name,
          ...(withData ? { input: JSON.stringify(event.state.input ?? null), inputDetails: { truncated: false } } : {}),
        };
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

  /**
   * ListExecutions of one state machine, newest first (API reference, ListExecutions: "Results are
   * sorted by time, with the most recent execution first"), optionally of one status, at most
   * `maxResults` (0-1000; 0 or absent: 100) a page, with an opaque `nextToken` for the rest.
   */
  private list(request: Record<string, unknown>): ServiceResponse {
    const machineArn = String(request.stateMachineArn ?? '');
    if (!this.workflows.has(machineArn)) return error('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn}'`);
    const max = request.maxResults === undefined ? 0 : Number(request.maxResults);
    if (!Number.isInteger(max) || max < 0 || max > 1000) return error('ValidationException', 'maxResults must be between 0 and 1000');
    const statusOf = (e: Execution) => e.result?.status ?? 'RUNNING';
    const matching = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === machineArn && (request.statusFilter === undefined || statusOf(e) === request.statusFilter))
      // Newest first; among executions of the same millisecond, the one started later first.
      .map((e, order) => ({ e, order }))
      .sort((a, b) => b.e.startDate - a.e.startDate || b.order - a.order)
      .map(({ e }) => e);
    let offset = 0;
    if (typeof request.nextToken === 'string') {
      const match = /^list:(\d+)$/.exec(Buffer.from(request.nextToken, 'base64').toString('utf8'));
      if (!match) return error('InvalidToken', 'Invalid Token');
      offset = Number(match[1]);
    }
    const end = offset + (max || 100);
    const executions = matching.slice(offset, end).map((e) => ({
      executionArn: e.arn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: statusOf(e),
      startDate: seconds(e.startDate),
      ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
    }));
    return ok({ executions, ...(end < matching.length ? { nextToken: Buffer.from(`list:${end}`, 'utf8').toString('base64') } : {}) });
  }

  private describe(request: Record<string, unknown>): ServiceResponse {
    const execution = this.find(request);
    if (!('arn' in execution)) return execution;
    const result = execution.result;
    const output = result?.status === 'SUCCEEDED' ? { output: JSON.stringify(result.output), outputDetails: { included: true } } : {};
    const failure = result && result.status !== 'SUCCEEDED' ? { error: result.error, cause: result.cause } : {};
    return ok({
      executionArn: execution.arn,
      stateMachineArn: execution.stateMachineArn,
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
