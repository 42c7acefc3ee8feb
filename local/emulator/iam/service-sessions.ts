/**
 * Role sessions AWS services start for the deployment's own principals: Lambda runs a function with
 * its execution role, API Gateway calls an AWS integration with its credentials role, Step Functions
 * runs a state machine with its role. The service assumes the role, which its trust policy must
 * allow for the service principal (IAM user guide, "Using an IAM role to grant permissions to
 * applications and services"): evaluated here like any AssumeRole.
 */
import type { EmulatorState } from '../core/state';
import { storeSession } from '../sts/service';
import type { Session } from '../core/types';
import { deniedMessage, evaluate } from './evaluate';
import { parseRoleArn } from './roles';

/** How long local mode's service sessions last: a local run never needs them refreshed. */
const SERVICE_SESSION_SECONDS = 12 * 3600;

export interface ServiceSessionRequest {
  /** The role to run as (the template's role ARN). */
  roleArn: string;
  /** The service that assumes it, e.g. `lambda.amazonaws.com`. */
  servicePrincipal: string;
  /** The session name AWS would give it (Lambda uses the function's name). */
  sessionName: string;
  /**
   * The resource the service acts for (`aws:SourceArn`; with it `aws:SourceAccount`), which trust
   * policies use against the confused deputy (CDK writes them for Step Functions roles).
   */
  sourceArn?: string;
}

/**
 * A session of the role for the service.
 * @throws when the role does not exist or its trust policy does not let the service assume it.
 */
export async function issueServiceSession(state: EmulatorState, request: ServiceSessionRequest): Promise<Session> {
  const target = parseRoleArn(request.roleArn);
  const role = target && state.iam.get(target.accountId, target.roleName);
  if (!target || !role) throw new Error(`${request.servicePrincipal} cannot assume ${request.roleArn}: no such role`);
  const check = { action: 'sts:AssumeRole', resource: role.arn, resourceAccount: role.accountId, resourcePolicy: role.trustPolicy };
  const context: Record<string, string> = request.sourceArn ? { 'aws:SourceArn': request.sourceArn, 'aws:SourceAccount': role.accountId } : {};
  const decision = await evaluate({ arn: request.servicePrincipal, identityPolicies: [], context }, check);
  if (!decision.allowed) throw new Error(deniedMessage(request.servicePrincipal, check, decision.reason));
  return storeSession(state, {
    accountId: role.accountId,
    roleName: role.roleName,
    roleArn: role.arn,
    sessionName: request.sessionName.slice(0, 64),
    sourceAccountId: role.accountId,
    expiration: new Date(Date.now() + SERVICE_SESSION_SECONDS * 1000),
  });
}
