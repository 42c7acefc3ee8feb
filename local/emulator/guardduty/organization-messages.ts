/**
 * Messages of GuardDuty's organization operations. Where a text was seen from the live service it
 * is used verbatim and its source named; the others are emulator wording in the service's style
 * ("The request is rejected because ...", see core/errors.ts), because no source quotes them.
 */
export const GuardDutyOrganizationMessages = {
  /**
   * Live text (aws-security-reference-architecture-examples #141, UpdateOrganizationConfiguration by
   * an account that was not, or not yet, the delegated administrator). Used for every organization
   * operation called by an account without the organization role it needs.
   */
  noOrganizationPermission: 'The request failed because you do not have required AWS Organization master permission.',
  /**
   * Live text (superwerker #84 CloudTrail `unprocessedAccounts`, cloudposse/terraform-aws-components
   * #822; docs/aws-facts.md, 4.4): CreateMembers by the delegated administrator for the management account while
   * the management account has no enabled detector in the region. The GuardDuty user guide: "Accounts
   * added as members will have GuardDuty enabled in that region, with the exception of the
   * organization management account, which must first enable GuardDuty before it can be added as a
   * member account" (awsdocs/amazon-guardduty-user-guide `guardduty_organizations.md`).
   */
  managementNotEnabled: 'Operation failed because your organization master must first enable GuardDuty to be added as a member',
  /**
   * Live text (pepperize/cdk-organizations #716), seen when registering an account that already is
   * the delegated administrator.
   */
  alreadyDesignated: 'The provided account is already a delegated administrator for your organization.',
  /**
   * Emulator wording. The user guide: "An organization can have only one delegated administrator ...
   * that account must be your delegated administrator in all other regions."
   */
  otherAdministrator: (adminAccountId: string) =>
    `The request is rejected because the organization already has a GuardDuty delegated administrator account (${adminAccountId}). Remove it before designating another account.`,
  /** Emulator wording (DisableOrganizationAdminAccount for an account that is not the delegated administrator). */
  notDesignated: 'The request is rejected because the given account ID is not the GuardDuty delegated administrator for the organization in this Region.',
  /**
   * Emulator wording. The user guide ("Changing the delegated GuardDuty administrator account"):
   * "Before you remove a delegated GuardDuty administrator account, you must disassociate all the
   * member accounts associated with the delegated GuardDuty administrator account".
   */
  stillHasMembers: 'The request is rejected because the delegated administrator account still has associated member accounts in this Region.',
  /** Emulator wording, adapted from the caller-side text of docs/aws-facts.md, 4.4 ("...already an associated member of another master account"). */
  memberOfAnotherAdministrator: 'The request is rejected because the given account ID is already an associated member of another master account.',
  /**
   * Emulator wording. The user guide: "delegated administrator accounts with active members cannot
   * be added to a different GuardDuty delegated administrator account".
   */
  targetHasMembers: 'The request is rejected because the given account ID has created, invited, or associated members of its own.',
  /** Emulator wording: the docs do not say what CreateMembers answers for a suspended organization account. */
  targetSuspended: 'The request is rejected because the given account ID is not an active account of the organization.',
  /** UpdateOrganizationConfiguration doc: "You must provide a value for either autoEnableOrganizationMembers or autoEnable, but not both." */
  autoEnableXor: 'The request is rejected because you must provide a value for either autoEnableOrganizationMembers or autoEnable, but not both.',
} as const;
