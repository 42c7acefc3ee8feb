import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, METRICS_SERVICE, MetricNames } from '../contract/metrics';
import type { EnrollmentSettings } from './settings';
import { StepLambda } from './step-lambda';

export interface MonitoringProps {
  readonly settings: EnrollmentSettings;
  /** The state machines whose failed, timed-out and throttled executions raise alarms, by a short name. */
  readonly stateMachines: Record<string, sfn.StateMachine>;
  /** The machines whose finished executions carry enrollment outcomes (enrollment, batch part). */
  readonly outcomeMachines: sfn.StateMachine[];
  /** The existing alarm on the enrollment events' dead-letter queue. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly deadLetterQueueMetric: cloudwatch.IMetric;
  readonly logRetention: logs.RetentionDays;
}

/** A metric this project publishes (contract/metrics.ts), with the service dimension Powertools adds. */
function projectMetric(name: string, dimensions: Record<string, string> = {}, period = Duration.hours(1)): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE, ...dimensions },
    statistic: cloudwatch.Stats.SUM,
    period,
  });
}

/**
 * What operators see (issue 14): alarms on failed, timed-out and throttled executions of each state
 * machine (Step Functions' ExecutionsFailed, ExecutionsTimedOut, ExecutionThrottled), on drift found
 * by a fleet check, and the dead-letter alarm, all notifying `alarmTopicArn` when set; the function
 * that turns finished executions into EnrollmentOutcomes metrics; and one dashboard.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly outcomesStep: StepLambda;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      const checks: Array<[string, cloudwatch.Metric, string]> = [
        ['Failed', machine.metricFailed({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }), 'failed'],
        ['TimedOut', machine.metricTimedOut({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }), 'timed out (the one-hour bound)'],
        ['Throttled', machine.metricThrottled({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }), 'were throttled by Step Functions'],
      ];
      for (const [kind, metric, what] of checks) {
        this.alarms.push(
          new cloudwatch.Alarm(this, `${name}${kind}Alarm`, {
            alarmDescription: `Executions of the ${name} state machine ${what}: see the README, "Alarms", for what to do.`,
            metric,
            threshold: 0,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        );
      }
    }
    const drifted = projectMetric(MetricNames.driftedAccounts);
    this.alarms.push(
      new cloudwatch.Alarm(this, 'DriftAlarm', {
        alarmDescription: 'A fleet check found drifted member accounts: read GET /v1/fleet-checks (or gde fleet); see the README, "Alarms".',
        metric: drifted,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    if (props.settings.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', props.settings.alarmTopicArn);
      for (const alarm of [...this.alarms, props.deadLetterAlarm]) {
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
        alarm.addOkAction(new cloudwatchActions.SnsAction(topic));
      }
    }

    // Finished enrollments → EnrollmentOutcomes (Step Functions sends status changes of Standard
    // executions to the default bus: docs/aws-facts.md, "Metrics and alarms").
    this.outcomesStep = new StepLambda(this, 'RecordOutcomesStep', { handler: 'record-enrollment-outcomes', logRetention: props.logRetention });
    new events.Rule(this, 'ExecutionOutcomesRule', {
      description: 'Finished enrollment and batch-part executions, for the EnrollmentOutcomes metrics',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: props.outcomeMachines.map((m) => m.stateMachineArn), status: ['SUCCEEDED', 'FAILED'] },
      },
      targets: [new targets.LambdaFunction(this.outcomesStep.function, { retryAttempts: 2 })],
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    const machines = Object.entries(props.stateMachines);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Executions failed / timed out / throttled',
        width: 12,
        left: machines.flatMap(([name, m]) => [
          m.metricFailed({ label: `${name} failed`, statistic: cloudwatch.Stats.SUM }),
          m.metricTimedOut({ label: `${name} timed out`, statistic: cloudwatch.Stats.SUM }),
          m.metricThrottled({ label: `${name} throttled`, statistic: cloudwatch.Stats.SUM }),
        ]),
      }),
      new cloudwatch.GraphWidget({
        title: 'Enrollment outcomes (account-regions)',
        width: 12,
        left: ['ENABLED', 'FAILED', 'OFFBOARDED'].map((outcome) =>
          projectMetric(MetricNames.enrollmentOutcomes, { Outcome: outcome }).with({ label: outcome }),
        ),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Failed enrollments by region and error code',
        width: 12,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},service,Region,Outcome,ErrorCode} MetricName="${MetricNames.enrollmentOutcomes}" Outcome="FAILED"', 'Sum', 3600)`,
            label: '',
            period: Duration.hours(1),
          }),
        ],
      }),
      new cloudwatch.GraphWidget({ title: 'Drifted accounts found by fleet checks', width: 12, left: [drifted.with({ label: 'drifted' })] }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-lettered enrollment events',
        width: 12,
        left: [projectMetric(MetricNames.deadLetteredEvents).with({ label: 'dead-lettered' }), props.deadLetterQueueMetric],
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 12, alarms: [...this.alarms, props.deadLetterAlarm] }),
    );
  }
}
