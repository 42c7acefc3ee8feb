/** Shapes shared by the Organizations rollout's steps: its options, its clients and its report. */
import type { GuardDutyClient, OrgFeature } from '@aws-sdk/client-guardduty';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials, as an SDK client's `credentials` provider returns them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A credentials provider an SDK client accepts as `credentials` (it calls it again when they expire). */
export type CredentialsProvider = () => Promise<TemporaryCredentials>;

/** Auto-enable values the rollout sets (model AutoEnableMembers, without NONE: the point is to enroll). */
export type AutoEnableMode = 'NEW' | 'ALL';

/** What the command was asked to do. */
export interface RolloutOptions {
  /** GuardDuty is regional: every step runs once per region (user guide, "A delegated administrator is Regional"). */
  regions: string[];
  /** The account to designate as GuardDuty delegated administrator. */
  delegatedAdminId: string;
  /** AutoEnableOrganizationMembers, and the AutoEnable of every named feature. */
  autoEnable: AutoEnableMode;
  /** Features to auto-enable for the organization's members; others are left as they are. */
  features: OrgFeature[];
  /** Role assumed in the delegated administrator account (docs/aws-facts.md, 4.6: OrganizationAccountAccessRole by default). */
  adminRoleName: string;
  /** Print the plan; make no mutating call. */
  dryRun: boolean;
}

/**
 * The SDK clients the rollout uses, built by the caller (clients.ts for real use; tests point them
 * at the emulator or mock them). All run with the management account's credentials except the
 * GuardDuty clients built with the delegated administrator's credentials.
 */
export interface RolloutClients {
  organizations: OrganizationsClient;
  sts: STSClient;
  /** A GuardDuty client for the region; `credentials` undefined = the management account's. */
  guardDuty(region: string, credentials?: CredentialsProvider): GuardDutyClient;
}

/** Waits; tests pass one that does not. */
export type Sleep = (ms: number) => Promise<void>;

/** Where progress lines go (stderr for the CLI). */
export type Log = (line: string) => void;

/** An account the rollout leaves out, and why. */
export interface SkippedAccount {
  accountId: string;
  name?: string;
  reason: string;
}

/** An account the rollout could not make a member (or, with accountId null, a step that failed). */
export interface AccountFailure {
  accountId: string;
  message: string;
}

/** What happened in one region. */
export interface RegionReport {
  region: string;
  /**
   * `succeeded`: every ACTIVE account is a member and auto-enable is set; `partial`: the region ran
   * but some accounts failed; `failed`: a step of the region failed (see `error`); `planned`: dry run.
   */
  outcome: 'succeeded' | 'partial' | 'failed' | 'planned';
  /** Designation of the delegated administrator in this region. */
  delegatedAdministrator: 'designated' | 'already-designated' | 'to-designate' | 'not-done';
  /** The delegated administrator's detector. */
  detector: { action: 'existing' | 'created' | 'enabled' | 'to-create' | 'to-enable' | 'created-by-designation' | 'not-done'; detectorId?: string };
  /** The organization configuration. */
  autoEnable: { action: 'updated' | 'unchanged' | 'to-update' | 'not-done'; mode: AutoEnableMode; features: string[] };
  members: {
    /** Accounts made members by this run. */
    created: string[];
    /** Accounts that already were associated members. */
    alreadyMembers: string[];
    /** Dry run: accounts CreateMembers would be called for. */
    planned: string[];
    /** CreateMembers calls made (batches of at most 50). */
    createMembersCalls: number;
  };
  skipped: SkippedAccount[];
  failures: AccountFailure[];
  /** Things the person should know that did not stop the region (e.g. the management account without GuardDuty). */
  warnings: string[];
  /** Why the region stopped, when it did. */
  error?: string;
}

/** The whole run. */
export interface RolloutReport {
  dryRun: boolean;
  organizationId: string;
  managementAccountId: string;
  delegatedAdminId: string;
  accounts: { listed: number; active: number; skipped: SkippedAccount[] };
  regions: RegionReport[];
  /** True when every region succeeded (or, for a dry run, was planned). */
  ok: boolean;
}
