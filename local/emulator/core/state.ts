/**
 * The emulator's whole memory: accounts, detectors, member lists, invitations, administrator links,
 * STS sessions, faults, call counts and settings. Multi-account and multi-region: GuardDuty state is
 * keyed by account and region, as GuardDuty itself is regional.
 */
import { randomBytes } from 'node:crypto';
import { CallLog } from './calls';
import { EventBusBook } from '../eventbridge/buses';
import { FaultBook } from './faults';
import { RoleBook } from '../iam/roles';
import type { ResolvedOptions } from './options';
import { OrganizationBook } from '../organizations/state';
import { QueueBook } from '../sqs/queues';
import type { StepFunctionsHandler } from '../stepfunctions/service';
import type { AccountRecord, AdministratorLink, Detector, EmulatorSettings, Invitation, MemberRecord, MemberRoleInput, Session } from './types';

/** Key for per-account, per-region maps. */
export function regionalKey(accountId: string, region: string): string {
  return `${accountId}|${region}`;
}

/** 32 lowercase hex characters, the form of GuardDuty detector and invitation ids. */
export function hexId(): string {
  return randomBytes(16).toString('hex');
}

/** Everything the control API can seed about an account. */
export interface AccountSeed {
  accountId: string;
  email?: string;
  status?: AccountRecord['status'];
  optInRegionsDisabled?: string[];
  /**
   * `undefined`: the member role template for a new account, the roles it has for a known one;
   * `null`: no member role; a shorthand: a role trusting that account with that ExternalId.
   */
  memberRole?: MemberRoleInput | null;
}

/** All emulator state, shared by the GuardDuty, STS and control handlers. */
export class EmulatorState {
  readonly accounts = new Map<string, AccountRecord>();
  /** One detector per account per region (docs/aws-facts.md, 4.1), keyed by {@link regionalKey}. */
  readonly detectors = new Map<string, Detector>();
  /** Member lists, keyed by the administrator's {@link regionalKey}; insertion order is list order. */
  readonly members = new Map<string, Map<string, MemberRecord>>();
  /** Administrator of a member account, keyed by the member's {@link regionalKey}. */
  readonly administrators = new Map<string, AdministratorLink>();
  invitations: Invitation[] = [];
  readonly sessions = new Map<string, Session>();
  /** IAM roles of every account, with their trust and permission policies. */
  readonly iam = new RoleBook();
  readonly faults = new FaultBook();
  readonly calls = new CallLog();
  /** Organizations, GuardDuty delegated administrators and organization configurations. */
  readonly organizations = new OrganizationBook();
  /** SQS queues and their messages. */
  readonly queues = new QueueBook();
  /** EventBridge buses, rules and deliveries (targets are reached through the embedding code). */
  readonly eventBuses = new EventBusBook(this.queues);
  /** Answers Step Functions calls when the embedding code (local mode) attaches its state machines. */
  stepFunctions: StepFunctionsHandler | undefined;
  settings: EmulatorSettings;

  constructor(readonly options: ResolvedOptions) {
    this.settings = this.initialSettings();
  }

  /** Clears state, faults, counts and settings (back to the start-up options). */
  reset(): void {
    this.accounts.clear();
    this.detectors.clear();
    this.members.clear();
    this.administrators.clear();
    this.invitations = [];
    this.sessions.clear();
    // Declared roles are the embedding code's deployment, like declared queues: they stay.
    this.iam.clear();
    this.faults.clear();
    this.calls.clear();
    this.organizations.clear();
    // Declared queues, buses, rules and the Step Functions handler are the embedding code's
    // deployment: they stay, emptied.
    this.queues.clear();
    this.eventBuses.clear();
    this.settings = this.initialSettings();
  }

  /** Adds or replaces an account record. GuardDuty state of the account is kept. */
  upsertAccount(seed: AccountSeed): AccountRecord {
    const existing = this.accounts.get(seed.accountId);
    const record: AccountRecord = {
      accountId: seed.accountId,
      email: seed.email,
      status: seed.status ?? 'ACTIVE',
      optInRegionsDisabled: new Set(seed.optInRegionsDisabled ?? []),
      memberRole: this.seedMemberRole(seed, existing),
    };
    this.accounts.set(seed.accountId, record);
    return record;
  }

  /** Installs the account's member role as the seed says; returns its name (null: none). */
  private seedMemberRole(seed: AccountSeed, existing: AccountRecord | undefined): string | null {
    if (seed.memberRole === undefined) {
      if (existing) return existing.memberRole;
      return this.iam.putFromTemplate(this.options.memberRoleTemplate, seed.accountId).roleName;
    }
    if (existing?.memberRole) this.iam.delete(seed.accountId, existing.memberRole);
    if (seed.memberRole === null) {
      this.iam.delete(seed.accountId, this.options.memberRoleTemplate.roleName);
      return null;
    }
    const { name, externalId, trustedAccountId } = seed.memberRole;
    const template = this.options.memberRoleTemplate;
    const trusted = trustedAccountId ?? this.options.administratorAccountId;
    this.iam.putFromTemplate(
      {
        roleName: name,
        trustPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${trusted}:root` },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': externalId } },
            },
          ],
        },
        policies: template.policies,
      },
      seed.accountId,
    );
    return name;
  }

  /**
   * The account record. Accounts the control API never seeded still exist for static keys: they are
   * ACTIVE, have every region enabled, no known root email and no member role.
   */
  account(accountId: string): AccountRecord {
    return (
      this.accounts.get(accountId) ?? {
        accountId,
        email: undefined,
        status: 'ACTIVE',
        optInRegionsDisabled: new Set(),
        memberRole: null,
      }
    );
  }

  /** The account's detector in the region, if any. */
  detectorOf(accountId: string, region: string): Detector | undefined {
    return this.detectors.get(regionalKey(accountId, region));
  }

  /** The administrator's member list in the region, created on first use. */
  memberList(administratorId: string, region: string): Map<string, MemberRecord> {
    const key = regionalKey(administratorId, region);
    let list = this.members.get(key);
    if (!list) {
      list = new Map();
      this.members.set(key, list);
    }
    return list;
  }

  /** The administrator's record of a member, if any. */
  memberRecord(administratorId: string, region: string, memberId: string): MemberRecord | undefined {
    return this.members.get(regionalKey(administratorId, region))?.get(memberId);
  }

  /** The member's accepted administrator in the region, if any. */
  administratorOf(memberId: string, region: string): AdministratorLink | undefined {
    return this.administrators.get(regionalKey(memberId, region));
  }

  /** Invitations sent to an account in a region (pending and accepted), visible or not yet. */
  invitationsTo(inviteeId: string, region: string): Invitation[] {
    return this.invitations.filter((inv) => inv.inviteeId === inviteeId && inv.region === region);
  }

  /** Removes invitations matching the predicate. */
  removeInvitations(predicate: (invitation: Invitation) => boolean): void {
    this.invitations = this.invitations.filter((invitation) => !predicate(invitation));
  }

  private initialSettings(): EmulatorSettings {
    return { invitationDelayMs: this.options.invitationDelayMs, latencyMs: 0 };
  }
}
