/**
 * The error every handler throws, and the exact texts AWS uses. Each protocol module renders an
 * {@link AwsError} its own way (REST-JSON body + `x-amzn-ErrorType` for GuardDuty, `<ErrorResponse>`
 * XML for STS).
 */

/** An AWS error response: HTTP status, error code (the SDK's `error.name`) and message. */
export class AwsError extends Error {
  /**
   * @param status HTTP status code.
   * @param code Error code, e.g. `BadRequestException`; SDKs surface it as `error.name`.
   * @param message Human-readable text, surfaced as `error.message`.
   * @param fault `Sender` for client errors, `Receiver` for server errors (STS's `<Type>`).
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** The text AWS uses for an invalid, unknown or disabled-region access key (docs/aws-facts.md, pain point 3). */
export const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';

/**
 * GuardDuty messages. Where docs/aws-facts.md, 4.4 quotes a message as seen from the service, it is used verbatim.
 * Where only the 2018 API doc (awsdocs/amazon-guardduty-user-guide `doc_source/*.md`, written as
 * "The request is rejected. The X ...") lists the situation, the text is rewritten in the form the
 * service actually answers with ("The request is rejected because the X ..."), as the quoted live
 * messages show (e.g. docs/aws-facts.md, 4.4 "already invited" vs the doc's wording).
 */
export const GuardDutyMessages = {
  /** docs/aws-facts.md, 4.4 (CreateDetector). */
  detectorExists: 'The request is rejected because a detector already exists for the current account.',
  /** docs/aws-facts.md, 4.4 (TF member.go, invite_accepter.go). */
  detectorNotOwned: 'The request is rejected because the input detectorId is not owned by the current account.',
  /** Live text from aws-cli issue #3295 (GetMembers without account ids); docs/aws-facts.md, 4.4 "Feature not in region". */
  invalidInput: 'The request is rejected because an invalid or out-of-range value is specified as an input parameter.',
  /** Emulator wording for an unreadable JSON body; the docs do not quote one. */
  invalidJson: 'The request is rejected because the JSON in the request body could not be parsed.',
  /** docs/aws-facts.md, 4.4 (SRA issue #139) shape, with the actual array name and length. */
  tooMany: (member: string, length: number) =>
    `The request failed because the length provided for the ${member} array was ${length}. Max allowed length is 50.`,
  /** Same shape for an empty list (model: min 1). The live text for this case is not quoted anywhere. */
  tooFew: (member: string, length: number) => `The request failed because the length provided for the ${member} array was ${length}. Min allowed length is 1.`,
  /** docs/aws-facts.md, 4.4 (c7n issue #3209). */
  alreadyMember: 'The request is rejected because the given account ID is already a member or associated member of the current account.',
  /** docs/aws-facts.md, 4.4 (old doc create-members.md). */
  callerIsMemberCreate:
    'The request is rejected because the current account cannot create members since it is already an associated member of another master account.',
  /** docs/aws-facts.md, 4.4 (old doc create-members.md). */
  memberOfItself: 'The request is rejected because an account cannot become a member of itself.',
  /** Old doc create-members.md (LimitExceededException, HTTP 200). */
  memberLimit: 'The request is rejected because the current account cannot create more members because it cannot exceed the maximum number of allowed members.',
  /** docs/aws-facts.md, 4.4 (TF member.go, c7n #3209). */
  alreadyInvited: 'The request is rejected because the current account has already invited or is already the GuardDuty master of the given member account ID.',
  /** Old doc invite-members.md. */
  callerIsMemberInvite:
    'The request is rejected because the current account cannot invite other accounts because it is already a member of another master account.',
  /** docs/aws-facts.md, 4.4 (old doc invite-members.md). */
  inviteSelf: 'The request is rejected because the current account cannot invite itself.',
  /** Old doc stop-monitoring-members.md ("The specified account ID is not a member of the current account"). */
  notMember: 'The request is rejected because the given account ID is not a member of the current account.',
  /** Live text (sic) from SRA issue #151 (UpdateMemberDetectors on a non-associated member). */
  notAssociatedMember: 'The request is rejected because the given account ID is not an associated member of account the current account.',
  /** docs/aws-facts.md, 4.4 (old doc delete-members.md). */
  stillAssociated: 'The request is rejected because the current account cannot delete the specified member account ID because it is still associated to it.',
  /** docs/aws-facts.md, 4.4 (old doc accept-invitation.md). */
  alreadyMemberOfMaster: 'The current account cannot accept invitations because it is already a member of a master account.',
  /** docs/aws-facts.md, 4.4 (old doc accept-invitation.md). */
  hasMembers: 'The current account cannot accept invitations because the account contains created, invited, or associated members.',
  /** Old doc accept-invitation.md. */
  inviterIsMember:
    'The request is rejected because the current account cannot accept an invitation from the specified account ID because the latter is a member of another master account.',
  /** docs/aws-facts.md, 4.4 (org-formation-cli #542). */
  noInvitation: 'The request is rejected because the current account does not have an invitation from the requested master account.',
  /** docs/aws-facts.md, 4.4 (old doc disassociate-from-master-account.md). */
  notAssociated: 'The current account is not associated with a master account.',
  /** docs/aws-facts.md, 4.2: specifying both runtime monitoring features is an error; the live text is not quoted. */
  bothRuntimeFeatures: 'The request is rejected because EKS_RUNTIME_MONITORING and RUNTIME_MONITORING cannot be specified in the same request.',
  /**
   * Emulator wording: features an Organizations GuardDuty policy manages are read-only through the
   * API (docs/aws-facts.md, GuardDuty protection plans); the live text is not quoted anywhere.
   */
  policyManaged: (feature: string) =>
    `The request is rejected because the feature ${feature} is managed by a GuardDuty policy and cannot be changed through the API.`,
} as const;

/** A GuardDuty `BadRequestException` (400), the only client error the model declares (docs/aws-facts.md, 4.2). */
export function badRequest(message: string): AwsError {
  return new AwsError(400, 'BadRequestException', message);
}
