import type { DeploymentPrincipals } from './deployment-principals';
import type { LocalStepFunctions } from './step-functions/service';
import type { TemplateResolver } from './template/resolver';

/** One `AWS::Scheduler::Schedule` of the template, as local mode runs it. */
export interface LocalSchedule {
  readonly name: string;
  readonly expression: string;
  readonly targetArn: string;
  readonly roleArn: string;
  readonly input: string;
  readonly group: string;
}

/**
 * EventBridge Scheduler for local mode: the template's schedules, each run on request rather than on
 * its clock (a test or a person decides when "the schedule fires"). A run does what Scheduler does
 * for a Step Functions target (Scheduler user guide, "Using templated targets"): assume the
 * schedule's role as `scheduler.amazonaws.com` and call StartExecution on the target with the
 * schedule's input, the role's policy evaluated as AWS would (docs/aws-facts.md, "Fleet check").
 */
export class LocalSchedules {
  readonly all: LocalSchedule[];

  constructor(
    private readonly resolver: TemplateResolver,
    private readonly stepFunctions: LocalStepFunctions,
    private readonly principals: DeploymentPrincipals,
  ) {
    this.all = resolver.resourcesOfType('AWS::Scheduler::Schedule').map((logicalId) => {
      const props = resolver.properties(logicalId);
      const target = props.Target as Record<string, unknown>;
      return {
        name: resolver.ref(logicalId),
        expression: String(props.ScheduleExpression),
        targetArn: String(target.Arn),
        roleArn: String(target.RoleArn),
        input: typeof target.Input === 'string' ? target.Input : '{}',
        group: typeof props.GroupName === 'string' ? props.GroupName : 'default',
      };
    });
  }

  /** Fires the schedule (the only one when no name is given) once; resolves with the execution it started. */
  async run(name?: string): Promise<{ executionArn: string; executionName: string }> {
    const schedule = name === undefined && this.all.length === 1 ? this.all[0] : this.all.find((s) => s.name === name);
    if (!schedule) throw new Error(`No schedule ${name ?? ''} in the template (it has: ${this.all.map((s) => s.name).join(', ') || 'none'})`);
    // Scheduler assumes the role with aws:SourceArn set to the schedule's group (docs/aws-facts.md,
    // "Fleet check"; CDK's target role trusts exactly that).
    const groupArn = `arn:aws:scheduler:${this.resolver.deployment.region}:${this.resolver.deployment.account}:schedule-group/${schedule.group}`;
    const denied = await this.principals.authorizeAs(schedule.roleArn, 'scheduler.amazonaws.com', groupArn, 'states:StartExecution', schedule.targetArn);
    if (denied) throw new Error(`The schedule's role may not start its target: ${denied}`);
    const answer = await this.stepFunctions.handle('StartExecution', JSON.stringify({ stateMachineArn: schedule.targetArn, input: schedule.input }));
    const body = JSON.parse(answer.body) as { executionArn?: string; message?: string };
    if (answer.statusCode !== 200 || !body.executionArn) throw new Error(`StartExecution refused the schedule's run: ${body.message ?? answer.body}`);
    return { executionArn: body.executionArn, executionName: body.executionArn.split(':').pop() as string };
  }
}
