/**
 * Control API for organizations (not an AWS API; JSON in, JSON out):
 *
 * - `POST /_emulator/organization` `{managementAccountId, accounts: [{accountId, email, name?, status?, accessRole?}]}`
 *   seeds an organization, or adds accounts to it. `status` is ACTIVE (default), SUSPENDED,
 *   PENDING_CLOSURE or CLOSED; `accessRole` names the role that trusts the management account
 *   (default `OrganizationAccountAccessRole`, `null` for none; the management account has none).
 *   Accounts the emulator did not know are added to it (as with `POST /_emulator/accounts`, default
 *   member role included); known ones keep their role, regions and GuardDuty state, and take the
 *   organization's email and status. An account that joins an organization whose delegated
 *   administrator auto-enables members (NEW or ALL) becomes a member in those regions.
 *   `delegatedAdministrators: [accountId]` registers accounts of the organization as delegated
 *   administrators (for any service), which may then call ListAccounts and DescribeAccount.
 * - `GET /_emulator/organization` → `{organizations: [view]}`: accounts, delegated administrators
 *   and organization configuration per region.
 */
import { autoEnableJoinedAccount } from '../guardduty/organization-members';
import { jsonReply } from '../core/http';
import { ORGANIZATION_ACCESS_ROLE } from '../organizations/state';
import type { Organization, OrganizationAccount, OrganizationAccountState, OrganizationAccountStatus } from '../organizations/state';
import type { HttpReply } from '../core/protocol';
import type { EmulatorState } from '../core/state';

/** The control routes this module answers. */
export const ORGANIZATION_CONTROL_PATH = '/_emulator/organization';

type Body = Record<string, unknown>;

class OrganizationControlError extends Error {}

/** Account status values the control API takes, and what ListAccounts then shows as Status and State. */
const STATUSES: Record<string, { status: OrganizationAccountStatus; state: OrganizationAccountState }> = {
  ACTIVE: { status: 'ACTIVE', state: 'ACTIVE' },
  SUSPENDED: { status: 'SUSPENDED', state: 'SUSPENDED' },
  PENDING_CLOSURE: { status: 'PENDING_CLOSURE', state: 'PENDING_CLOSURE' },
  // A closed account keeps showing in ListAccounts for a while; the older Status field has no
  // CLOSED value (model enum AccountStatus), so the emulator shows SUSPENDED there.
  CLOSED: { status: 'SUSPENDED', state: 'CLOSED' },
};

/** Handles `/_emulator/organization`; 404 for any other method. */
export function handleOrganizationControl(state: EmulatorState, method: string, rawBody: string): HttpReply {
  try {
    if (method === 'GET') return jsonReply(200, { organizations: [...state.organizations.organizations.values()].map((org) => view(state, org)) });
    if (method === 'POST') return jsonReply(200, seedOrganization(state, parseBody(rawBody)));
    return jsonReply(404, { message: `No control route ${method} ${ORGANIZATION_CONTROL_PATH}.` });
  } catch (error) {
    if (error instanceof OrganizationControlError) return jsonReply(400, { message: error.message });
    throw error;
  }
}

function parseBody(rawBody: string): Body {
  let parsed: unknown;
  try {
    parsed = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
  } catch {
    throw new OrganizationControlError('The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new OrganizationControlError('The body must be a JSON object.');
  return parsed as Body;
}

function onlyFields(body: Body, allowed: string[], where: string): void {
  const unknown = Object.keys(body).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) throw new OrganizationControlError(`Unknown field(s) in ${where}: ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
}

function accountId(value: unknown, name: string): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new OrganizationControlError(`${name} must be a 12-digit account id.`);
  return value;
}

interface AccountInput {
  accountId: string;
  email: string;
  name: string | undefined;
  status: string;
  accessRole: string | null | undefined;
}

function readAccount(raw: unknown, index: number): AccountInput {
  const where = `accounts[${index}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new OrganizationControlError(`${where} must be an object.`);
  const item = raw as Body;
  onlyFields(item, ['accountId', 'email', 'name', 'status', 'accessRole'], where);
  const id = accountId(item.accountId, `${where}.accountId`);
  if (typeof item.email !== 'string' || !item.email.includes('@')) throw new OrganizationControlError(`${where}.email must be an email address.`);
  if (item.name !== undefined && (typeof item.name !== 'string' || item.name === ''))
    throw new OrganizationControlError(`${where}.name must be a non-empty string.`);
  const status = item.status ?? 'ACTIVE';
  if (typeof status !== 'string' || !(status in STATUSES))
    throw new OrganizationControlError(`${where}.status must be one of ${Object.keys(STATUSES).join(', ')}.`);
  const accessRole = item.accessRole;
  if (accessRole !== undefined && accessRole !== null && (typeof accessRole !== 'string' || accessRole === '')) {
    throw new OrganizationControlError(`${where}.accessRole must be a role name or null.`);
  }
  return { accountId: id, email: item.email, name: item.name as string | undefined, status, accessRole: accessRole as string | null | undefined };
}

function seedOrganization(state: EmulatorState, body: Body): Body {
  onlyFields(body, ['managementAccountId', 'accounts', 'delegatedAdministrators'], 'the body');
  const managementAccountId = accountId(body.managementAccountId, 'managementAccountId');
  if (!Array.isArray(body.accounts)) throw new OrganizationControlError('accounts must be a list of {accountId, email, name?, status?, accessRole?}.');
  const inputs = body.accounts.map(readAccount);
  const book = state.organizations;
  const organization = book.organizationManagedBy(managementAccountId);
  for (const input of inputs) {
    const other = book.organizationOf(input.accountId);
    if (other && other.id !== organization.id) {
      throw new OrganizationControlError(
        `Account ${input.accountId} already belongs to organization ${other.id}: an account belongs to one organization at a time.`,
      );
    }
  }
  if (!organization.accounts.has(managementAccountId) && !inputs.some((input) => input.accountId === managementAccountId)) {
    const known = state.accounts.get(managementAccountId)?.email;
    if (known === undefined)
      throw new OrganizationControlError("accounts must include the management account (its email is the organization's MasterAccountEmail).");
    inputs.unshift({ accountId: managementAccountId, email: known, name: undefined, status: 'ACTIVE', accessRole: null });
  }
  const now = Date.now();
  const joined: string[] = [];
  for (const input of inputs) {
    const previous = organization.accounts.get(input.accountId);
    const isManagement = input.accountId === managementAccountId;
    const { status, state: lifecycle } = STATUSES[input.status];
    const account: OrganizationAccount = {
      accountId: input.accountId,
      email: input.email,
      name: input.name ?? previous?.name ?? (isManagement ? 'Management' : `Account ${input.accountId}`),
      status,
      state: lifecycle,
      // The AWS CLI example of list-accounts shows the management account as INVITED, created ones as CREATED.
      joinedMethod: previous?.joinedMethod ?? (isManagement ? 'INVITED' : 'CREATED'),
      joinedAt: previous?.joinedAt ?? new Date(now),
      accessRoleName: input.accessRole === undefined ? (previous?.accessRoleName ?? (isManagement ? null : ORGANIZATION_ACCESS_ROLE)) : input.accessRole,
    };
    book.putAccount(organization, account);
    syncAccountRecord(state, account);
    if (!previous && status === 'ACTIVE') joined.push(input.accountId);
  }
  // Accounts registered as a delegated administrator (RegisterDelegatedAdministrator, for any
  // service): Organizations then lets them call ListAccounts and DescribeAccount.
  const delegated = body.delegatedAdministrators ?? [];
  if (!Array.isArray(delegated)) throw new OrganizationControlError('delegatedAdministrators must be a list of account ids of the organization.');
  for (const [index, id] of delegated.entries()) {
    if (!organization.accounts.has(accountId(id, `delegatedAdministrators[${index}]`))) {
      throw new OrganizationControlError(`delegatedAdministrators[${index}] (${String(id)}) is not an account of the organization.`);
    }
    book.registeredAdministrators.add(id as string);
  }
  const autoEnabled: Record<string, string[]> = {};
  for (const id of joined) {
    const regions = autoEnableJoinedAccount(state, organization, id, now);
    if (regions.length > 0) autoEnabled[id] = regions;
  }
  return { ...view(state, organization), autoEnabled };
}

/**
 * The emulator's own account record follows the organization: same root email, and an account
 * that is not ACTIVE in the organization is SUSPENDED for the emulator (its credentials stop
 * working, core/identity.ts). Role and opt-in regions of a known account are kept.
 */
function syncAccountRecord(state: EmulatorState, account: OrganizationAccount): void {
  const existing = state.accounts.get(account.accountId);
  state.upsertAccount({
    accountId: account.accountId,
    email: account.email,
    status: account.status === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
    optInRegionsDisabled: existing ? [...existing.optInRegionsDisabled] : undefined,
    // A known account keeps its roles; a new one gets the member role template, as any seeded account.
    memberRole: undefined,
  });
}

function view(state: EmulatorState, organization: Organization): Body {
  const delegatedAdministrators: Record<string, string> = {};
  const configurations: Record<string, Body> = {};
  for (const { region, designation } of state.organizations.designationsOf(organization.id)) {
    delegatedAdministrators[region] = designation.adminAccountId;
    const configuration = state.organizations.configuration(organization.id, region);
    configurations[region] = {
      autoEnableOrganizationMembers: configuration.autoEnableMembers,
      features: Object.fromEntries([...configuration.features].map(([name, feature]) => [name, feature.autoEnable])),
    };
  }
  return {
    id: organization.id,
    managementAccountId: organization.managementAccountId,
    accounts: [...organization.accounts.values()].map((account) => ({
      accountId: account.accountId,
      email: account.email,
      name: account.name,
      status: account.status,
      state: account.state,
      accessRole: account.accessRoleName,
    })),
    delegatedAdministrators,
    configurations,
  };
}
