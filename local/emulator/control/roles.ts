/**
 * Control routes for IAM roles, so any set-up can be expressed (a peer's member role that trusts the
 * administrator's root with no ExternalId, a grant narrowed by hand):
 * - `POST /_emulator/roles` `{accountId, roleName, path?, trustPolicy, policies: [policyDocument…]}` creates or replaces a role
 * - `GET /_emulator/roles[?accountId=…]` lists roles
 * - `GET /_emulator/roles/{accountId}/{roleName}` shows one (404 when unknown)
 * - `DELETE /_emulator/roles/{accountId}/{roleName}` deletes one
 */
import { jsonReply } from '../core/http';
import type { HttpReply } from '../core/protocol';
import type { EmulatorState } from '../core/state';
import { roleOf } from '../iam/principals';
import type { PolicyDocument, Role } from '../iam/types';

export const ROLES_CONTROL_PATH = '/_emulator/roles';

type Body = Record<string, unknown>;

function problem(status: number, message: string): HttpReply {
  return jsonReply(status, { message });
}

/** A policy document must at least have statements; the simulator checks the rest on first use. */
function isPolicy(value: unknown): value is PolicyDocument {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'Statement' in value;
}

/** The role as the control API shows it. */
export function roleView(role: Role): Body {
  return {
    accountId: role.accountId,
    roleName: role.roleName,
    path: role.path,
    arn: role.arn,
    trustPolicy: role.trustPolicy,
    policies: role.policies.map((policy) => policy.document),
    policyNames: role.policies.map((policy) => policy.name),
    managedPolicyArns: role.managedPolicyArns,
    declared: role.declared,
  };
}

/** Handles a request under `/_emulator/roles`. */
export function handleRolesControl(state: EmulatorState, method: string, path: string, query: URLSearchParams, rawBody: string): HttpReply {
  if (path === ROLES_CONTROL_PATH) {
    if (method === 'GET') return jsonReply(200, { roles: state.iam.list(query.get('accountId') ?? undefined).map(roleView) });
    if (method === 'POST') return putRole(state, rawBody);
    return problem(405, `${method} is not allowed on ${path}.`);
  }
  const match = /^\/_emulator\/roles\/(\d{12})\/([\w+=,.@-]+)$/.exec(path);
  if (!match) return problem(404, `No control route ${method} ${path}.`);
  const [, accountId, roleName] = match;
  if (method === 'DELETE')
    return state.iam.delete(accountId, roleName) ? jsonReply(200, { deleted: true }) : problem(404, `No role ${roleName} in ${accountId}.`);
  if (method !== 'GET') return problem(405, `${method} is not allowed on ${path}.`);
  const role = roleOf(state, accountId, roleName);
  return role ? jsonReply(200, roleView(role)) : problem(404, `No role ${roleName} in ${accountId}.`);
}

function putRole(state: EmulatorState, rawBody: string): HttpReply {
  let body: Body;
  try {
    body = JSON.parse(rawBody) as Body;
  } catch {
    return problem(400, 'The body is not valid JSON.');
  }
  const allowed = ['accountId', 'roleName', 'path', 'trustPolicy', 'policies'];
  const unknown = Object.keys(body ?? {}).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) return problem(400, `Unknown field(s): ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
  const { accountId, roleName, path, trustPolicy, policies } = body;
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) return problem(400, 'accountId must be a 12-digit account id.');
  if (typeof roleName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(roleName)) return problem(400, 'roleName must be 1-64 of letters, digits and +=,.@_-.');
  if (path !== undefined && (typeof path !== 'string' || !/^\/(?:[\w+=,.@-]+\/)*$/.test(path))) return problem(400, "path must start and end with '/'.");
  if (!isPolicy(trustPolicy)) return problem(400, 'trustPolicy must be a policy document with a Statement.');
  if (!Array.isArray(policies) || !policies.every(isPolicy)) return problem(400, 'policies must be a list of policy documents, each with a Statement.');
  const existing = state.iam.get(accountId, roleName);
  const role = state.iam.put({ accountId, roleName, path: path as string | undefined, trustPolicy, policies, declared: existing?.declared });
  return jsonReply(200, roleView(role));
}
