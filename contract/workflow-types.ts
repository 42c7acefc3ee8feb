import type { FreeTrialDays, PlanOutcome, ProtectionPlans } from './protection-plans';

/**
 * The data that flows between the workflow's states for one region. Handlers receive a state and
 * return the next one; the state machine adds nothing but the Catch `error`. It never carries
 * credentials: member-account credentials stay inside the Lambda that made them.
 */

/** What a caller asks for: the body of `POST /enrollments` (and the execution input). */
export interface EnrollmentRequest {
  accountId: string;
  email: string;
  regions?: string[];
  invitationMessage?: string;
  /** Features to set over the deployment's profile (contract/protection-plans.ts). */
  protectionPlans?: ProtectionPlans;
  /** Who asked (contract/requested-by.ts): set by the API or the event function, never by the caller's body. */
  requestedBy?: string | null;
}

/** Fields every per-region state carries, so a Catch can always build the region's outcome. */
interface RegionFields {
  /** The execution name: the Idempotency-Key or API Gateway's request id. */
  enrollmentId: string;
  region: string;
  /** The last RelationshipStatus seen on the administrator side; null before the first look. */
  relationshipStatus: string | null;
  /** The member account's detector id in this region, once known. */
  memberDetectorId: string | null;
}

/** What the Map's ItemSelector hands to the first step (CreateMember) for each region. */
export interface RegionInput extends RegionFields {
  /** The execution input as the caller sent it (validated again by CreateMember). */
  request: EnrollmentRequest;
}

/**
 * The state after CreateMember. The email is gone: only CreateMembers needs it, and keeping it
 * out of later states keeps it out of most of the execution history.
 */
export interface RegionState extends RegionFields {
  accountId: string;
  invitationMessage?: string;
  /** The administrator's detector id in this region. */
  adminDetectorId: string;
  /** The request's protection plans over the profile; null or absent: the profile alone. */
  protectionPlans?: ProtectionPlans | null;
}

/**
 * The execution input of `DELETE /enrollments/{accountId}` (built by offboard.request.vtl): the
 * same state machine, routed by `action`. Enrollments carry no action.
 */
export interface OffboardRequest {
  action: 'offboard';
  accountId: string;
  regions?: string[];
  /** Also delete the member's own detector (default false: the detector keeps running). */
  deleteDetector: boolean;
}

/**
 * What the offboarding Map's ItemSelector hands to RemoveMember for each region, and what
 * RemoveMember hands to LeaveAdministrator (with adminDetectorId, relationshipStatus and
 * memberDetectorId filled in from the administrator's member record).
 */
export interface OffboardState extends RegionFields {
  accountId: string;
  deleteDetector: boolean;
  /** The offboarding request as the caller sent it (RemoveMember logs its requestedBy). */
  request?: { requestedBy?: string | null };
  /** The administrator's detector id in this region; null before RemoveMember. */
  adminDetectorId: string | null;
}

/** One region's result, as the execution output (or failure cause) reports it. */
export interface RegionOutcome {
  region: string;
  /** ENABLED for an enrollment, OFFBOARDED for an offboarding, FAILED for either. */
  outcome: 'ENABLED' | 'OFFBOARDED' | 'FAILED';
  relationshipStatus: string | null;
  memberDetectorId: string | null;
  error: { code: string; message: string } | null;
  /** Each wanted feature as GuardDuty reports it after the enrollment (enrollments that reached Enabled). */
  protectionPlans?: PlanOutcome[];
  /** Remaining free-trial days per feature, as GuardDuty reported them at the end; null when it did not answer. */
  freeTrial?: FreeTrialDays[] | null;
}

/** One account of a batch, as `POST /enrollments/batch` lists it. */
export interface BatchAccount {
  accountId: string;
  email: string;
}

/**
 * The execution input of `POST /enrollments/batch` (built by start-batch.*.request.vtl): the same
 * state machine, routed by `action`. `invitationMessage` is always present (null when not given).
 */
export interface BatchRequest {
  action: 'batch';
  accounts: BatchAccount[];
  regions?: string[];
  invitationMessage: string | null;
  /** The batch's protection plans over the profile (null: the profile alone); the workflow defaults it to null. */
  protectionPlans?: ProtectionPlans | null;
}

/**
 * The input of one batch part: up to BATCH_PART_SIZE accounts in one region, run as one execution
 * of the batch-part state machine named `<batchId>-<part>`.
 */
export interface BatchPartInput {
  /** The batch's execution name. */
  batchId: string;
  region: string;
  /** `<region>-<index>`: the part's id in the API. */
  part: string;
  accounts: BatchAccount[];
  invitationMessage: string | null;
  protectionPlans?: ProtectionPlans | null;
  /** Who asked for the batch (contract/requested-by.ts). */
  requestedBy?: string | null;
}

/** One account's result in a batch part (a RegionOutcome whose region is the part's). */
export interface AccountOutcome extends Omit<RegionOutcome, 'region' | 'outcome'> {
  accountId: string;
  outcome: 'ENABLED' | 'FAILED';
}

/**
 * An account AcceptInvitation failed, as the batch-part machine's AccountFailed states build it:
 * its outcome plus the administrator's detector id of its state, for the email-verification check.
 */
export interface FailedAcceptance extends AccountOutcome {
  adminDetectorId?: string | null;
}

/** What PrepareMembers hands on: accounts already finished, and the states to accept invitations for. */
export interface PreparedPart {
  outcomes: AccountOutcome[];
  invitations: RegionState[];
}

/**
 * VerifyMembers' input and output: `finished` outcomes so far, and the accounts still to check
 * (`checking`: the states AcceptInvitation returned, or the outcome of an account it failed).
 */
export interface PartVerification {
  batchId: string;
  region: string;
  part: string;
  /** Checks done so far. */
  attempt: number;
  /** The check that reports still-pending memberships as FAILED. */
  maxAttempts: number;
  finished: AccountOutcome[];
  checking: (RegionState | FailedAcceptance)[];
}

/** VerifyMembers' result: the part's outcomes so far, counts, and what to check again. */
export interface VerifiedPart {
  attempt: number;
  finished: AccountOutcome[];
  pending: RegionState[];
  enabled: number;
  failed: number;
}
