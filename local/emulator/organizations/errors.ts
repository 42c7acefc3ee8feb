/**
 * AWS Organizations errors (JSON 1.1 protocol). Every error shape in botocore's
 * `organizations/2016-11-28` model carries `Message`; some add `Reason` (InvalidInputException) or
 * `Type` (TooManyRequestsException). The model gives none an HTTP status, so the service answers
 * 400 for client errors (as seen live: `AWSOrganizationsNotInUseException ... status code: 400`,
 * nozaq/terraform-aws-secure-baseline #70).
 */
import { AwsError } from '../core/errors';
import type { FaultError } from '../core/types';

/** An Organizations error with the optional `Reason` member. */
export class OrganizationsError extends AwsError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly reason?: string,
  ) {
    super(status, code, message);
  }
}

/** Exact texts as seen from the live service, with where they were seen. */
export const OrganizationsMessages = {
  /** Live text: aws-samples/aws-iam-access-key-auto-rotation #10 (ListAccounts from a member account). */
  accessDenied: "You don't have permissions to access this resource.",
  /** Live text: duo-labs/cloudmapper #733, cloud-custodian #8106 (DescribeOrganization, ListAccounts). */
  notInUse: 'Your account is not a member of an organization.',
  /** Model InvalidInputException doc, reason MAX_VALUE_EXCEEDED. */
  maxValue: 'You provided a numeric parameter that has a larger value than allowed.',
  /** Model InvalidInputException doc, reason MIN_VALUE_EXCEEDED. */
  minValue: 'You provided a numeric parameter that has a smaller value than allowed.',
  /** Emulator wording: the live text for a token that was not issued is not quoted anywhere. */
  invalidNextToken: 'The specified NextToken is not valid.',
  /** Model AccountNotFoundException doc. */
  accountNotFound:
    "We can't find an AWS account with the AccountId that you specified, or the account whose credentials you used to make this request isn't a member of an organization.",
  /** Model InvalidInputException doc, reason INVALID_PATTERN. */
  invalidPattern: "You provided a value that doesn't match the required pattern.",
  /** Emulator wording for a body that is not a JSON object. */
  invalidJson: 'The request body could not be parsed as JSON.',
  /** Model TooManyRequestsException doc. */
  tooManyRequests: 'You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.',
  /** Model ServiceException doc. */
  service: "AWS Organizations can't complete your request because of an internal service error. Try again later.",
} as const;

/** `AccessDeniedException` (400): the caller may not call this operation. */
export function accessDenied(): OrganizationsError {
  return new OrganizationsError(400, 'AccessDeniedException', OrganizationsMessages.accessDenied);
}

/** `AWSOrganizationsNotInUseException` (400): the caller's account is in no organization. */
export function notInUse(): OrganizationsError {
  return new OrganizationsError(400, 'AWSOrganizationsNotInUseException', OrganizationsMessages.notInUse);
}

/** `AccountNotFoundException` (400): the account is not in the caller's organization. */
export function accountNotFound(): OrganizationsError {
  return new OrganizationsError(400, 'AccountNotFoundException', OrganizationsMessages.accountNotFound);
}

/** `InvalidInputException` (400) with its reason code. */
export function invalidInput(reason: string, message: string): OrganizationsError {
  return new OrganizationsError(400, 'InvalidInputException', message, reason);
}

/**
 * The error an injected fault produces for an Organizations call: `TooManyRequestsException`
 * (throttling, in both SDKs' throttling lists), `ServiceException` (the model's server error; 500,
 * so SDKs treat it as retryable) and `AccessDeniedException`.
 */
export function organizationsFaultError(error: FaultError): AwsError {
  if (error === 'throttle') return new OrganizationsError(400, 'TooManyRequestsException', OrganizationsMessages.tooManyRequests);
  if (error === 'internal') return new OrganizationsError(500, 'ServiceException', OrganizationsMessages.service);
  return accessDenied();
}
