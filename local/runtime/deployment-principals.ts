/**
 * The deployment's own principals as AWS services run them: each Lambda function as its execution
 * role, the API's integrations as their credentials role, each state machine as its role. Sessions
 * come from the emulator (the role's trust policy must let the service assume it), and every call
 * these principals make is authorized by the emulator's IAM evaluation.
 */
import { dispatchAwsCall } from '../emulator/core/dispatch';
import { resourceCheck } from '../emulator/iam/action-data';
import { deniedMessage, evaluate } from '../emulator/iam/evaluate';
import { principalOf } from '../emulator/iam/principals';
import { issueServiceSession } from '../emulator/iam/service-sessions';
import { sessionCaller } from '../emulator/core/identity';
import type { EmulatorState } from '../emulator/core/state';
import type { Session } from '../emulator/core/types';

/** JSON-protocol target prefixes of the services API Gateway integrations call locally. */
const TARGET_PREFIX: Record<string, { prefix: string; version: '1.0' | '1.1' }> = {
  states: { prefix: 'AWSStepFunctions', version: '1.0' },
};

export class DeploymentPrincipals {
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(
    private readonly state: EmulatorState,
    private readonly region: string,
  ) {}

  /** A session of the role for the service, started once and reused (services cache theirs too). */
  session(roleArn: string, servicePrincipal: string, sessionName: string, sourceArn?: string): Promise<Session> {
    const key = `${servicePrincipal}|${roleArn}|${sessionName}|${sourceArn ?? ''}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = issueServiceSession(this.state, { roleArn, servicePrincipal, sessionName, sourceArn });
      this.sessions.set(key, session);
    }
    return session;
  }

  /**
   * Undefined when IAM lets the role's session do `action` on `resource`, else AWS's denial message.
   * `sourceArn`: the resource the service runs for (a state machine).
   */
  async authorizeAs(roleArn: string, servicePrincipal: string, sourceArn: string, action: string, resource: string): Promise<string | undefined> {
    const caller = sessionCaller(await this.session(roleArn, servicePrincipal, servicePrincipal.split('.')[0], sourceArn));
    const check = await resourceCheck(action, resource, caller.accountId);
    if (!check) throw new Error(`${resource} is not a resource ${action} takes`);
    const decision = await evaluate(principalOf(this.state, caller, this.region), check);
    return decision.allowed ? undefined : deniedMessage(caller.arn, check, decision.reason);
  }

  /**
   * Calls an AWS JSON-protocol action with the role's session, through the emulator (counted,
   * faults injectable, IAM evaluated), as API Gateway calls an AWS integration with its credentials.
   */
  async callAs(roleArn: string, servicePrincipal: string, service: string, action: string, body: string): Promise<{ statusCode: number; body: string }> {
    const target = TARGET_PREFIX[service];
    if (!target) return { statusCode: 400, body: JSON.stringify({ __type: 'UnknownService', message: `Local mode does not serve ${service}` }) };
    const session = await this.session(roleArn, servicePrincipal, servicePrincipal.split('.')[0]);
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const reply = await dispatchAwsCall(this.state, {
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: {
        'x-amz-target': `${target.prefix}.${action}`,
        'content-type': `application/x-amz-json-${target.version}`,
        'x-amz-security-token': session.sessionToken,
      },
      rawBody: body,
      scope: { accessKeyId: session.accessKeyId, date, region: this.region, service },
    });
    return { statusCode: reply.status, body: reply.body };
  }
}
