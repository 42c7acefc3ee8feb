/**
 * Access key → calling account. Static keys are `AKID` + the 12-digit account id (e.g.
 * `AKID111111111111` is the root user of 111111111111); temporary keys are the `ASIA…` keys AssumeRole
 * minted, bound to the assumed role's account. Anything else is unknown.
 */
import { createHash } from 'node:crypto';
import type { IdentityProblem } from './protocol';
import type { SigV4Scope } from './sigv4';
import type { EmulatorState } from './state';
import type { Caller, Session } from './types';

const STATIC_KEY = /^AKID(\d{12})$/;

/**
 * The secret of every static key. The emulator itself does not verify signatures; the local API
 * Gateway does (local/api-gateway/sigv4-auth.ts), with this secret for static keys and the session's
 * own secret for AssumeRole keys.
 */
export const STATIC_KEY_SECRET = 'x';

/** Either a caller, or why there is none (with the account, when the key names one). */
export type IdentityResult = { caller: Caller; problem?: undefined } | { caller?: undefined; problem: IdentityProblem; accountId: string | null };

/**
 * Resolves the caller from the SigV4 scope. A temporary key must come with the session token
 * AssumeRole returned with it, and must not be expired.
 */
export function resolveIdentity(state: EmulatorState, scope: SigV4Scope | undefined, sessionToken: string | undefined, now: number): IdentityResult {
  if (!scope) return { problem: 'missing', accountId: null };
  const staticMatch = STATIC_KEY.exec(scope.accessKeyId);
  if (staticMatch) return { caller: staticCaller(scope.accessKeyId, staticMatch[1]) };
  const session = state.sessions.get(scope.accessKeyId);
  if (!session || session.sessionToken !== sessionToken) return { problem: 'invalid', accountId: session?.accountId ?? null };
  if (session.expiration.getTime() <= now) return { problem: 'expired', accountId: session.accountId };
  return { caller: sessionCaller(session) };
}

/**
 * Whether the account may call in this region. A SUSPENDED account's own credentials (static or
 * assumed-role) stop working: AWS does not document the error a suspended account's calls get, so
 * the emulator answers as for an invalid key. An opt-in region the account has not enabled answers
 * the same way (docs/aws-facts.md, pain point 3: UnrecognizedClientException / InvalidClientTokenId, 403).
 */
export function accountProblem(state: EmulatorState, accountId: string, region: string): IdentityProblem | undefined {
  const account = state.account(accountId);
  if (account.status === 'SUSPENDED') return 'invalid';
  if (account.optInRegionsDisabled.has(region)) return 'invalid';
  return undefined;
}

/**
 * Static keys are the account's root user's keys: GetCallerIdentity answers the root ARN and the
 * account id as UserId, as AWS does for root credentials.
 */
function staticCaller(accessKeyId: string, accountId: string): Caller {
  return {
    accountId,
    accessKeyId,
    arn: `arn:aws:iam::${accountId}:root`,
    userId: accountId,
    session: undefined,
  };
}

/** The caller an AssumeRole session is. */
export function sessionCaller(session: Session): Caller {
  return {
    accountId: session.accountId,
    accessKeyId: session.accessKeyId,
    arn: assumedRoleArn(session.accountId, session.roleName, session.sessionName),
    userId: `${roleUniqueId(session.accountId, session.roleName)}:${session.sessionName}`,
    session,
  };
}

/** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, the ARN AWS gives an assumed-role session. */
export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** A role's unique id (`AROA…`), stable for the same account and role name. */
export function roleUniqueId(accountId: string, roleName: string): string {
  return `AROA${stableId(`role:${accountId}:${roleName}`)}`;
}

function stableId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 17).toUpperCase();
}
