import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TerminalErrors } from '../contract/error-names';
import type { EnrollmentSettings } from './settings';
import { grantAdministratorActions } from './guardduty-grants';
import { EMAIL_CHECK_REASON, grantDescribeAccount } from './organizations-grants';
import { acknowledgeWildcardResource } from './nag';
import { BatchPartWorkflow } from './batch-workflow';
import { protectionPlanStep } from './protection-plan-steps';
import { standardStateMachine } from './standard-state-machine';
import { StepLambda } from './step-lambda';
import { batchFlow } from './workflow/batch-flow';
import { enrollFlow } from './workflow/enroll-flow';
import { offboardFlow } from './workflow/offboard-flow';
import { StateNames } from './workflow/state-names';
import type { EnrollmentSteps } from './workflow/steps';

export interface EnrollmentWorkflowProps {
  readonly settings: EnrollmentSettings;
}

/**
 * The Standard state machine that enrolls (or, with `action: 'offboard'`, offboards) one account in
 * every requested region, and its Lambda steps. Offboarding per region: RemoveMember (administrator
 * side) → LeaveAdministrator (member side), with the same failure handling and the same end.
 * Enrollment's steps: Per region: CreateMember → InviteMember → AcceptInvitation → VerifyMembership; an
 * account already Enabled short-cuts to its outcome with no mutating call. A failed region becomes
 * a FAILED outcome and never stops the others; the execution fails at the end if any region failed,
 * with every region's outcome in its cause.
 */
export class EnrollmentWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The state machine that runs one part of a batch (`POST /enrollments/batch`). */
  readonly batchParts: BatchPartWorkflow;
  readonly steps: EnrollmentSteps;

  constructor(scope: Construct, id: string, props: EnrollmentWorkflowProps) {
    super(scope, id);
    const { settings } = props;
    const stack = Stack.of(this);
    const logRetention = settings.logRetentionDays as logs.RetentionDays;
    const adminEnv = { ADMIN_ACCOUNT_ID: stack.account, PARTITION: stack.partition };

    const acceptInvitation = new StepLambda(this, 'AcceptInvitationStep', {
      handler: 'accept-invitation',
      logRetention,
      // Member roles trust this role by name (lib/member-role-stack.ts), so its name is fixed.
      roleName: settings.workflowRoleName,
      environment: {
        ...adminEnv,
        MEMBER_ROLE_NAME: settings.memberRoleName,
        EXTERNAL_ID: settings.externalId,
        FINDING_PUBLISHING_FREQUENCY: settings.findingPublishingFrequency,
        PROTECTION_PLANS: JSON.stringify(settings.protectionPlans),
      },
    });
    this.steps = {
      createMember: new StepLambda(this, 'CreateMemberStep', {
        handler: 'create-member',
        logRetention,
        environment: { ...adminEnv, CHECK_EMAIL_WITH_ORGANIZATIONS: String(settings.checkEmailWithOrganizations) },
      }),
      inviteMember: new StepLambda(this, 'InviteMemberStep', {
        handler: 'invite-member',
        logRetention,
        environment: {
          ...adminEnv,
          DISABLE_EMAIL_NOTIFICATION: String(settings.suppressInvitationEmails),
          DEFAULT_INVITATION_MESSAGE: settings.invitationMessage,
        },
      }),
      acceptInvitation,
      verifyMembership: new StepLambda(this, 'VerifyMembershipStep', { handler: 'verify-membership', logRetention, environment: adminEnv }),
      applyProtectionPlans: protectionPlanStep(this, 'ApplyProtectionPlansStep', 'apply-protection-plans', {
        settings,
        logRetention,
        adminEnvironment: adminEnv,
      }),
      // The API refuses deleteDetector=true unless allowed; RemoveMember, the first offboarding step,
      // refuses it too, for an execution started any other way (nothing is changed then).
      removeMember: new StepLambda(this, 'RemoveMemberStep', {
        handler: 'remove-member',
        logRetention,
        environment: { ...adminEnv, ALLOW_DETECTOR_DELETION: String(settings.allowDetectorDeletion) },
      }),
      // The member side of offboarding runs as AcceptInvitation's role: the member role trusts that
      // one role by name (aws:PrincipalArn), so its trust stays as narrow as it was and members need
      // no new trust. That role already may assume the member role and nothing else.
      leaveAdministrator: new StepLambda(this, 'LeaveAdministratorStep', {
        handler: 'leave-administrator',
        logRetention,
        role: acceptInvitation.role,
        environment: { ...adminEnv, MEMBER_ROLE_NAME: settings.memberRoleName, EXTERNAL_ID: settings.externalId },
      }),
    };
    this.grantStepPermissions(settings);
    this.batchParts = new BatchPartWorkflow(this, 'BatchPart', {
      settings,
      acceptInvitation: this.steps.acceptInvitation,
      logRetention,
      adminEnvironment: adminEnv,
    });

    this.stateMachine = standardStateMachine(this, {
      definition: this.definition(settings),
      logRetention,
      role: 'enrollment',
      steps: Object.values(this.steps),
    });
    // StepFunctionsStartExecution (RUN_JOB) lets this machine describe and stop its child executions,
    // whose names are only known at run time: executions of the batch-part machine only.
    const partExecutions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: `${stack.splitArn(this.batchParts.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}*`,
    });
    acknowledgeWildcardResource(
      this.stateMachine.role,
      partExecutions,
      "A batch's part executions are named at run time; the resource is limited to executions of the batch-part state machine.",
    );
  }

  /** Each step may call exactly the GuardDuty actions it uses, on this account's detectors. */
  private grantStepPermissions(settings: EnrollmentSettings): void {
    const stack = Stack.of(this);
    grantAdministratorActions(this.steps.createMember, ['guardduty:GetMembers', 'guardduty:CreateMembers', 'guardduty:DeleteMembers']);
    if (settings.checkEmailWithOrganizations) grantDescribeAccount(this.steps.createMember.role, stack, settings, EMAIL_CHECK_REASON);
    grantAdministratorActions(this.steps.inviteMember, ['guardduty:InviteMembers']);
    grantAdministratorActions(this.steps.verifyMembership, ['guardduty:GetMembers']);
    grantAdministratorActions(this.steps.removeMember, ['guardduty:GetMembers', 'guardduty:DisassociateMembers', 'guardduty:DeleteMembers']);
    // The member side acts only through the member role; it may assume that role name and no other.
    // LeaveAdministrator runs as this same role (see its step), so this grant covers it too.
    const memberRoles = `arn:${stack.partition}:iam::*:role/${settings.memberRoleName}`;
    this.steps.acceptInvitation.role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [memberRoles] }));
    acknowledgeWildcardResource(
      this.steps.acceptInvitation.role,
      memberRoles,
      'Members are whatever accounts callers enroll, so the account is a wildcard; the role name is fixed to the member role.',
    );
  }

  /** The state machine: ChooseAction sends an input to its flow (enroll, offboard, batch); enroll and offboard end alike. */
  private definition(settings: EnrollmentSettings): sfn.IChainable {
    const enrollRegions = enrollFlow(this, settings, this.steps);
    const offboardRegions = offboardFlow(this, settings, this.steps);
    const summarize = new sfn.Pass(this, StateNames.summarize, {
      parameters: {
        'enrollmentId.$': '$$.Execution.Name',
        'accountId.$': '$.accountId',
        'regions.$': '$.outcomes',
        // An intrinsic rather than a filter expression: aws-local-stepfunctions 3.0 fails on a filter
        // that matches nothing, where Step Functions yields []. Never empty: CheckRequest ensures a region.
        'anyRegionFailed.$': "States.ArrayContains($.outcomes[*].outcome, 'FAILED')",
      },
    });
    const finish = new sfn.Choice(this, StateNames.anyRegionFailed)
      .when(
        sfn.Condition.booleanEquals('$.anyRegionFailed', true),
        new sfn.Pass(this, StateNames.failureCause, { parameters: { 'cause.$': 'States.JsonToString($)' } }).next(
          new sfn.Fail(this, StateNames.enrollmentFailed, { error: 'EnrollmentFailed', causePath: '$.cause' }),
        ),
      )
      .otherwise(new sfn.Succeed(this, StateNames.enrolled));
    enrollRegions.next(summarize).next(finish);

    offboardRegions.next(summarize);

    const hasRequest = [sfn.Condition.isPresent('$.accountId'), sfn.Condition.isPresent('$.email')];
    const defaultRegions = settings.defaultRegions.length > 0 ? settings.defaultRegions : [Stack.of(this).region];
    const hasOffboardRequest = [
      sfn.Condition.stringEquals('$.action', 'offboard'),
      sfn.Condition.isPresent('$.accountId'),
      sfn.Condition.isPresent('$.deleteDetector'),
    ];
    const hasBatchRequest = [
      sfn.Condition.stringEquals('$.action', 'batch'),
      sfn.Condition.isPresent('$.accounts[0]'),
      sfn.Condition.isPresent('$.invitationMessage'),
    ];
    const enrollBatch = batchFlow(this, settings, this.batchParts);
    // Two Choices so that $.action is compared only once it is known to be present (a Choice on a
    // missing path is a runtime error): enrollments carry no action and go on to CheckRequest.
    const checkActionRequest = new sfn.Choice(this, StateNames.checkActionRequest)
      .when(sfn.Condition.and(...hasOffboardRequest, sfn.Condition.isPresent('$.regions[0]')), offboardRegions)
      .when(
        sfn.Condition.and(...hasOffboardRequest, sfn.Condition.not(sfn.Condition.isPresent('$.regions'))),
        new sfn.Pass(this, StateNames.useDefaultOffboardRegions, { result: sfn.Result.fromArray(defaultRegions), resultPath: '$.regions' }).next(
          offboardRegions,
        ),
      )
      .when(sfn.Condition.and(...hasBatchRequest, sfn.Condition.isPresent('$.regions[0]')), enrollBatch)
      .when(
        sfn.Condition.and(...hasBatchRequest, sfn.Condition.not(sfn.Condition.isPresent('$.regions'))),
        new sfn.Pass(this, StateNames.useDefaultBatchRegions, { result: sfn.Result.fromArray(defaultRegions), resultPath: '$.regions' }).next(enrollBatch),
      )
      .otherwise(
        new sfn.Fail(this, StateNames.invalidActionRequest, {
          error: TerminalErrors.InvalidEnrollmentRequest,
          cause:
            "The execution input of an offboarding must be {action: 'offboard', accountId, deleteDetector, regions?}, and of a batch " +
            "{action: 'batch', accounts: [{accountId, email}], invitationMessage (or null), regions?}, with at least one region when regions is given.",
        }),
      );
    const checkRequest = new sfn.Choice(this, StateNames.checkRequest)
      .when(sfn.Condition.and(...hasRequest, sfn.Condition.isPresent('$.regions[0]')), enrollRegions)
      .when(
        // Not(IsPresent) rather than IsPresent=false: same meaning in Step Functions, and the one
        // aws-local-stepfunctions 3.0 evaluates correctly (it treats IsPresent=false as never true).
        sfn.Condition.and(...hasRequest, sfn.Condition.not(sfn.Condition.isPresent('$.regions'))),
        new sfn.Pass(this, StateNames.useDefaultRegions, { result: sfn.Result.fromArray(defaultRegions), resultPath: '$.regions' }).next(enrollRegions),
      )
      .otherwise(
        new sfn.Fail(this, StateNames.invalidRequest, {
          error: TerminalErrors.InvalidEnrollmentRequest,
          cause: 'The execution input must be {accountId, email, regions?, invitationMessage?} with at least one region when regions is given.',
        }),
      );
    return new sfn.Choice(this, StateNames.chooseAction).when(sfn.Condition.isPresent('$.action'), checkActionRequest).otherwise(checkRequest);
  }
}
