import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag';

/** The project root: handler entries and the lock file are resolved from here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * Metadata key on each step's `AWS::Lambda::Function` naming its handler module (relative to the
 * project root), so local mode can run the very handler the template deploys.
 */
export const HANDLER_ENTRY_METADATA = 'gde:handler-entry';

/**
 * The esbuild settings every step is bundled with (the benchmark bundles with these too). The SDK
 * is bundled rather than taken from the runtime: the version we test is the version we run. The
 * `module` entry points first let esbuild tree-shake the SDK's ES modules: about 30% smaller
 * bundles that load faster cold (measured by `npm run bench`).
 */
export const STEP_BUNDLE = {
  minify: true,
  target: 'node24',
  mainFields: ['module', 'main'],
  external: [] as string[],
} as const;

export interface StepLambdaProps {
  /** Handler module under `lambda/handlers/`, without extension, e.g. `create-member`. */
  readonly handler: string;
  /** Environment variables besides the logger's. @default {} */
  readonly environment?: Record<string, string>;
  /** Log retention of the function's own log group. */
  readonly logRetention: logs.RetentionDays;
  /** A fixed IAM role name, for roles other accounts must trust by name. @default a generated name */
  readonly roleName?: string;
  /**
   * Run as this existing role (another step's) instead of a role of its own: for a step that must
   * be the very principal other accounts trust by name. Not with `roleName`. @default a new role
   */
  readonly role?: iam.Role;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * Where Lambda sends the event of an asynchronous invocation that failed every attempt (the
   * function's dead-letter queue); the role is granted sqs:SendMessage on it. @default none
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * One workflow step: a Node.js Lambda with this project's defaults (current runtime, arm64, minified
 * bundle with the AWS SDK inside, X-Ray, a log group with retention) and its own role that can write
 * only to that log group. Callers grant the step's AWS permissions on `role`.
 */
export class StepLambda extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: StepLambdaProps) {
    super(scope, id);
    const entry = path.join('lambda', 'handlers', `${props.handler}.ts`);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.role && props.roleName) throw new Error(`Step ${props.handler}: give either role or roleName, not both`);
    this.role =
      props.role ??
      new iam.Role(this, 'Role', {
        roleName: props.roleName,
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs the GuardDuty enrollment step ${props.handler}`,
      });
    // Instead of the AWSLambdaBasicExecutionRole managed policy (any log group): this step's own group only.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'guardduty-enrollment',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        minify: STEP_BUNDLE.minify,
        target: STEP_BUNDLE.target,
        mainFields: [...STEP_BUNDLE.mainFields],
        externalModules: [...STEP_BUNDLE.external],
        format: OutputFormat.CJS,
        sourceMap: false,
      },
    });
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_ENTRY_METADATA, entry);
    if (!props.role)
      acknowledgeWildcardResource(
        this.role,
        '*',
        "Resource '*' is granted only for actions that support no resource-level permissions: active tracing's xray:PutTraceSegments and xray:PutTelemetryRecords, and guardduty:ListDetectors for the administrator-side steps.",
      );
  }
}
