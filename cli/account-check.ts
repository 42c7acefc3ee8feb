import { ACCOUNT_ID_PATTERN, EMAIL_MAX_LENGTH, EMAIL_MIN_LENGTH, EMAIL_PATTERN } from '../contract/api-rules';
/**
 * The API's rules for one account (its model, contract/api-schemas.ts), checked before anything is sent
 * so that `gde enroll` and `gde bulk` refuse a bad account id or email with exit 2 and say why.
 */

const ACCOUNT_ID = new RegExp(ACCOUNT_ID_PATTERN);
const EMAIL = new RegExp(EMAIL_PATTERN);

/** Why `accountId` is not an account id the API accepts, or undefined. */
export function accountIdProblem(accountId: string): string | undefined {
  return ACCOUNT_ID.test(accountId) ? undefined : `"${accountId}" is not a 12-digit account id`;
}

/** Why `email` is not an email the API (and GuardDuty) accepts, or undefined. */
export function emailProblem(email: string): string | undefined {
  if (email.length >= EMAIL_MIN_LENGTH && email.length <= EMAIL_MAX_LENGTH && EMAIL.test(email)) return undefined;
  return `"${email}" is not an email GuardDuty accepts (${EMAIL_MIN_LENGTH} to ${EMAIL_MAX_LENGTH} characters, one @, a domain with a dot)`;
}
