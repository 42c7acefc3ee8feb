/**
 * The fleet check's shared rules and shapes (issue 14): what it classifies, the drift reasons, the
 * roster that says which account-regions this deployment enrolled, and the limits that keep a
 * 5,000-member × 17-region check inside Step Functions' quotas. No CDK, no SDK.
 */

/** How each listed member of a region is classified. */
export const FLEET_STATUSES = ['ENABLED', 'PENDING', 'DRIFTED', 'UNMANAGED'] as const;
export type FleetStatus = (typeof FLEET_STATUSES)[number];

/**
 * Why a member this deployment enrolled is DRIFTED: its RelationshipStatus (docs/aws-facts.md, 4.3),
 * an invitation not accepted within the bound, plans that differ from the profile, plans GuardDuty
 * would not read, or a status this product does not know.
 */
export const DRIFT_REASONS = [
  'Resigned',
  'Removed',
  'Disabled',
  'EmailVerificationFailed',
  'InvitationNotAccepted',
  'PlansDiffer',
  'PlansUnreadable',
  'UnknownRelationshipStatus',
] as const;
export type DriftReason = (typeof DRIFT_REASONS)[number];

/** What the check did about a drift: reported only, or re-enrolled through the batch path. */
export type DriftAction = 'REPORTED' | 'REENROLLED';

/** The setting `fleetRepair`. */
export const FLEET_REPAIR_MODES = ['report', 'repair'] as const;
export type FleetRepairMode = (typeof FLEET_REPAIR_MODES)[number];

/** ListMembers' page size: its MaxResults is 1-50 (docs/aws-facts.md, "Fleet check"). */
export const LIST_MEMBERS_PAGE_SIZE = 50;
/**
 * ListMembers pages one part of a region reads: 1,000 members. A part's output lists its drifted
 * accounts (at most ~130 bytes each), so 1,000 keep it far below the 256 KiB payload limit, and a
 * region of 5,000 members is 5 parts.
 */
export const FLEET_PART_PAGES = 20;

/** The EventBridge source and detail-type of a drift event (one per drifted account-region). */
export const FLEET_EVENT_SOURCE = 'guardduty-enrollment.fleet-check';
export const FLEET_DRIFT_DETAIL_TYPE = 'GuardDuty Member Drifted';

/** One drifted account-region as the check reports it (no email: outputs are readable by operators). */
export interface DriftedAccount {
  accountId: string;
  reason: DriftReason;
  relationshipStatus: string | null;
  action: DriftAction;
  /** The batch that re-enrolled it (`GET /v1/enrollments/batch/{repairBatchId}`), when action is REENROLLED. */
  repairBatchId?: string;
}

/** Members of one part, counted by classification. */
export type FleetCounts = Record<'members' | 'enabled' | 'pending' | 'drifted' | 'unmanaged', number>;

/**
 * Which account-regions this deployment enrolled and which it offboarded, read from the enrollment
 * state machine's executions (lambda/shared/fleet-roster.ts). Region sets are bit masks over
 * `regions` (at most 40, so a mask stays an exact integer below 2^53): ~22 bytes per account, so
 * 5,000 accounts fit a state of 256 KiB with room to spare.
 */
export interface FleetRoster {
  /** Executions started at or before this time (ms since the epoch) are in the roster. */
  asOf: number;
  regions: string[];
  /** Account → regions where its latest request was an enrollment. */
  enrolled: Record<string, number>;
  /** Account → regions where its latest request was an offboarding. */
  offboarded: Record<string, number>;
}

export const EMPTY_ROSTER: FleetRoster = { asOf: 0, regions: [], enrolled: {}, offboarded: {} };

/** True when bit `index` of `mask` is set (arithmetic, not `&`: masks exceed 32 bits). */
export function hasRegionBit(mask: number | undefined, index: number): boolean {
  return index >= 0 && mask !== undefined && Math.floor(mask / 2 ** index) % 2 === 1;
}

/** `mask` with bit `index` set or cleared. */
export function withRegionBit(mask: number | undefined, index: number, on: boolean): number {
  const current = mask ?? 0;
  if (hasRegionBit(current, index) === on) return current;
  return on ? current + 2 ** index : current - 2 ** index;
}

/** Whether the roster has the account's latest request in the region as an enrollment / an offboarding. */
export function rosterStatus(roster: FleetRoster, accountId: string, region: string): 'enrolled' | 'offboarded' | 'unknown' {
  const index = roster.regions.indexOf(region);
  if (hasRegionBit(roster.enrolled[accountId], index)) return 'enrolled';
  if (hasRegionBit(roster.offboarded[accountId], index)) return 'offboarded';
  return 'unknown';
}

/** The input of one part of a region's check (a child execution of the fleet-check part machine). */
export interface FleetPartInput {
  checkId: string;
  region: string;
  /** `<region>-<index>`: the part's id in the API. */
  part: string;
  nextToken: string | null;
  mode: FleetRepairMode;
  roster: FleetRoster;
}

/** A part's result, as the CheckMembers step returns it (repairs carry emails and stay in the part's own state). */
export interface CheckedPart {
  counts: FleetCounts;
  drifted: DriftedAccount[];
  nextToken: string | null;
  /** The accounts to re-enroll (repair mode): the batch's input. */
  repairs: Array<{ accountId: string; email: string }>;
  /** The batch that re-enrolls them, `<checkId>-<part>`, or null. */
  repairBatchId: string | null;
}

/** A fleet check's id: an execution name of the fleet-check machine (the API's are request ids, Scheduler's UUIDs). */
export const FLEET_CHECK_ID_PATTERN = '^[A-Za-z0-9_-]{1,80}$';
