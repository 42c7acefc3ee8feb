/**
 * Domain types the emulator keeps in memory. Kept apart from the code that changes them so every
 * module (GuardDuty, STS, control API) reads the same shapes.
 */

/** Account status as AWS Organizations reports it; only these two matter to the emulator. */
export type AccountStatus = 'ACTIVE' | 'SUSPENDED';

/** GuardDuty detector status (model: DetectorStatus). */
export type DetectorStatus = 'ENABLED' | 'DISABLED';

/**
 * The `{name, externalId, trustedAccountId?}` shorthand of the control API: a role that trusts the
 * account (default: the emulator's administrator) with that ExternalId, with the member role's
 * permissions.
 */
export interface MemberRoleInput {
  name: string;
  externalId: string;
  trustedAccountId?: string;
}

/** One AWS account known to the emulator. */
export interface AccountRecord {
  accountId: string;
  /** The account's root email; GuardDuty's email verification compares the member email with it. */
  email: string | undefined;
  status: AccountStatus;
  /** Opt-in regions this account has not enabled. */
  optInRegionsDisabled: Set<string>;
  /** The name of the member role seeded with the account (its policies are in the role book), or null for none. */
  memberRole: string | null;
}

/** One detector feature as GetDetector reports it. */
export interface FeatureState {
  status: DetectorStatus;
  updatedAt: Date;
  /** Set by the control API: an Organizations GuardDuty policy manages the feature (read-only through the API). */
  managedBy?: 'GUARDDUTY_POLICY';
  additionalConfiguration: Array<{ name: string; status: DetectorStatus; updatedAt: Date }>;
}

/** A GuardDuty detector: one per account per region (docs/aws-facts.md, 4.1). */
export interface Detector {
  detectorId: string;
  accountId: string;
  region: string;
  status: DetectorStatus;
  findingPublishingFrequency: string;
  features: Map<string, FeatureState>;
  tags: Record<string, string>;
  /** CreateDetector's idempotency token, so an SDK retry gets the same detector back. */
  clientToken: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What the administrator's member record stores. `Associated` is shown as `Enabled` or `Disabled`
 * depending on the member's detector and on StopMonitoringMembers (docs/aws-facts.md, 4.3).
 */
export type StoredRelationship = 'Created' | 'Invited' | 'EmailVerificationInProgress' | 'EmailVerificationFailed' | 'Associated' | 'Removed' | 'Resigned';

/** An email verification that finishes after the invitation delay (docs/aws-facts.md, 4.2, pain point 1). */
export interface PendingVerification {
  invitationId: string;
  resolveAt: number;
}

/** A member account in an administrator's member list (one list per administrator detector). */
export interface MemberRecord {
  accountId: string;
  email: string;
  administratorId: string;
  region: string;
  relationship: StoredRelationship;
  /** Set by StopMonitoringMembers, cleared by StartMonitoringMembers. */
  monitoringStopped: boolean;
  invitedAt: Date | undefined;
  updatedAt: Date;
  pendingVerification: PendingVerification | undefined;
}

/** An invitation as the invited account sees it (ListInvitations). */
export interface Invitation {
  invitationId: string;
  administratorId: string;
  inviteeId: string;
  region: string;
  invitedAt: Date;
  /** Epoch ms from which the member can see it (eventual consistency, docs/aws-facts.md, pain point 2). */
  visibleAt: number;
  accepted: boolean;
}

/** The member side of an accepted invitation. */
export interface AdministratorLink {
  administratorId: string;
  invitationId: string;
  invitedAt: Date;
}

/** Temporary credentials minted by AssumeRole. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  /** The role's ARN (with its path). */
  roleArn: string;
  sessionName: string;
  /** The account that called AssumeRole (kept for inspection through `RunningEmulator.state`). */
  sourceAccountId: string;
  expiration: Date;
}

/** Who is calling, as resolved from the SigV4 access key. */
export interface Caller {
  accountId: string;
  accessKeyId: string;
  arn: string;
  userId: string;
  /** Present when the caller uses AssumeRole credentials. */
  session: Session | undefined;
}

/** Kinds of fault the control API can inject. */
export type FaultError = 'throttle' | 'internal' | 'accessDenied';

/** A fault that applies to the next `remaining` matching AWS calls. */
export interface Fault {
  id: number;
  /** Operation name as in the API reference, or `*` for every operation. */
  operation: string;
  region: string | undefined;
  accountId: string | undefined;
  error: FaultError | undefined;
  latencyMs: number;
  /** Its calls wait until the fault is released (`POST /_emulator/faults/{id}/release`). */
  hold: boolean;
  remaining: number;
}

/** Settings the control API can change at run time. */
export interface EmulatorSettings {
  invitationDelayMs: number;
  latencyMs: number;
}

/** One row of the call-count report. */
export interface CallCount {
  /** The service's signing name (`guardduty`, `sts`, `states`, …). */
  service: string;
  operation: string;
  accountId: string | null;
  region: string;
  count: number;
}
