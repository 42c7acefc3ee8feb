/** Shared helpers for the local API Gateway tests: the app's mapping templates, a fake Step Functions, a started API. */
import { TEMPLATE_CONSTANTS, mappingTemplate } from '../../lib/enrollment-api';
import { startLocalApi } from '../../local/api-gateway/server';
import type { AwsServiceResponse, LocalApi } from '../../local/api-gateway/server';
import { renderMappingTemplate } from '../../local/api-gateway/vtl';
import type { MappingTemplateResult, RequestParameters } from '../../local/api-gateway/vtl';
import { cdkJsonContext, synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const STATE_MACHINE_NAME = 'EnrollmentStateMachine';
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
export const EXECUTION_ARN_PREFIX = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${STATE_MACHINE_NAME}:`;

/** The values `EnrollmentApi` fills the templates with (the state machine's are stand-ins). */
const TEMPLATE_VALUES = {
  StateMachineArn: STATE_MACHINE_ARN,
  ExecutionArnPrefix: EXECUTION_ARN_PREFIX,
  InvalidNameMessage: 'The name is not valid.',
  ...TEMPLATE_CONSTANTS,
};

/** The API key id the rendered templates see (`$context.identity.apiKeyId`), so who asked is `apiKey:<id>`. */
export const TEMPLATE_API_KEY_ID = 'k3y1d';
export const TEMPLATE_REQUESTED_BY = `apiKey:${TEMPLATE_API_KEY_ID}`;

/** A mapping template of `lib/api/`, filled as the construct fills it. */
export function appTemplate(file: string): string {
  return mappingTemplate(file, TEMPLATE_VALUES);
}

export interface RenderInput {
  body?: string | object;
  path?: Record<string, string>;
  querystring?: Record<string, string>;
  header?: Record<string, string>;
  context?: Record<string, unknown>;
}

/** Renders one of the app's templates as API Gateway would for a request (or a backend answer). */
export function renderApp(file: string, input: RenderInput = {}): MappingTemplateResult {
  const params: RequestParameters = { path: input.path ?? {}, querystring: input.querystring ?? {}, header: input.header ?? {} };
  return renderMappingTemplate(appTemplate(file), {
    body: typeof input.body === 'string' ? input.body : JSON.stringify(input.body ?? {}),
    params,
    context: {
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      stage: 'v1',
      httpMethod: 'POST',
      identity: { apiKeyId: TEMPLATE_API_KEY_ID },
      ...input.context,
    },
  });
}

/** An AWS call the fake backend received. */
export interface RecordedCall {
  service: string;
  action: string;
  body: string;
}

/** What the fake answers; the default is Step Functions' success for the action. */
export type FakeAnswer = (call: RecordedCall) => AwsServiceResponse | Promise<AwsServiceResponse>;

/** Step Functions' JSON error body. */
export function stepFunctionsError(type: string, message = type, statusCode = 400): AwsServiceResponse {
  return { statusCode, body: JSON.stringify({ __type: `com.amazonaws.swf.service.v2.model#${type}`, message }) };
}

/**
 * A stand-in for Step Functions: records every call; StartExecution succeeds for a valid execution
 * name and answers InvalidName otherwise (Step Functions' rule, in short), as the real service does.
 */
export function successfulStepFunctions(call: RecordedCall): AwsServiceResponse {
  const request = JSON.parse(call.body) as { name?: string; executionArn?: string; stateMachineArn?: string };
  if (call.action === 'StartExecution') {
    if (!request.name || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(request.name)) return stepFunctionsError('InvalidName', `Invalid Name: '${request.name}'`);
    return { statusCode: 200, body: JSON.stringify({ executionArn: `${EXECUTION_ARN_PREFIX}${request.name}`, startDate: 1767225600.123 }) };
  }
  return stepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${request.executionArn}'`);
}

let synthesized: CfnTemplate | undefined;

/** The app's enrollment stack, synthesized once per test file. */
export function enrollmentTemplate(): CfnTemplate {
  // The gateway's mechanics with the API key alone: AWS_IAM methods are served with the emulator's
  // credentials, which these tests do not start (test/e2e/access.test.ts covers them).
  synthesized ??= synthesizeTemplates({
    env: { account: ACCOUNT, region: REGION },
    context: { guarddutyEnrollment: { ...(cdkJsonContext().guarddutyEnrollment as object), authorization: 'apiKey' } },
  }).enrollment;
  return synthesized;
}

export const API_KEY = 'test-api-key';

/** A local API over a template, its backend calls recorded, its access log lines kept. */
export interface TestApi {
  api: LocalApi;
  calls: RecordedCall[];
  accessLog: string[];
  executionErrors: string[];
  /** Replaces what the backend answers. */
  answer(fake: FakeAnswer): void;
  /** An HTTP request below the stage (`path` starts with `/`). */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; rawBody?: string; headers?: Record<string, string>; apiKey?: string | null },
  ): Promise<HttpResult>;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, `undefined` when it is not JSON; a test reads whatever came back. */
  json: any;
}

/** Starts the local API over a template (the app's by default). */
export async function startTestApi(template: CfnTemplate = enrollmentTemplate()): Promise<TestApi> {
  const calls: RecordedCall[] = [];
  const accessLog: string[] = [];
  const executionErrors: string[] = [];
  let fake: FakeAnswer = successfulStepFunctions;
  const api = await startLocalApi({
    template,
    resolver: new TemplateResolver(template, { account: ACCOUNT, region: REGION }),
    apiKey: API_KEY,
    callAws: async (service, action, body) => {
      const call = { service, action, body };
      calls.push(call);
      return fake(call);
    },
    onAccessLog: (line) => accessLog.push(line),
    onExecutionError: (_requestId, detail) => executionErrors.push(detail),
  });
  return {
    api,
    calls,
    accessLog,
    executionErrors,
    answer: (next) => {
      fake = next;
    },
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      const key = options.apiKey === undefined ? API_KEY : options.apiKey;
      if (key !== null) headers['x-api-key'] = key;
      const response = await fetch(`${api.url}/${api.stageName}${path}`, {
        method,
        headers,
        body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
  };
}
