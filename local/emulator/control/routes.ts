/**
 * The control API under `/_emulator/` (JSON in, JSON out): seed accounts and roles, inject faults,
 * change settings, read call counts, reset. Not an AWS API: callers need no signature.
 *
 * Routes:
 * - `GET  /_emulator/health` → `{ok: true}`
 * - `POST /_emulator/accounts` `{accountId, email, status?, optInRegionsDisabled?, memberRole?, detectors?}` → the account view
 * - `GET  /_emulator/accounts` → `{accounts: [view...]}` (seeded accounts)
 * - `GET  /_emulator/accounts/{id}` → the account view (404 when unknown)
 * - `POST /_emulator/faults` `{operation, region?, accountId?, error?, latencyMs?, hold?, count?}` → the fault
 * - `GET  /_emulator/faults` / `DELETE /_emulator/faults` → list / clear pending faults (clearing releases held calls)
 * - `POST /_emulator/faults/{id}/release` → the calls a held fault keeps waiting go on
 * - `POST /_emulator/settings` `{invitationDelayMs?, latencyMs?}` / `GET /_emulator/settings` → settings
 * - `GET  /_emulator/calls` → `{total, calls: [{service, operation, accountId, region, count}]}`
 * - `POST /_emulator/reset` → clears state, faults, counts and settings
 * - `POST` / `GET /_emulator/organization` → seed / show organizations (organizations.ts)
 * - `GET /_emulator/queues`, `POST` / `GET /_emulator/events` → SQS messages, EventBridge events (events.ts)
 * - `POST` / `GET /_emulator/roles`, `GET` / `DELETE /_emulator/roles/{accountId}/{roleName}` → IAM roles (roles.ts)
 * - `POST /_emulator/detector-features` → set a detector's features, mark them policy-managed (detector-features.ts)
 */
import { EVENTS_CONTROL_PATH, QUEUES_CONTROL_PATH, handleEventsControl } from './events';
import { createDetectorRecord } from '../guardduty/detectors';
import { renderMember } from '../guardduty/members';
import { ROLES_CONTROL_PATH, handleRolesControl } from './roles';
import { jsonReply } from '../core/http';
import { ORGANIZATION_CONTROL_PATH, handleOrganizationControl } from './organizations';
import { DETECTOR_FEATURES_CONTROL_PATH, handleDetectorFeaturesControl } from './detector-features';
import type { HttpReply } from '../core/protocol';
import { relationshipStatus, settleVerifications } from '../guardduty/relationships';
import type { EmulatorState } from '../core/state';
import type { DetectorStatus, FaultError, MemberRoleInput } from '../core/types';

/** A control request the emulator refuses (400 unless said otherwise). */
class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

/** Handles one control request. */
export function handleControl(state: EmulatorState, method: string, path: string, rawBody: string, query = new URLSearchParams()): HttpReply {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === ROLES_CONTROL_PATH || trimmed.startsWith(`${ROLES_CONTROL_PATH}/`)) return handleRolesControl(state, method, trimmed, query, rawBody);
  try {
    return route(state, method, trimmed, rawBody);
  } catch (error) {
    if (error instanceof ControlError) return jsonReply(error.status, { message: error.message });
    throw error;
  }
}

function route(state: EmulatorState, method: string, path: string, rawBody: string): HttpReply {
  const key = `${method} ${path}`;
  if (key === 'GET /_emulator/health') return jsonReply(200, { ok: true });
  if (path === ORGANIZATION_CONTROL_PATH) return handleOrganizationControl(state, method, rawBody);
  if (path === QUEUES_CONTROL_PATH || path === EVENTS_CONTROL_PATH) return handleEventsControl(state, method, path, rawBody);
  if (path === DETECTOR_FEATURES_CONTROL_PATH) return handleDetectorFeaturesControl(state, method, rawBody);
  if (key === 'POST /_emulator/accounts') return jsonReply(200, seedAccount(state, parseBody(rawBody)));
  if (key === 'GET /_emulator/accounts') return jsonReply(200, { accounts: [...state.accounts.keys()].map((id) => accountView(state, id)) });
  const accountMatch = /^GET \/_emulator\/accounts\/([^/]+)$/.exec(key);
  if (accountMatch) return jsonReply(200, knownAccountView(state, decodeURIComponent(accountMatch[1])));
  if (key === 'POST /_emulator/faults') return jsonReply(201, addFault(state, parseBody(rawBody)));
  if (key === 'GET /_emulator/faults') return jsonReply(200, { faults: state.faults.list() });
  const releaseMatch = /^POST \/_emulator\/faults\/(\d+)\/release$/.exec(key);
  if (releaseMatch) {
    if (!state.faults.release(Number(releaseMatch[1]))) throw new ControlError(`No held fault ${releaseMatch[1]} waits to be released.`, 404);
    return jsonReply(200, { released: Number(releaseMatch[1]) });
  }
  if (key === 'DELETE /_emulator/faults') {
    state.faults.clear();
    return jsonReply(200, { faults: [] });
  }
  if (key === 'POST /_emulator/settings') return jsonReply(200, updateSettings(state, parseBody(rawBody)));
  if (key === 'GET /_emulator/settings') return jsonReply(200, state.settings);
  if (key === 'GET /_emulator/calls') return jsonReply(200, state.calls.report());
  if (key === 'POST /_emulator/reset') {
    state.reset();
    return jsonReply(200, { ok: true });
  }
  throw new ControlError(`No control route ${method} ${path}.`, 404);
}

function parseBody(rawBody: string): Body {
  let parsed: unknown;
  try {
    parsed = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
  } catch {
    throw new ControlError('The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ControlError('The body must be a JSON object.');
  return parsed as Body;
}

/** Unknown fields are refused so a typo does not silently seed the wrong thing. */
function onlyFields(body: Body, allowed: string[]): void {
  const unknown = Object.keys(body).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) throw new ControlError(`Unknown field(s): ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
}

function accountIdField(value: unknown, name: string): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new ControlError(`${name} must be a 12-digit account id.`);
  return value;
}

function optionalNumber(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ControlError(`${name} must be a number >= 0.`);
  return value;
}

function optionalText(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ControlError(`${name} must be a non-empty string.`);
  return value;
}

/**
 * Adds or replaces an account. Replacing changes the account's email, status, regions and role;
 * its GuardDuty state is kept. `detectors` creates the listed regions' detectors, or sets the
 * status of ones that exist; detectors in other regions are left alone.
 */
function seedAccount(state: EmulatorState, body: Body): Body {
  onlyFields(body, ['accountId', 'email', 'status', 'optInRegionsDisabled', 'memberRole', 'detectors']);
  const accountId = accountIdField(body.accountId, 'accountId');
  const email = body.email;
  if (typeof email !== 'string' || !email.includes('@')) throw new ControlError('email must be an email address.');
  const status = body.status ?? 'ACTIVE';
  if (status !== 'ACTIVE' && status !== 'SUSPENDED') throw new ControlError("status must be 'ACTIVE' or 'SUSPENDED'.");
  const optInRegionsDisabled = stringList(body.optInRegionsDisabled, 'optInRegionsDisabled');
  const memberRole = readMemberRole(body.memberRole);
  const detectors = readDetectors(body.detectors);
  state.upsertAccount({ accountId, email, status, optInRegionsDisabled, memberRole });
  const now = Date.now();
  for (const [region, detectorStatus] of detectors) {
    const existing = state.detectorOf(accountId, region);
    if (existing) existing.status = detectorStatus;
    else createDetectorRecord(state, accountId, region, detectorStatus, now);
  }
  return accountView(state, accountId);
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    throw new ControlError(`${name} must be a list of region names.`);
  }
  return value as string[];
}

function readMemberRole(value: unknown): MemberRoleInput | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ControlError('memberRole must be {name, externalId} or null.');
  const role = value as Body;
  onlyFields(role, ['name', 'externalId', 'trustedAccountId']);
  const name = optionalText(role, 'name');
  const externalId = optionalText(role, 'externalId');
  if (name === undefined || externalId === undefined) throw new ControlError('memberRole needs a name and an externalId.');
  const trusted = role.trustedAccountId === undefined ? undefined : accountIdField(role.trustedAccountId, 'memberRole.trustedAccountId');
  return trusted === undefined ? { name, externalId } : { name, externalId, trustedAccountId: trusted };
}

function readDetectors(value: unknown): Array<[string, DetectorStatus]> {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ControlError("detectors must be an object {region: 'ENABLED' | 'DISABLED'}.");
  }
  return Object.entries(value as Body).map(([region, status]) => {
    if (status !== 'ENABLED' && status !== 'DISABLED') throw new ControlError(`detectors.${region} must be 'ENABLED' or 'DISABLED'.`);
    return [region, status];
  });
}

const FAULT_ERRORS: FaultError[] = ['throttle', 'internal', 'accessDenied'];

function addFault(state: EmulatorState, body: Body): Body {
  onlyFields(body, ['operation', 'region', 'accountId', 'error', 'latencyMs', 'hold', 'count']);
  const operation = optionalText(body, 'operation');
  if (operation === undefined) throw new ControlError("operation is required (an API operation name such as 'CreateMembers', or '*').");
  const region = optionalText(body, 'region');
  const accountId = body.accountId === undefined ? undefined : accountIdField(body.accountId, 'accountId');
  const error = body.error;
  if (error !== undefined && !FAULT_ERRORS.includes(error as FaultError)) {
    throw new ControlError(`error must be one of ${FAULT_ERRORS.join(', ')}.`);
  }
  const latencyMs = optionalNumber(body, 'latencyMs');
  const count = body.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new ControlError('count must be an integer >= 1.');
  const hold = body.hold ?? false;
  if (typeof hold !== 'boolean') throw new ControlError('hold must be true or false.');
  if (error === undefined && !latencyMs && !hold) throw new ControlError('A fault needs an error, a latencyMs, a hold, or more than one.');
  const fault = state.faults.add({ operation, region, accountId, error: error as FaultError | undefined, latencyMs, hold, count });
  return { ...fault };
}

function updateSettings(state: EmulatorState, body: Body): Body {
  onlyFields(body, ['invitationDelayMs', 'latencyMs']);
  const invitationDelayMs = optionalNumber(body, 'invitationDelayMs');
  const latencyMs = optionalNumber(body, 'latencyMs');
  if (invitationDelayMs !== undefined) state.settings.invitationDelayMs = invitationDelayMs;
  if (latencyMs !== undefined) state.settings.latencyMs = latencyMs;
  return { ...state.settings };
}

function knownAccountView(state: EmulatorState, accountId: string): Body {
  if (!state.accounts.has(accountId) && regionsOf(state, accountId).length === 0) {
    throw new ControlError(`The emulator knows nothing about account ${accountId}.`, 404);
  }
  return accountView(state, accountId);
}

/** Regions where the account has a detector, members, an administrator or invitations. */
function regionsOf(state: EmulatorState, accountId: string): string[] {
  const regions = new Set<string>();
  const prefix = `${accountId}|`;
  for (const map of [state.detectors, state.members, state.administrators]) {
    for (const key of map.keys()) if (key.startsWith(prefix)) regions.add(key.slice(prefix.length));
  }
  for (const inv of state.invitations) if (inv.inviteeId === accountId) regions.add(inv.region);
  return [...regions].sort();
}

/** One account's whole state, region by region. */
function accountView(state: EmulatorState, accountId: string): Body {
  const now = Date.now();
  settleVerifications(state, now);
  const account = state.account(accountId);
  const regions: Body = {};
  for (const region of regionsOf(state, accountId)) regions[region] = regionView(state, accountId, region, now);
  return {
    accountId,
    email: account.email ?? null,
    status: account.status,
    seeded: state.accounts.has(accountId),
    optInRegionsDisabled: [...account.optInRegionsDisabled],
    memberRole: account.memberRole,
    regions,
  };
}

function regionView(state: EmulatorState, accountId: string, region: string, now: number): Body {
  const detector = state.detectorOf(accountId, region);
  const link = state.administratorOf(accountId, region);
  const linkRecord = link && state.memberRecord(link.administratorId, region, accountId);
  const members = state.members.get(`${accountId}|${region}`);
  return {
    detector: detector ? { detectorId: detector.detectorId, status: detector.status, findingPublishingFrequency: detector.findingPublishingFrequency } : null,
    administrator: link
      ? {
          accountId: link.administratorId,
          invitationId: link.invitationId,
          relationshipStatus: linkRecord ? relationshipStatus(state, linkRecord) : 'Enabled',
          invitedAt: link.invitedAt.toISOString(),
        }
      : null,
    members: members ? [...members.values()].map((record) => renderMember(state, record)) : [],
    invitations: state.invitationsTo(accountId, region).map((inv) => ({
      accountId: inv.administratorId,
      invitationId: inv.invitationId,
      invitedAt: inv.invitedAt.toISOString(),
      visible: inv.visibleAt <= now,
      accepted: inv.accepted,
    })),
  };
}
