import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EnrollmentApi } from './enrollment-api';
import { EnrollmentWorkflow } from './enrollment-workflow';
import type { EnrollmentSettings } from './settings';

export interface EnrollmentStackProps extends StackProps {
  readonly settings: EnrollmentSettings;
}

/** The stack for the GuardDuty administrator account: the workflow and the API in front of it. */
export class EnrollmentStack extends Stack {
  readonly workflow: EnrollmentWorkflow;
  readonly api: EnrollmentApi;

  constructor(scope: Construct, id: string, props: EnrollmentStackProps) {
    super(scope, id, props);
    this.workflow = new EnrollmentWorkflow(this, 'Workflow', { settings: props.settings });
    this.api = new EnrollmentApi(this, 'Enrollment', {
      stateMachine: this.workflow.stateMachine,
      batchPartStateMachine: this.workflow.batchParts.stateMachine,
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
  }

}
