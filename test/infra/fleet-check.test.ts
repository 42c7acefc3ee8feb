/** The fleet check and the operators' view in the template: schedule, roles, alarms, dashboard. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseSettings } from '../../lib/settings';
import { synthesizeTemplates } from '../../local/runtime/template/synth';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:security-alerts';
let template: Template;
let off: Template;

beforeAll(() => {
  template = Template.fromJSON(
    synthesizeTemplates({ context: { guarddutyEnrollment: { alarmTopicArn: TOPIC, defaultRegions: ['us-east-1', 'eu-west-1'] } } }).enrollment,
  );
  off = Template.fromJSON(synthesizeTemplates({ context: { guarddutyEnrollment: { fleetCheckSchedule: 'off' } } }).enrollment);
}, 240_000);

test('fleet settings: defaults, the Scheduler expressions and off, and clear refusals', () => {
  expect(parseSettings({})).toMatchObject({ fleetCheckSchedule: 'rate(6 hours)', fleetRepair: 'report', fleetInvitedLimitHours: 24, alarmTopicArn: '' });
  for (const ok of ['off', 'rate(1 hour)', 'rate(30 minutes)', 'cron(0 */6 * * ? *)'])
    expect(parseSettings({ fleetCheckSchedule: ok }).fleetCheckSchedule).toBe(ok);
  expect(() => parseSettings({ fleetCheckSchedule: 'every 6 hours' })).toThrow(/guarddutyEnrollment\.fleetCheckSchedule/);
  expect(() => parseSettings({ fleetRepair: 'fix' })).toThrow(/guarddutyEnrollment\.fleetRepair/);
  expect(() => parseSettings({ fleetInvitedLimitHours: -1 })).toThrow(/guarddutyEnrollment\.fleetInvitedLimitHours/);
  expect(() => parseSettings({ alarmTopicArn: 'security-alerts' })).toThrow(/guarddutyEnrollment\.alarmTopicArn/);
});

test('the schedule starts the fleet-check machine every 6 hours by default, and there is none when it is off', () => {
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'rate(6 hours)',
    Target: { Arn: { Ref: Match.stringLikeRegexp('^FleetCheckStateMachine') }, Input: JSON.stringify({ trigger: 'schedule' }) },
  });
  off.resourceCountIs('AWS::Scheduler::Schedule', 0);
  off.resourceCountIs('AWS::StepFunctions::StateMachine', 4);
});

test('CheckMembers may list members and read their plans, and put events on the project bus only', () => {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^FleetCheckCheckMembersStepRole') }] } });
  const statements = Object.values(policies).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement,
  );
  const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
  expect(actions).toEqual(
    [
      'events:PutEvents',
      'guardduty:GetMemberDetectors',
      'guardduty:ListDetectors',
      'guardduty:ListMembers',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ].sort(),
  );
  expect(statements.find((s) => s.Action === 'events:PutEvents')!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EventsBus/), 'Arn'] });
});

test('alarms on failed, timed-out and throttled executions of all four machines and on drift, each notifying the topic, plus the dead-letter alarm', () => {
  for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled']) {
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric, Namespace: 'AWS/States' } }))).toHaveLength(4);
  }
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'DriftedAccounts',
    Namespace: 'GuardDutyEnrollment',
    Dimensions: [{ Name: 'service', Value: 'guardduty-enrollment' }],
    Threshold: 0,
  });
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: { AlarmActions?: unknown[]; OKActions?: unknown[] } }[];
  expect(alarms).toHaveLength(14);
  for (const alarm of alarms) expect(alarm.Properties).toMatchObject({ AlarmActions: [TOPIC], OKActions: [TOPIC] });
  off.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DriftedAccounts', AlarmActions: Match.absent() });
});

test('one dashboard, and a rule that sends finished enrollment and batch-part executions to the outcome metrics function', () => {
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: {
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['SUCCEEDED', 'FAILED'],
        stateMachineArn: [{ Ref: Match.stringLikeRegexp('^WorkflowStateMachine') }, { Ref: Match.stringLikeRegexp('^WorkflowBatchPartStateMachine') }],
      },
    },
  });
});
