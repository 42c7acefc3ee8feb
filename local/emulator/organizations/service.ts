/**
 * AWS Organizations over the JSON 1.1 protocol (botocore `organizations/2016-11-28`: `"protocol":
 * "json"`, `"jsonVersion": "1.1"`, `"targetPrefix": "AWSOrganizationsV20161128"`): every call is
 * `POST /` with `X-Amz-Target: AWSOrganizationsV20161128.<Operation>` and a JSON body with the
 * model's member names (PascalCase). What the GuardDuty Organizations rollout needs (ListAccounts,
 * DescribeOrganization) and what event-driven enrollment needs (DescribeAccount).
 */
import { resourceCheck } from '../iam/action-data';
import type { IamCheck } from '../iam/evaluate';
import { AwsError } from '../core/errors';
import { jsonTargetService } from '../core/json-protocol';
import { OrganizationsError, OrganizationsMessages as M, accessDenied, accountNotFound, invalidInput, notInUse } from './errors';
import type { Organization, OrganizationAccount } from './state';
import type { AwsRequest, HttpReply, ServiceContext } from '../core/protocol';

/** The model's `targetPrefix`. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128';

/** Model shape MaxResults: 1..20 (shared by every Organizations List* operation). */
const MAX_PAGE = 20;

/**
 * Page size when MaxResults is absent. The API reference only says it "defaults to a value that is
 * specific to the operation"; the emulator uses the model's maximum.
 */
const DEFAULT_PAGE = MAX_PAGE;

type JsonObject = Record<string, unknown>;

/** The Organizations service. */
export const organizationsService = jsonTargetService({
  name: 'organizations',
  targetPrefix: ORGANIZATIONS_TARGET_PREFIX,
  version: '1.1',

  /**
   * `organizations:<Action>`; DescribeAccount on the account's ARN in the caller's organization
   * (`arn:aws:organizations::<management>:account/<organization>/<id>`, Service Authorization Reference).
   */
  async authorization(context: ServiceContext, request: AwsRequest, operation: string): Promise<IamCheck[]> {
    const organization = context.state.organizations.organizationOf(context.caller.accountId);
    const body = parseBody(request.rawBody);
    const arn =
      organization && typeof body.AccountId === 'string'
        ? `arn:aws:organizations::${organization.managementAccountId}:account/${organization.id}/${body.AccountId}`
        : undefined;
    const check = await resourceCheck(`organizations:${operation}`, arn, context.caller.accountId);
    // Organizations has no resource policies: IAM evaluates the caller's identity policy, and the
    // service itself decides who in the organization may read it (management account, delegated administrators).
    return check ? [{ ...check, resourceAccount: context.caller.accountId }] : [];
  },

  handle(context: ServiceContext, request: AwsRequest, operation: string): HttpReply {
    const body = parseBody(request.rawBody);
    if (operation === 'ListAccounts') return jsonReply(200, listAccounts(context, body));
    if (operation === 'DescribeOrganization') return jsonReply(200, describeOrganization(context));
    if (operation === 'DescribeAccount') return jsonReply(200, describeAccount(context, body));
    throw new AwsError(400, 'UnknownOperationException', `The emulator does not implement Organizations operation ${operation}.`);
  },

  /** JSON 1.1 error: the code in `x-amzn-ErrorType` and in the body's `__type`, plus `Message` (and `Reason`). */
  errorReply(error: AwsError): HttpReply {
    const body: JsonObject = { __type: error.code, Message: error.message };
    if (error instanceof OrganizationsError && error.reason !== undefined) body.Reason = error.reason;
    const reply = jsonReply(error.status, body);
    reply.headers['x-amzn-ErrorType'] = error.code;
    return reply;
  },
});

function jsonReply(status: number, body: object): HttpReply {
  return { status, headers: { 'Content-Type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) };
}

function parseBody(raw: string): JsonObject {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new OrganizationsError(400, 'SerializationException', M.invalidJson);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new OrganizationsError(400, 'SerializationException', M.invalidJson);
  return parsed as JsonObject;
}

/** The caller's organization; `AWSOrganizationsNotInUseException` when its account is in none. */
function callerOrganization(context: ServiceContext): Organization {
  const organization = context.state.organizations.organizationOf(context.caller.accountId);
  if (!organization) throw notInUse();
  return organization;
}

/**
 * ListAccounts. "You can only call this operation from the management account or a member account
 * that is a delegated administrator" (SDK ListAccountsCommand doc): the emulator knows one kind of
 * delegated administrator, GuardDuty's (see OrganizationBook.registeredAdministrators). Others get
 * `AccessDeniedException`. Paginated with MaxResults (1..20) and an opaque NextToken.
 */
function listAccounts(context: ServiceContext, body: JsonObject): JsonObject {
  const organization = managedOrganization(context);
  const maxResults = readMaxResults(body);
  const offset = readNextToken(body, organization.id);
  const accounts = [...organization.accounts.values()];
  const end = offset + maxResults;
  const result: JsonObject = { Accounts: accounts.slice(offset, end).map((account) => renderAccount(organization, account)) };
  if (end < accounts.length) result.NextToken = encodeToken(organization.id, end);
  return result;
}

/**
 * The caller's organization, for operations that "you can only call from the management account
 * or a member account that is a delegated administrator" (API reference: ListAccounts,
 * DescribeAccount); `AccessDeniedException` for any other account of the organization.
 */
function managedOrganization(context: ServiceContext): Organization {
  const organization = callerOrganization(context);
  const caller = context.caller.accountId;
  const allowed = organization.managementAccountId === caller || context.state.organizations.registeredAdministrators.has(caller);
  if (!allowed) throw accessDenied();
  return organization;
}

/**
 * DescribeAccount (API reference): the caller rule of {@link managedOrganization}; `AccountId` must
 * match the model's `^\d{12}$` (else `InvalidInputException` with reason INVALID_PATTERN); an account
 * that is not in the caller's organization is `AccountNotFoundException`.
 */
function describeAccount(context: ServiceContext, body: JsonObject): JsonObject {
  const organization = managedOrganization(context);
  const accountId = body.AccountId;
  if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) throw invalidInput('INVALID_PATTERN', M.invalidPattern);
  const account = organization.accounts.get(accountId);
  if (!account) throw accountNotFound();
  return { Account: renderAccount(organization, account) };
}

/** DescribeOrganization: "You can call this operation from any account in a organization" (SDK doc). */
function describeOrganization(context: ServiceContext): JsonObject {
  const organization = callerOrganization(context);
  const management = organization.accounts.get(organization.managementAccountId);
  return {
    Organization: {
      Id: organization.id,
      Arn: `arn:aws:organizations::${organization.managementAccountId}:organization/${organization.id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: accountArn(organization, organization.managementAccountId),
      MasterAccountId: organization.managementAccountId,
      MasterAccountEmail: management?.email,
      // Deprecated in the model ("Do not use"); returned empty.
      AvailablePolicyTypes: [],
    },
  };
}

/**
 * An Account as ListAccounts returns it: both the `Status` the API has always returned and the
 * newer `State` (SDK model: Status "will be retired on September 9, 2026"). JoinedTimestamp is a
 * model timestamp, epoch seconds in JSON 1.1.
 */
function renderAccount(organization: Organization, account: OrganizationAccount): JsonObject {
  return {
    Id: account.accountId,
    Arn: accountArn(organization, account.accountId),
    Email: account.email,
    Name: account.name,
    Status: account.status,
    State: account.state,
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: account.joinedAt.getTime() / 1000,
  };
}

/** Model AccountArn: `arn:aws:organizations::<management>:account/o-…/<account>`. */
function accountArn(organization: Organization, accountId: string): string {
  return `arn:aws:organizations::${organization.managementAccountId}:account/${organization.id}/${accountId}`;
}

function readMaxResults(body: JsonObject): number {
  const value = body.MaxResults;
  if (value === undefined || value === null) return DEFAULT_PAGE;
  // A non-integer is not an Integer at all: the JSON deserializer refuses it before validation.
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new OrganizationsError(400, 'SerializationException', M.invalidJson);
  if (value > MAX_PAGE) throw invalidInput('MAX_VALUE_EXCEEDED', M.maxValue);
  if (value < 1) throw invalidInput('MIN_VALUE_EXCEEDED', M.minValue);
  return value;
}

// NextToken is opaque to callers (the API reference says only to pass it back). The emulator's
// token names the organization and the offset, so a token from another organization is refused.
function encodeToken(organizationId: string, offset: number): string {
  return Buffer.from(`accounts:${organizationId}:${offset}`, 'utf8').toString('base64');
}

function readNextToken(body: JsonObject, organizationId: string): number {
  const token = body.NextToken;
  if (token === undefined || token === null) return 0;
  if (typeof token !== 'string') throw invalidInput('INVALID_NEXT_TOKEN', M.invalidNextToken);
  const match = /^accounts:([^:]+):(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match || match[1] !== organizationId) throw invalidInput('INVALID_NEXT_TOKEN', M.invalidNextToken);
  return Number(match[2]);
}
