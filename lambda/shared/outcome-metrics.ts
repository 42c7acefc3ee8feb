import { MetricNames } from '../../contract/metrics';
import { publishCount } from './metrics';

/** The `Step Functions Execution Status Change` event's detail fields this reads (Step Functions user guide, "EventBridge events"). */
export interface ExecutionStatusChange {
  status?: string;
  output?: string | null;
  cause?: string | null;
}

interface Outcome {
  region?: unknown;
  outcome?: unknown;
  error?: { code?: unknown } | null;
}

function parse(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The account-region outcomes an execution ended with: an enrollment's or offboarding's `regions`
 * (its output, or its Fail cause when a region failed), or a batch part's `accounts` with the
 * part's region. A batch's own execution holds counts only and yields nothing (its parts do).
 */
export function outcomesOf(detail: ExecutionStatusChange): Array<{ region: string; outcome: string; errorCode: string }> {
  const body = parse(detail.status === 'SUCCEEDED' ? detail.output : detail.cause) as { regions?: unknown; region?: unknown; accounts?: unknown } | undefined;
  if (!body || typeof body !== 'object') return [];
  const rows: Outcome[] = Array.isArray(body.accounts)
    ? (body.accounts as Outcome[]).map((a) => ({ ...a, region: body.region }))
    : Array.isArray(body.regions)
      ? (body.regions as Outcome[])
      : [];
  return rows
    .filter((row) => typeof row?.region === 'string' && typeof row.outcome === 'string')
    .map((row) => ({ region: row.region as string, outcome: row.outcome as string, errorCode: typeof row.error?.code === 'string' ? row.error.code : 'None' }));
}

/**
 * Publishes one EnrollmentOutcomes count per region, outcome and error code of the execution
 * (dimensions Region, Outcome, ErrorCode), and the total per Outcome for the dashboard and alarms.
 * @returns how many account-regions were counted.
 */
export function publishOutcomes(detail: ExecutionStatusChange): number {
  const outcomes = outcomesOf(detail);
  const groups = new Map<string, number>();
  for (const o of outcomes)
    groups.set(JSON.stringify([o.region, o.outcome, o.errorCode]), (groups.get(JSON.stringify([o.region, o.outcome, o.errorCode])) ?? 0) + 1);
  for (const [key, count] of groups) {
    const [Region, Outcome, ErrorCode] = JSON.parse(key) as string[];
    publishCount(MetricNames.enrollmentOutcomes, count, { Region, Outcome, ErrorCode });
  }
  const byOutcome = new Map<string, number>();
  for (const o of outcomes) byOutcome.set(o.outcome, (byOutcome.get(o.outcome) ?? 0) + 1);
  for (const [Outcome, count] of byOutcome) publishCount(MetricNames.enrollmentOutcomes, count, { Outcome });
  return outcomes.length;
}
