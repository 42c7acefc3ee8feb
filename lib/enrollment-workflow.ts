import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TerminalErrors, TransientErrors } from '../lambda/shared/error-names';
import type { EnrollmentSettings } from './settings';
import { grantAdministratorActions } from './guardduty-grants';
import { EMAIL_CHECK_REASON, grantDescribeAccount } from './organizations-grants';
import { acknowledgeWildcardResource } from './nag';
import { REGION_FAILED_STEPS } from '../contract/progress-steps';
import { NAMED_ERRORS, NULL, RETRIES, STEP_TIMEOUT, addStepRetries } from './workflow-rules';
import { BATCH_PARTS_AT_ONCE, BatchPartWorkflow } from './batch-workflow';
import { defaultProtectionPlans, protectionPlanStep } from './protection-plan-steps';
import { standardStateMachine } from './standard-state-machine';
import { StepFunction } from './step-function';
import { BATCH_PART_SIZE } from '../lambda/shared/batch-size';

export interface EnrollmentWorkflowProps {
  readonly settings: EnrollmentSettings;
}

/** State names, used by the ASL, the tests and local mode's retry overrides. */
export const StateNames = {
  // The states a region enters only on its way to FAILED (clients read them from the progress route).
  ...REGION_FAILED_STEPS,
  chooseAction: 'ChooseAction',
  checkActionRequest: 'CheckActionRequest',
  invalidActionRequest: 'InvalidActionRequest',
  useDefaultBatchRegions: 'UseDefaultBatchRegions',
  partitionBatch: 'PartitionBatch',
  enrollBatch: 'EnrollBatch',
  enrollParts: 'EnrollParts',
  enrollPart: 'EnrollPart',
  partNotRun: 'PartNotRun',
  summarizeBatch: 'SummarizeBatch',
  batchDone: 'BatchDone',
  useDefaultOffboardRegions: 'UseDefaultOffboardRegions',
  offboardRegions: 'OffboardRegions',
  removeMember: 'RemoveMember',
  leaveAdministrator: 'LeaveAdministrator',
  checkRequest: 'CheckRequest',
  useDefaultRegions: 'UseDefaultRegions',
  invalidRequest: 'InvalidRequest',
  enrollRegions: 'EnrollRegions',
  createMember: 'CreateMember',
  isAlreadyEnabled: 'IsAlreadyEnabled',
  inviteMember: 'InviteMember',
  acceptInvitation: 'AcceptInvitation',
  verifyMembership: 'VerifyMembership',
  applyProtectionPlans: 'ApplyProtectionPlans',
  defaultBatchPlans: 'DefaultBatchPlans',
  mergeBatchPlans: 'MergeBatchPlans',
  isInvitationMissing: 'IsInvitationMissing',
  isEmailVerificationUnknown: 'IsEmailVerificationUnknown',
  summarize: 'Summarize',
  anyRegionFailed: 'AnyRegionFailed',
  failureCause: 'FailureCause',
  enrollmentFailed: 'EnrollmentFailed',
  enrolled: 'Enrolled',
} as const;

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
  readonly steps: Record<
    'createMember' | 'inviteMember' | 'acceptInvitation' | 'verifyMembership' | 'applyProtectionPlans' | 'removeMember' | 'leaveAdministrator',
    StepFunction
  >;

  constructor(scope: Construct, id: string, props: EnrollmentWorkflowProps) {
    super(scope, id);
    const { settings } = props;
    const stack = Stack.of(this);
    const logRetention = settings.logRetentionDays as logs.RetentionDays;
    const adminEnv = { ADMIN_ACCOUNT_ID: stack.account, PARTITION: stack.partition };

    const acceptInvitation = new StepFunction(this, 'AcceptInvitationStep', {
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
      createMember: new StepFunction(this, 'CreateMemberStep', {
        handler: 'create-member',
        logRetention,
        environment: { ...adminEnv, CHECK_EMAIL_WITH_ORGANIZATIONS: String(settings.checkEmailWithOrganizations) },
      }),
      inviteMember: new StepFunction(this, 'InviteMemberStep', {
        handler: 'invite-member',
        logRetention,
        environment: {
          ...adminEnv,
          DISABLE_EMAIL_NOTIFICATION: String(settings.suppressInvitationEmails),
          DEFAULT_INVITATION_MESSAGE: settings.invitationMessage,
        },
      }),
      acceptInvitation,
      verifyMembership: new StepFunction(this, 'VerifyMembershipStep', { handler: 'verify-membership', logRetention, environment: adminEnv }),
      applyProtectionPlans: protectionPlanStep(this, 'ApplyProtectionPlansStep', 'apply-protection-plans', { settings, logRetention, adminEnvironment: adminEnv }),
      // The API refuses deleteDetector=true unless allowed; RemoveMember, the first offboarding step,
      // refuses it too, for an execution started any other way (nothing is changed then).
      removeMember: new StepFunction(this, 'RemoveMemberStep', {
        handler: 'remove-member',
        logRetention,
        environment: { ...adminEnv, ALLOW_DETECTOR_DELETION: String(settings.allowDetectorDeletion) },
      }),
      // The member side of offboarding runs as AcceptInvitation's role: the member role trusts that
      // one role by name (aws:PrincipalArn), so its trust stays as narrow as it was and members need
      // no new trust. That role already may assume the member role and nothing else.
      leaveAdministrator: new StepFunction(this, 'LeaveAdministratorStep', {
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
    acknowledgeWildcardResource(this.stateMachine.role, partExecutions, "A batch's part executions are named at run time; the resource is limited to executions of the batch-part state machine.");
  }

  /**
   * A batch (`POST /enrollments/batch`): its accounts in parts of BATCH_PART_SIZE, and per region
   * (up to maxConcurrentRegions at once) each part run as a child execution of the batch-part state
   * machine named `<batchId>-<region>-<index>` (BATCH_PARTS_AT_ONCE at once). This execution keeps
   * only each part's counts, so its history and state stay small at 1,000 accounts × every region;
   * each part's per-account outcomes are its own execution's output. A part whose execution could not
   * run is reported with its error and every account counted failed.
   */
  private batchDefinition(settings: EnrollmentSettings): sfn.IChainable {
    const partId = "States.Format('{}-{}', $.region, $.index)";
    const enrollPart = new tasks.StepFunctionsStartExecution(this, StateNames.enrollPart, {
      stateName: StateNames.enrollPart,
      stateMachine: this.batchParts.stateMachine,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      name: sfn.JsonPath.format('{}-{}-{}', sfn.JsonPath.stringAt('$.batchId'), sfn.JsonPath.stringAt('$.region'), sfn.JsonPath.stringAt('$.index')),
      input: sfn.TaskInput.fromObject({
        'batchId.$': '$.batchId',
        'region.$': '$.region',
        'part.$': partId,
        'requestedBy.$': '$.requestedBy',
        'accounts.$': '$.accounts',
        'invitationMessage.$': '$.invitationMessage',
        'protectionPlans.$': '$.protectionPlans',
      }),
      associateWithParent: true,
      resultSelector: { 'part.$': '$.Output.part', 'region.$': '$.Output.region', 'enabled.$': '$.Output.enabled', 'failed.$': '$.Output.failed', 'error.$': NULL },
    });
    enrollPart.addCatch(
      new sfn.Pass(this, StateNames.partNotRun, {
        parameters: {
          'part.$': partId,
          'region.$': '$.region',
          enabled: 0,
          'failed.$': 'States.ArrayLength($.accounts)',
          error: { 'code.$': '$.error.Error', 'message.$': '$.error.Cause' },
        },
      }),
      { resultPath: '$.error' },
    );
    const enrollParts = new sfn.Map(this, StateNames.enrollParts, {
      itemsPath: '$.parts',
      maxConcurrency: BATCH_PARTS_AT_ONCE,
      itemSelector: {
        'batchId.$': '$.batchId',
        'region.$': '$.region',
        'index.$': '$$.Map.Item.Index',
        'accounts.$': '$$.Map.Item.Value',
        'requestedBy.$': '$.requestedBy',
        'invitationMessage.$': '$.invitationMessage',
        'protectionPlans.$': '$.protectionPlans',
      },
    });
    enrollParts.itemProcessor(enrollPart);
    const enrollBatch = new sfn.Map(this, StateNames.enrollBatch, {
      itemsPath: '$.regions',
      maxConcurrency: settings.maxConcurrentRegions,
      itemSelector: {
        'batchId.$': '$$.Execution.Name',
        'region.$': '$$.Map.Item.Value',
        'parts.$': '$.parts',
        'requestedBy.$': '$.requestedBy',
        'invitationMessage.$': '$.invitationMessage',
        'protectionPlans.$': '$.protectionPlans',
      },
      resultPath: '$.results',
    });
    enrollBatch.itemProcessor(enrollParts);
    // The accounts are replaced by their parts, so the state holds them once (256 KiB state limit).
    const partition = new sfn.Pass(this, StateNames.partitionBatch, {
      parameters: {
        'accountCount.$': 'States.ArrayLength($.accounts)',
        'parts.$': `States.ArrayPartition($.accounts, ${BATCH_PART_SIZE})`,
        'regions.$': '$.regions',
        'requestedBy.$': '$.requestedBy',
        'invitationMessage.$': '$.invitationMessage',
        'protectionPlans.$': '$.protectionPlans',
      },
    });
    const summarize = new sfn.Pass(this, StateNames.summarizeBatch, {
      parameters: {
        'batchId.$': '$$.Execution.Name',
        'accountCount.$': '$.accountCount',
        'regions.$': '$.regions',
        'parts.$': '$.results[*][*]',
      },
    });
    return defaultProtectionPlans(this, { defaults: StateNames.defaultBatchPlans, merge: StateNames.mergeBatchPlans }).next(partition).next(enrollBatch).next(summarize).next(new sfn.Succeed(this, StateNames.batchDone));
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
    acknowledgeWildcardResource(this.steps.acceptInvitation.role, memberRoles, 'Members are whatever accounts callers enroll, so the account is a wildcard; the role name is fixed to the member role.');
  }

  private definition(settings: EnrollmentSettings): sfn.IChainable {
    const invoke = (
      id: string,
      step: StepFunction,
      retries: sfn.RetryProps[],
      onNamedError: sfn.IChainable = readFailure,
      onOtherError: sfn.IChainable = regionFailedUnexpectedly,
      resultPath?: string,
    ) => {
      const task = new tasks.LambdaInvoke(this, id, {
        stateName: id,
        lambdaFunction: step.function,
        payloadResponseOnly: true,
        taskTimeout: STEP_TIMEOUT,
        resultPath,
      });
      addStepRetries(task, ...retries);
      task.addCatch(onNamedError, { errors: NAMED_ERRORS, resultPath: '$.error' });
      task.addCatch(onOtherError, { resultPath: '$.error' });
      return task;
    };

    const regionFields = {
      'region.$': '$.region',
      'relationshipStatus.$': '$.relationshipStatus',
      'memberDetectorId.$': '$.memberDetectorId',
    };
    // A step's own error carries Lambda's JSON error payload as its Cause: keep only the message.
    const regionFailed = new sfn.Pass(this, StateNames.regionFailed, {
      parameters: { ...regionFields, outcome: 'FAILED', error: { 'code.$': '$.error.Error', 'message.$': '$.cause.errorMessage' } },
    });
    const readFailure = new sfn.Pass(this, StateNames.readFailure, {
      parameters: {
        ...regionFields,
        // Kept for CheckEmailVerification below (the Map's ItemSelector gives every state these fields).
        'enrollmentId.$': '$.enrollmentId',
        'accountId.$': '$.accountId',
        'adminDetectorId.$': '$.adminDetectorId',
        'error.$': '$.error',
        'cause.$': 'States.StringToJson($.error.Cause)',
      },
    });
    // With invitation emails on, GuardDuty delivers no invitation when the member email is not the
    // account's root email (facts pain point 1), and only the administrator side can see why
    // (EmailVerificationFailed). So when the member side gave up waiting for an invitation that was
    // sent with email verification, read the member once on the administrator side: the region then
    // fails with EmailVerificationFailed, not with a misleading InvitationNotYetVisible.
    const checkEmailVerification = new tasks.LambdaInvoke(this, StateNames.checkEmailVerification, {
      stateName: StateNames.checkEmailVerification,
      lambdaFunction: this.steps.verifyMembership.function,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({
        'enrollmentId.$': '$.enrollmentId',
        'region.$': '$.region',
        'accountId.$': '$.accountId',
        'adminDetectorId.$': '$.adminDetectorId',
        'relationshipStatus.$': '$.relationshipStatus',
        'memberDetectorId.$': '$.memberDetectorId',
      }),
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: STEP_TIMEOUT,
    });
    addStepRetries(checkEmailVerification);
    checkEmailVerification.addCatch(readFailure, { errors: [TerminalErrors.EmailVerificationFailed], resultPath: '$.error' });
    // Anything else (still pending, or the check itself failing) keeps the original failure.
    checkEmailVerification.addCatch(regionFailed, { resultPath: '$.checkError' });
    checkEmailVerification.next(regionFailed);
    // Two Choices so that relationshipStatus (null after a CreateMember failure) is compared only
    // once it is known to be a string: InvitationNotYetVisible comes after InviteMember has set it.
    readFailure.next(
      new sfn.Choice(this, StateNames.isInvitationMissing)
        .when(
          sfn.Condition.stringEquals('$.error.Error', TransientErrors.InvitationNotYetVisible),
          new sfn.Choice(this, StateNames.isEmailVerificationUnknown)
            .when(sfn.Condition.stringEquals('$.relationshipStatus', 'EmailVerificationInProgress'), checkEmailVerification)
            .otherwise(regionFailed),
        )
        .otherwise(regionFailed),
    );
    // Anything else (a Lambda crash or timeout) has a Cause that may not be JSON: keep it as text.
    const regionFailedUnexpectedly = new sfn.Pass(this, StateNames.regionFailedUnexpectedly, {
      parameters: { ...regionFields, outcome: 'FAILED', error: { 'code.$': '$.error.Error', 'message.$': '$.error.Cause' } },
    });
    // Once Enabled (just now, or already), the administrator applies the protection plans: an
    // account already Enabled goes straight there, so a re-enrollment only reads and compares.
    const applyProtectionPlans = invoke(StateNames.applyProtectionPlans, this.steps.applyProtectionPlans, []);
    // VerifyMembership's outcome is kept beside the state (`verified`): ApplyProtectionPlans needs both.
    const verifyMembership = invoke(StateNames.verifyMembership, this.steps.verifyMembership, [RETRIES.membership], readFailure, regionFailedUnexpectedly, '$.verified');
    const perRegion = invoke(StateNames.createMember, this.steps.createMember, []).next(
      new sfn.Choice(this, StateNames.isAlreadyEnabled)
        .when(sfn.Condition.stringEquals('$.relationshipStatus', 'Enabled'), applyProtectionPlans)
        .otherwise(
          invoke(StateNames.inviteMember, this.steps.inviteMember, [])
            .next(invoke(StateNames.acceptInvitation, this.steps.acceptInvitation, [RETRIES.invitation]))
            .next(verifyMembership)
            .next(applyProtectionPlans),
        ),
    );

    const enrollRegions = new sfn.Map(this, StateNames.enrollRegions, {
      itemsPath: '$.regions',
      maxConcurrency: settings.maxConcurrentRegions,
      itemSelector: {
        'enrollmentId.$': '$$.Execution.Name',
        'region.$': '$$.Map.Item.Value',
        'request.$': '$',
        // The fields of a RegionState, so a failure of any step can be read the same way (ReadFailure).
        'accountId.$': '$.accountId',
        'adminDetectorId.$': NULL,
        'relationshipStatus.$': NULL,
        'memberDetectorId.$': NULL,
      },
      resultPath: '$.outcomes',
    });
    enrollRegions.itemProcessor(perRegion);

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

    // Offboarding (DELETE /enrollments/{accountId}): the same failure handling and the same end.
    // A state belongs to one Map's graph, so the failure states are the enrollment's, renamed.
    const offboardRegionFailed = new sfn.Pass(this, StateNames.offboardRegionFailed, {
      parameters: { ...regionFields, outcome: 'FAILED', error: { 'code.$': '$.error.Error', 'message.$': '$.cause.errorMessage' } },
    });
    const readOffboardFailure = new sfn.Pass(this, StateNames.readOffboardFailure, {
      parameters: { ...regionFields, 'error.$': '$.error', 'cause.$': 'States.StringToJson($.error.Cause)' },
    }).next(offboardRegionFailed);
    const offboardRegionFailedUnexpectedly = new sfn.Pass(this, StateNames.offboardRegionFailedUnexpectedly, {
      parameters: { ...regionFields, outcome: 'FAILED', error: { 'code.$': '$.error.Error', 'message.$': '$.error.Cause' } },
    });
    const offboardPerRegion = invoke(StateNames.removeMember, this.steps.removeMember, [], readOffboardFailure, offboardRegionFailedUnexpectedly).next(
      invoke(StateNames.leaveAdministrator, this.steps.leaveAdministrator, [], readOffboardFailure, offboardRegionFailedUnexpectedly),
    );
    const offboardRegions = new sfn.Map(this, StateNames.offboardRegions, {
      itemsPath: '$.regions',
      maxConcurrency: settings.maxConcurrentRegions,
      itemSelector: {
        'enrollmentId.$': '$$.Execution.Name',
        'region.$': '$$.Map.Item.Value',
        'accountId.$': '$.accountId',
        'deleteDetector.$': '$.deleteDetector',
        // The whole request, as for enrollments: RemoveMember logs who asked (requestedBy) from it.
        'request.$': '$',
        'adminDetectorId.$': NULL,
        'relationshipStatus.$': NULL,
        'memberDetectorId.$': NULL,
      },
      resultPath: '$.outcomes',
    });
    offboardRegions.itemProcessor(offboardPerRegion);
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
    const enrollBatch = this.batchDefinition(settings);
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
        new sfn.Pass(this, StateNames.useDefaultRegions, { result: sfn.Result.fromArray(defaultRegions), resultPath: '$.regions' }).next(
          enrollRegions,
        ),
      )
      .otherwise(
        new sfn.Fail(this, StateNames.invalidRequest, {
          error: TerminalErrors.InvalidEnrollmentRequest,
          cause: 'The execution input must be {accountId, email, regions?, invitationMessage?} with at least one region when regions is given.',
        }),
      );
    return new sfn.Choice(this, StateNames.chooseAction)
      .when(sfn.Condition.isPresent('$.action'), checkActionRequest)
      .otherwise(checkRequest);
  }
}
