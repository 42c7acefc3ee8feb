import { Duration, Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { grantAdministratorActions } from './guardduty-grants';
import { defaultProtectionPlans, protectionPlanStep } from './protection-plan-steps';
import { EMAIL_CHECK_REASON, grantDescribeAccount } from './organizations-grants';
import type { EnrollmentSettings } from './settings';
import { standardStateMachine } from './standard-state-machine';
import { StepLambda } from './step-lambda';
import { NULL, RETRIES, STEP_TIMEOUT, addStepRetries } from './workflow-rules';
import { FROM_NAMED_ERROR, FROM_OTHER_ERROR, READ_CAUSE, catchStepErrors, failureStates } from './workflow/failure-states';

/** State names of the batch-part state machine (the tests and local mode use them). */
export const BatchStateNames = {
  prepareMembers: 'PrepareMembers',
  acceptInvitations: 'AcceptInvitations',
  acceptInvitation: 'AcceptInvitation',
  readAccountFailure: 'ReadAccountFailure',
  accountFailed: 'AccountFailed',
  accountFailedUnexpectedly: 'AccountFailedUnexpectedly',
  startVerification: 'StartVerification',
  verifyMembers: 'VerifyMembers',
  isAnyMembershipPending: 'IsAnyMembershipPending',
  waitForMemberships: 'WaitForMemberships',
  nextVerification: 'NextVerification',
  applyPartPlans: 'ApplyPartPlans',
  defaultPartPlans: 'DefaultPartPlans',
  mergePartPlans: 'MergePartPlans',
  partEnrolled: 'PartEnrolled',
  readPrepareFailure: 'ReadPrepareFailure',
  prepareFailedUnexpectedly: 'PrepareFailedUnexpectedly',
  readVerifyFailure: 'ReadVerifyFailure',
  verifyFailedUnexpectedly: 'VerifyFailedUnexpectedly',
  partFailed: 'PartFailed',
  failAccounts: 'FailAccounts',
  accountNotEnrolled: 'AccountNotEnrolled',
  partNotEnrolled: 'PartNotEnrolled',
} as const;

/**
 * How often a part's memberships are read: once after the member side, then every
 * VERIFY_INTERVAL while some are still pending, 6 reads in all (50 s of waiting; the single
 * enrollment's VerifyMembership retries for about a minute).
 */
export const VERIFY_ATTEMPTS = 6;
export const VERIFY_INTERVAL = Duration.seconds(10);
/** Parts of one region run at once: each part's administrator calls stay sequential per region. */
export const BATCH_PARTS_AT_ONCE = 2;

export interface BatchPartWorkflowProps {
  readonly settings: EnrollmentSettings;
  /** The member-side step of the single enrollment, reused as is for each account. */
  readonly acceptInvitation: StepLambda;
  readonly logRetention: logs.RetentionDays;
  /** The administrator account's environment for the steps (ADMIN_ACCOUNT_ID, PARTITION). */
  readonly adminEnvironment: Record<string, string>;
}

/**
 * The Standard state machine that enrolls one part of a batch (up to BATCH_PART_SIZE = 100 accounts) in
 * one region: PrepareMembers (GetMembers, CreateMembers, InviteMembers, each once per 50 accounts)
 * → an inline Map running the single enrollment's AcceptInvitation per account, at most
 * `maxConcurrentMembers` at once → VerifyMembers (GetMembers per 50 accounts), repeated a bounded
 * number of times while memberships are pending. It always succeeds: its output is the part's
 * per-account outcomes `{batchId, region, part, enabled, failed, accounts[]}`, which the API reads
 * with DescribeExecution. A failure that stops the whole part (the administrator has no detector,
 * access denied) reports every account of the part FAILED with that error.
 */
export class BatchPartWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly steps: Record<'prepareMembers' | 'verifyMembers' | 'applyPartPlans', StepLambda>;

  constructor(scope: Construct, id: string, props: BatchPartWorkflowProps) {
    super(scope, id);
    const { settings, logRetention } = props;
    this.steps = {
      prepareMembers: new StepLambda(this, 'PrepareMembersStep', {
        handler: 'prepare-members',
        logRetention,
        environment: {
          ...props.adminEnvironment,
          DISABLE_EMAIL_NOTIFICATION: String(settings.suppressInvitationEmails),
          DEFAULT_INVITATION_MESSAGE: settings.invitationMessage,
          CHECK_EMAIL_WITH_ORGANIZATIONS: String(settings.checkEmailWithOrganizations),
        },
      }),
      verifyMembers: new StepLambda(this, 'VerifyMembersStep', { handler: 'verify-members', logRetention, environment: props.adminEnvironment }),
      applyPartPlans: protectionPlanStep(this, 'ApplyPartPlansStep', 'apply-part-plans', { settings, logRetention, adminEnvironment: props.adminEnvironment }),
    };
    grantAdministratorActions(this.steps.prepareMembers, [
      'guardduty:GetMembers',
      'guardduty:CreateMembers',
      'guardduty:DeleteMembers',
      'guardduty:InviteMembers',
    ]);
    if (settings.checkEmailWithOrganizations) grantDescribeAccount(this.steps.prepareMembers.role, Stack.of(this), settings, EMAIL_CHECK_REASON);
    grantAdministratorActions(this.steps.verifyMembers, ['guardduty:GetMembers']);

    this.stateMachine = standardStateMachine(this, {
      definition: this.definition(settings, props.acceptInvitation),
      logRetention,
      role: 'batch-part',
      steps: [...Object.values(this.steps), props.acceptInvitation],
    });
  }

  private definition(settings: EnrollmentSettings, acceptInvitation: StepLambda): sfn.IChainable {
    const lambda = (id: string, step: StepLambda, options: Partial<tasks.LambdaInvokeProps> = {}) => {
      const task = new tasks.LambdaInvoke(this, id, {
        stateName: id,
        lambdaFunction: step.function,
        payloadResponseOnly: true,
        taskTimeout: STEP_TIMEOUT,
        ...options,
      });
      addStepRetries(task);
      return task;
    };
    // The whole part failed: every account gets the part's error.
    const partNotEnrolled = new sfn.Pass(this, BatchStateNames.partNotEnrolled, {
      parameters: {
        'batchId.$': '$.batchId',
        'region.$': '$.region',
        'part.$': '$.part',
        enabled: 0,
        'failed.$': 'States.ArrayLength($.accountIds)',
        'accounts.$': '$.accounts',
      },
    });
    const failAccounts = new sfn.Map(this, BatchStateNames.failAccounts, {
      itemsPath: '$.accountIds',
      itemSelector: {
        'accountId.$': '$$.Map.Item.Value',
        outcome: 'FAILED',
        'relationshipStatus.$': NULL,
        'memberDetectorId.$': NULL,
        'error.$': '$.error',
      },
      resultPath: '$.accounts',
    });
    failAccounts.itemProcessor(new sfn.Pass(this, BatchStateNames.accountNotEnrolled));
    failAccounts.next(partNotEnrolled);
    const partFields = { 'batchId.$': '$.batchId', 'region.$': '$.region', 'part.$': '$.part' };
    const partFailed = new sfn.Pass(this, BatchStateNames.partFailed, {
      parameters: { ...partFields, 'accountIds.$': '$.accountIds', error: FROM_NAMED_ERROR },
    }).next(failAccounts);
    const readPrepareFailure = new sfn.Pass(this, BatchStateNames.readPrepareFailure, {
      parameters: { ...partFields, 'accountIds.$': '$.accounts[*].accountId', ...READ_CAUSE },
    }).next(partFailed);
    const prepareFailedUnexpectedly = new sfn.Pass(this, BatchStateNames.prepareFailedUnexpectedly, {
      parameters: { ...partFields, 'accountIds.$': '$.accounts[*].accountId', error: FROM_OTHER_ERROR },
    }).next(failAccounts);
    const readVerifyFailure = new sfn.Pass(this, BatchStateNames.readVerifyFailure, {
      parameters: { ...partFields, 'accountIds.$': '$.accountIds', ...READ_CAUSE },
    }).next(partFailed);
    const verifyFailedUnexpectedly = new sfn.Pass(this, BatchStateNames.verifyFailedUnexpectedly, {
      parameters: { ...partFields, 'accountIds.$': '$.accountIds', error: FROM_OTHER_ERROR },
    }).next(failAccounts);

    const prepare = lambda(BatchStateNames.prepareMembers, this.steps.prepareMembers, {
      payload: sfn.TaskInput.fromObject({
        ...partFields,
        'requestedBy.$': '$.requestedBy',
        'accounts.$': '$.accounts',
        'invitationMessage.$': '$.invitationMessage',
        'protectionPlans.$': '$.protectionPlans',
      }),
      resultPath: '$.prepared',
    });
    catchStepErrors(prepare, readPrepareFailure, prepareFailedUnexpectedly);

    // Per account, the single enrollment's member side with its retries; a failure becomes that
    // account's outcome (with what VerifyMembers needs to check the email verification).
    const accountFields = {
      'accountId.$': '$.accountId',
      'adminDetectorId.$': '$.adminDetectorId',
      'relationshipStatus.$': '$.relationshipStatus',
      'memberDetectorId.$': '$.memberDetectorId',
    };
    const accept = lambda(BatchStateNames.acceptInvitation, acceptInvitation);
    accept.addRetry(RETRIES.invitation);
    const accountFailure = failureStates(
      this,
      { read: BatchStateNames.readAccountFailure, failed: BatchStateNames.accountFailed, failedUnexpectedly: BatchStateNames.accountFailedUnexpectedly },
      accountFields,
    );
    accountFailure.read.next(accountFailure.failed);
    catchStepErrors(accept, accountFailure.read, accountFailure.failedUnexpectedly);
    const acceptInvitations = new sfn.Map(this, BatchStateNames.acceptInvitations, {
      itemsPath: '$.prepared.invitations',
      maxConcurrency: settings.maxConcurrentMembers,
      resultPath: '$.accepted',
    });
    acceptInvitations.itemProcessor(accept);

    const verificationFields = { ...partFields, 'accountIds.$': '$.accountIds', 'protectionPlans.$': '$.protectionPlans', maxAttempts: VERIFY_ATTEMPTS };
    const verify = lambda(BatchStateNames.verifyMembers, this.steps.verifyMembers, { resultPath: '$.verified' });
    catchStepErrors(verify, readVerifyFailure, verifyFailedUnexpectedly);
    const startVerification = new sfn.Pass(this, BatchStateNames.startVerification, {
      parameters: {
        ...verificationFields,
        'accountIds.$': '$.accounts[*].accountId',
        attempt: 0,
        'finished.$': '$.prepared.outcomes',
        'checking.$': '$.accepted',
      },
    });
    const nextVerification = new sfn.Pass(this, BatchStateNames.nextVerification, {
      parameters: { ...verificationFields, 'attempt.$': '$.verified.attempt', 'finished.$': '$.verified.finished', 'checking.$': '$.verified.pending' },
    }).next(verify);
    const partEnrolled = new sfn.Pass(this, BatchStateNames.partEnrolled, {
      parameters: { ...partFields, 'enabled.$': '$.planned.enabled', 'failed.$': '$.planned.failed', 'accounts.$': '$.planned.accounts' },
    });
    // Once the part's memberships are settled, its Enabled accounts get the protection plans (50 a
    // call); a failure that stops the whole step fails the part as VerifyMembers' would.
    const applyPlans = lambda(BatchStateNames.applyPartPlans, this.steps.applyPartPlans, {
      payload: sfn.TaskInput.fromObject({ ...partFields, 'protectionPlans.$': '$.protectionPlans', 'accounts.$': '$.verified.finished' }),
      resultPath: '$.planned',
    });
    catchStepErrors(applyPlans, readVerifyFailure, verifyFailedUnexpectedly);
    applyPlans.next(partEnrolled);
    verify.next(
      new sfn.Choice(this, BatchStateNames.isAnyMembershipPending)
        .when(
          // VerifyMembers hands back no pending account at the last attempt; the bound is kept here too.
          sfn.Condition.and(sfn.Condition.isPresent('$.verified.pending[0]'), sfn.Condition.numberLessThan('$.verified.attempt', VERIFY_ATTEMPTS)),
          new sfn.Wait(this, BatchStateNames.waitForMemberships, { time: sfn.WaitTime.duration(VERIFY_INTERVAL) }).next(nextVerification),
        )
        .otherwise(applyPlans),
    );

    // The batch always passes protectionPlans; a part started on its own may not.
    return defaultProtectionPlans(this, { defaults: BatchStateNames.defaultPartPlans, merge: BatchStateNames.mergePartPlans })
      .next(prepare)
      .next(acceptInvitations)
      .next(startVerification)
      .next(verify);
  }
}
