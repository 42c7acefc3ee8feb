import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { grantAdministratorActions } from './guardduty-grants';
import { acknowledgeWildcardResource } from './nag';
import type { EnrollmentSettings } from './settings';
import { standardStateMachine } from './standard-state-machine';
import { StepLambda } from './step-lambda';
import { NULL, addStepRetries } from './workflow-rules';

/** State names of the fleet-check machines (tests and local mode use them). */
export const FleetStateNames = {
  readRoster: 'ReadRoster',
  useRegions: 'UseRegions',
  checkRegions: 'CheckRegions',
  checkPart: 'CheckPart',
  addPart: 'AddPart',
  morePages: 'MorePages',
  regionChecked: 'RegionChecked',
  regionNotChecked: 'RegionNotChecked',
  fleetChecked: 'FleetChecked',
  rosterUnreadable: 'RosterUnreadable',
  checkMembers: 'CheckMembers',
  isRepairNeeded: 'IsRepairNeeded',
  repair: 'Repair',
  repairNotRun: 'RepairNotRun',
  noRepair: 'NoRepair',
  partChecked: 'PartChecked',
  partNotChecked: 'PartNotChecked',
} as const;

const COUNTS = ['members', 'enabled', 'pending', 'drifted', 'unmanaged'] as const;

export interface FleetCheckWorkflowProps {
  readonly settings: EnrollmentSettings;
  /** The enrollment machine: its executions are the roster, and repair starts batches on it. */
  readonly enrollmentStateMachine: sfn.StateMachine;
  /** The project's event bus, where drift events go. */
  readonly bus: events.IEventBus;
  readonly logRetention: logs.RetentionDays;
  /** ADMIN_ACCOUNT_ID and PARTITION for the steps. */
  readonly adminEnvironment: Record<string, string>;
}

/**
 * The fleet check (issue 14): on a schedule (EventBridge Scheduler, setting `fleetCheckSchedule`)
 * and on demand (`POST /v1/fleet-checks`). ReadRoster learns which account-regions this deployment
 * enrolled; then per region (maxConcurrentRegions at once) the members are read in parts of 1,000
 * (20 ListMembers pages), each part a child execution of the part machine named
 * `<checkId>-<region>-<index>`, one after another (each needs the previous page's token). A part
 * classifies its members, puts a drift event per drift and, with `fleetRepair: 'repair'`, re-enrolls
 * its drifted accounts as a batch on the enrollment machine (`<checkId>-<region>-<index>`), waiting
 * for it. The check's own state keeps counts per region: its history grows by ~10 events a part
 * (850 for 5,000 members × 17 regions, against 25,000), and the drifted accounts are each part's
 * output, read by `GET /v1/fleet-checks/{id}/parts/{partId}`.
 */
export class FleetCheckWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly partStateMachine: sfn.StateMachine;
  readonly steps: Record<'readRoster' | 'checkMembers', StepLambda>;
  readonly schedule?: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: FleetCheckWorkflowProps) {
    super(scope, id);
    const { settings, logRetention } = props;
    const stack = Stack.of(this);
    const regions = settings.defaultRegions.length > 0 ? settings.defaultRegions : [stack.region];
    this.steps = {
      readRoster: new StepLambda(this, 'ReadRosterStep', {
        handler: 'read-fleet-roster',
        logRetention,
        // The first check reads every execution of the last 90 days: one DescribeExecution each.
        timeout: Duration.minutes(10),
        environment: { STATE_MACHINE_ARN: props.enrollmentStateMachine.stateMachineArn, DEFAULT_REGIONS: stack.toJsonString(regions) },
      }),
      checkMembers: new StepLambda(this, 'CheckMembersStep', {
        handler: 'check-fleet-members',
        logRetention,
        timeout: Duration.minutes(2),
        environment: {
          ...props.adminEnvironment,
          PROTECTION_PLANS: JSON.stringify(settings.protectionPlans),
          EVENT_BUS_NAME: props.bus.eventBusName,
          FLEET_INVITED_LIMIT_HOURS: String(settings.fleetInvitedLimitHours),
        },
      }),
    };
    grantAdministratorActions(this.steps.checkMembers, ['guardduty:ListMembers', 'guardduty:GetMemberDetectors']);
    props.bus.grantPutEventsTo(this.steps.checkMembers.role);
    // Named, so ReadRoster's grant can name the machine that invokes it without a circular reference.
    const fleetName = `GuardDutyEnrollmentFleetCheck${settings.deploymentName ? `-${settings.deploymentName}` : ''}`;
    this.grantRosterReads(props.enrollmentStateMachine, fleetName);

    this.partStateMachine = standardStateMachine(new Construct(this, 'Part'), {
      definition: this.partDefinition(props.enrollmentStateMachine),
      logRetention,
      role: 'fleet-part',
      steps: [this.steps.checkMembers],
    });
    this.stateMachine = standardStateMachine(this, {
      definition: this.checkDefinition(settings, regions),
      logRetention,
      role: 'fleet-check',
      stateMachineName: fleetName,
      steps: [this.steps.readRoster],
    });
    acknowledgeWildcardResource(
      this.stateMachine.role,
      executionsOf(stack, this.partStateMachine),
      "A check's part executions are named at run time; the resource is limited to executions of the fleet-check part machine.",
    );
    acknowledgeWildcardResource(
      this.partStateMachine.role,
      executionsOf(stack, props.enrollmentStateMachine),
      'A repair batch is named at run time; the resource is limited to executions of the enrollment machine.',
    );

    if (settings.fleetCheckSchedule !== 'off') {
      this.schedule = new scheduler.Schedule(this, 'Schedule', {
        description: 'Runs the GuardDuty enrollment fleet check (setting fleetCheckSchedule)',
        schedule: scheduler.ScheduleExpression.expression(settings.fleetCheckSchedule),
        target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
          input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'schedule' }),
        }),
      });
    }
  }

  /**
   * ReadRoster lists the enrollment machine's executions and describes them, and reads the last
   * check's output from the fleet-check machine (named `fleetName`: its ARN is known before it exists).
   */
  private grantRosterReads(enrollment: sfn.StateMachine, fleetName: string): void {
    const stack = Stack.of(this);
    const role = this.steps.readRoster.role;
    const fleetMachine = stack.formatArn({ service: 'states', resource: 'stateMachine', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: fleetName });
    const fleetExecutions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: `${fleetName}:*`,
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [enrollment.stateMachineArn, fleetMachine] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionsOf(stack, enrollment), fleetExecutions] }));
    acknowledgeWildcardResource(
      role,
      executionsOf(stack, enrollment),
      'Enrollment executions are named at run time; the resource is limited to executions of the enrollment machine.',
    );
    acknowledgeWildcardResource(
      role,
      fleetExecutions,
      'Fleet checks are named at run time; the resource is limited to executions of the fleet-check machine, read only.',
    );
  }

  private partDefinition(enrollment: sfn.StateMachine): sfn.IChainable {
    const checkMembers = new tasks.LambdaInvoke(this, FleetStateNames.checkMembers, {
      stateName: FleetStateNames.checkMembers,
      lambdaFunction: this.steps.checkMembers.function,
      payloadResponseOnly: true,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(3)),
      payload: sfn.TaskInput.fromObject({
        'checkId.$': '$.checkId',
        'region.$': '$.region',
        'part.$': '$.part',
        'nextToken.$': '$.nextToken',
        'mode.$': '$.mode',
        'roster.$': '$.roster',
      }),
      resultPath: '$.checked',
    });
    // ListMembers throttled or GuardDuty unavailable: the step's Throttled/ServiceUnavailable is retried.
    addStepRetries(checkMembers);
    checkMembers.addCatch(new sfn.Fail(this, FleetStateNames.partNotChecked, { errorPath: '$.error.Error', causePath: '$.error.Cause' }), {
      resultPath: '$.error',
    });

    const partChecked = new sfn.Pass(this, FleetStateNames.partChecked, {
      parameters: {
        'checkId.$': '$.checkId',
        'region.$': '$.region',
        'part.$': '$.part',
        'counts.$': '$.checked.counts',
        'drifted.$': '$.checked.drifted',
        'nextToken.$': '$.checked.nextToken',
        'repair.$': '$.repair',
      },
    });
    // The repair is the batch path itself: a batch execution of the enrollment machine for this
    // part's drifted accounts in this region (the same steps, rules and outcomes), awaited.
    const repair = new tasks.StepFunctionsStartExecution(this, FleetStateNames.repair, {
      stateName: FleetStateNames.repair,
      stateMachine: enrollment,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      name: sfn.JsonPath.stringAt('$.checked.repairBatchId'),
      input: sfn.TaskInput.fromObject({
        action: 'batch',
        'accounts.$': '$.checked.repairs',
        'regions.$': 'States.Array($.region)',
        'invitationMessage.$': NULL,
        'protectionPlans.$': NULL,
      }),
      associateWithParent: true,
      resultSelector: { 'batchId.$': '$.Name', 'status.$': '$.Status', 'error.$': NULL },
      resultPath: '$.repair',
    });
    repair.addCatch(
      new sfn.Pass(this, FleetStateNames.repairNotRun, {
        parameters: {
          'batchId.$': '$.checked.repairBatchId',
          status: 'NOT_RUN',
          error: { 'code.$': '$.repairError.Error', 'message.$': '$.repairError.Cause' },
        },
        resultPath: '$.repair',
      }).next(partChecked),
      { resultPath: '$.repairError' },
    );
    repair.next(partChecked);
    return checkMembers.next(
      new sfn.Choice(this, FleetStateNames.isRepairNeeded)
        .when(sfn.Condition.isString('$.checked.repairBatchId'), repair)
        .otherwise(
          new sfn.Pass(this, FleetStateNames.noRepair, { parameters: { 'batchId.$': NULL, status: 'NONE', 'error.$': NULL }, resultPath: '$.repair' }).next(
            partChecked,
          ),
        ),
    );
  }

  private checkDefinition(settings: EnrollmentSettings, regions: readonly string[]): sfn.IChainable {
    const readRoster = new tasks.LambdaInvoke(this, FleetStateNames.readRoster, {
      stateName: FleetStateNames.readRoster,
      lambdaFunction: this.steps.readRoster.function,
      payloadResponseOnly: true,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(11)),
      payload: sfn.TaskInput.fromObject({ 'checkId.$': '$$.Execution.Name', 'fleetStateMachineArn.$': '$$.StateMachine.Id' }),
      resultPath: '$.roster',
    });
    addStepRetries(readRoster);
    readRoster.addCatch(new sfn.Fail(this, FleetStateNames.rosterUnreadable, { errorPath: '$.error.Error', causePath: '$.error.Cause' }), {
      resultPath: '$.error',
    });

    const part = "States.Format('{}-{}', $.region, $.index)";
    const checkPart = new tasks.StepFunctionsStartExecution(this, FleetStateNames.checkPart, {
      stateName: FleetStateNames.checkPart,
      stateMachine: this.partStateMachine,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      name: sfn.JsonPath.format('{}-{}-{}', sfn.JsonPath.stringAt('$.checkId'), sfn.JsonPath.stringAt('$.region'), sfn.JsonPath.stringAt('$.index')),
      input: sfn.TaskInput.fromObject({
        'checkId.$': '$.checkId',
        'region.$': '$.region',
        'part.$': part,
        'nextToken.$': '$.nextToken',
        'mode.$': '$.mode',
        'roster.$': '$.roster',
      }),
      associateWithParent: true,
      resultSelector: { 'counts.$': '$.Output.counts', 'nextToken.$': '$.Output.nextToken' },
      resultPath: '$.last',
    });
    const regionFields = { 'region.$': '$.region', 'parts.$': '$.index', 'counts.$': '$.counts' };
    checkPart.addCatch(
      new sfn.Pass(this, FleetStateNames.regionNotChecked, {
        // The child's cause is its whole description (up to 32,768 characters): not kept, so 17
        // failed regions still fit the check's 256 KiB; the part's own execution has it.
        parameters: {
          ...regionFields,
          error: {
            'code.$': '$.error.Error',
            'message.$':
              "States.Format('The part execution {}-{}-{} of the fleet-check part machine did not finish; describe it for the cause.', $.checkId, $.region, $.index)",
          },
        },
      }),
      { resultPath: '$.error' },
    );
    const sum = Object.fromEntries(COUNTS.map((name) => [`${name}.$`, `States.MathAdd($.counts.${name}, $.last.counts.${name})`]));
    const addPart = new sfn.Pass(this, FleetStateNames.addPart, {
      parameters: {
        'checkId.$': '$.checkId',
        'region.$': '$.region',
        'mode.$': '$.mode',
        'roster.$': '$.roster',
        'index.$': 'States.MathAdd($.index, 1)',
        'nextToken.$': '$.last.nextToken',
        counts: sum,
      },
    });
    checkPart
      .next(addPart)
      .next(
        new sfn.Choice(this, FleetStateNames.morePages)
          .when(sfn.Condition.isString('$.nextToken'), checkPart)
          .otherwise(new sfn.Pass(this, FleetStateNames.regionChecked, { parameters: { ...regionFields, 'error.$': NULL } })),
      );
    const checkRegions = new sfn.Map(this, FleetStateNames.checkRegions, {
      itemsPath: '$.checkedRegions',
      maxConcurrency: settings.maxConcurrentRegions,
      itemSelector: {
        'checkId.$': '$$.Execution.Name',
        'region.$': '$$.Map.Item.Value',
        mode: settings.fleetRepair,
        'roster.$': '$.roster',
        index: 0,
        'nextToken.$': NULL,
        counts: Object.fromEntries(COUNTS.map((name) => [name, 0])),
      },
      resultPath: '$.regions',
    });
    checkRegions.itemProcessor(checkPart);
    const done = new sfn.Pass(this, FleetStateNames.fleetChecked, {
      parameters: {
        'checkId.$': '$$.Execution.Name',
        mode: settings.fleetRepair,
        'startedAt.$': '$$.Execution.StartTime',
        'regions.$': '$.regions',
        // Carried forward: the next check starts from it (lambda/shared/fleet-roster.ts).
        'roster.$': '$.roster',
      },
    });
    const useRegions = new sfn.Pass(this, FleetStateNames.useRegions, { result: sfn.Result.fromArray([...regions]), resultPath: '$.checkedRegions' });
    return readRoster.next(useRegions).next(checkRegions).next(done);
  }
}

/** The ARN pattern of every execution of `machine`. */
function executionsOf(stack: Stack, machine: sfn.StateMachine): string {
  return stack.formatArn({
    service: 'states',
    resource: 'execution',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    resourceName: `${stack.splitArn(machine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}*`,
  });
}
