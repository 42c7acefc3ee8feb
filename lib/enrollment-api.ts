import { EXCLUSIVE_RUNTIME_FEATURES, PLANS_QUERY_PATTERN } from '../contract/protection-plans';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BATCH_ID_PATTERN, CSV_HEADER, PART_ID_PATTERN, REGION_LIST_PATTERN } from '../contract/api-schemas';
import { CSV_BYTE_ORDER_MARK_PATTERN, CSV_CELL_BOUNDARY_PATTERN, CSV_LINE_BREAK_PATTERN } from '../contract/console-csv';
import { GUARDDUTY_REGIONS, unknownRegionMessage } from '../contract/guardduty-regions';
import { STEP_FUNCTIONS_LIMITS } from '../contract/step-functions-limits';
import { API_KEY_CALLER_PREFIX, DETECTOR_DELETION_DISABLED_MESSAGE, REQUESTED_BY_FIELD, REQUESTED_BY_UNSAFE_PATTERN } from '../contract/requested-by';
import { acknowledgeAccess, apiAccessProps } from './api/access';
import { API_MODELS, API_ROUTES, methodRequestParameter, routeTableProblems } from './api/route-table';
import type { ModelName, RouteIntegration } from './api/route-table';
import { FLEET_CHECK_ID_PATTERN } from '../contract/fleet-check';
import { acknowledgeRule, acknowledgeWildcardResource } from './nag';
import type { EnrollmentSettings } from './settings';
import {
  ACCOUNT_ID_PATTERN,
  EMAIL_MAX_LENGTH,
  EMAIL_MIN_LENGTH,
  EMAIL_PATTERN,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_ACCOUNTS_PER_BATCH,
  MAX_REGIONS_PER_ENROLLMENT,
  REGION_NAME_MAX_LENGTH,
} from '../contract/api-rules';

/** The API's one stage; every route lives under `/v1`. */
export const STAGE_NAME = 'v1';

const TEMPLATE_DIR = path.join(__dirname, 'api');

/**
 * Reads a mapping template from `lib/api/`, puts its `##include` fragments in, and fills its
 * `${Name}` placeholders. Templates are files
 * so that the tests and local mode render the very text API Gateway runs.
 */
export function mappingTemplate(file: string, values: Record<string, string>): string {
  // `##include <file>` (a VTL comment, so harmless if left) puts a shared fragment in its place.
  const text = fs
    .readFileSync(path.join(TEMPLATE_DIR, file), 'utf8')
    .replace(/^##include (\S+)\n/gm, (_line, fragment: string) => fs.readFileSync(path.join(TEMPLATE_DIR, fragment), 'utf8'));
  return text.replace(/\$\{(\w+)\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`Mapping template ${file} needs a value for \${${name}}`);
    return values[name];
  });
}

/** The values of fragments/regions-query.vtl, which the request and the error templates include. */
export const REGIONS_QUERY_VALUES: Readonly<Record<string, string>> = {
  // The `regions` query string: region names joined by commas, as one pattern.
  RegionListPattern: REGION_LIST_PATTERN,
  // A VTL list literal of every GuardDuty region; names in it match REGION_PATTERN, so need no escaping.
  GuardDutyRegions: `[${GUARDDUTY_REGIONS.map((region) => `'${region}'`).join(', ')}]`,
  RegionNameMaxLength: String(REGION_NAME_MAX_LENGTH),
  RegionsMaxLength: String(MAX_REGIONS_PER_ENROLLMENT * (REGION_NAME_MAX_LENGTH + 1)),
  MaxRegions: String(MAX_REGIONS_PER_ENROLLMENT),
  UnknownRegionMessage: unknownRegionMessage('$unknownRegion'),
};

/**
 * The Retry-After of a 429 that Step Functions' throttling caused. Its token buckets refill within
 * about a second (docs/aws-facts.md, Step Functions quotas); 2 s leaves room for other callers.
 */
export const RETRY_AFTER_SECONDS = 2;

/** The values of the templates' placeholders that do not depend on the stack (tests render with them too). */
export const TEMPLATE_CONSTANTS: Readonly<Record<string, string>> = {
  IdempotencyKeyPattern: IDEMPOTENCY_KEY_PATTERN,
  AccountIdPattern: ACCOUNT_ID_PATTERN,
  EmailPattern: EMAIL_PATTERN,
  EmailMinLength: String(EMAIL_MIN_LENGTH),
  EmailMaxLength: String(EMAIL_MAX_LENGTH),
  ...REGIONS_QUERY_VALUES,
  BatchIdPattern: BATCH_ID_PATTERN,
  PartIdPattern: PART_ID_PATTERN,
  CsvHeader: CSV_HEADER,
  CsvByteOrderMarkPattern: CSV_BYTE_ORDER_MARK_PATTERN,
  CsvCellBoundaryPattern: CSV_CELL_BOUNDARY_PATTERN,
  CsvLineBreakPattern: CSV_LINE_BREAK_PATTERN,
  MaxAccounts: String(MAX_ACCOUNTS_PER_BATCH),
  FailCauseCharacters: String(STEP_FUNCTIONS_LIMITS.failCauseCharacters),
  RetryAfterSeconds: String(RETRY_AFTER_SECONDS),
  // A CSV batch's protectionPlans query string (contract/protection-plans.ts).
  PlansQueryPattern: PLANS_QUERY_PATTERN,
  LegacyRuntimeFeature: EXCLUSIVE_RUNTIME_FEATURES[0],
  RuntimeFeature: EXCLUSIVE_RUNTIME_FEATURES[1],
  // Who asked, and the detector-deletion rule (contract/requested-by.ts); the stack sets AllowDetectorDeletion.
  RequestedByField: REQUESTED_BY_FIELD,
  ApiKeyCallerPrefix: API_KEY_CALLER_PREFIX,
  RequestedByUnsafePattern: REQUESTED_BY_UNSAFE_PATTERN,
  DetectorDeletionDisabledMessage: DETECTOR_DELETION_DISABLED_MESSAGE,
  AllowDetectorDeletion: 'false',
};

export interface EnrollmentApiProps {
  readonly stateMachine: sfn.StateMachine;
  /** The state machine whose executions are a batch's parts (their outputs are per-account outcomes). */
  readonly batchPartStateMachine: sfn.StateMachine;
  /** The fleet-check state machine and the one whose executions are its parts. */
  readonly fleetCheck: { readonly stateMachine: sfn.StateMachine; readonly partStateMachine: sfn.StateMachine };
  readonly settings: EnrollmentSettings;
}

/**
 * The REST API in front of the workflow: every method requires an API key, bodies are validated by
 * a model, and API Gateway calls Step Functions directly (no Lambda in front).
 */
export class EnrollmentApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly apiKey: apigateway.IApiKey;

  constructor(scope: Construct, id: string, props: EnrollmentApiProps) {
    super(scope, id);
    const { stateMachine, batchPartStateMachine, settings } = props;
    const stack = Stack.of(this);
    const retention = settings.logRetentionDays as logs.RetentionDays;

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'guardduty-enrollment',
      description: 'Enrolls AWS accounts as GuardDuty members of this administrator account.',
      // Authorization, resource policy and endpoint type (settings authorization, allowedPrincipals, …).
      ...apiAccessProps(this, settings, stack.account),
      apiKeySourceType: apigateway.ApiKeySourceType.HEADER,
      // The account-level logging role (AWS::ApiGateway::Account) replaces the account's own: a setting.
      cloudWatchRole: settings.manageApiGatewayAccountRole,
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        // Errors only, and never request or response bodies: they carry member emails.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        // Ids and outcomes only: the resource path is the route template, never the request path
        // (the GuardDuty Signup route carries the email in its path), and the key's id, not its value.
        accessLogFormat: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            apiKeyId: '$context.identity.apiKeyId',
            caller: '$context.identity.userArn',
            method: '$context.httpMethod',
            resource: '$context.resourcePath',
            status: '$context.status',
            error: '$context.error.message',
            integrationStatus: '$context.integration.status',
            latencyMs: '$context.responseLatency',
          }),
        ),
      },
    });

    this.addGatewayResponses();
    const integrationRole = new iam.Role(this, 'IntegrationRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets the enrollment API start and read executions of the enrollment workflow',
    });
    stateMachine.grantStartExecution(integrationRole);
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    integrationRole.addToPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:GetExecutionHistory'], resources: [executions] }));
    acknowledgeWildcardResource(
      integrationRole,
      executions,
      'Executions are named per enrollment at run time; the resource is limited to executions of this one state machine.',
    );
    const partExecutions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${batchPartStateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    integrationRole.addToPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [partExecutions] }));
    acknowledgeWildcardResource(
      integrationRole,
      partExecutions,
      "A batch's parts are named at run time; the resource is limited to executions of the batch-part state machine, read only.",
    );

    const values = {
      StateMachineArn: stateMachine.stateMachineArn,
      ExecutionArnPrefix: `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${stateMachine.stateMachineName}:`,
      PartExecutionArnPrefix: `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${batchPartStateMachine.stateMachineName}:`,
      ...TEMPLATE_CONSTANTS,
      AllowDetectorDeletion: String(settings.allowDetectorDeletion),
    };
    // The fleet-check routes' own integration role: start, list and read fleet checks, nothing else.
    const fleetRole = new iam.Role(this.api, 'FleetCheckIntegrationRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets the enrollment API start, list and read fleet checks',
    });
    const fleet = props.fleetCheck;
    fleet.stateMachine.grantStartExecution(fleetRole);
    fleetRole.addToPolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [fleet.stateMachine.stateMachineArn] }));
    const executionPrefix = (machine: sfn.StateMachine) =>
      stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machine.stateMachineName}:`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const fleetExecutions = [fleet.stateMachine, fleet.partStateMachine].map((machine) => `${executionPrefix(machine)}*`);
    fleetRole.addToPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: fleetExecutions }));
    for (const resource of fleetExecutions) {
      acknowledgeWildcardResource(
        fleetRole,
        resource,
        'Fleet checks and their parts are named at run time; the resource is limited to executions of the two fleet-check machines, read only.',
      );
    }
    const targets = {
      enrollment: { role: integrationRole, values },
      fleetCheck: {
        role: fleetRole,
        values: {
          ...TEMPLATE_CONSTANTS,
          FleetStateMachineArn: fleet.stateMachine.stateMachineArn,
          FleetExecutionArnPrefix: executionPrefix(fleet.stateMachine),
          FleetPartExecutionArnPrefix: executionPrefix(fleet.partStateMachine),
          FleetCheckIdPattern: FLEET_CHECK_ID_PATTERN,
        },
      },
    };

    const problems = routeTableProblems(API_ROUTES);
    if (problems.length > 0) throw new Error(`The API's route table cannot be deployed: ${problems.join('; ')}`);
    const integration = ({
      machine = 'enrollment',
      action,
      request,
      response,
      successStatus,
      error,
      invalidNameMessage = '',
      moreRequestTemplates = {},
    }: RouteIntegration) => {
      const { role, values } = targets[machine];
      return new apigateway.AwsIntegration({
        service: 'states',
        action,
        options: {
          credentialsRole: role,
          passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
          requestTemplates: {
            'application/json': mappingTemplate(request, values),
            ...Object.fromEntries(Object.entries(moreRequestTemplates).map(([type, file]) => [type, mappingTemplate(file, values)])),
          },
          integrationResponses: [
            { statusCode: successStatus, responseTemplates: { 'application/json': mappingTemplate(response, values) } },
            {
              selectionPattern: '4\\d{2}',
              statusCode: '400',
              responseTemplates: { 'application/json': mappingTemplate(error, { ...values, InvalidNameMessage: invalidNameMessage }) },
            },
            {
              selectionPattern: '5\\d{2}',
              statusCode: '502',
              responseTemplates: { 'application/json': '{"message": "Step Functions is unavailable; retry later."}' },
            },
          ],
        },
      });
    };

    const errorModel = this.api.addModel('ErrorModel', {
      modelName: 'Error',
      contentType: 'application/json',
      schema: { type: apigateway.JsonSchemaType.OBJECT, required: ['message'], properties: { message: { type: apigateway.JsonSchemaType.STRING } } },
    });
    const models = new Map<ModelName, apigateway.Model>();
    const model = (name: ModelName) => {
      const existing = models.get(name);
      if (existing) return existing;
      const created = this.api.addModel(`${name}Model`, {
        modelName: name,
        contentType: 'application/json',
        schema: API_MODELS[name] as unknown as apigateway.JsonSchema,
      });
      models.set(name, created);
      return created;
    };
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const responses = (successStatus: string) =>
      [successStatus, '400', '404', '409', '429', '500', '502'].map((statusCode) => ({
        statusCode,
        responseModels: statusCode === successStatus ? undefined : { 'application/json': errorModel },
        // A 429 says when to come back (the error templates set it).
        responseParameters: statusCode === '429' ? { 'method.response.header.Retry-After': false } : undefined,
      }));

    for (const route of API_ROUTES) {
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration(route.integration), {
        apiKeyRequired: true,
        requestValidator: validator,
        requestModels: route.requestModels && Object.fromEntries(Object.entries(route.requestModels).map(([type, name]) => [type, model(name)])),
        requestParameters: Object.fromEntries(route.operation.parameters.map((parameter) => [methodRequestParameter(parameter), parameter.required === true])),
        methodResponses: responses(route.integration.successStatus),
      });
    }

    this.apiKey = this.api.addApiKey('ApiKey', { description: 'Key for callers of the GuardDuty enrollment API' });
    const plan = this.api.addUsagePlan('UsagePlan', {
      name: 'guardduty-enrollment',
      throttle: { rateLimit: settings.usagePlan.rateLimit, burstLimit: settings.usagePlan.burstLimit },
      quota: { limit: settings.usagePlan.quotaLimit, period: apigateway.Period[settings.usagePlan.quotaPeriod] },
    });
    plan.addApiKey(this.apiKey);
    plan.addApiStage({ stage: this.api.deploymentStage });

    acknowledgeRule(
      this.api,
      'AwsSolutions-APIG3',
      'Callers are a handful of internal systems holding an API key under a usage plan that throttles and caps them; a WAF web ACL is left to the deploying organisation.',
    );
    acknowledgeAccess(this.api, settings);
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      acknowledgeRule(
        cloudWatchRole,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        "API Gateway's account-level logging role uses the AWS managed policy the service documents for execution logging.",
      );
    }
  }

  /** API Gateway's own refusals (bad body, missing key, throttled) as JSON `{message}`. */
  private addGatewayResponses(): void {
    this.api.addGatewayResponse('BadRequestBody', {
      type: apigateway.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: { 'application/json': '{"message": "Invalid request body: $context.error.validationErrorString"}' },
    });
    this.api.addGatewayResponse('BadRequestParameters', {
      type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS,
      statusCode: '400',
      templates: { 'application/json': '{"message": "Invalid request parameters: $context.error.validationErrorString"}' },
    });
    for (const [id, type] of [
      ['Default4xx', apigateway.ResponseType.DEFAULT_4XX],
      ['Default5xx', apigateway.ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(id, { type, templates: { 'application/json': '{"message": $context.error.messageString}' } });
    }
  }
}
