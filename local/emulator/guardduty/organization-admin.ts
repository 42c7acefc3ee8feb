/**
 * Designating GuardDuty's delegated administrator: EnableOrganizationAdminAccount (POST
 * /admin/enable), DisableOrganizationAdminAccount (POST /admin/disable) and
 * ListOrganizationAdminAccounts (GET /admin), paths from botocore's GuardDuty model. All three:
 * "Only the organization's management account can run this API operation" (API reference), and
 * all are regional: "A delegated administrator is Regional" (user guide).
 */
import { GuardDutyMessages as M, badRequest } from '../core/errors';
import { createDetectorRecord, withNextToken } from './detectors';
import { isAccountId, pageRequest, paginate } from './input';
import type { GuardDutyCall, GuardDutyHandler } from './input';
import { GuardDutyOrganizationMessages as OM } from './organization-messages';
import type { Organization } from '../organizations/state';
import { regionalKey } from '../core/state';

/** The caller's organization when the caller is its management account; the live "master permission" error otherwise. */
function managedOrganization(call: GuardDutyCall): Organization {
  const organization = call.state.organizations.organizationOf(call.caller.accountId);
  if (!organization || organization.managementAccountId !== call.caller.accountId) throw badRequest(OM.noOrganizationPermission);
  return organization;
}

/** The `adminAccountId` body member: 12 digits and an ACTIVE account of the organization. */
function readAdminAccountId(call: GuardDutyCall, organization: Organization): string {
  const adminAccountId = call.body.adminAccountId;
  // SRA issues #178/#185 show the generic "invalid or out-of-range value" text for a designation
  // GuardDuty refuses; the emulator uses it for an id that is malformed or not an active account
  // of the organization (Organizations also refuses to register a suspended account:
  // CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR).
  if (!isAccountId(adminAccountId)) throw badRequest(M.invalidInput);
  const account = organization.accounts.get(adminAccountId);
  if (account?.status !== 'ACTIVE') throw badRequest(M.invalidInput);
  return adminAccountId;
}

/**
 * POST /admin/enable. Designates the account in the caller's region and:
 * - registers it as Organizations delegated administrator (so it may call ListAccounts);
 * - enables GuardDuty for it in that region: "If GuardDuty is not already enabled for that account
 *   in the current Region, it will be automatically enabled" (user guide, API steps) — a missing
 *   detector is created, a disabled one is enabled.
 *
 * Refused (400): the same account again (live text, pepperize/cdk-organizations #716: a strict
 * emulator shows callers that do not check ListOrganizationAdminAccounts first); another account
 * while one is designated here or in any other region ("that account must be your delegated
 * administrator in all other regions", user guide).
 *
 * Not refused: a management account without GuardDuty. The user guide lets it designate before
 * enabling GuardDuty ("If GuardDuty is not already enabled, you can select Get Started and then
 * designate a GuardDuty delegated administrator"); the docs/aws-facts.md, 4.4 message "your organization master
 * must first enable GuardDuty to be added as a member" is CreateMembers' answer for the management
 * account (see organization-members.ts).
 */
export const enableOrganizationAdminAccount: GuardDutyHandler = (call) => {
  const { state, region, now } = call;
  const organization = managedOrganization(call);
  const adminAccountId = readAdminAccountId(call, organization);
  const book = state.organizations;
  const current = book.designation(organization.id, region);
  if (current?.adminAccountId === adminAccountId) throw badRequest(OM.alreadyDesignated);
  if (current) throw badRequest(OM.otherAdministrator(current.adminAccountId));
  const elsewhere = book.designationsOf(organization.id).find(({ designation }) => designation.adminAccountId !== adminAccountId);
  if (elsewhere) throw badRequest(OM.otherAdministrator(elsewhere.designation.adminAccountId));
  book.setDesignation(organization.id, region, { adminAccountId, designatedAt: new Date(now) });
  book.registeredAdministrators.add(adminAccountId);
  const detector = state.detectorOf(adminAccountId, region);
  if (!detector) createDetectorRecord(state, adminAccountId, region, 'ENABLED', now);
  else if (detector.status !== 'ENABLED') {
    detector.status = 'ENABLED';
    detector.updatedAt = new Date(now);
  }
  return {};
};

/**
 * POST /admin/disable. Removes the region's designation and its organization configuration; the
 * administrator's detector and the Organizations registration stay (the user guide de-registers in
 * Organizations as a separate, global step). Refused while the administrator still has associated
 * members in the region (user guide: "you must disassociate all the member accounts" first).
 */
export const disableOrganizationAdminAccount: GuardDutyHandler = (call) => {
  const { state, region } = call;
  const organization = managedOrganization(call);
  const adminAccountId = call.body.adminAccountId;
  if (!isAccountId(adminAccountId)) throw badRequest(M.invalidInput);
  const current = state.organizations.designation(organization.id, region);
  if (current?.adminAccountId !== adminAccountId) throw badRequest(OM.notDesignated);
  const members = state.members.get(regionalKey(adminAccountId, region));
  if (members && [...members.values()].some((record) => record.relationship === 'Associated')) throw badRequest(OM.stillHasMembers);
  state.organizations.setDesignation(organization.id, region, undefined);
  return {};
};

/**
 * GET /admin. The region's designated administrator, with AdminStatus ENABLED (model enum
 * AdminStatus: ENABLED | DISABLE_IN_PROGRESS; the emulator removes designations at once, so it
 * never shows DISABLE_IN_PROGRESS). Paginated like every GuardDuty list (maxResults 1..50).
 */
export const listOrganizationAdminAccounts: GuardDutyHandler = (call) => {
  const organization = managedOrganization(call);
  const page = pageRequest(call.query);
  const designation = call.state.organizations.designation(organization.id, call.region);
  const admins = designation ? [{ adminAccountId: designation.adminAccountId, adminStatus: 'ENABLED' }] : [];
  const result = paginate(admins, page);
  return withNextToken({ adminAccounts: result.items }, result.nextToken);
};
