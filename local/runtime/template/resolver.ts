import type { CfnTemplate } from './synth';

/** Where a template is pretended to be deployed. */
export interface Deployment {
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
  /** Values of the template's parameters; a parameter not given takes its default. */
  readonly parameters?: Record<string, string>;
  /**
   * Where SQS queue URLs point (a `Ref` to an `AWS::SQS::Queue` is its URL, `<endpoint>/<account>/<name>`).
   * @default `https://sqs.<region>.amazonaws.com`
   */
  readonly sqsEndpoint?: string;
}

/**
 * Resolves the CloudFormation intrinsics CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::Select,
 * Fn::Split) against a pretend deployment, so local mode reads ARNs, names and definitions from
 * the synthesized template itself. Physical names are the logical ids.
 */
export class TemplateResolver {
  constructor(
    readonly template: CfnTemplate,
    readonly deployment: Deployment,
  ) {}

  private get partition(): string {
    return this.deployment.partition ?? 'aws';
  }

  /** The ARN or id a `Ref` to this resource returns. */
  ref(logicalId: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': this.deployment.account,
      'AWS::Region': this.deployment.region,
      'AWS::Partition': this.partition,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'GuardDutyEnrollment',
      'AWS::NoValue': '',
    };
    if (logicalId in pseudo) return pseudo[logicalId];
    const parameter = (this.template.Parameters as Record<string, { Default?: string }> | undefined)?.[logicalId];
    if (parameter) {
      const value = this.deployment.parameters?.[logicalId] ?? parameter.Default;
      if (value === undefined) throw new Error(`Parameter ${logicalId} has no value and no default`);
      return value;
    }
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`Ref to unknown resource ${logicalId}`);
    if (resource.Type === 'AWS::StepFunctions::StateMachine') return this.arn('states', `stateMachine:${this.getAtt(logicalId, 'Name')}`);
    if (resource.Type === 'AWS::SQS::Queue') return this.getAtt(logicalId, 'QueueUrl');
    if (resource.Type === 'AWS::Events::EventBus') return this.getAtt(logicalId, 'Name');
    // A role's Ref is its name.
    if (resource.Type === 'AWS::IAM::Role') return (resource.Properties?.RoleName as string) ?? logicalId;
    return logicalId;
  }

  /** The value of `Fn::GetAtt [logicalId, attribute]`. */
  getAtt(logicalId: string, attribute: string): string {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`Fn::GetAtt on unknown resource ${logicalId}`);
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${logicalId}`);
      case 'AWS::StepFunctions::StateMachine.Name':
        return (resource.Properties?.StateMachineName as string) ?? logicalId;
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.ref(logicalId);
      case 'AWS::IAM::Role.Arn':
        return `arn:${this.partition}:iam::${this.deployment.account}:role${(resource.Properties?.Path as string) ?? '/'}${this.ref(logicalId)}`;
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${logicalId}:*`);
      case 'AWS::ApiGateway::RestApi.RootResourceId':
        return `${logicalId}-root`;
      case 'AWS::SQS::Queue.QueueName':
        return (resource.Properties?.QueueName as string) ?? logicalId;
      case 'AWS::SQS::Queue.QueueUrl':
        return `${this.deployment.sqsEndpoint ?? `https://sqs.${this.deployment.region}.amazonaws.com`}/${this.deployment.account}/${this.getAtt(logicalId, 'QueueName')}`;
      case 'AWS::SQS::Queue.Arn':
        return this.arn('sqs', this.getAtt(logicalId, 'QueueName'));
      case 'AWS::Events::EventBus.Name':
        return resource.Properties?.Name as string;
      case 'AWS::Events::EventBus.Arn':
        return this.arn('events', `event-bus/${this.getAtt(logicalId, 'Name')}`);
      case 'AWS::Events::Rule.Arn': {
        // A rule on a custom bus is `rule/<bus name>/<rule name>`; on the default bus, `rule/<rule name>`.
        const bus = this.resolve(resource.Properties?.EventBusName ?? 'default') as string;
        return this.arn('events', bus === 'default' ? `rule/${logicalId}` : `rule/${bus}/${logicalId}`);
      }
      default:
        return `${logicalId}.${attribute}`;
    }
  }

  private arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.deployment.region}:${this.deployment.account}:${resource}`;
  }

  /** Resolves every intrinsic inside a value. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = obj[key];
      switch (key) {
        case 'Ref':
          return this.ref(arg as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = arg as [string, string];
          return this.getAtt(id, attribute);
        }
        case 'Fn::Join': {
          const [delimiter, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).join(delimiter);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [delimiter, source] = arg as [string, unknown];
          return String(this.resolve(source)).split(delimiter);
        }
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(obj[k])]));
  }

  /** The logical ids of every resource of a type. */
  resourcesOfType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }

  /** A resource's properties, resolved. */
  properties(logicalId: string): Record<string, unknown> {
    return this.resolve(this.template.Resources[logicalId].Properties ?? {}) as Record<string, unknown>;
  }
}
