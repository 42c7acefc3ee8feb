/**
 * Reading and validating GuardDuty request input: JSON body members (camelCase wire names from
 * the model), list limits, pagination, and detector ownership.
 */
import { GuardDutyMessages as M, badRequest } from '../core/errors';
import type { EmulatorState } from '../core/state';
import type { Caller, Detector } from '../core/types';

/** A parsed JSON request body. */
export type JsonObject = Record<string, unknown>;

/** Everything a GuardDuty operation handler gets. */
export interface GuardDutyCall {
  state: EmulatorState;
  caller: Caller;
  region: string;
  /** Epoch ms at which the request arrived; handlers use it rather than reading the clock. */
  now: number;
  /** The `{DetectorId}` path parameter, when the route has one. */
  detectorId: string;
  query: URLSearchParams;
  body: JsonObject;
}

/** A GuardDuty operation: returns the JSON response body (HTTP 200). */
export type GuardDutyHandler = (call: GuardDutyCall) => JsonObject;

/** Model limit on every account list and page size (docs/aws-facts.md, 4.1). */
export const MAX_BATCH = 50;

const ACCOUNT_ID = /^\d{12}$/;

/** True for a 12-digit AWS account id (model: AccountId, fixed length 12). */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID.test(value);
}

/** Parses a request body; an empty body is `{}`. */
export function parseJsonBody(raw: string): JsonObject {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest(M.invalidJson);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest(M.invalidJson);
  return parsed as JsonObject;
}

/** A string member, or undefined when absent; anything else is invalid input. */
export function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(M.invalidInput);
  return value;
}

/** A required, non-empty string member. */
export function requiredString(body: JsonObject, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined || value === '') throw badRequest(M.invalidInput);
  return value;
}

/** A boolean member, or undefined when absent. */
export function optionalBoolean(body: JsonObject, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(M.invalidInput);
  return value;
}

/** A required array member with 1..50 items (docs/aws-facts.md, 4.1), with the docs/aws-facts.md, 4.4 message when longer. */
export function boundedArray(body: JsonObject, name: string): unknown[] {
  const value = body[name];
  if (!Array.isArray(value)) throw badRequest(M.invalidInput);
  if (value.length > MAX_BATCH) throw badRequest(M.tooMany(name, value.length));
  if (value.length === 0) throw badRequest(M.tooFew(name, value.length));
  return value;
}

/**
 * A required `accountIds` list: 1..50 ids of exactly 12 digits (model: AccountIds). A malformed id
 * fails the whole request with 400 rather than landing in UnprocessedAccounts: it breaks the
 * model's constraint, which the service checks before looking at any account (emulator choice).
 */
export function accountIdList(body: JsonObject, name = 'accountIds'): string[] {
  const ids = boundedArray(body, name);
  if (!ids.every(isAccountId)) throw badRequest(M.invalidInput);
  return [...new Set(ids as string[])];
}

/**
 * Email rules from the model's AccountDetail.Email doc (docs/aws-facts.md, 4.1): 6..64 7-bit ASCII characters,
 * exactly one `@`, a local part without whitespace or `" ' ( ) < > [ ] : , \ | % &` that does not
 * start with `.`, and a domain of `[A-Za-z0-9.-]` with at least one dot and no leading or trailing
 * `.` or `-`.
 */
export function isValidEmail(email: string): boolean {
  if (email.length < 6 || email.length > 64 || !/^[\x21-\x7e]+$/.test(email)) return false;
  const parts = email.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts;
  if (local === '' || local.startsWith('.') || /["'()<>[\]:,\\|%&]/.test(local)) return false;
  if (!/^[A-Za-z0-9.-]+$/.test(domain) || !domain.includes('.')) return false;
  return !/^[.-]|[.-]$/.test(domain);
}

/** A page request: where to start and how many. */
export interface PageRequest {
  offset: number;
  maxResults: number;
}

/** Reads `maxResults` (1..50, default 50) and `nextToken` from the query string (docs/aws-facts.md, 4.1). */
export function pageRequest(query: URLSearchParams): PageRequest {
  const rawMax = query.get('maxResults');
  const maxResults = rawMax === null ? MAX_BATCH : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_BATCH) throw badRequest(M.invalidInput);
  const token = query.get('nextToken');
  return { offset: token ? decodeToken(token) : 0, maxResults };
}

/** One page of items and the token for the next page, if there is one. */
export function paginate<T>(items: T[], page: PageRequest): { items: T[]; nextToken: string | undefined } {
  const end = page.offset + page.maxResults;
  return {
    items: items.slice(page.offset, end),
    nextToken: end < items.length ? encodeToken(end) : undefined,
  };
}

// NextToken is opaque to callers; the emulator encodes the next offset. AWS documents nothing
// about its form, only that it is passed back unchanged.
function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64');
}

function decodeToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw badRequest(M.invalidInput);
  return Number(match[1]);
}

/**
 * The caller's detector with this id in this region, or the docs/aws-facts.md, 4.4 "not owned" error: a detector
 * of another account, of another region or that does not exist all look the same to the caller.
 */
export function ownDetector(state: EmulatorState, accountId: string, region: string, detectorId: string): Detector {
  const detector = state.detectorOf(accountId, region);
  if (!detector || detector.detectorId !== detectorId) throw badRequest(M.detectorNotOwned);
  return detector;
}
