/**
 * Members "via Organizations": what CreateMembers does when the caller is the region's designated
 * delegated administrator and the account belongs to its organization, and what auto-enable does
 * when an account joins the organization later.
 *
 * CreateMembers API reference: "As a delegated administrator, using CreateMembers will enable
 * GuardDuty in the added member accounts ... When you use CreateMembers as an Organizations
 * delegated administrator, GuardDuty applies your organization's auto-enable settings to the member
 * accounts in this request". User guide: "When you add an account as a member, GuardDuty is
 * automatically enabled in that account in the current Region. This behaviour differs from the
 * invitation method". So there is no invitation: the member is associated at once.
 */
import { GuardDutyMessages as M } from '../core/errors';
import { createDetectorRecord } from './detectors';
import type { GuardDutyCall } from './input';
import { GuardDutyOrganizationMessages as OM } from './organization-messages';
import type { Organization } from '../organizations/state';
import { hasActiveMembers, isAssociated } from './relationships';
import { hexId, regionalKey } from '../core/state';
import type { EmulatorState } from '../core/state';
import type { Detector, DetectorStatus, MemberRecord } from '../core/types';

/**
 * Members per delegated administrator: "A delegated GuardDuty administrator account can manage a
 * maximum of 50,000 members ... This includes member accounts that are [added by invitation]"
 * (current user guide, docs/aws-facts.md, 4.1).
 */
export const ORGANIZATION_MEMBER_LIMIT = 50_000;

/**
 * CreateMembers' organization path for one account. Returns undefined when it does not apply
 * (the caller is not the region's delegated administrator, or the account is not in its
 * organization): the invitation path then runs as before. Otherwise returns the UnprocessedAccounts
 * result, or null when the account is now a member.
 */
export function createOrganizationMember(call: GuardDutyCall, accountId: string, email: string): string | null | undefined {
  const organization = call.state.organizations.administeredOrganization(call.caller.accountId, call.region);
  if (!organization?.accounts.has(accountId)) return undefined;
  return associateOrganizationMember(call.state, organization, call.caller.accountId, call.region, accountId, email, call.now) ?? null;
}

/**
 * Makes `accountId` an associated member of the delegated administrator `adminId` in `region`;
 * returns why not, as an UnprocessedAccounts result.
 *
 * Choices where the docs are silent or only describe the console:
 * - An account that has no detector gets one, ENABLED with the default features; a DISABLED
 *   detector is enabled ("will enable GuardDuty in the added member accounts"). The organization's
 *   feature auto-enable settings (NEW/ALL) are then switched on in it.
 * - The management account is the documented exception: without an ENABLED detector in the region
 *   it is refused with the live docs/aws-facts.md, 4.4 message, and nothing is created for it.
 * - An account can be an invitation member or an organization member, never both: one that is
 *   associated with another administrator (by invitation) is refused; one already associated with
 *   this administrator (by invitation or not) is "already a member" (the user guide: its Type just
 *   changes to "via Organizations"); a pending invitation from this administrator (Created, Invited,
 *   ...) or a past one (Removed, Resigned) is replaced by the organization membership, and
 *   disassociated organization members are re-associated ("You can create an association with these
 *   member accounts again only by calling the CreateMembers API", CreateMembers doc).
 * - Once an organization member, the account has this administrator, so it cannot accept another
 *   administrator's invitation (AcceptAdministratorInvitation's "already a member" error).
 * - The member's `GetAdministratorAccount` shows a generated invitation id: organization members
 *   never had an invitation, and the docs do not say what the field holds for them.
 */
export function associateOrganizationMember(
  state: EmulatorState,
  organization: Organization,
  adminId: string,
  region: string,
  accountId: string,
  email: string,
  now: number,
): string | undefined {
  if (accountId === adminId) return M.memberOfItself;
  if (state.administratorOf(adminId, region)) return M.callerIsMemberCreate;
  const list = state.memberList(adminId, region);
  const record = list.get(accountId);
  if (record && isAssociated(record)) return M.alreadyMember;
  const link = state.administratorOf(accountId, region);
  if (link && link.administratorId !== adminId) return OM.memberOfAnotherAdministrator;
  if (hasActiveMembers(state, accountId, region)) return OM.targetHasMembers;
  const account = organization.accounts.get(accountId);
  if (account?.status !== 'ACTIVE' || state.account(accountId).status !== 'ACTIVE') return OM.targetSuspended;
  const detector = state.detectorOf(accountId, region);
  if (accountId === organization.managementAccountId && detector?.status !== 'ENABLED') return OM.managementNotEnabled;
  if (!record && list.size >= ORGANIZATION_MEMBER_LIMIT) return M.memberLimit;

  const memberDetector = detector ?? createDetectorRecord(state, accountId, region, 'ENABLED', now);
  enableWithOrganizationFeatures(state, organization, memberDetector, region, now);
  // A pending or past invitation from this administrator gives way to the organization membership.
  state.removeInvitations((inv) => inv.administratorId === adminId && inv.inviteeId === accountId && inv.region === region);
  const at = new Date(now);
  const member: MemberRecord = record ?? {
    accountId,
    email,
    administratorId: adminId,
    region,
    relationship: 'Associated',
    monitoringStopped: false,
    invitedAt: at,
    updatedAt: at,
    pendingVerification: undefined,
  };
  member.email = email;
  member.relationship = 'Associated';
  member.monitoringStopped = false;
  member.pendingVerification = undefined;
  member.invitedAt = member.invitedAt ?? at;
  member.updatedAt = at;
  list.set(accountId, member);
  state.administrators.set(regionalKey(accountId, region), { administratorId: adminId, invitationId: hexId(), invitedAt: member.invitedAt });
  return undefined;
}

/** Enables the detector and the features the organization auto-enables (NEW or ALL). */
function enableWithOrganizationFeatures(state: EmulatorState, organization: Organization, detector: Detector, region: string, now: number): void {
  const at = new Date(now);
  if (detector.status !== 'ENABLED') {
    detector.status = 'ENABLED';
    detector.updatedAt = at;
  }
  const configuration = state.organizations.configuration(organization.id, region);
  const on = (value: string): boolean => value === 'NEW' || value === 'ALL';
  for (const [name, feature] of configuration.features) {
    if (!on(feature.autoEnable)) continue;
    const additionalConfiguration = [...feature.additional]
      .filter(([, value]) => on(value))
      .map(([extra]) => ({ name: extra, status: 'ENABLED' as DetectorStatus, updatedAt: at }));
    detector.features.set(name, { status: 'ENABLED', updatedAt: at, additionalConfiguration });
  }
}

/**
 * Auto-enable for an account that joins the organization (control API): in every region where the
 * organization has a delegated administrator whose AutoEnableOrganizationMembers is NEW or ALL, the
 * account becomes a member as if the administrator had called CreateMembers. Returns those regions.
 * Refusals (e.g. the management account without GuardDuty) leave the account out silently, as the
 * service's background enrollment would.
 */
export function autoEnableJoinedAccount(state: EmulatorState, organization: Organization, accountId: string, now: number): string[] {
  const account = organization.accounts.get(accountId);
  if (!account) return [];
  const enrolled: string[] = [];
  for (const { region, designation } of state.organizations.designationsOf(organization.id)) {
    const mode = state.organizations.configuration(organization.id, region).autoEnableMembers;
    if (mode !== 'NEW' && mode !== 'ALL') continue;
    const problem = associateOrganizationMember(state, organization, designation.adminAccountId, region, accountId, account.email, now);
    if (problem === undefined) enrolled.push(region);
  }
  return enrolled;
}
