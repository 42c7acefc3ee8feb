/**
 * The local API Gateway's AWS_IAM callers, answered by the emulator: its keys (static `AKID` + 12
 * digits with secret `x`, the root user of that account; AssumeRole sessions with their own secret
 * and token) and its IAM evaluation (local/emulator/iam/evaluate.ts, the same that authorizes every
 * emulated AWS call), over the caller's identity policies and the API's resource policy.
 */
import type { IamCallers, IamIdentity } from '../api-gateway/sigv4-auth';
import { deniedMessage, evaluate } from '../emulator/iam/evaluate';
import type { IamCheck } from '../emulator/iam/evaluate';
import { principalOf } from '../emulator/iam/principals';
import type { PolicyDocument } from '../emulator/iam/types';
import { resolveIdentity, STATIC_KEY_SECRET } from '../emulator/core/identity';
import type { EmulatorState } from '../emulator/core/state';
import type { Caller } from '../emulator/core/types';

export interface IamCallersOptions {
  /** The region the API is deployed in (the signature's scope must name it). */
  readonly region: string;
  /** The account that owns the API. */
  readonly apiAccount: string;
  /**
   * The VPC endpoint requests come through (`aws:SourceVpce`), for a PRIVATE API. Local mode has no
   * VPC: requests stand for calls through this endpoint. @default none (a REGIONAL API)
   */
  readonly sourceVpce?: string;
}

export function emulatorIamCallers(state: EmulatorState, options: IamCallersOptions): IamCallers {
  // The emulator's caller behind each identity handed out, for the authorization that follows.
  const callers = new WeakMap<IamIdentity, Caller>();
  return {
    resolveKey(accessKeyId, sessionToken) {
      const scope = { accessKeyId, date: '', region: options.region, service: 'execute-api' };
      const result = resolveIdentity(state, scope, sessionToken, Date.now());
      if (!result.caller) return { problem: result.problem === 'expired' ? 'expired' : 'invalid' };
      const { caller } = result;
      const identity: IamIdentity = { userArn: caller.arn, accountId: caller.accountId, userId: caller.userId, accessKey: caller.accessKeyId };
      callers.set(identity, caller);
      return { secretAccessKey: caller.session?.secretAccessKey ?? STATIC_KEY_SECRET, sessionToken: caller.session?.sessionToken, identity };
    },
    async authorizeInvoke(identity, methodArn, resourcePolicy) {
      const caller = callers.get(identity);
      if (!caller) return { allowed: false, message: `User: ${identity.userArn} is not authorized to perform: execute-api:Invoke on resource: ${methodArn}` };
      const check: IamCheck = {
        action: 'execute-api:Invoke',
        resource: methodArn,
        resourceAccount: options.apiAccount,
        resourcePolicy: resourcePolicy as PolicyDocument | undefined,
        context: options.sourceVpce ? { 'aws:SourceVpce': options.sourceVpce } : {},
      };
      const decision = await evaluate(principalOf(state, caller, options.region), check);
      return decision.allowed ? { allowed: true } : { allowed: false, message: deniedMessage(caller.arn, check, decision.reason) };
    },
  };
}
