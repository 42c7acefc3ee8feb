import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeRule } from './nag';
import { grantDescribeAccount } from './organizations-grants';
import type { EnrollmentSettings } from './settings';
import { StepLambda } from './step-lambda';
import { CONTROL_TOWER, ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE } from '../contract/enrollment-events';

export interface EnrollmentEventsProps {
  /** The enrollment state machine the events start (the one the API starts). */
  readonly stateMachine: sfn.IStateMachine;
  /** The deployment's settings: `eventBusName`, `eventSourceAccounts` and `logRetentionDays` are used. */
  readonly settings: EnrollmentSettings;
  /**
   * How many times EventBridge retries delivering an event to the function before it dead-letters
   * the event (target RetryPolicy; EventBridge's own default is 185). @default 24
   */
  readonly deliveryRetryAttempts?: number;
  /**
   * How long EventBridge keeps trying to deliver an event (target RetryPolicy; EventBridge's default
   * is 24 hours). Lambda keeps a queued asynchronous event for at most 6 hours too. @default Duration.hours(6)
   */
  readonly deliveryMaxEventAge?: Duration;
}

/**
 * Event-driven enrollment: a custom event bus where an account-vending pipeline puts
 * `Enroll Account` events (and the management account forwards Control Tower's
 * CreateManagedAccount events), two rules, and the EnrollFromEvent function that starts the
 * enrollment state machine for each. Nothing is dropped silently: an event EventBridge cannot
 * deliver, an event the function fails on after Lambda's retries, and an event that can never be
 * enrolled all land in one dead-letter queue, with an alarm as soon as it holds a message.
 */
export class EnrollmentEvents extends Construct {
  readonly bus: events.EventBus;
  readonly deadLetterQueue: sqs.Queue;
  readonly step: StepLambda;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EnrollmentEventsProps) {
    super(scope, id);
    const { settings } = props;
    const stack = Stack.of(this);

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: settings.eventBusName,
      description: 'GuardDuty enrollment requests (Enroll Account) and forwarded Control Tower CreateManagedAccount events',
    });
    // Same-account callers need only IAM; other accounts need the bus's resource policy (EventBridge
    // user guide, "Permissions for event buses"). The listed accounts may put events, nothing else.
    // Set as the bus's own Policy: EventBus.addToResourcePolicy goes through CfnEventBusPolicy,
    // whose synthesis warns of a deprecated property.
    if (settings.eventSourceAccounts.length > 0) {
      (this.bus.node.defaultChild as events.CfnEventBus).policy = new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'PutEventsFromSourceAccounts',
            principals: settings.eventSourceAccounts.map((account) => new iam.AccountPrincipal(account)),
            actions: ['events:PutEvents'],
            // Built from the name: the bus's own Arn attribute would make the bus depend on itself.
            resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: settings.eventBusName })],
          }),
        ],
      }).toJSON();
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // SQS's longest retention: time for a person to read, fix and put the events again.
      retentionPeriod: Duration.days(14),
    });
    acknowledgeRule(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      "This queue is itself the dead-letter queue of the enrollment events (EventBridge target DLQ, the function's Lambda DLQ and the events it refuses); a queue behind it would only move the same messages again.",
    );

    this.step = new StepLambda(this, 'EnrollFromEventStep', {
      handler: 'enroll-from-event',
      logRetention: settings.logRetentionDays as logs.RetentionDays,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
      },
    });
    // Lambda's asynchronous retries, stated rather than left to the defaults (2 retries, 6 hours):
    // a throttled StartExecution or DescribeAccount is tried three times before the DLQ.
    this.step.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    this.grantStepPermissions(props.stateMachine, settings, stack);

    const target = new targets.LambdaFunction(this.step.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: props.deliveryRetryAttempts ?? 24,
      maxEventAge: props.deliveryMaxEventAge ?? Duration.hours(6),
    });
    // Matches the source only, not the detail-type: an event with our source and a mistyped
    // detail-type then reaches the function, which dead-letters it with the reason. A rule on
    // detail-type too would let EventBridge drop such an event silently (it matches no rule).
    new events.Rule(this, 'EnrollAccountRule', {
      eventBus: this.bus,
      description: `Enrolls the account of each ${ENROLL_ACCOUNT_DETAIL_TYPE} event (other ${ENROLLMENT_EVENT_SOURCE} events go to the dead-letter queue)`,
      eventPattern: { source: [ENROLLMENT_EVENT_SOURCE] },
      targets: [target],
    });
    new events.Rule(this, 'ControlTowerRule', {
      eventBus: this.bus,
      description: `Enrolls each account Control Tower created (${CONTROL_TOWER.eventName} ${CONTROL_TOWER.succeeded}, forwarded from the management account)`,
      eventPattern: {
        source: [CONTROL_TOWER.source],
        detailType: [CONTROL_TOWER.detailType],
        detail: {
          eventName: [CONTROL_TOWER.eventName],
          serviceEventDetails: { createManagedAccountStatus: { state: [CONTROL_TOWER.succeeded] } },
        },
      },
      targets: [target],
    });

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'Enrollment events are waiting in the dead-letter queue: read each message (ErrorCode, ErrorMessage), fix the event and put it again.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * StartExecution on the enrollment state machine only; DescribeAccount only on accounts of
   * organizations managed by this account or an account allowed to put events (the management
   * account that forwards Control Tower's events). The Lambda DLQ grant (sqs:SendMessage on the
   * queue) is CDK's, from `deadLetterQueue`.
   */
  private grantStepPermissions(stateMachine: sfn.IStateMachine, settings: EnrollmentSettings, stack: Stack): void {
    stateMachine.grantStartExecution(this.step.role);
    grantDescribeAccount(
      this.step.role,
      stack,
      settings,
      "Control Tower's new accounts are only known at run time; the resource is limited to accounts of organizations whose management account is this account or one allowed to put events on the bus.",
    );
  }
}
