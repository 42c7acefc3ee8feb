/**
 * Event-driven enrollment's infrastructure: the bus and who may put on it, the two rules' patterns,
 * delivery with retries and a dead-letter queue, the queue's protections and the function's IAM.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { CONTROL_TOWER, ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE } from '../../contract/enrollment-events';

let raw: CfnTemplate;
let template: Template;

beforeAll(() => {
  raw = synthesizeTemplates().enrollment;
  template = Template.fromJSON(raw);
});

/** The enrollment state machine (the batch-part machine is the template's other one). */
function enrollmentMachineId(): string {
  const ids = Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).filter(
    (id) => template.toJSON().Resources[id].Metadata?.['gde:state-machine'] === 'enrollment',
  );
  expect(ids).toHaveLength(1);
  return ids[0];
}

function logicalId(type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** The statements of the EnrollFromEvent function's role. */
function functionStatements(t: CfnTemplate = raw): Statement[] {
  const [fnId] = Object.entries(t.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Metadata ?? {}).includes('enroll-from-event'))
    .map(([id]) => id);
  const roleId = ((t.Resources[fnId].Properties as any).Role['Fn::GetAtt'] as string[])[0];
  return Object.values(t.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify((r.Properties as any).Roles).includes(roleId))
    .flatMap((r) => (r.Properties as any).PolicyDocument.Statement as Statement[]);
}

test('a custom bus named by the setting, with no resource policy while only this account puts events', () => {
  template.hasResourceProperties('AWS::Events::EventBus', { Name: 'guardduty-enrollment', Policy: Match.absent() });
  template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
});

test('eventSourceAccounts may put events on the bus, and only put events', () => {
  const { enrollment } = synthesizeTemplates({
    context: { guarddutyEnrollment: { eventBusName: 'vending', eventSourceAccounts: ['999999999999', '888888888888'] } },
  });
  const bus = Template.fromJSON(enrollment).findResources('AWS::Events::EventBus');
  const [props] = Object.values(bus).map((r) => r.Properties);
  expect(props.Name).toBe('vending');
  expect(props.Policy.Statement).toEqual([
    {
      Sid: 'PutEventsFromSourceAccounts',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::999999999999:root', 'arn:aws:iam::888888888888:root'] },
      Action: 'events:PutEvents',
      Resource: 'arn:aws:events:us-east-1:111111111111:event-bus/vending',
    },
  ]);
  // DescribeAccount is allowed on the organizations those accounts (or this one) manage, nothing wider.
  const describe = functionStatements(enrollment).find((s) => s.Action === 'organizations:DescribeAccount');
  expect([...((describe?.Resource ?? []) as string[])].sort()).toEqual([
    'arn:aws:organizations::111111111111:account/o-*/*',
    'arn:aws:organizations::888888888888:account/o-*/*',
    'arn:aws:organizations::999999999999:account/o-*/*',
  ]);
});

test('the pipeline rule takes every event of the documented source on that bus, whatever its detail-type', () => {
  const bus = logicalId('AWS::Events::EventBus');
  // Not narrowed to detail-type 'Enroll Account': a mistyped one must reach the DLQ, not match nothing.
  template.hasResourceProperties('AWS::Events::Rule', { EventBusName: { Ref: bus }, State: 'ENABLED', EventPattern: { source: [ENROLLMENT_EVENT_SOURCE] } });
  expect([ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE]).toEqual(['guardduty-enrollment', 'Enroll Account']);
});

test('the Control Tower rule matches only a SUCCEEDED CreateManagedAccount from CloudTrail', () => {
  template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: {
      source: ['aws.controltower'],
      'detail-type': ['AWS Service Event via CloudTrail'],
      detail: { eventName: ['CreateManagedAccount'], serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } } },
    },
  });
  expect(CONTROL_TOWER.source).toBe('aws.controltower');
});

test('both rules deliver to the function with a retry policy and the dead-letter queue', () => {
  const queue = logicalId('AWS::SQS::Queue');
  // The bus's rules (the outcome-metrics rule is on the default bus: lib/monitoring.ts).
  const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) => rule.Properties.EventBusName);
  expect(rules).toHaveLength(2);
  for (const rule of rules) {
    expect(rule.Properties.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/EnrollFromEvent/), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
      },
    ]);
  }
  // EventBridge may send to the queue only for these rules.
  const policy = Object.values(template.findResources('AWS::SQS::QueuePolicy'))[0].Properties.PolicyDocument.Statement as any[];
  const fromRules = policy.filter((s) => s.Principal?.Service === 'events.amazonaws.com');
  expect(fromRules.map((s) => [s.Action, s.Condition.ArnEquals['aws:SourceArn']['Fn::GetAtt'][0]])).toEqual(
    Object.entries(template.findResources('AWS::Events::Rule'))
      .filter(([, rule]) => rule.Properties.EventBusName)
      .map(([id]) => ['sqs:SendMessage', id]),
  );
});

test("the function's failed asynchronous invocations go to the same queue after 2 retries", () => {
  const queue = logicalId('AWS::SQS::Queue');
  const fn = Object.entries(raw.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Metadata).includes('enroll-from-event'))!;
  expect((fn[1].Properties as any).DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } });
  expect((fn[1].Properties as any).Environment.Variables).toMatchObject({
    STATE_MACHINE_ARN: { Ref: enrollmentMachineId() },
    DEAD_LETTER_QUEUE_URL: { Ref: queue },
  });
  template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fn[0] }, MaximumRetryAttempts: 2 });
});

test('the dead-letter queue is encrypted, refuses plain HTTP, keeps messages 14 days and alarms on the first one', () => {
  const queue = logicalId('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    },
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0,
  });
});

test('the function may start the enrollment state machine, send to its queue and describe accounts; no other action, no other resource', () => {
  const machine = enrollmentMachineId();
  const queue = logicalId('AWS::SQS::Queue');
  const grants = functionStatements().map((s) => [([] as string[]).concat(s.Action).join(','), s.Resource]);
  expect(grants).toEqual(
    expect.arrayContaining([
      ['states:StartExecution', { Ref: machine }],
      ['sqs:SendMessage', { 'Fn::GetAtt': [queue, 'Arn'] }],
      ['organizations:DescribeAccount', 'arn:aws:organizations::111111111111:account/o-*/*'],
    ]),
  );
  // Apart from its own log group, the only '*' is X-Ray's, which has no resource-level permissions.
  const rest = grants.filter(([action]) => !['states:StartExecution', 'sqs:SendMessage', 'organizations:DescribeAccount'].includes(action as string));
  expect(rest.map(([action, resource]) => [action, resource === '*' ? '*' : 'own log group'])).toEqual([
    ['logs:CreateLogStream,logs:PutLogEvents', 'own log group'],
    ['xray:PutTelemetryRecords,xray:PutTraceSegments', '*'],
  ]);
});

test('the stack outputs the bus name and ARN and the dead-letter queue URL', () => {
  const outputs = template.findOutputs('*');
  expect(outputs.EventBusName.Value).toEqual({ Ref: logicalId('AWS::Events::EventBus') });
  expect(outputs.EventBusArn.Value).toEqual({ 'Fn::GetAtt': [logicalId('AWS::Events::EventBus'), 'Arn'] });
  expect(outputs.DeadLetterQueueUrl.Value).toEqual({ Ref: logicalId('AWS::SQS::Queue') });
});
