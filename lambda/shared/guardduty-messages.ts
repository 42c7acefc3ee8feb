/**
 * The GuardDuty messages the steps act on, matched by text because GuardDuty reports these cases
 * either as a BadRequestException or as an HTTP 200 `UnprocessedAccounts[].Result` with no code
 * (docs/aws-facts.md, 4.2). Exact texts are in docs/aws-facts.md, 4.4.
 *
 * Assumption: GuardDuty's newer wording may say "administrator" where the quoted texts say
 * "master" (the API renamed the operations), so every pattern accepts either word.
 */
export const GuardDutyMessages = {
  /** CreateDetector: "...a detector already exists for the current account." (docs/aws-facts.md, 4.4) */
  detectorAlreadyExists: /detector already exists/i,
  /** Any detector-scoped call: "...the input detectorId is not owned by the current account." (docs/aws-facts.md, 4.4) */
  detectorNotOwned: /not owned by the current account/i,
  /** CreateMembers: "...is already a member or associated member of the current account." (docs/aws-facts.md, 4.4) */
  alreadyMember: /already a member/i,
  /** CreateMembers: "...cannot create members since it is already an associated member of another master account." (docs/aws-facts.md, 4.4) */
  callerIsMemberElsewhere: /already an associated member of another (master|administrator) account/i,
  /** CreateMembers: "...cannot exceed the maximum number of allowed members" (docs/aws-facts.md, 4.4) */
  memberLimitReached: /maximum number of allowed members/i,
  /** CreateMembers: "...an account cannot become a member of itself." (docs/aws-facts.md, 4.4) */
  memberOfItself: /cannot become a member of itself/i,
  /** InviteMembers: "...has already invited or is already the GuardDuty master of the given member account ID." (docs/aws-facts.md, 4.4) */
  alreadyInvited: /already invited or is already the GuardDuty (master|administrator)/i,
  /**
   * AcceptAdministratorInvitation: "...already a member of a master account." and "...has no pending
   * invitation from the specified master account ID or is already a member of another master account." (docs/aws-facts.md, 4.4)
   */
  memberOfAnAdministrator: /already a member of a (master|administrator) account|member of another (master|administrator) account/i,
  /** AcceptAdministratorInvitation: "...because the account contains created, invited, or associated members." (docs/aws-facts.md, 4.4) */
  memberHasMembers: /contains created, invited, or associated members/i,
  /** AcceptAdministratorInvitation: "...does not have an invitation from the requested master account." (docs/aws-facts.md, 4.4) */
  noInvitation: /does not have an invitation from the requested (master|administrator)/i,
  /** DeleteMembers: "...cannot delete the specified member account ID because it is still associated to it." (docs/aws-facts.md, 4.4) */
  stillAssociated: /because it is still associated/i,
  /**
   * GetMembers/DisassociateMembers/DeleteMembers on an account that is no member. Assumption: the
   * texts seen ("...is not a member of the current account", "...is not an associated member of
   * account the current account", SRA issue #151) both say "not a(n associated) member".
   */
  notAMember: /not an? (associated )?member/i,
  /** DisassociateFromAdministratorAccount: "The current account is not associated with a master account." (docs/aws-facts.md, 4.4) */
  notAssociatedWithAdministrator: /not associated with an? (master|administrator) account/i,
  /** A feature the region does not offer: the text starts "The request is rejected because an invalid or out-of-range value" (docs/aws-facts.md, 4.4). */
  invalidOrOutOfRange: /invalid or out-of-range value/i,
} as const;
