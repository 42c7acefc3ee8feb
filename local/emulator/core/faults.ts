/**
 * Fault injection: the next N calls matching an operation (and optionally a region and account)
 * wait and/or fail. Faults are taken in the order they were added. A held fault keeps its calls
 * waiting until it is released, so a test can stop a workflow at a known step for as long as it
 * needs, on a busy machine as on a quiet one.
 */
import { AwsError } from './errors';
import { organizationsFaultError } from '../organizations/errors';
import type { Fault, FaultError } from './types';

/** What a caller asks for through `POST /_emulator/faults`. */
export interface FaultSpec {
  operation: string;
  region?: string;
  accountId?: string;
  error?: FaultError;
  latencyMs?: number;
  hold?: boolean;
  count: number;
}

/** The calls a held fault keeps waiting, and how to let them go. */
interface Hold {
  readonly fault: Fault;
  held: number;
  readonly released: Promise<void>;
  readonly release: () => void;
}

/** Which protocol the failing call speaks; the error code differs per service. */
export type ServiceName = 'guardduty' | 'sts' | 'organizations' | 'events' | 'sqs' | 'states';

/**
 * The throttling code of each JSON-protocol service's model: EventBridge and Step Functions
 * `ThrottlingException`, SQS `RequestThrottled`; all three 400.
 */
const JSON_THROTTLING: Record<'events' | 'sqs' | 'states', string> = { events: 'ThrottlingException', sqs: 'RequestThrottled', states: 'ThrottlingException' };

/** The pending faults. */
export class FaultBook {
  private faults: Fault[] = [];
  private nextId = 1;
  /** Held faults not yet released, by id (kept after their count is used up: their calls still wait). */
  private readonly holds = new Map<number, Hold>();

  /** Adds a fault; returns it with its id. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      id: this.nextId++,
      operation: spec.operation,
      region: spec.region,
      accountId: spec.accountId,
      error: spec.error,
      latencyMs: spec.latencyMs ?? 0,
      hold: spec.hold ?? false,
      remaining: spec.count,
    };
    this.faults.push(fault);
    if (fault.hold) {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      this.holds.set(fault.id, { fault, held: 0, released, release });
    }
    return fault;
  }

  /** Waits while the fault holds its calls (at once when it is not a held fault or was released). */
  async waitWhileHeld(fault: Fault): Promise<void> {
    const hold = this.holds.get(fault.id);
    if (!hold) return;
    hold.held += 1;
    try {
      await hold.released;
    } finally {
      hold.held -= 1;
    }
  }

  /** Lets every call a held fault keeps waiting go on, and later matching calls pass; false when no such hold. */
  release(id: number): boolean {
    const hold = this.holds.get(id);
    if (!hold) return false;
    this.holds.delete(id);
    hold.release();
    return true;
  }

  /** Consumes one use of the first fault matching this call, if any. */
  take(operation: string, region: string, accountId: string | null): Fault | undefined {
    const fault = this.faults.find((candidate) => matches(candidate, operation, region, accountId));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((other) => other !== fault);
    return { ...fault };
  }

  /** Faults not yet used up, and held faults not yet released, with the calls each holds now. */
  list(): (Fault & { held?: number })[] {
    const pending = this.faults.map((fault) => ({ ...fault, ...(fault.hold ? { held: this.holds.get(fault.id)?.held ?? 0 } : {}) }));
    const usedUp = [...this.holds.values()].filter((hold) => !this.faults.includes(hold.fault));
    return [...pending, ...usedUp.map((hold) => ({ ...hold.fault, held: hold.held }))];
  }

  /** Removes every fault and releases every held call. */
  clear(): void {
    this.faults = [];
    for (const id of [...this.holds.keys()]) this.release(id);
  }
}

function matches(fault: Fault, operation: string, region: string, accountId: string | null): boolean {
  if (fault.operation !== '*' && fault.operation !== operation) return false;
  if (fault.region !== undefined && fault.region !== region) return false;
  return fault.accountId === undefined || fault.accountId === accountId;
}

/**
 * The error an injected fault produces. GuardDuty: 429 `TooManyRequestsException` (docs/aws-facts.md, 4.5),
 * 500 `InternalServerErrorException` (declared for every operation, docs/aws-facts.md, 4.2), 403
 * `AccessDeniedException`. STS: 400 `Throttling` (the query protocol's throttling code), 403
 * `AccessDenied`, and for server errors 500 `InternalFailure`: STS declares no 5xx shape of its own
 * and `InternalFailure` is the common error code AWS documents for query APIs.
 */
export function faultError(service: ServiceName, error: FaultError): AwsError {
  if (service === 'organizations') return organizationsFaultError(error);
  if (service === 'events' || service === 'sqs' || service === 'states') {
    // InternalFailure (500) and AccessDeniedException (400) are common errors of every AWS API.
    if (error === 'throttle') return new AwsError(400, JSON_THROTTLING[service], 'Rate exceeded');
    if (error === 'internal')
      return new AwsError(500, 'InternalFailure', 'The request processing has failed because of an unknown error, exception or failure (injected fault).');
    return new AwsError(400, 'AccessDeniedException', 'User is not authorized to perform this action (injected fault).');
  }
  if (service === 'guardduty') {
    if (error === 'throttle') return new AwsError(429, 'TooManyRequestsException', 'Rate exceeded');
    if (error === 'internal') return new AwsError(500, 'InternalServerErrorException', 'Internal server error');
    return new AwsError(403, 'AccessDeniedException', 'User is not authorized to perform this action (injected fault).');
  }
  if (error === 'throttle') return new AwsError(400, 'Throttling', 'Rate exceeded');
  if (error === 'internal') return new AwsError(500, 'InternalFailure', 'An internal error occurred (injected fault).');
  return new AwsError(403, 'AccessDenied', 'User is not authorized to perform this action (injected fault).');
}
