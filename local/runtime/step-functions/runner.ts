import { STATE_MACHINE_METADATA } from '../../../lib/workflow-rules';
import type { StateMachineRole } from '../../../lib/workflow-rules';
import type { StepFunctionsLimits } from '../../../contract/step-functions-limits';
import type { LambdaConcurrency } from '../lambda/concurrency';
import { ExecutionLimits } from './limits';
import type { LimitExceeded } from './limits';
import { LocalFunctions } from '../lambda/functions';
import './polyfills';
import type { TemplateResolver } from '../template/resolver';

// Loaded after the polyfill: aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

/** An event of aws-local-stepfunctions' execution log (the fields the tests and the API read). */
export interface ExecutionEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  Error?: string;
  Cause?: string;
  index?: number;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  output?: unknown;
  error?: string;
  cause?: string;
  events: ExecutionEvent[];
  /** The history events Step Functions would have written, as local mode estimates them (limits.ts). */
  historyEvents?: number;
}

export interface RunOptions {
  /** The execution name (`$$.Execution.Name`). */
  readonly name: string;
  /**
   * Milliseconds to wait before each retry instead of the ASL's IntervalSeconds/backoff, for tests
   * and demos. @default the ASL's own intervals
   */
  readonly retryDelayMs?: number;
  /** Called with each execution event (the library delivers them asynchronously, after the fact). */
  readonly onEvent?: (event: ExecutionEvent) => void;
  /** Called synchronously just before a Task state's Lambda handler runs, with the state's name. */
  readonly onTask?: (stateName: string) => void;
  /**
   * Runs a child execution for a `states:startExecution.sync:2` task and resolves with what Step
   * Functions returns for it (DescribeExecution's fields, `Output` parsed), or rejects with the
   * task's error when the child did not succeed. @default such tasks fail
   */
  readonly startExecution?: (request: ChildExecutionRequest) => Promise<unknown>;
  /** Lambda's throttling, shared by every execution (Lambda tasks may be refused). @default none */
  readonly lambda?: LambdaConcurrency;
  /** Step Functions' limits to enforce, lowered for tests. @default Step Functions' own */
  readonly limits?: Partial<StepFunctionsLimits>;
  /**
   * Authorizes a call the state machine's role makes (`lambda:InvokeFunction` on a task's
   * function, `states:StartExecution` on a child machine): undefined when IAM allows it, else AWS's
   * denial message, and the task fails as Step Functions reports it. @default every call allowed
   */
  readonly authorize?: (action: string, resource: string) => Promise<string | undefined>;
}

/**
 * The error a task fails with when the state machine's role may not make its call. Step Functions
 * reports a Lambda invoke that Lambda refuses as `Lambda.AWSLambdaException`, the service's
 * exception prefixed by the service (Step Functions developer guide, "Handling errors"); for the
 * startExecution integration the same rule gives `StepFunctions.AccessDeniedException` (assumption:
 * the name is not quoted in the docs).
 */
class TaskDeniedError extends Error {
  constructor(name: string, message: string, service: string) {
    super(`${message} (Service: ${service}; Status Code: ${service === 'AWSLambda' ? 403 : 400}; Error Code: AccessDeniedException)`);
    this.name = name;
  }
}

/** The Parameters of a `states:startExecution` task, as the state machine evaluated them. */
export interface ChildExecutionRequest {
  StateMachineArn: string;
  Name?: string;
  Input?: unknown;
}

/** `arn:<partition>:states:::states:startExecution.sync:2` (and the other startExecution variants). */
const START_EXECUTION_RESOURCE = /^arn:[\w-]+:states:::states:startExecution/;

/** Every state of `type` by name, nested Map processors included. */
function statesOfType(
  states: Record<string, Record<string, unknown>>,
  type: string,
  into: Record<string, Record<string, unknown>> = {},
): Record<string, Record<string, unknown>> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === type) into[name] = state;
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Record<string, unknown>> } | undefined;
    if (processor) statesOfType(processor.States, type, into);
  }
  return into;
}

/** The Resource of every Task state by name, nested Map processors included. */
function taskStates(states: Record<string, Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(statesOfType(states, 'Task')).map(([name, state]) => [name, state.Resource as string]));
}

/**
 * Runs the state machine of a synthesized template with aws-local-stepfunctions: the definition is
 * the template's own, and each Lambda task calls the handler module the template names.
 */
export class LocalWorkflow {
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly definition: Record<string, unknown>;
  readonly functions: LocalFunctions;
  private readonly tasks: Record<string, string>;
  private readonly waits: string[];

  /** The state machine's execution role. */
  readonly roleArn: string;
  /** Which of the template's machines this is. */
  readonly role: StateMachineRole;

  /**
   * @param role which of the template's state machines to run. @default 'enrollment'
   * @param functions the template's functions, shared by the machines of one deployment. @default the template's, in process
   */
  constructor(resolver: TemplateResolver, role: StateMachineRole = 'enrollment', functions?: LocalFunctions) {
    const logicalId = resolver
      .resourcesOfType('AWS::StepFunctions::StateMachine')
      .find((id) => resolver.template.Resources[id].Metadata?.[STATE_MACHINE_METADATA] === role);
    if (!logicalId) throw new Error(`The template has no ${role} state machine`);
    this.role = role;
    this.stateMachineArn = resolver.ref(logicalId);
    this.stateMachineName = resolver.getAtt(logicalId, 'Name');
    const props = resolver.properties(logicalId);
    this.definition = JSON.parse(props.DefinitionString as string) as Record<string, unknown>;
    this.roleArn = String(props.RoleArn);
    this.functions = functions ?? new LocalFunctions(resolver);
    this.tasks = taskStates(this.definition.States as Record<string, Record<string, unknown>>);
    this.waits = Object.keys(statesOfType(this.definition.States as Record<string, Record<string, unknown>>, 'Wait'));
  }

  /** Every environment variable the template gives the functions (they share one process here). */
  environment(): Record<string, string> {
    return this.functions.environment();
  }

  /** Runs one execution to its end. */
  async run(input: unknown, options: RunOptions): Promise<ExecutionResult> {
    const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    const waitTimeOverrides: Record<string, number> = {};
    for (const [state, resource] of Object.entries(this.tasks)) {
      const fn = this.functions.get(resource);
      if (fn) {
        taskResourceLocalHandlers[state] = async (input) => {
          options.onTask?.(state);
          const denied = await options.authorize?.('lambda:InvokeFunction', fn.arn);
          if (denied) throw new TaskDeniedError('Lambda.AWSLambdaException', denied, 'AWSLambda');
          const invoke = () => this.functions.invoke(fn, input);
          return options.lambda ? options.lambda.invoke(state, invoke) : invoke();
        };
      } else if (START_EXECUTION_RESOURCE.test(resource)) {
        taskResourceLocalHandlers[state] = async (input) => {
          options.onTask?.(state);
          if (!options.startExecution) throw new Error(`Task ${state} starts a child execution, and this run was given no startExecution`);
          const request = input as unknown as ChildExecutionRequest;
          const denied = await options.authorize?.('states:StartExecution', request.StateMachineArn);
          if (denied) throw new TaskDeniedError('StepFunctions.AccessDeniedException', denied, 'AWSStepFunctions');
          return options.startExecution(request);
        };
      } else {
        throw new Error(`Task ${state} calls ${resource}, which is not a function of the template`);
      }
      if (options.retryDelayMs !== undefined) retryIntervalOverrides[state] = options.retryDelayMs;
    }
    // Wait states pause as briefly as retries do when a retry delay is given (tests, demos).
    if (options.retryDelayMs !== undefined) for (const state of this.waits) waitTimeOverrides[state] = options.retryDelayMs;
    const machine = new StateMachine(withoutImplicitTaskTimeouts(this.definition) as never, { validationOptions: { checkArn: false, checkPaths: false } });
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides, waitTimeOverrides },
      context: {
        Execution: {
          Id: `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${options.name}`,
          Name: options.name,
          Input: input,
          StartTime: new Date().toISOString(),
        },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
      } as never,
    });
    const events: ExecutionEvent[] = [];
    const limits = new ExecutionLimits(options.limits);
    let exceeded: LimitExceeded | undefined;
    const collecting = (async () => {
      for await (const event of execution.eventLogs as AsyncGenerator<ExecutionEvent>) {
        events.push(event);
        options.onEvent?.(event);
        if (!exceeded) {
          exceeded = limits.check(event);
          if (exceeded) execution.abort();
        }
      }
    })();
    let result: ExecutionResult;
    try {
      const output = await execution.result;
      result = { status: 'SUCCEEDED', output, events };
    } catch (error) {
      // The library wraps the failing state's error (a Fail state's Error/Cause, or a runtime error) in an ExecutionError.
      const outer = error as Error;
      const inner = (outer.name === 'ExecutionError' && outer.cause instanceof Error ? outer.cause : outer) as Error;
      const status = outer.name === 'ExecutionAbortedError' ? 'ABORTED' : outer.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
      result = { status, error: inner.name, cause: limits.failCause(inner.message), events };
    }
    await collecting;
    // A limit stopped it: it failed as Step Functions fails it, whatever the abort made of it.
    if (exceeded) result = { status: 'FAILED', error: exceeded.error, cause: exceeded.cause, events };
    return { ...result, historyEvents: limits.historyEvents };
  }
}

/**
 * The longest a Node timer waits (2^31 - 1 ms, in whole seconds): a Task state without TimeoutSeconds
 * gets this, standing for Step Functions' "no timeout".
 */
const NO_TASK_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * The definition with every Task state that names no timeout given none, as Step Functions runs it
 * (docs/aws-facts.md, "Step Functions limits as local mode enforces them"). aws-local-stepfunctions
 * would otherwise time such a task out after 60 s of wall-clock time, so a child execution of a big
 * batch part failed on a busy machine and not on a quiet one. Timeouts the template sets are kept.
 */
export function withoutImplicitTaskTimeouts(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutImplicitTaskTimeouts);
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withoutImplicitTaskTimeouts(value)]));
  if (copy.Type === 'Task' && copy.TimeoutSeconds === undefined && copy.TimeoutSecondsPath === undefined) copy.TimeoutSeconds = NO_TASK_TIMEOUT_SECONDS;
  return copy;
}
