// The API's own limits and patterns, so a request that does not come through API Gateway meets the same rules.
import { protectionPlansProblem } from '../../contract/protection-plans';
import type { ProtectionPlans } from '../../contract/protection-plans';
import { isGuardDutyRegion, unknownRegionMessage } from '../../contract/guardduty-regions';
import { TerminalErrors } from '../../contract/error-names';
import { EnrollmentError } from './errors';
import { maskEmail } from './mask';
import type { BatchPartInput, EnrollmentRequest, OffboardState, PartVerification, RegionInput, RegionState } from '../../contract/workflow-types';
import {
  ACCOUNT_ID_PATTERN as API_ACCOUNT_ID_PATTERN,
  EMAIL_PATTERN,
  MAX_INVITATION_MESSAGE_LENGTH,
  MAX_REGIONS_PER_ENROLLMENT,
  REGION_NAME_MAX_LENGTH,
  REGION_PATTERN as API_REGION_PATTERN,
} from '../../contract/api-rules';

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_PATTERN = new RegExp(API_ACCOUNT_ID_PATTERN);

/** An AWS region name such as us-east-1, us-gov-west-1 or ap-southeast-5. */
export const REGION_PATTERN = new RegExp(API_REGION_PATTERN);

/** The longest invitation message this product accepts (its API contract). */
export { MAX_INVITATION_MESSAGE_LENGTH };

// docs/aws-facts.md, 4.1 / API reference AccountDetail.Email: characters the local part may not contain.
const FORBIDDEN_IN_LOCAL_PART = /[\s"'()<>[\]:,\\|%&]/;

/**
 * Why `email` is not an address GuardDuty accepts for a member, or undefined when it is valid.
 * Rules from the API reference (AccountDetail.Email, docs/aws-facts.md, 4.1).
 */
export function emailProblem(email: string): string | undefined {
  if (email.length < 6 || email.length > 64) return 'it must be 6 to 64 characters long';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: 7-bit ASCII is the range from NUL to DEL.
  if (!/^[\x00-\x7f]*$/.test(email)) return 'it must contain only 7-bit ASCII characters';
  const parts = email.split('@');
  if (parts.length !== 2) return "it must contain exactly one '@'";
  const [local, domain] = parts as [string, string];
  if (local.length === 0) return "it needs a local part before the '@'";
  if (FORBIDDEN_IN_LOCAL_PART.test(local)) {
    return `the part before the '@' must not contain whitespace or any of " ' ( ) < > [ ] : , \\ | % &`;
  }
  if (local.startsWith('.')) return "the part before the '@' must not start with '.'";
  if (!/^[A-Za-z0-9.-]+$/.test(domain)) return 'the domain may contain only letters, digits, hyphens and dots';
  if (!domain.includes('.')) return 'the domain must contain at least one dot';
  if (/^[.-]|[.-]$/.test(domain)) return "the domain must not begin or end with '.' or '-'";
  return undefined;
}

/**
 * Whether an optional invitation message is acceptable. Counted in characters (code points), as the
 * API's JSON-schema maxLength counts them: counting UTF-16 units would refuse a message of emoji
 * the API already accepted.
 */
function isValidInvitationMessage(message: unknown): boolean {
  return message === undefined || (typeof message === 'string' && [...message].length <= MAX_INVITATION_MESSAGE_LENGTH);
}

const API_EMAIL = new RegExp(EMAIL_PATTERN);

/** The fields of an enrollment request (POST /enrollments' model allows no others). */
const REQUEST_FIELDS: readonly string[] = ['accountId', 'email', 'regions', 'invitationMessage', 'protectionPlans'] satisfies (keyof EnrollmentRequest)[];

/**
 * Why `body` is not an enrollment request `POST /enrollments` would accept, or undefined when it is
 * one. The rules of the API's model (contract/api-schemas.ts ENROLLMENT_REQUEST_SCHEMA), for requests
 * that do not come through API Gateway (enrollment events): only the four fields; a 12-digit
 * `accountId`; an `email` GuardDuty accepts ({@link emailProblem}); `regions`, when given, 1 to
 * MAX_REGIONS_PER_ENROLLMENT distinct region names of at most REGION_NAME_MAX_LENGTH characters;
 * an `invitationMessage` of at most MAX_INVITATION_MESSAGE_LENGTH characters. The reason never
 * contains the email.
 */
export function enrollmentRequestProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return 'the request must be a JSON object {accountId, email, regions?, invitationMessage?, protectionPlans?}';
  const request = body as Record<string, unknown>;
  const unknown = Object.keys(request).filter((field) => !REQUEST_FIELDS.includes(field));
  if (unknown.length > 0) return `unknown field(s) ${unknown.join(', ')}: only ${REQUEST_FIELDS.join(', ')} are allowed`;
  const { accountId, email, regions, invitationMessage } = request;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) return 'accountId must be a 12-digit AWS account id';
  if (typeof email !== 'string') return "email is missing; give the account's root user email";
  // GuardDuty's rule with its reason, then the API model's pattern (which also refuses control characters).
  const problem = emailProblem(email) ?? (API_EMAIL.test(email) ? undefined : 'it contains a character the API does not accept in an address');
  if (problem) return `email ${maskEmail(email)} is not valid for GuardDuty: ${problem}`;
  if (regions !== undefined) {
    const names = Array.isArray(regions) ? (regions as unknown[]) : [];
    const valid = (name: unknown) => typeof name === 'string' && name.length <= REGION_NAME_MAX_LENGTH && REGION_PATTERN.test(name);
    if (names.length < 1 || names.length > MAX_REGIONS_PER_ENROLLMENT || !names.every(valid) || new Set(names).size !== names.length) {
      return `regions, when given, must be 1 to ${MAX_REGIONS_PER_ENROLLMENT} distinct region names such as us-east-1`;
    }
    const unknownRegion = names.find((name) => !isGuardDutyRegion(name));
    if (unknownRegion !== undefined) return unknownRegionMessage(String(unknownRegion));
  }
  if (!isValidInvitationMessage(invitationMessage)) return `invitationMessage must be a string of at most ${MAX_INVITATION_MESSAGE_LENGTH} characters`;
  if (request.protectionPlans !== undefined) return protectionPlansProblem(request.protectionPlans);
  return undefined;
}

/** The parts of a RegionInput CreateMember works with, validated. */
export interface ValidEnrollment {
  enrollmentId: string;
  accountId: string;
  email: string;
  region: string;
  invitationMessage?: string;
  /** The request's plans over the profile; null when it names none. */
  protectionPlans: ProtectionPlans | null;
}

function invalid(message: string): EnrollmentError {
  return new EnrollmentError(TerminalErrors.InvalidEnrollmentRequest, message);
}

/** `region` if it is a region where GuardDuty runs; else InvalidEnrollmentRequest naming it (docs/aws-facts.md, Regions). */
function guardDutyRegion(region: unknown): string {
  if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
    throw invalid(`region '${String(region)}' is not an AWS region name such as us-east-1`);
  }
  if (!isGuardDutyRegion(region)) throw invalid(unknownRegionMessage(region));
  return region;
}

/**
 * Validates the request CreateMember receives for one region.
 * @throws EnrollmentError InvalidEnrollmentRequest naming the bad field.
 */
export function validateRegionInput(input: RegionInput, adminAccountId: string): ValidEnrollment {
  const request = input?.request;
  const region = guardDutyRegion(input?.region);
  if (!request || typeof request !== 'object') {
    throw invalid(`the enrollment request is missing for region ${region}`);
  }
  const { accountId, email, invitationMessage } = request;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw invalid(`accountId '${String(accountId)}' is not a 12-digit AWS account id (region ${region})`);
  }
  if (typeof email !== 'string') {
    throw invalid(`email is missing for account ${accountId} (region ${region}); give the account's root user email`);
  }
  const problem = emailProblem(email);
  if (problem) {
    throw invalid(`email ${maskEmail(email)} for account ${accountId} (region ${region}) is not valid for GuardDuty: ${problem}`);
  }
  if (!isValidInvitationMessage(invitationMessage)) {
    throw invalid(`invitationMessage for account ${accountId} (region ${region}) must be a string of at most ${MAX_INVITATION_MESSAGE_LENGTH} characters`);
  }
  const plansProblem = request.protectionPlans === undefined || request.protectionPlans === null ? undefined : protectionPlansProblem(request.protectionPlans);
  if (plansProblem) throw invalid(`${plansProblem} (account ${accountId}, region ${region})`);
  if (accountId === adminAccountId) {
    // docs/aws-facts.md, 4.4: GuardDuty refuses it ("an account cannot become a member of itself").
    throw invalid(`account ${accountId} is the GuardDuty administrator account itself and cannot be enrolled as its own member (region ${region})`);
  }
  return {
    enrollmentId: String(input.enrollmentId),
    accountId,
    email,
    region,
    ...(invitationMessage !== undefined ? { invitationMessage } : {}),
    protectionPlans: request.protectionPlans ?? null,
  };
}

/**
 * Checks the per-region state a later step receives (it comes from CreateMember through the state
 * machine, so a failure here means the workflow definition and the handlers disagree).
 * @throws EnrollmentError InvalidEnrollmentRequest naming the bad field.
 */
export function validateRegionState(state: RegionState): RegionState {
  if (typeof state?.region !== 'string' || !REGION_PATTERN.test(state.region)) {
    throw invalid(`the workflow state has no valid region ('${String(state?.region)}')`);
  }
  if (typeof state.accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(state.accountId)) {
    throw invalid(`the workflow state for region ${state.region} has no valid accountId ('${String(state.accountId)}')`);
  }
  if (typeof state.adminDetectorId !== 'string' || state.adminDetectorId.length === 0) {
    throw invalid(`the workflow state for account ${state.accountId} in ${state.region} has no adminDetectorId`);
  }
  return state;
}

/**
 * Checks the per-region state of an offboarding (from the offboarding Map's ItemSelector, whose
 * input offboard.request.vtl validated already), and refuses offboarding the administrator itself.
 * @throws EnrollmentError InvalidEnrollmentRequest naming the bad field.
 */
export function validateOffboardState(state: OffboardState, adminAccountId: string): OffboardState {
  guardDutyRegion(state?.region);
  if (typeof state.accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(state.accountId)) {
    throw invalid(`accountId '${String(state.accountId)}' is not a 12-digit AWS account id (region ${state.region})`);
  }
  if (typeof state.deleteDetector !== 'boolean') {
    throw invalid(`deleteDetector must be true or false for account ${state.accountId} (region ${state.region})`);
  }
  if (state.accountId === adminAccountId) {
    throw invalid(`account ${state.accountId} is the GuardDuty administrator account itself, not a member; it cannot be offboarded (region ${state.region})`);
  }
  return state;
}

/**
 * Checks a batch part's input (from the batch's state machine; its accounts are validated one by one
 * by PrepareMembers, so one bad account fails alone).
 * @throws EnrollmentError InvalidEnrollmentRequest naming the bad field.
 */
export function validateBatchPart(input: BatchPartInput): BatchPartInput {
  guardDutyRegion(input?.region);
  if (typeof input.batchId !== 'string' || input.batchId.length === 0 || typeof input.part !== 'string') {
    throw invalid(`the batch part for region ${input.region} has no batchId or part`);
  }
  if (!Array.isArray(input.accounts) || input.accounts.length === 0) {
    throw invalid(`batch part ${input.part} has no accounts`);
  }
  if (input.invitationMessage !== null && typeof input.invitationMessage !== 'string') {
    throw invalid(`invitationMessage of batch part ${input.part} must be a string or null`);
  }
  return input;
}

/**
 * Checks VerifyMembers' input (built by the batch part's state machine).
 * @throws EnrollmentError InvalidEnrollmentRequest naming the bad field.
 */
export function validatePartVerification(input: PartVerification): PartVerification {
  if (typeof input?.region !== 'string' || !REGION_PATTERN.test(input.region)) {
    throw invalid(`the verification of a batch part has no valid region ('${String(input?.region)}')`);
  }
  if (!Number.isInteger(input.attempt) || input.attempt < 0 || !Number.isInteger(input.maxAttempts) || input.maxAttempts < 1) {
    throw invalid(`the verification of batch part ${String(input.part)} needs a whole attempt >= 0 and maxAttempts >= 1`);
  }
  if (!Array.isArray(input.finished) || !Array.isArray(input.checking)) {
    throw invalid(`the verification of batch part ${String(input.part)} needs finished and checking lists`);
  }
  for (const entry of input.checking) if (!('outcome' in entry)) validateRegionState(entry);
  return input;
}

/**
 * Checks ApplyPartPlans' input (built by the batch part's state machine from VerifyMembers' result).
 * @throws EnrollmentError InvalidEnrollmentRequest naming the bad field.
 */
export function validatePartPlans<T extends { region: string; part: string; protectionPlans?: unknown; accounts: unknown[] }>(input: T): T {
  if (typeof input?.region !== 'string' || !REGION_PATTERN.test(input.region)) {
    throw invalid(`the protection plans of a batch part have no valid region ('${String(input?.region)}')`);
  }
  if (!Array.isArray(input.accounts)) throw invalid(`the protection plans of batch part ${String(input.part)} need the part's accounts`);
  const problem = input.protectionPlans === null || input.protectionPlans === undefined ? undefined : protectionPlansProblem(input.protectionPlans);
  if (problem) throw invalid(`${problem} (batch part ${String(input.part)})`);
  return input;
}
