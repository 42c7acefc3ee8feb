/**
 * What the emulator remembers about AWS Organizations and GuardDuty's organization features:
 * organizations and their accounts, the GuardDuty delegated administrator designated per region,
 * and each region's organization configuration (auto-enable and features).
 *
 * Kept in one object on {@link EmulatorState} (`state.organizations`) so the existing GuardDuty and
 * STS code only needs to ask it a question or two.
 */
import { createHash } from 'node:crypto';

/** Model enum AccountStatus (botocore `organizations/2016-11-28`): the field the API still returns. */
export type OrganizationAccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

/** Model enum AccountState, the newer lifecycle field (`Status` is retired on 2026-09-09, SDK doc). */
export type OrganizationAccountState = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED' | 'PENDING_ACTIVATION';

/** The role Organizations' CreateAccount preconfigures in new accounts by default (docs/aws-facts.md, 4.6; CreateAccount `RoleName` doc). */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

/** One account of an organization, as ListAccounts shows it. */
export interface OrganizationAccount {
  accountId: string;
  email: string;
  name: string;
  status: OrganizationAccountStatus;
  state: OrganizationAccountState;
  joinedMethod: 'CREATED' | 'INVITED';
  joinedAt: Date;
  /**
   * The role in this account that trusts the management account, or null. The CreateAccount doc:
   * "This role trusts the management account, allowing users in the management account to assume
   * the role ... The role has administrator permissions". The management account has none.
   */
  accessRoleName: string | null;
}

/** An organization: its id, its management account and its accounts (management included). */
export interface Organization {
  id: string;
  managementAccountId: string;
  /** In the order they joined: ListAccounts returns them in this order. */
  accounts: Map<string, OrganizationAccount>;
}

/** GuardDuty's `AutoEnableOrganizationMembers` and feature `AutoEnable` values (model: AutoEnableMembers, OrgFeatureStatus). */
export type AutoEnableValue = 'NEW' | 'ALL' | 'NONE';

/** One region's GuardDuty organization configuration, as UpdateOrganizationConfiguration left it. */
export interface OrganizationConfiguration {
  autoEnableMembers: AutoEnableValue;
  /** Feature name → its auto-enable value and those of its additional configurations. */
  features: Map<string, { autoEnable: AutoEnableValue; additional: Map<string, AutoEnableValue> }>;
}

/** The GuardDuty delegated administrator designated in one region of one organization. */
export interface Designation {
  adminAccountId: string;
  designatedAt: Date;
}

function regionKey(organizationId: string, region: string): string {
  return `${organizationId}|${region}`;
}

/**
 * Organization ids look like `o-` + 10..32 lowercase letters or digits (model: OrganizationId).
 * Derived from the management account so an emulator restarted with the same seed shows the same id.
 */
export function organizationIdFor(managementAccountId: string): string {
  return `o-${createHash('sha256').update(`organization:${managementAccountId}`).digest('hex').slice(0, 10)}`;
}

/** Organizations, GuardDuty designations and organization configurations. */
export class OrganizationBook {
  /** Keyed by organization id. */
  readonly organizations = new Map<string, Organization>();
  /** Account id → id of the organization it belongs to (an account belongs to at most one). */
  private readonly accountIndex = new Map<string, string>();
  /** `orgId|region` → the GuardDuty delegated administrator designated there. */
  readonly designations = new Map<string, Designation>();
  /** `orgId|region` → GuardDuty organization configuration. */
  readonly configurations = new Map<string, OrganizationConfiguration>();
  /**
   * Accounts registered as a delegated administrator in Organizations for guardduty.amazonaws.com.
   * EnableOrganizationAdminAccount registers the account (the permissions it needs include
   * `organizations:RegisterDelegatedAdministrator`, GuardDuty docs "Permissions required to
   * designate a delegated administrator"); DisableOrganizationAdminAccount leaves the registration,
   * which the docs remove as a separate, global step (DeregisterDelegatedAdministrator).
   */
  readonly registeredAdministrators = new Set<string>();

  /** Forgets everything. */
  clear(): void {
    this.organizations.clear();
    this.accountIndex.clear();
    this.designations.clear();
    this.configurations.clear();
    this.registeredAdministrators.clear();
  }

  /** The organization with this management account, created on first use. */
  organizationManagedBy(managementAccountId: string): Organization {
    const id = organizationIdFor(managementAccountId);
    let organization = this.organizations.get(id);
    if (!organization) {
      organization = { id, managementAccountId, accounts: new Map() };
      this.organizations.set(id, organization);
    }
    return organization;
  }

  /** Adds or updates an account of an organization. */
  putAccount(organization: Organization, account: OrganizationAccount): void {
    organization.accounts.set(account.accountId, account);
    this.accountIndex.set(account.accountId, organization.id);
  }

  /** The organization an account belongs to, if any. */
  organizationOf(accountId: string): Organization | undefined {
    const id = this.accountIndex.get(accountId);
    return id === undefined ? undefined : this.organizations.get(id);
  }

  /** The account's record in its organization, if it is in one. */
  accountInOrganization(accountId: string): OrganizationAccount | undefined {
    return this.organizationOf(accountId)?.accounts.get(accountId);
  }

  /** Whether the account is the management account of its organization. */
  isManagementAccount(accountId: string): boolean {
    return this.organizationOf(accountId)?.managementAccountId === accountId;
  }

  /** The delegated administrator designated in a region of an organization. */
  designation(organizationId: string, region: string): Designation | undefined {
    return this.designations.get(regionKey(organizationId, region));
  }

  /** Designates (or, with undefined, removes) the region's delegated administrator. */
  setDesignation(organizationId: string, region: string, designation: Designation | undefined): void {
    const key = regionKey(organizationId, region);
    if (designation) this.designations.set(key, designation);
    else {
      this.designations.delete(key);
      this.configurations.delete(key);
    }
  }

  /** Regions of an organization with a designated delegated administrator, and who it is. */
  designationsOf(organizationId: string): Array<{ region: string; designation: Designation }> {
    const prefix = `${organizationId}|`;
    return [...this.designations.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, designation]) => ({ region: key.slice(prefix.length), designation }));
  }

  /**
   * The organization for which the account is the designated GuardDuty delegated administrator in
   * the region, or undefined when it is not one there.
   */
  administeredOrganization(accountId: string, region: string): Organization | undefined {
    const organization = this.organizationOf(accountId);
    if (!organization) return undefined;
    return this.designation(organization.id, region)?.adminAccountId === accountId ? organization : undefined;
  }

  /** The region's organization configuration; the default (everything NONE) when never updated. */
  configuration(organizationId: string, region: string): OrganizationConfiguration {
    return this.configurations.get(regionKey(organizationId, region)) ?? { autoEnableMembers: 'NONE', features: new Map() };
  }

  /** Stores the region's organization configuration. */
  setConfiguration(organizationId: string, region: string, configuration: OrganizationConfiguration): void {
    this.configurations.set(regionKey(organizationId, region), configuration);
  }
}
