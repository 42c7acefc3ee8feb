import { resourceCheck } from '../../local/emulator/iam/action-data';
import type { IamCheck } from '../../local/emulator/iam/evaluate';
import { deniedMessage, evaluate } from '../../local/emulator/iam/evaluate';
import { principalOf, roleOf } from '../../local/emulator/iam/principals';
import { issueServiceSession } from '../../local/emulator/iam/service-sessions';
import { sessionCaller } from '../../local/emulator/core/identity';
import { resolveOptions } from '../../local/emulator/core/options';
import { EmulatorState } from '../../local/emulator/core/state';
import { storeSession } from '../../local/emulator/sts/service';
import type { Caller } from '../../local/emulator/core/types';
import { LocalFunctions } from '../../local/runtime/lambda/functions';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';
import { memberRoleTemplate, templateRoles } from '../../local/runtime/template/roles';

/** A call a step made, as the tests attribute it: which handler, which action, on whose side, in which region. */
export interface AttributedCall {
  handler: string;
  action: string;
  side: 'admin' | 'member';
  region: string;
  /** For sts:AssumeRole: the role and ExternalId asked for. */
  roleArn?: string;
  externalId?: string;
}

/**
 * The synthesized templates' IAM, evaluated the way local mode's emulator evaluates every call (the
 * same code: iam-simulate with AWS's authorization data): each handler as a session of its
 * execution role, the member side as a session of the member-role stack's role.
 */
export class TemplateIam {
  private constructor(
    private readonly state: EmulatorState,
    private readonly roleOfHandler: Map<string, string>,
    private readonly admin: string,
    private readonly member: string,
  ) {}

  static load(templates: { enrollment: CfnTemplate; memberRole: CfnTemplate }, admin: string, member: string, externalId: string): TemplateIam {
    const resolver = new TemplateResolver(templates.enrollment, { account: admin, region: 'us-east-1' });
    const template = memberRoleTemplate(templates.memberRole, { AdministratorAccountId: admin, ExternalId: externalId });
    const state = new EmulatorState(resolveOptions({ administratorAccountId: admin, memberRoleTemplate: template }));
    for (const role of templateRoles(resolver)) state.iam.put(role);
    state.upsertAccount({ accountId: member, email: 'member@example.com' });
    const roleOfHandler = new Map(new LocalFunctions(resolver).all().map((fn) => [fn.entry.replace(/^.*\/(.*)\.ts$/, '$1'), fn.roleArn]));
    return new TemplateIam(state, roleOfHandler, admin, member);
  }

  /** Undefined when AWS would allow the call, else AWS's denial message. */
  async denial(call: AttributedCall): Promise<string | undefined> {
    const caller = call.side === 'member' ? this.memberSession() : await this.handlerSession(call.handler);
    const check = await this.checkFor(call, caller);
    const decision = await evaluate(principalOf(this.state, caller, call.region), check);
    return decision.allowed ? undefined : deniedMessage(caller.arn, check, decision.reason);
  }

  private async handlerSession(handler: string): Promise<Caller> {
    const roleArn = this.roleOfHandler.get(handler);
    if (!roleArn) throw new Error(`No function of the template runs ${handler}`);
    return sessionCaller(await issueServiceSession(this.state, { roleArn, servicePrincipal: 'lambda.amazonaws.com', sessionName: handler }));
  }

  private memberSession(): Caller {
    const role = this.state.iam.list(this.member)[0];
    return sessionCaller(
      storeSession(this.state, {
        accountId: this.member,
        roleName: role.roleName,
        roleArn: role.arn,
        sessionName: 'enrollment',
        sourceAccountId: this.admin,
        expiration: new Date(Date.now() + 3600_000),
      }),
    );
  }

  private async checkFor(call: AttributedCall, caller: Caller): Promise<IamCheck> {
    if (call.action === 'sts:AssumeRole') {
      const [, account, roleName] = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?(.+)$/.exec(call.roleArn ?? '') ?? [];
      const role = roleOf(this.state, account, roleName);
      if (!role) throw new Error(`No role ${String(call.roleArn)}`);
      return {
        action: 'sts:AssumeRole',
        resource: role.arn,
        resourceAccount: account,
        resourcePolicy: role.trustPolicy,
        context: call.externalId ? { 'sts:ExternalId': call.externalId } : {},
      };
    }
    const detector = `arn:aws:guardduty:${call.region}:${caller.accountId}:detector/0123456789abcdef0123456789abcdef`;
    const check = await resourceCheck(call.action, detector, caller.accountId);
    if (!check) throw new Error(`No resource for ${call.action}`);
    return check;
  }
}
