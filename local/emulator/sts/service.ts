/**
 * STS over the query protocol (form-encoded POST, XML responses; botocore model
 * `sts/2011-06-15`): GetCallerIdentity and AssumeRole.
 */
import { randomBytes } from 'node:crypto';
import { AwsError, INVALID_TOKEN_MESSAGE } from '../core/errors';
import type { IamCheck } from '../iam/evaluate';
import { roleOf } from '../iam/principals';
import { parseRoleArn } from '../iam/roles';
import { assumedRoleArn, roleUniqueId } from '../core/identity';
import type { AwsRequest, AwsService, HttpReply, IdentityProblem, ServiceContext } from '../core/protocol';
import { UNKNOWN_OPERATION } from '../core/protocol';
import type { EmulatorState } from '../core/state';
import type { Caller, Session } from '../core/types';
import { element, queryError, queryResponse } from './xml';

const API_VERSION = '2011-06-15';

/** The request's parameters: query string and form body together. */
export function queryParams(request: AwsRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  for (const [name, value] of new URLSearchParams(request.rawBody)) params.set(name, value);
  return params;
}

/** The STS service. */
export const stsService: AwsService = {
  name: 'sts',

  operation(request: AwsRequest): string {
    return queryParams(request).get('Action') ?? UNKNOWN_OPERATION;
  },

  /** Unknown keys and disabled regions: 403 InvalidClientTokenId (docs/aws-facts.md, pain point 3). */
  identityError(problem: IdentityProblem): AwsError {
    if (problem === 'missing') return new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    if (problem === 'expired') return new AwsError(403, 'ExpiredToken', 'The security token included in the request is expired');
    return new AwsError(403, 'InvalidClientTokenId', INVALID_TOKEN_MESSAGE);
  },

  /**
   * AssumeRole: `sts:AssumeRole` on the role, with the role's trust policy as its resource policy
   * and the request's `sts:ExternalId` and `sts:RoleSessionName`. GetCallerIdentity needs no
   * permission ("No permissions are required to perform this operation", API reference).
   */
  authorization(context: ServiceContext, request: AwsRequest, operation: string): IamCheck[] {
    if (operation !== 'AssumeRole') return [];
    const params = queryParams(request);
    const target = parseRoleArn(params.get('RoleArn') ?? '');
    if (!target) return [];
    // Input that breaks the model's constraints or the session limits is refused as invalid before
    // any authorization (assumption: AWS validates a request before it evaluates policies).
    try {
      checkDuration(context.caller, readAssumeRoleInput(params).durationSeconds);
    } catch {
      return [];
    }
    const role = roleOf(context.state, target.accountId, target.roleName);
    // A role that does not exist is refused by the operation, with the same AccessDenied.
    if (!role) return [];
    const requestKeys: Record<string, string> = {};
    const externalId = params.get('ExternalId');
    const sessionName = params.get('RoleSessionName');
    if (externalId !== null) requestKeys['sts:ExternalId'] = externalId;
    if (sessionName !== null) requestKeys['sts:RoleSessionName'] = sessionName;
    return [
      {
        action: 'sts:AssumeRole',
        resource: role.arn,
        resourceAccount: role.accountId,
        resourcePolicy: role.trustPolicy,
        context: requestKeys,
        messageResource: params.get('RoleArn') ?? role.arn,
      },
    ];
  },

  /** 403 AccessDenied; STS's AssumeRole denial carries no reason clause (docs/aws-facts.md, IAM). */
  accessDenied(message: string): AwsError {
    return new AwsError(403, 'AccessDenied', message.replace(/ (because no|with an explicit) .*$/, ''));
  },

  handle(context: ServiceContext, request: AwsRequest, operation: string): HttpReply {
    const params = queryParams(request);
    if (operation === 'GetCallerIdentity') return xmlReply(getCallerIdentity(context.caller, context.requestId));
    if (operation === 'AssumeRole') return xmlReply(assumeRole(context, params));
    throw new AwsError(400, 'InvalidAction', `Could not find operation ${operation} for version ${API_VERSION}`);
  },

  errorReply(error: AwsError, requestId: string): HttpReply {
    return { ...xmlReply(queryError(error.fault, error.code, error.message, requestId)), status: error.status };
  },
};

function xmlReply(body: string): HttpReply {
  return { status: 200, headers: { 'Content-Type': 'text/xml' }, body };
}

function getCallerIdentity(caller: Caller, requestId: string): string {
  return queryResponse('GetCallerIdentity', [element('Arn', caller.arn), element('UserId', caller.userId), element('Account', caller.accountId)], requestId);
}

/** Default and IAM-default maximum session length: roles get MaxSessionDuration 3600 unless changed. */
const ONE_HOUR = 3600;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

/**
 * Checks the input, then the role: it must exist in the target account, trust the caller's
 * account, and be given the ExternalId its trust policy requires; otherwise AccessDenied with
 * AWS's "User: ... is not authorized to perform: sts:AssumeRole on resource: ..." text. Mints
 * `ASIA…` keys bound to the target account.
 */
function assumeRole(context: ServiceContext, params: URLSearchParams): string {
  const input = readAssumeRoleInput(params);
  const target = ROLE_ARN.exec(input.roleArn);
  if (!target) {
    // The live text for a malformed role ARN is not documented; this one names the problem.
    throw validationError([`Value '${input.roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a valid IAM role ARN`]);
  }
  const [, targetAccountId, roleName] = target;
  checkDuration(context.caller, input.durationSeconds);
  checkTrust(context, input, targetAccountId, roleName);
  const session = mintSession(context, targetAccountId, roleName, input);
  return queryResponse(
    'AssumeRole',
    [
      element('Credentials', [
        element('AccessKeyId', session.accessKeyId),
        element('SecretAccessKey', session.secretAccessKey),
        element('SessionToken', session.sessionToken),
        element('Expiration', isoSeconds(session.expiration)),
      ]),
      element('AssumedRoleUser', [
        element('AssumedRoleId', `${roleUniqueId(targetAccountId, roleName)}:${input.sessionName}`),
        element('Arn', assumedRoleArn(targetAccountId, roleName, input.sessionName)),
      ]),
    ],
    context.requestId,
  );
}

interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  externalId: string | undefined;
  durationSeconds: number;
}

/** Model constraints (docs/aws-facts.md, 4.6), reported the way AWS validation errors read. */
function readAssumeRoleInput(params: URLSearchParams): AssumeRoleInput {
  const problems: string[] = [];
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const externalId = params.get('ExternalId') ?? undefined;
  const rawDuration = params.get('DurationSeconds');
  if (roleArn === null) problems.push(notNull('roleArn'));
  else problems.push(...lengthProblems('roleArn', roleArn, 20, 2048));
  if (sessionName === null) problems.push(notNull('roleSessionName'));
  else problems.push(...stringProblems('roleSessionName', sessionName, 2, 64, /^[\w+=,.@-]*$/, '[\\w+=,.@-]*'));
  if (externalId !== undefined) {
    problems.push(...stringProblems('externalId', externalId, 2, 1224, /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*'));
  }
  const durationSeconds = rawDuration === null ? ONE_HOUR : Number(rawDuration);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900) {
    problems.push(`Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  } else if (durationSeconds > 43200) {
    problems.push(`Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
  }
  if (problems.length > 0 || roleArn === null || sessionName === null) throw validationError(problems);
  return { roleArn, sessionName, externalId, durationSeconds };
}

function notNull(member: string): string {
  return `Value null at '${member}' failed to satisfy constraint: Member must not be null`;
}

function lengthProblems(member: string, value: string, min: number, max: number): string[] {
  const at = `Value '${value}' at '${member}' failed to satisfy constraint:`;
  if (value.length < min) return [`${at} Member must have length greater than or equal to ${min}`];
  if (value.length > max) return [`${at} Member must have length less than or equal to ${max}`];
  return [];
}

function stringProblems(member: string, value: string, min: number, max: number, pattern: RegExp, shown: string): string[] {
  const problems = lengthProblems(member, value, min, max);
  if (!pattern.test(value)) {
    problems.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shown}`);
  }
  return problems;
}

/** `1 validation error detected: …` / `2 validation errors detected: …; …` (400 ValidationError). */
function validationError(problems: string[]): AwsError {
  const count = problems.length;
  const noun = count === 1 ? 'validation error' : 'validation errors';
  return new AwsError(400, 'ValidationError', `${count} ${noun} detected: ${problems.join('; ')}`);
}

/**
 * Role chaining limits a session to one hour (docs/aws-facts.md, 4.6); emulated roles keep IAM's default
 * MaxSessionDuration of one hour too.
 */
function checkDuration(caller: Caller, durationSeconds: number): void {
  if (durationSeconds <= ONE_HOUR) return;
  if (caller.session) {
    throw new AwsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  throw new AwsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
}

/**
 * What IAM evaluation (the role's trust policy, before the operation) leaves to the operation: the
 * role must exist; a SUSPENDED target account refuses AssumeRole with AccessDenied (AWS does not
 * document this case and AccessDenied is what callers already handle for a role they cannot
 * assume); a target that has not enabled the caller's STS region answers RegionDisabledException
 * (docs/aws-facts.md, 4.6, 403).
 */
function checkTrust(context: ServiceContext, input: AssumeRoleInput, targetAccountId: string, roleName: string): void {
  const target = context.state.account(targetAccountId);
  if (!roleOf(context.state, targetAccountId, roleName) || target.status !== 'ACTIVE') {
    throw new AwsError(403, 'AccessDenied', `User: ${context.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`);
  }
  if (target.optInRegionsDisabled.has(context.region)) {
    throw new AwsError(
      403,
      'RegionDisabledException',
      `STS is not activated in this region for account:${targetAccountId}. Your account administrator can activate STS in this region using the IAM Console.`,
    );
  }
}

function mintSession(context: ServiceContext, accountId: string, roleName: string, input: AssumeRoleInput): Session {
  return storeSession(context.state, {
    accountId,
    roleName,
    roleArn: roleOf(context.state, accountId, roleName)?.arn ?? input.roleArn,
    sessionName: input.sessionName,
    sourceAccountId: context.caller.accountId,
    expiration: new Date(context.now + input.durationSeconds * 1000),
  });
}

/** Mints `ASIA…` keys, a secret and a token for a role session and remembers them. */
export function storeSession(state: EmulatorState, session: Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): Session {
  const minted: Session = {
    accessKeyId: `ASIA${randomKey(16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
    ...session,
  };
  state.sessions.set(minted.accessKeyId, minted);
  return minted;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKey(length: number): string {
  return [...randomBytes(length)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
}

/** ISO 8601 without milliseconds, as STS writes Expiration (e.g. 2019-11-09T13:34:41Z). */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
