/**
 * The steps every AWS call goes through, whichever service it is for: pick the service, name the
 * operation, count the call, apply latency and injected faults, check the caller, evaluate IAM,
 * run the operation.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from './errors';
import { faultError } from './faults';
import { eventBridgeService } from '../eventbridge/service';
import { guardDutyService } from '../guardduty/service';
import { sleep } from './http';
import type { IamCheck } from '../iam/evaluate';
import { deniedMessage, evaluate } from '../iam/evaluate';
import { principalOf } from '../iam/principals';
import { accountProblem, resolveIdentity } from './identity';
import { organizationsService } from '../organizations/service';
import type { AwsRequest, AwsService, HttpReply, ServiceContext } from './protocol';
import { readSessionToken } from './sigv4';
import { sqsService } from '../sqs/service';
import type { EmulatorState } from './state';
import { stepFunctionsService } from '../stepfunctions/service';
import { queryParams, stsService } from '../sts/service';

/** Region used when a request carries no credential scope (unsigned requests). */
const DEFAULT_REGION = 'us-east-1';

/** The JSON-protocol services (their `name` is their SigV4 signing name). */
const TARGET_SERVICES = [organizationsService, eventBridgeService, sqsService, stepFunctionsService];

/**
 * The service a request is for: the SigV4 scope's service name (`guardduty`, `sts`,
 * `organizations`, `events`, `sqs` or `states`) when it is one of them, else the JSON-protocol
 * service whose `X-Amz-Target` prefix it carries, else STS when the request has an `Action`
 * parameter (query protocol), else GuardDuty.
 */
export function pickService(request: AwsRequest): AwsService {
  const signed = request.scope?.service;
  if (signed === 'sts') return stsService;
  if (signed === 'guardduty') return guardDutyService;
  const json = TARGET_SERVICES.find((service) => signed === service.name || service.matches(request));
  if (json) return json;
  return queryParams(request).has('Action') ? stsService : guardDutyService;
}

/** Handles one AWS API call and returns the response to write. */
export async function dispatchAwsCall(state: EmulatorState, request: AwsRequest): Promise<HttpReply> {
  const service = pickService(request);
  const operation = service.operation(request);
  const region = request.scope?.region ?? DEFAULT_REGION;
  const requestId = randomUUID();
  const identity = resolveIdentity(state, request.scope, readSessionToken(request.headers, request.query), Date.now());
  const accountId = identity.caller ? identity.caller.accountId : identity.accountId;
  // Every call is counted, including the ones that fail below.
  state.calls.record(service.name, operation, accountId, region);
  await sleep(state.settings.latencyMs);
  const fault = state.faults.take(operation, region, accountId);
  if (fault) await sleep(fault.latencyMs);
  if (fault) await state.faults.waitWhileHeld(fault);
  try {
    if (fault?.error) throw faultError(service.name, fault.error);
    if (!identity.caller) throw service.identityError(identity.problem);
    const problem = accountProblem(state, identity.caller.accountId, region);
    if (problem) throw service.identityError(problem);
    const caller = identity.caller;
    const principal = principalOf(state, caller, region);
    const context: ServiceContext = {
      state,
      caller,
      region,
      now: Date.now(),
      requestId,
      async authorize(check: IamCheck) {
        const decision = await evaluate(principal, check);
        return decision.allowed ? undefined : deniedMessage(caller.arn, check, decision.reason);
      },
    };
    // IAM evaluates every call before the service acts on it, as AWS does.
    for (const check of await service.authorization(context, request, operation)) {
      const denied = await context.authorize(check);
      if (denied) throw service.accessDenied(denied);
    }
    return withRequestId(await service.handle(context, request, operation), requestId);
  } catch (error) {
    if (error instanceof AwsError) return withRequestId(service.errorReply(error, requestId), requestId);
    throw error;
  }
}

function withRequestId(reply: HttpReply, requestId: string): HttpReply {
  return { ...reply, headers: { ...reply.headers, 'x-amzn-RequestId': requestId } };
}
