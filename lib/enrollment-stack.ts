import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EnrollmentApi } from './enrollment-api';
import { EnrollmentEvents } from './enrollment-events';
import { EnrollmentWorkflow } from './enrollment-workflow';
import { FleetCheckWorkflow } from './fleet-check-workflow';
import { Monitoring } from './monitoring';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { EnrollmentSettings } from './settings';

export interface EnrollmentStackProps extends StackProps {
  readonly settings: EnrollmentSettings;
}

/** The stack for the GuardDuty administrator account: the workflow, the API in front of it and the enrollment event bus. */
export class EnrollmentStack extends Stack {
  readonly workflow: EnrollmentWorkflow;
  readonly api: EnrollmentApi;
  readonly events: EnrollmentEvents;
  readonly fleetCheck: FleetCheckWorkflow;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: EnrollmentStackProps) {
    super(scope, id, props);
    this.workflow = new EnrollmentWorkflow(this, 'Workflow', { settings: props.settings });
    this.events = new EnrollmentEvents(this, 'Events', { stateMachine: this.workflow.stateMachine, settings: props.settings });
    this.fleetCheck = new FleetCheckWorkflow(this, 'FleetCheck', {
      settings: props.settings,
      enrollmentStateMachine: this.workflow.stateMachine,
      bus: this.events.bus,
      logRetention: props.settings.logRetentionDays as logs.RetentionDays,
      adminEnvironment: { ADMIN_ACCOUNT_ID: this.account, PARTITION: this.partition },
    });
    this.api = new EnrollmentApi(this, 'Enrollment', {
      stateMachine: this.workflow.stateMachine,
      batchPartStateMachine: this.workflow.batchParts.stateMachine,
      fleetCheck: this.fleetCheck,
      settings: props.settings,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the enrollment API' });
    new CfnOutput(this, 'ApiKeyId', {
      value: this.api.apiKey.keyId,
      description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <this id>',
    });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'WorkflowRoleArn', {
      value: this.workflow.steps.acceptInvitation.role.roleArn,
      description: 'The role member accounts must trust (deploy GuardDutyEnrollmentMemberRole in each member)',
    });

    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName, description: 'Put Enroll Account events here (source guardduty-enrollment)' });
    new CfnOutput(this, 'EventBusArn', {
      value: this.events.bus.eventBusArn,
      description: "The target of the management account's Control Tower forwarding rule",
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      settings: props.settings,
      stateMachines: {
        Enrollment: this.workflow.stateMachine,
        BatchPart: this.workflow.batchParts.stateMachine,
        FleetCheck: this.fleetCheck.stateMachine,
        FleetCheckPart: this.fleetCheck.partStateMachine,
      },
      outcomeMachines: [this.workflow.stateMachine, this.workflow.batchParts.stateMachine],
      deadLetterAlarm: this.events.deadLetterAlarm,
      deadLetterQueueMetric: this.events.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'in the queue' }),
      logRetention: props.settings.logRetentionDays as logs.RetentionDays,
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'FleetCheckStateMachineArn', { value: this.fleetCheck.stateMachine.stateMachineArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.events.deadLetterQueue.queueUrl,
      description: 'Enrollment events that could not be enrolled, with ErrorCode and ErrorMessage attributes',
    });
  }
}
