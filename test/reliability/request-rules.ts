/**
 * The documented rules of an enrollment request (README, "The API"), written out independently of
 * the API's JSON schema so the fuzz tests can check the schema against them. The email rule is the
 * Lambda's own (lambda/shared/validation.ts, GuardDuty's documented rule): what the API lets through,
 * the workflow must accept too.
 */
import { GUARDDUTY_REGIONS } from '../../contract/guardduty-regions';
import { emailProblem } from '../../lambda/shared/validation';
import { REGION_PATTERN } from '../../contract/api-rules';

export const REQUEST_FIELDS = ['accountId', 'email', 'regions', 'invitationMessage'] as const;
export const MAX_REGIONS = 40;
export const MAX_MESSAGE_CODE_POINTS = 1000;
/** The longest region name anyone uses is 14 characters (e.g. ap-southeast-7); the API allows 32. */
export const MAX_REGION_NAME_LENGTH = 32;
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,80}$/;
export const ADMIN_ACCOUNT = '111111111111';

const regionPattern = new RegExp(REGION_PATTERN);

/** GuardDuty's email rule, on printable ASCII (control characters are never part of an address). */
export function validEmail(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]+$/.test(value) && emailProblem(value) === undefined;
}

/** A region where GuardDuty runs (README, "Regions"): well formed and in the published list. */
export function validRegionName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_REGION_NAME_LENGTH && regionPattern.test(value) && GUARDDUTY_REGIONS.includes(value);
}

/** Whether `body` (already parsed) is an enrollment request the API must accept. */
export function validEnrollmentRequest(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const fields = body as Record<string, unknown>;
  if (Object.keys(fields).some((key) => !(REQUEST_FIELDS as readonly string[]).includes(key))) return false;
  if (typeof fields.accountId !== 'string' || !/^[0-9]{12}$/.test(fields.accountId)) return false;
  if (!validEmail(fields.email)) return false;
  if (fields.regions !== undefined) {
    const regions = fields.regions;
    if (!Array.isArray(regions) || regions.length < 1 || regions.length > MAX_REGIONS) return false;
    if (!regions.every(validRegionName) || new Set(regions).size !== regions.length) return false;
  }
  if (fields.invitationMessage !== undefined) {
    if (typeof fields.invitationMessage !== 'string' || [...fields.invitationMessage].length > MAX_MESSAGE_CODE_POINTS) return false;
  }
  return true;
}

/** The Signup route's rule: a 12-digit member id and an email GuardDuty accepts. */
export function validSignup(memberId: string, email: string): boolean {
  return /^[0-9]{12}$/.test(memberId) && validEmail(email);
}
