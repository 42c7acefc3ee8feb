import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { ExecutionListItem, SFNClient } from '@aws-sdk/client-sfn';
import { EMPTY_ROSTER, withRegionBit } from '../../contract/fleet-check';
import type { FleetRoster } from '../../contract/fleet-check';
import { GUARDDUTY_REGIONS } from '../../contract/guardduty-regions';
import { logger } from './logger';

/**
 * How the fleet check knows which members this deployment enrolled: **from the enrollment state
 * machine's executions.** Every enrollment (single, event-driven, batch, a fleet repair) and every
 * offboarding is an execution of that one machine, and its input names the account(s) and regions
 * (or none: the deployment's default regions). The latest request per account-region decides:
 * an enrollment makes it managed, an offboarding makes it offboarded (never repaired).
 *
 * Step Functions keeps a closed execution for 90 days (docs/aws-facts.md, "Fleet check"), so the
 * roster is carried forward: each check's output holds it, and the next check reads the last
 * SUCCEEDED check's roster, then only the executions started since (ListExecutions newest first,
 * DescribeExecution each). ListExecutions is eventually consistent, so the roster is marked read
 * up to 5 minutes before the read; executions in that margin are read again next time and applied
 * again in order, which gives the same result.
 */

/** The margin for ListExecutions' eventual consistency (see above). */
export const ROSTER_MARGIN_MS = 5 * 60 * 1000;

export interface RosterSources {
  /** The fleet-check state machine, whose last SUCCEEDED execution's output holds the previous roster. */
  fleetStateMachineArn: string;
  /** The enrollment state machine. */
  enrollmentStateMachineArn: string;
  /** The regions of a request that names none. */
  defaultRegions: readonly string[];
  /** The time of this read (ms). */
  now: number;
}

/** The last successful check's roster, or an empty one (the first check, or one older than 90 days). */
async function previousRoster(sfn: SFNClient, fleetStateMachineArn: string): Promise<FleetRoster> {
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: fleetStateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 1 }));
  const last = executions?.[0];
  if (!last?.executionArn) return EMPTY_ROSTER;
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn: last.executionArn }));
  const roster = (JSON.parse(described.output ?? '{}') as { roster?: FleetRoster }).roster;
  return roster && Array.isArray(roster.regions) ? roster : EMPTY_ROSTER;
}

/** The enrollment executions started after `after` (ms), oldest first. */
async function executionsSince(sfn: SFNClient, stateMachineArn: string, after: number): Promise<ExecutionListItem[]> {
  const found: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }));
    // Newest first (API reference, ListExecutions): stop at the first one already in the roster.
    for (const execution of page.executions ?? []) {
      if ((execution.startDate?.getTime() ?? 0) <= after) return found.reverse();
      found.push(execution);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return found.reverse();
}

/** What one execution's input asks: enroll or offboard these accounts in these regions. */
export function requestOf(
  input: unknown,
  defaultRegions: readonly string[],
): { act: 'enroll' | 'offboard'; accountIds: string[]; regions: readonly string[] } | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const body = input as { action?: unknown; accountId?: unknown; accounts?: unknown; regions?: unknown };
  const regions = Array.isArray(body.regions) && body.regions.length > 0 ? body.regions.filter((r): r is string => typeof r === 'string') : defaultRegions;
  if (body.action === 'batch' && Array.isArray(body.accounts)) {
    const accountIds = body.accounts.map((a) => (a as { accountId?: unknown })?.accountId).filter((id): id is string => typeof id === 'string');
    return { act: 'enroll', accountIds, regions };
  }
  if (typeof body.accountId !== 'string') return undefined;
  return { act: body.action === 'offboard' ? 'offboard' : 'enroll', accountIds: [body.accountId], regions };
}

/** Applies one request to the roster (in place). */
export function applyRequest(roster: FleetRoster, request: NonNullable<ReturnType<typeof requestOf>>): void {
  for (const region of request.regions) {
    let index = roster.regions.indexOf(region);
    if (index < 0) {
      // Only regions where GuardDuty runs, at most 40 (the mask stays exact): anything else was refused anyway.
      if (!GUARDDUTY_REGIONS.includes(region) || roster.regions.length >= 40) continue;
      roster.regions.push(region);
      index = roster.regions.length - 1;
    }
    for (const accountId of request.accountIds) {
      const enrolled = request.act === 'enroll';
      roster.enrolled[accountId] = withRegionBit(roster.enrolled[accountId], index, enrolled);
      roster.offboarded[accountId] = withRegionBit(roster.offboarded[accountId], index, !enrolled);
      if (roster.enrolled[accountId] === 0) delete roster.enrolled[accountId];
      if (roster.offboarded[accountId] === 0) delete roster.offboarded[accountId];
    }
  }
}

/**
 * The roster as of now: the previous check's, brought up to date with the enrollment executions
 * started since. Calls: ListExecutions 1 + DescribeExecution 1 for the previous roster, then
 * ListExecutions per 1,000 new executions and DescribeExecution per new execution.
 */
export async function readRoster(sfn: SFNClient, sources: RosterSources): Promise<FleetRoster> {
  const before = await previousRoster(sfn, sources.fleetStateMachineArn);
  const roster: FleetRoster = { asOf: before.asOf, regions: [...before.regions], enrolled: { ...before.enrolled }, offboarded: { ...before.offboarded } };
  const fresh = await executionsSince(sfn, sources.enrollmentStateMachineArn, before.asOf);
  for (const execution of fresh) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    let input: unknown;
    try {
      input = JSON.parse(described.input ?? 'null');
    } catch {
      continue;
    }
    const request = requestOf(input, sources.defaultRegions);
    if (request) applyRequest(roster, request);
  }
  roster.asOf = Math.max(before.asOf, sources.now - ROSTER_MARGIN_MS);
  logger.info('Fleet roster read', { previousAsOf: before.asOf, executionsRead: fresh.length, accounts: Object.keys(roster.enrolled).length });
  return roster;
}
