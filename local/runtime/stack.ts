import { parseSettings } from '../../lib/settings';
import type { EnrollmentSettings } from '../../lib/settings';
import { startLocalApi } from '../api-gateway/server';
import { startEmulator } from '../emulator/core/server';
import type { RunningEmulator } from '../emulator/core/server';
import { attachEventBus } from './event-bus';
import type { LocalEventBus } from './event-bus';
import { DeploymentPrincipals } from './deployment-principals';
import { STATIC_KEY_SECRET } from '../emulator/core/identity';
import { emulatorIamCallers } from './iam-callers';
import { LocalFunctions } from './lambda/functions';
import type { LocalFunction } from './lambda/functions';
import { LocalStepFunctions } from './step-functions/service';
import { memberRoleTemplate, templateRoles } from './template/roles';
import { cdkJsonContext, synthesizeTemplates } from './template/synth';
import { TemplateResolver } from './template/resolver';
import { LocalWorkflow } from './step-functions/runner';
import { statusChangeEvent } from './step-functions/execution-events';
import { LocalSchedules } from './schedules';

/** The administrator account and home region local mode pretends to be deployed in. */
export const LOCAL_ADMIN_ACCOUNT = '111111111111';
export const LOCAL_REGION = 'us-east-1';

/**
 * A caller of local mode as the AWS SDKs and the CLI read it from the environment: the
 * administrator account's root user (static key `AKID` + account, secret `x`), in the API's region.
 * `npm start` prints it; this process (tests, the demo, the bench) uses it itself.
 */
export const LOCAL_CALLER_ENVIRONMENT: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: `AKID${LOCAL_ADMIN_ACCOUNT}`,
  AWS_SECRET_ACCESS_KEY: STATIC_KEY_SECRET,
  AWS_DEFAULT_REGION: LOCAL_REGION,
};

export interface LocalStackOptions {
  /** Settings over cdk.json's `guarddutyEnrollment` (validated like any deployment's). @default cdk.json's */
  readonly settings?: Record<string, unknown>;
  /** Port of the API; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Port of the emulator; 0 picks a free one. @default 0 */
  readonly emulatorPort?: number;
  /** The API key callers must send as `x-api-key`. @default 'local-api-key' */
  readonly apiKey?: string;
  /**
   * Milliseconds before each retry of a step instead of the state machine's own backoff (seconds).
   * @default the state machine's own intervals
   */
  readonly retryDelayMs?: number;
  /**
   * The handlers' Powertools log level (POWERTOOLS_LOG_LEVEL). All invocations share this process,
   * so the log keys of concurrent invocations can mix; Lambda runs each in its own sandbox.
   * @default the template's (INFO)
   */
  readonly lambdaLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Where access-log lines go. @default nowhere */
  readonly onAccessLog?: (line: string) => void;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly emulatorUrl: string;
  readonly apiKey: string;
  readonly settings: EnrollmentSettings;
  readonly emulator: RunningEmulator;
  readonly stepFunctions: LocalStepFunctions;
  /** The template's event buses, served by the emulator (EventBridge PutEvents at `emulatorUrl`). */
  readonly events: LocalEventBus;
  /** The template's Lambda functions, each in its own sandbox. */
  readonly functions: LocalFunctions;
  /** The template's EventBridge Scheduler schedules, run when asked (the fleet check's). */
  readonly schedules: LocalSchedules;
  close(): Promise<void>;
}

/** What a function's sandbox inherits from this process: enough for Node and tsx to run. */
function passThroughEnvironment(): Record<string, string> {
  const names = ['PATH', 'HOME', 'TMPDIR', 'NODE_OPTIONS', 'NODE_NO_WARNINGS'];
  return Object.fromEntries(names.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name] as string]));
}

/**
 * Runs the whole app on 127.0.0.1: the app synthesized in process, the emulator, the state machine
 * of the template run locally, and the API served from the template. The handlers reach the
 * emulator through the SDK's standard endpoint variables, which this sets for the process, so one
 * local stack runs per process.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const rawSettings = { ...(cdkJsonContext().guarddutyEnrollment as Record<string, unknown>), ...options.settings };
  const settings = parseSettings(rawSettings);
  const { enrollment, memberRole } = synthesizeTemplates({
    env: { account: LOCAL_ADMIN_ACCOUNT, region: LOCAL_REGION },
    context: { guarddutyEnrollment: rawSettings },
  });
  const emulator = await startEmulator({
    port: options.emulatorPort ?? 0,
    administratorAccountId: LOCAL_ADMIN_ACCOUNT,
    defaultMemberRole: { name: settings.memberRoleName, externalId: settings.externalId },
    // Every seeded member account holds the member-role stack's role, trust and policies as synthesized.
    memberRoleTemplate: memberRoleTemplate(memberRole, { AdministratorAccountId: LOCAL_ADMIN_ACCOUNT, ExternalId: settings.externalId }),
  });
  // Queue URLs point at the emulator, so the handlers' SQS client goes there whatever the URL says.
  const resolver = new TemplateResolver(enrollment, { account: LOCAL_ADMIN_ACCOUNT, region: LOCAL_REGION, sqsEndpoint: emulator.url });
  // The deployment's roles, with their trust and permission policies, as the emulator's IAM holds them.
  for (const role of templateRoles(resolver)) emulator.state.iam.put(role);
  const principals = new DeploymentPrincipals(emulator.state, LOCAL_REGION);
  const endpoints = {
    AWS_ENDPOINT_URL_GUARDDUTY: emulator.url,
    AWS_ENDPOINT_URL_STS: emulator.url,
    AWS_ENDPOINT_URL_SFN: emulator.url,
    AWS_ENDPOINT_URL_SQS: emulator.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: emulator.url,
    AWS_ENDPOINT_URL_ORGANIZATIONS: emulator.url,
  };
  // What Lambda gives a function, each in its own sandbox: its environment from the template, its
  // region and the credentials of a session of its execution role (AWS_ACCESS_KEY_ID,
  // AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: Lambda developer guide, "Defined runtime environment variables").
  const functions = new LocalFunctions(resolver);
  functions.isolate({
    mode: 'sandboxed',
    environmentOf: async (fn: LocalFunction) => {
      const session = await principals.session(fn.roleArn, 'lambda.amazonaws.com', fn.logicalId);
      return {
        ...passThroughEnvironment(),
        ...fn.environment,
        ...endpoints,
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        AWS_ACCESS_KEY_ID: session.accessKeyId,
        AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
        AWS_SESSION_TOKEN: session.sessionToken,
        ...(options.lambdaLogLevel ? { POWERTOOLS_LOG_LEVEL: options.lambdaLogLevel } : {}),
        // Metrics are log lines too (embedded metric format): silent handlers print none.
        ...(options.lambdaLogLevel === 'SILENT' ? { POWERTOOLS_METRICS_DISABLED: 'true' } : {}),
      };
    },
  });
  const workflow = new LocalWorkflow(resolver, 'enrollment', functions);
  const batchParts = new LocalWorkflow(resolver, 'batch-part', functions);
  const fleetCheck = new LocalWorkflow(resolver, 'fleet-check', functions);
  const fleetParts = new LocalWorkflow(resolver, 'fleet-part', functions);
  // This process itself (tests, the demo) acts as the administrator account's root user: its static key.
  Object.assign(process.env, endpoints, { AWS_REGION: LOCAL_REGION, ...LOCAL_CALLER_ENVIRONMENT });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  const stepFunctions = new LocalStepFunctions([workflow, batchParts, fleetCheck, fleetParts], {
    retryDelayMs: options.retryDelayMs,
    // Each state machine invokes functions and starts child executions as its own role.
    authorizeAs: (machine, action, resource) => principals.authorizeAs(machine.roleArn, 'states.amazonaws.com', machine.stateMachineArn, action, resource),
  });
  // The handlers' StartExecution goes through the emulator (counted, faults injectable) to the same runner as the API's.
  emulator.state.stepFunctions = (action, body) => stepFunctions.handle(action, body);
  const events = attachEventBus(resolver, emulator.state, workflow.functions, { retryDelayMs: options.retryDelayMs });
  const schedules = new LocalSchedules(resolver, stepFunctions, principals);
  // Step Functions' status-change events on the default bus, for the template's rules on them.
  stepFunctions.onFinished((execution) => {
    const bus = emulator.state.eventBuses.find(LOCAL_ADMIN_ACCOUNT, LOCAL_REGION, 'default');
    if (bus) emulator.state.eventBuses.publish(bus, statusChangeEvent(execution, LOCAL_ADMIN_ACCOUNT, LOCAL_REGION));
  });
  const apiKey = options.apiKey ?? 'local-api-key';
  let api: Awaited<ReturnType<typeof startLocalApi>>;
  try {
    api = await startLocalApi({
      template: enrollment,
      resolver,
      port: options.port ?? 0,
      apiKey,
      // API Gateway calls the integration's service with its credentials role, through the emulator.
      callAws: async (service, action, body, credentials) => {
        if (!credentials)
          return { statusCode: 500, body: JSON.stringify({ message: 'The integration has no credentials role: API Gateway could not sign the call' }) };
        return principals.callAs(credentials, 'apigateway.amazonaws.com', service, action, body);
      },
      onAccessLog: options.onAccessLog,
      // AWS_IAM methods: signatures verified with the emulator's keys, access decided by its IAM evaluation.
      iamCallers: emulatorIamCallers(emulator.state, { region: LOCAL_REGION, apiAccount: LOCAL_ADMIN_ACCOUNT, sourceVpce: settings.vpcEndpointIds[0] }),
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }

  return {
    apiUrl: api.url,
    emulatorUrl: emulator.url,
    apiKey,
    settings,
    emulator,
    stepFunctions,
    events,
    functions,
    schedules,
    async close() {
      await api.close();
      await events.idle();
      await stepFunctions.idle();
      // Executions that just ended have put their status-change events: let those be delivered too.
      await events.idle();
      await functions.close();
      await emulator.close();
    },
  };
}
