/**
 * The fault matrix: every AWS operation a fresh enrollment calls × the faults AWS can throw at it,
 * with the outcome a user must see. The test runs exactly these cells; RELIABILITY.md lists them.
 */
import { RETRIES } from '../../lib/workflow-rules';
import type { CaseDefinition } from './case-definition';

/**
 * The AWS SDK v3's default attempts per call (standard retry mode: the first try and two retries on
 * throttling and 5xx), before a step sees the error. The handlers' clients keep the default.
 */
export const SDK_MAX_ATTEMPTS = 3;
/** Attempts of a step at throttling/5xx: Step Functions' MaxAttempts counts retries after the first. */
export const STEP_ATTEMPTS = 1 + RETRIES.throttling.maxAttempts;
/** Calls of one operation that fail before the region gives up on a transient error. */
export const CALL_BUDGET = SDK_MAX_ATTEMPTS * STEP_ATTEMPTS;

export interface FaultOperation {
  /** Case id part; GetMembers appears twice per region, so its two calls are told apart. */
  id: string;
  operation: string;
  /** Whose credentials make the call: the fault is scoped to that account. */
  caller: 'administrator' | 'member';
  /** The workflow step that makes the call. */
  step: string;
  /** Calls of the same operation in the region before the targeted one (each needs a pass-through fault). */
  callsBefore: number;
  /** Calls of the same operation in the region after the targeted one, when the enrollment goes on. */
  callsAfter: number;
  /** The error code a denied call ends with. */
  deniedCode: string;
  /** What a denied call's message says. */
  deniedCause: RegExp;
  /** How a failure message names the operation. @default the operation name */
  namedAs?: RegExp;
}

const guardDutyDenied = { deniedCode: 'AccessDenied', deniedCause: /was denied \(AccessDeniedException/ };

export const FAULT_OPERATIONS: readonly FaultOperation[] = [
  { id: 'ListDetectors', operation: 'ListDetectors', caller: 'administrator', step: 'CreateMember', callsBefore: 0, callsAfter: 0, ...guardDutyDenied },
  { id: 'GetMembers-create', operation: 'GetMembers', caller: 'administrator', step: 'CreateMember', callsBefore: 0, callsAfter: 1, ...guardDutyDenied },
  { id: 'CreateMembers', operation: 'CreateMembers', caller: 'administrator', step: 'CreateMember', callsBefore: 0, callsAfter: 0, ...guardDutyDenied },
  { id: 'InviteMembers', operation: 'InviteMembers', caller: 'administrator', step: 'InviteMember', callsBefore: 0, callsAfter: 0, ...guardDutyDenied },
  {
    id: 'AssumeRole',
    operation: 'AssumeRole',
    caller: 'administrator',
    step: 'AcceptInvitation',
    callsBefore: 0,
    callsAfter: 0,
    deniedCode: 'MemberRoleNotAssumable',
    // The role ARN and STS's own answer; deploying the role is what the person can do about it.
    deniedCause: /cannot assume role arn:aws:iam::\d{12}:role\/GuardDutyEnrollmentMember .*AccessDenied: .*deploy the member-role stack/,
    namedAs: /AssumeRole|assume role/,
  },
  { id: 'CreateDetector', operation: 'CreateDetector', caller: 'member', step: 'AcceptInvitation', callsBefore: 0, callsAfter: 0, ...guardDutyDenied },
  { id: 'ListInvitations', operation: 'ListInvitations', caller: 'member', step: 'AcceptInvitation', callsBefore: 0, callsAfter: 0, ...guardDutyDenied },
  {
    id: 'AcceptAdministratorInvitation',
    operation: 'AcceptAdministratorInvitation',
    caller: 'member',
    step: 'AcceptInvitation',
    callsBefore: 0,
    callsAfter: 0,
    ...guardDutyDenied,
  },
  { id: 'GetMembers-verify', operation: 'GetMembers', caller: 'administrator', step: 'VerifyMembership', callsBefore: 1, callsAfter: 0, ...guardDutyDenied },
];

export interface FaultKind {
  id: string;
  tried: string;
  error?: 'throttle' | 'internal' | 'accessDenied';
  latencyMs?: number;
  count: number;
  /** ENABLED, or the code the region fails with (`denied`: the operation's own denied code). */
  expect: 'ENABLED' | 'Throttled' | 'ServiceUnavailable' | 'denied';
}

export const FAULT_KINDS: readonly FaultKind[] = [
  { id: 'throttled-once', tried: 'throttled once', error: 'throttle', count: 1, expect: 'ENABLED' },
  {
    id: 'throttled-within-budget',
    tried: `throttled ${CALL_BUDGET - 1} times (one short of the retry budget)`,
    error: 'throttle',
    count: CALL_BUDGET - 1,
    expect: 'ENABLED',
  },
  { id: 'throttled-past-budget', tried: `throttled ${CALL_BUDGET} times (the whole retry budget)`, error: 'throttle', count: CALL_BUDGET, expect: 'Throttled' },
  { id: 'internal-once', tried: 'internal error once', error: 'internal', count: 1, expect: 'ENABLED' },
  { id: 'internal-past-budget', tried: `internal error ${CALL_BUDGET} times`, error: 'internal', count: CALL_BUDGET, expect: 'ServiceUnavailable' },
  { id: 'access-denied', tried: 'access denied', error: 'accessDenied', count: 1, expect: 'denied' },
  { id: 'latency-300ms', tried: '300 ms added latency', latencyMs: 300, count: 1, expect: 'ENABLED' },
];

/**
 * What a transient fault's final message says once the budget is spent: the cause, and what the
 * person can do now (not that a retry is still coming).
 */
export const EXHAUSTED_CAUSE: Record<'Throttled' | 'ServiceUnavailable', RegExp> = {
  Throttled: /was throttled \((TooManyRequestsException|Throttling): .*the retries ran out: enroll again later$/,
  ServiceUnavailable: /failed on the service side \((InternalServerErrorException|InternalFailure): .*the retries ran out: enroll again later$/,
};

export interface FaultCell {
  id: string;
  op: FaultOperation;
  kind: FaultKind;
  opIndex: number;
  kindIndex: number;
}

export const FAULT_CELLS: readonly FaultCell[] = FAULT_OPERATIONS.flatMap((op, opIndex) =>
  FAULT_KINDS.map((kind, kindIndex) => ({ id: `fault/${op.id}/${kind.id}`, op, kind, opIndex, kindIndex })),
);

function expected(cell: FaultCell): string {
  if (cell.kind.expect === 'ENABLED') return 'ENABLED';
  const code = cell.kind.expect === 'denied' ? cell.op.deniedCode : cell.kind.expect;
  return `region FAILED, ${code}`;
}

export const FAULT_MATRIX_CASES: readonly CaseDefinition[] = [
  ...FAULT_CELLS.map((cell) => ({
    id: cell.id,
    suite: 'fault-matrix' as const,
    tried: `${cell.op.operation} (${cell.op.step}, ${cell.op.caller === 'member' ? 'member' : 'administrator'} credentials) ${cell.kind.tried}`,
    expected: `${expected(cell)}; calls bounded`,
  })),
  {
    id: 'fault/every-execution-terminal',
    suite: 'fault-matrix',
    tried: 'every execution the matrix started',
    expected: "terminal status; a failed one carries EnrollmentFailed and each region's code and message",
    aggregate: true,
  },
];
