import type { Node } from 'constructs';
import { DEFAULT_PROTECTION_PLANS, DETECTOR_FEATURES, protectionPlansProblem } from '../contract/protection-plans';
import type { ProtectionPlans } from '../contract/protection-plans';
import { isGuardDutyRegion, unknownRegionMessage } from '../contract/guardduty-regions';
import {
  ACCOUNT_ID_PATTERN,
  EXTERNAL_ID_PATTERN,
  FINDING_PUBLISHING_FREQUENCIES,
  MAX_INVITATION_MESSAGE_LENGTH,
  MAX_REGIONS_PER_ENROLLMENT,
  REGION_PATTERN,
  ROLE_NAME_PATTERN,
} from '../contract/api-rules';
import type { FindingPublishingFrequency } from '../contract/api-rules';
import { FLEET_REPAIR_MODES } from '../contract/fleet-check';
import type { FleetRepairMode } from '../contract/fleet-check';

/** CloudWatch Logs' allowed retention periods, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface DetectorFeatureSetting {
  name: (typeof DETECTOR_FEATURES)[number];
  status: 'ENABLED' | 'DISABLED';
}

export interface UsagePlanSettings {
  /** Steady-state requests per second for all callers. @default 5 */
  rateLimit: number;
  /** Burst of requests above the rate. @default 10 */
  burstLimit: number;
  /** Requests allowed per quota period. @default 1000 */
  quotaLimit: number;
  /** The quota period. @default 'DAY' */
  quotaPeriod: 'DAY' | 'WEEK' | 'MONTH';
}

/** Everything a deployment can set, read from cdk.json context `guarddutyEnrollment`. */
export interface EnrollmentSettings {
  /**
   * Tells this deployment apart from others in the same account (another region, a test stage): the
   * names that must be unique (the two IAM roles, account-wide; the stacks and the event bus, per
   * region) get `-<deploymentName>` unless set themselves. Empty keeps the original names. @default ''
   */
  deploymentName: string;
  /**
   * Whether this stack sets API Gateway's account-level CloudWatch Logs role (AWS::ApiGateway::Account,
   * one per account and region, shared by every REST API there) to a role it creates. Off: the
   * account's own role is kept, and must exist, since this API writes execution logs. @default true
   */
  manageApiGatewayAccountRole: boolean;
  /** The role the workflow assumes in each member account. @default 'GuardDutyEnrollmentMember' */
  memberRoleName: string;
  /**
   * The name of the workflow's member-side role in the administrator account; the member role trusts
   * only this role. @default 'GuardDutyEnrollmentWorkflow'
   */
  workflowRoleName: string;
  /** The ExternalId the member role requires (STS: 2..1224 chars of `[\w+=,.@:/-]`). @default 'guardduty-enrollment' */
  externalId: string;
  /** Regions an enrollment covers when the request names none; empty means the stack's own region. @default [] */
  defaultRegions: string[];
  /** How many regions of one enrollment run at once. @default 20 */
  maxConcurrentRegions: number;
  /**
   * How many accounts of one batch part run their member side (AcceptInvitation) at once. A batch
   * runs two parts per region at a time, so up to maxConcurrentRegions × 2 × this many invocations.
   * @default 10
   */
  maxConcurrentMembers: number;
  /** The finding publishing frequency of a detector the workflow creates. @default 'SIX_HOURS' */
  findingPublishingFrequency: FindingPublishingFrequency;
  /**
   * Deprecated: use protectionPlans. When set (and protectionPlans is not), it becomes the profile.
   * @default []
   */
  detectorFeatures: DetectorFeatureSetting[];
  /**
   * The protection-plan profile every enrollment applies (contract/protection-plans.ts rules):
   * feature → ENABLED/DISABLED, RUNTIME_MONITORING optionally with its agents. @default DEFAULT_PROTECTION_PLANS
   */
  protectionPlans: ProtectionPlans;
  /**
   * Before CreateMembers, compare the request's email with the account's root email in AWS
   * Organizations (DescribeAccount), and refuse a mismatch (EmailMismatch) or a suspended account
   * (AccountSuspended). Only where this account may describe the account; elsewhere nothing is
   * checked. With invitation emails suppressed, GuardDuty itself checks no email. @default true
   */
  checkEmailWithOrganizations: boolean;
  /** Invite without email to the member's root user (InviteMembers DisableEmailNotification). @default true */
  suppressInvitationEmails: boolean;
  /** The invitation message when the request carries none. */
  invitationMessage: string;
  /** Throttle and quota of the API's usage plan. */
  usagePlan: UsagePlanSettings;
  /** Retention of every log group the app creates, in days. @default 90 */
  logRetentionDays: (typeof LOG_RETENTION_DAYS)[number];
  /** The name of the custom event bus that takes enrollment events (event-driven enrollment). @default 'guardduty-enrollment' */
  eventBusName: string;
  /**
   * Other accounts allowed to put events on that bus (its resource policy), e.g. the management
   * account that forwards Control Tower's CreateManagedAccount events; empty means this account only.
   * @default []
   */
  eventSourceAccounts: string[];
  /**
   * How callers authenticate. `iam`: every method uses AWS_IAM (SigV4) and still requires the API
   * key, which keeps each client's usage-plan throttle and quota. `apiKey`: the key alone, for callers
   * that cannot sign (AWS advises against keys as authorization: docs/aws-facts.md, API Gateway). @default 'iam'
   */
  authorization: ApiAuthorization;
  /**
   * IAM roles, users or accounts (ARNs: `arn:aws:iam::<account>:role/<name>`, `:user/<name>`, `:root`)
   * the API's resource policy allows to invoke it. Empty with no organization: this account's own
   * principals only. @default []
   */
  allowedPrincipals: string[];
  /** An AWS Organizations id (`o-…`) whose principals the resource policy allows (`aws:PrincipalOrgID`). @default '' */
  allowedOrganizationId: string;
  /** Whether `DELETE /enrollments/{accountId}?deleteDetector=true` may delete a member's detectors. @default false */
  allowDetectorDeletion: boolean;
  /** The API's endpoint: `REGIONAL`, or `PRIVATE` (reachable only through `vpcEndpointIds`). @default 'REGIONAL' */
  endpointType: ApiEndpointType;
  /** The interface VPC endpoints (`vpce-…`) a PRIVATE API accepts (`aws:SourceVpce`); required for PRIVATE, refused otherwise. @default [] */
  vpcEndpointIds: string[];
  /**
   * When the fleet check runs: an EventBridge Scheduler `rate(...)` or `cron(...)` expression, or
   * `off` (on demand only). @default 'rate(6 hours)'
   */
  fleetCheckSchedule: string;
  /** What the fleet check does about drift: `report` it, or `repair` it by re-enrolling through the batch path. @default 'report' */
  fleetRepair: FleetRepairMode;
  /** Hours a member may stay created or invited (not accepted) before the fleet check calls it drifted. @default 24 */
  fleetInvitedLimitHours: number;
  /** An SNS topic ARN every alarm notifies (alarm and OK); empty: alarms notify nobody. @default '' */
  alarmTopicArn: string;
}

/** The API's authorization modes (setting `authorization`). */
export const API_AUTHORIZATIONS = ['iam', 'apiKey'] as const;
export type ApiAuthorization = (typeof API_AUTHORIZATIONS)[number];
/** The API's endpoint types (setting `endpointType`). */
export const API_ENDPOINT_TYPES = ['REGIONAL', 'PRIVATE'] as const;
export type ApiEndpointType = (typeof API_ENDPOINT_TYPES)[number];

/** The context key that holds the settings object in cdk.json. */
export const SETTINGS_CONTEXT_KEY = 'guarddutyEnrollment';

export const DEFAULT_SETTINGS: EnrollmentSettings = {
  deploymentName: '',
  manageApiGatewayAccountRole: true,
  memberRoleName: 'GuardDutyEnrollmentMember',
  workflowRoleName: 'GuardDutyEnrollmentWorkflow',
  externalId: 'guardduty-enrollment',
  defaultRegions: [],
  maxConcurrentRegions: 20,
  maxConcurrentMembers: 10,
  findingPublishingFrequency: 'SIX_HOURS',
  detectorFeatures: [],
  protectionPlans: DEFAULT_PROTECTION_PLANS,
  suppressInvitationEmails: true,
  checkEmailWithOrganizations: true,
  invitationMessage: 'Your security team invites this account to its Amazon GuardDuty administrator for central threat detection.',
  usagePlan: { rateLimit: 5, burstLimit: 10, quotaLimit: 1000, quotaPeriod: 'DAY' },
  logRetentionDays: 90,
  eventBusName: 'guardduty-enrollment',
  eventSourceAccounts: [],
  authorization: 'iam',
  allowedPrincipals: [],
  allowedOrganizationId: '',
  allowDetectorDeletion: false,
  endpointType: 'REGIONAL',
  vpcEndpointIds: [],
  fleetCheckSchedule: 'rate(6 hours)',
  fleetRepair: 'report',
  fleetInvitedLimitHours: 24,
  alarmTopicArn: '',
};

/** A setting that failed validation; the message names the setting, the rule and the value. */
export class InvalidSettingError extends Error {
  constructor(key: string, rule: string, value: unknown) {
    super(`Invalid setting ${SETTINGS_CONTEXT_KEY}.${key}: ${rule} (got ${JSON.stringify(value)})`);
    this.name = 'InvalidSettingError';
  }
}

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function check(key: string, ok: boolean, rule: string, value: unknown): void {
  if (!ok) throw new InvalidSettingError(key, rule, value);
}

function integer(key: string, value: unknown, min: number, max: number): number {
  check(key, Number.isInteger(value) && (value as number) >= min && (value as number) <= max, `must be an integer from ${min} to ${max}`, value);
  return value as number;
}

function pattern(key: string, value: unknown, re: RegExp, rule: string): string {
  check(key, typeof value === 'string' && re.test(value), rule, value);
  return value as string;
}

function oneOf<T extends string | number>(key: string, value: unknown, allowed: readonly T[]): T {
  check(key, allowed.includes(value as T), `must be one of ${allowed.join(', ')}`, value);
  return value as T;
}

/**
 * EventBridge Scheduler's recurring expressions: `rate(value unit)` with minute(s), hour(s) or
 * day(s), and `cron(minutes hours day-of-month month day-of-week year)` (docs/aws-facts.md,
 * "Fleet check"), or `off`.
 */
const SCHEDULE = /^(off|rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/;
/** An SNS topic ARN, or empty. */
const SNS_TOPIC_ARN = /^(|arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256})$/;

const ROLE_NAME = new RegExp(ROLE_NAME_PATTERN);
const EXTERNAL_ID = new RegExp(EXTERNAL_ID_PATTERN);

/** A list of distinct strings, each matching `re`; `item` names one (e.g. 'region name such as us-east-1'). */
function distinctList(key: string, value: unknown, re: RegExp, item: string, maxItems = Infinity): string[] {
  check(key, Array.isArray(value), `must be a list of ${item}s`, value);
  const list = value as unknown[];
  check(key, list.length <= maxItems, `must name at most ${maxItems} items`, value);
  list.forEach((entry, i) => {
    pattern(`${key}[${i}]`, entry, re, `must be a ${item}`);
  });
  check(key, new Set(list).size === list.length, 'must not repeat an item', value);
  return list as string[];
}

function regions(value: unknown): string[] {
  const list = distinctList('defaultRegions', value, new RegExp(REGION_PATTERN), 'region name such as us-east-1', MAX_REGIONS_PER_ENROLLMENT);
  list.forEach((region, i) => {
    check(`defaultRegions[${i}]`, isGuardDutyRegion(region), unknownRegionMessage(region), region);
  });
  return list;
}

/**
 * EventBridge CreateEventBus `Name`: 1-256 of `[/\.\-_A-Za-z0-9]`, where `/` is for partner event
 * buses only and `default` is the default bus (API reference, CreateEventBus).
 */
const EVENT_BUS_NAME = /^[.\-_A-Za-z0-9]{1,256}$/;

function eventBusName(value: unknown): string {
  const name = pattern('eventBusName', value, EVENT_BUS_NAME, 'must be 1-256 of letters, digits and ._- (an EventBridge custom bus name)');
  check('eventBusName', name !== 'default', "must not be 'default' (the account's default bus cannot be created)", value);
  return name;
}

/** A deployment name: 1-24 letters, digits or hyphens (so a role name with it stays within IAM's 64). */
const DEPLOYMENT_NAME = /^[A-Za-z0-9-]{1,24}$/;

function deploymentName(value: unknown): string {
  if (value === '') return '';
  return pattern('deploymentName', value, DEPLOYMENT_NAME, "must be '' or 1-24 letters, digits or hyphens");
}

/** The unique names of a named deployment: the defaults with `-<name>` (none for the unnamed one). */
function namesOf(deployment: string): Partial<EnrollmentSettings> {
  if (deployment === '') return {};
  return {
    memberRoleName: `${DEFAULT_SETTINGS.memberRoleName}-${deployment}`,
    workflowRoleName: `${DEFAULT_SETTINGS.workflowRoleName}-${deployment}`,
    eventBusName: `${DEFAULT_SETTINGS.eventBusName}-${deployment}`,
  };
}

/** A stack's name in a named deployment (`cdk deploy` takes it). */
export function stackName(base: string, settings: Pick<EnrollmentSettings, 'deploymentName'>): string {
  return settings.deploymentName === '' ? base : `${base}-${settings.deploymentName}`;
}

function accountIds(value: unknown): string[] {
  return distinctList('eventSourceAccounts', value, new RegExp(ACCOUNT_ID_PATTERN), '12-digit account id');
}

/**
 * A principal a resource policy may name: an account (`arn:<partition>:iam::<account>:root`), a role
 * or a user (with an optional path). Role session ARNs are not principals a policy can name.
 */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]{1,512}|user\/[\w+=,.@/-]{1,512})$/;
/** Organizations ids: `o-` and 10-32 lowercase letters or digits (Organizations API reference, Organization.Id). */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** Interface VPC endpoint ids: `vpce-` and 17 (older: 8) hexadecimal digits. */
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;

function boolean(key: string, value: unknown): boolean {
  check(key, typeof value === 'boolean', 'must be true or false', value);
  return value as boolean;
}

/** The access settings, checked together: a PRIVATE endpoint needs its VPC endpoints, and only it may name any. */
function access(
  s: Raw,
): Pick<EnrollmentSettings, 'authorization' | 'allowedPrincipals' | 'allowedOrganizationId' | 'allowDetectorDeletion' | 'endpointType' | 'vpcEndpointIds'> {
  const endpointType = oneOf('endpointType', s.endpointType, API_ENDPOINT_TYPES);
  const vpcEndpointIds = distinctList('vpcEndpointIds', s.vpcEndpointIds, VPC_ENDPOINT_ID, "VPC endpoint id such as 'vpce-0123456789abcdef0'");
  check(
    'vpcEndpointIds',
    endpointType !== 'PRIVATE' || vpcEndpointIds.length > 0,
    "must name at least one VPC endpoint when endpointType is 'PRIVATE'",
    s.vpcEndpointIds,
  );
  check('vpcEndpointIds', endpointType === 'PRIVATE' || vpcEndpointIds.length === 0, "applies only to endpointType 'PRIVATE'", s.vpcEndpointIds);
  const allowedOrganizationId =
    s.allowedOrganizationId === ''
      ? ''
      : pattern('allowedOrganizationId', s.allowedOrganizationId, ORGANIZATION_ID, "must be '' or an AWS Organizations id such as 'o-a1b2c3d4e5'");
  const authorization = oneOf('authorization', s.authorization, API_AUTHORIZATIONS);
  const allowedPrincipals = distinctList('allowedPrincipals', s.allowedPrincipals, PRINCIPAL_ARN, 'IAM role, user or account root ARN');
  // Without IAM authorization every caller is anonymous to the resource policy: no principal to match.
  check(
    'allowedPrincipals',
    authorization === 'iam' || allowedPrincipals.length === 0,
    "needs authorization 'iam' (with the API key alone, callers have no AWS identity to match)",
    s.allowedPrincipals,
  );
  check(
    'allowedOrganizationId',
    authorization === 'iam' || allowedOrganizationId === '',
    "needs authorization 'iam' (with the API key alone, callers have no AWS identity to match)",
    s.allowedOrganizationId,
  );
  return {
    authorization,
    allowedPrincipals,
    allowedOrganizationId,
    allowDetectorDeletion: boolean('allowDetectorDeletion', s.allowDetectorDeletion),
    endpointType,
    vpcEndpointIds,
  };
}

function features(value: unknown): DetectorFeatureSetting[] {
  const key = 'detectorFeatures';
  check(key, Array.isArray(value), 'must be a list of {name, status}', value);
  const list = (value as unknown[]).map((item, i) => {
    check(`${key}[${i}]`, isObject(item), 'must be an object {name, status}', item);
    const feature = item as Raw;
    return {
      name: oneOf(`${key}[${i}].name`, feature.name, DETECTOR_FEATURES),
      status: oneOf(`${key}[${i}].status`, feature.status, ['ENABLED', 'DISABLED'] as const),
    };
  });
  const names = list.map((f) => f.name);
  check(key, new Set(names).size === names.length, 'must not repeat a feature', value);
  // docs/aws-facts.md, 4.2: specifying both EKS_RUNTIME_MONITORING and RUNTIME_MONITORING is an error.
  check(
    key,
    !(names.includes('EKS_RUNTIME_MONITORING') && names.includes('RUNTIME_MONITORING')),
    'must not name both EKS_RUNTIME_MONITORING and RUNTIME_MONITORING',
    value,
  );
  return list;
}

/**
 * The profile: `protectionPlans` validated by the plan rules (AI_ANALYST and both runtime features
 * refused), or the deprecated `detectorFeatures` when only that is given.
 */
function protectionPlans(raw: Raw, legacy: DetectorFeatureSetting[]): ProtectionPlans {
  const given = 'protectionPlans' in raw;
  check(
    'protectionPlans',
    !(given && legacy.length > 0),
    'cannot be set together with the deprecated detectorFeatures: keep protectionPlans only',
    raw.protectionPlans,
  );
  if (!given && legacy.length > 0) {
    const converted = Object.fromEntries(legacy.map((f) => [f.name, f.status]));
    const problem = protectionPlansProblem(converted, 'detectorFeatures');
    check('detectorFeatures', problem === undefined, problem ?? '', legacy);
    return converted as ProtectionPlans;
  }
  const value = given ? raw.protectionPlans : DEFAULT_PROTECTION_PLANS;
  const problem = protectionPlansProblem(value, 'protectionPlans');
  check('protectionPlans', problem === undefined, problem ?? '', value);
  return value as ProtectionPlans;
}

function usagePlan(value: unknown): UsagePlanSettings {
  check('usagePlan', isObject(value), 'must be an object {rateLimit, burstLimit, quotaLimit, quotaPeriod}', value);
  const plan = { ...DEFAULT_SETTINGS.usagePlan, ...(value as Raw) };
  const result: UsagePlanSettings = {
    rateLimit: integer('usagePlan.rateLimit', plan.rateLimit, 1, 10000),
    burstLimit: integer('usagePlan.burstLimit', plan.burstLimit, 1, 5000),
    quotaLimit: integer('usagePlan.quotaLimit', plan.quotaLimit, 1, 1_000_000_000),
    quotaPeriod: oneOf('usagePlan.quotaPeriod', plan.quotaPeriod, ['DAY', 'WEEK', 'MONTH'] as const),
  };
  check('usagePlan.burstLimit', result.burstLimit >= result.rateLimit, 'must be at least usagePlan.rateLimit', result.burstLimit);
  return result;
}

/**
 * Validates raw settings over the defaults. Unknown keys are rejected, so a typo never silently
 * falls back to a default.
 */
export function parseSettings(raw: unknown = {}): EnrollmentSettings {
  if (!isObject(raw)) throw new InvalidSettingError('(root)', 'must be an object', raw);
  for (const key of Object.keys(raw)) {
    check(key, key in DEFAULT_SETTINGS, `is not a known setting (known: ${Object.keys(DEFAULT_SETTINGS).join(', ')})`, raw[key]);
  }
  const deployment = deploymentName(raw.deploymentName ?? DEFAULT_SETTINGS.deploymentName);
  const s = { ...DEFAULT_SETTINGS, ...namesOf(deployment), ...raw } as Raw;
  const detectorFeatures = features(s.detectorFeatures);
  return {
    deploymentName: deployment,
    manageApiGatewayAccountRole: ((v) => {
      check('manageApiGatewayAccountRole', typeof v === 'boolean', 'must be true or false', v);
      return v as boolean;
    })(s.manageApiGatewayAccountRole),
    memberRoleName: pattern('memberRoleName', s.memberRoleName, ROLE_NAME, 'must be an IAM role name (1-64 of letters, digits and +=,.@_-)'),
    workflowRoleName: pattern('workflowRoleName', s.workflowRoleName, ROLE_NAME, 'must be an IAM role name (1-64 of letters, digits and +=,.@_-)'),
    externalId: pattern('externalId', s.externalId, EXTERNAL_ID, 'must be 2-1224 of letters, digits and +=,.@:/_-'),
    defaultRegions: regions(s.defaultRegions),
    maxConcurrentRegions: integer('maxConcurrentRegions', s.maxConcurrentRegions, 1, MAX_REGIONS_PER_ENROLLMENT),
    maxConcurrentMembers: integer('maxConcurrentMembers', s.maxConcurrentMembers, 1, 100),
    findingPublishingFrequency: oneOf('findingPublishingFrequency', s.findingPublishingFrequency, FINDING_PUBLISHING_FREQUENCIES),
    detectorFeatures,
    protectionPlans: protectionPlans(raw, detectorFeatures),
    suppressInvitationEmails: ((v) => {
      check('suppressInvitationEmails', typeof v === 'boolean', 'must be true or false', v);
      return v as boolean;
    })(s.suppressInvitationEmails),
    checkEmailWithOrganizations: ((v) => {
      check('checkEmailWithOrganizations', typeof v === 'boolean', 'must be true or false', v);
      return v as boolean;
    })(s.checkEmailWithOrganizations),
    invitationMessage: ((v) => {
      check(
        'invitationMessage',
        typeof v === 'string' && v.length <= MAX_INVITATION_MESSAGE_LENGTH,
        `must be text of at most ${MAX_INVITATION_MESSAGE_LENGTH} characters`,
        v,
      );
      return v as string;
    })(s.invitationMessage),
    usagePlan: usagePlan(s.usagePlan),
    logRetentionDays: oneOf('logRetentionDays', s.logRetentionDays, LOG_RETENTION_DAYS),
    eventBusName: eventBusName(s.eventBusName),
    eventSourceAccounts: accountIds(s.eventSourceAccounts),
    ...access(s),
    fleetCheckSchedule: pattern(
      'fleetCheckSchedule',
      s.fleetCheckSchedule,
      SCHEDULE,
      "must be 'off', rate(<n> minute(s)|hour(s)|day(s)) or cron(<6 fields>) (EventBridge Scheduler)",
    ),
    fleetRepair: oneOf('fleetRepair', s.fleetRepair, FLEET_REPAIR_MODES),
    fleetInvitedLimitHours: integer('fleetInvitedLimitHours', s.fleetInvitedLimitHours, 0, 24 * 30),
    alarmTopicArn: pattern(
      'alarmTopicArn',
      s.alarmTopicArn,
      SNS_TOPIC_ARN,
      'must be empty or an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>)',
    ),
  };
}

/**
 * Reads the settings from the construct tree's context: the `guarddutyEnrollment` object (cdk.json),
 * with single keys overridable on the command line as `-c guarddutyEnrollment:<key>=<value>`
 * (values are parsed as JSON when they parse, else taken as strings).
 */
export function settingsFromContext(node: Node): EnrollmentSettings {
  const base = node.tryGetContext(SETTINGS_CONTEXT_KEY) ?? {};
  if (!isObject(base)) throw new InvalidSettingError('(root)', 'must be an object', base);
  const merged: Raw = { ...base };
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    const override = node.tryGetContext(`${SETTINGS_CONTEXT_KEY}:${key}`);
    if (override === undefined) continue;
    merged[key] = typeof override === 'string' ? parseLoose(override) : override;
  }
  return parseSettings(merged);
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
