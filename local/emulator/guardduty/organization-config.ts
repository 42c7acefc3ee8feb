/**
 * The organization configuration of the delegated administrator: UpdateOrganizationConfiguration
 * (POST /detector/{detectorId}/admin) and DescribeOrganizationConfiguration (GET
 * /detector/{detectorId}/admin), paths and members from botocore's GuardDuty model. Regional, and
 * only for the region's designated delegated administrator.
 */
import { GuardDutyMessages as M, badRequest } from '../core/errors';
import { withNextToken } from './detectors';
import { optionalBoolean, optionalString, ownDetector, pageRequest, paginate } from './input';
import type { GuardDutyCall, GuardDutyHandler, JsonObject } from './input';
import { GuardDutyOrganizationMessages as OM } from './organization-messages';
import { ORGANIZATION_MEMBER_LIMIT } from './organization-members';
import type { AutoEnableValue, Organization, OrganizationConfiguration } from '../organizations/state';
import { regionalKey } from '../core/state';

/** Model enum OrgFeature: DetectorFeature without AI_ANALYST (docs/aws-facts.md, 4.2). */
export const ORG_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'EKS_RUNTIME_MONITORING',
  'LAMBDA_NETWORK_LOGS',
  'RUNTIME_MONITORING',
  'AI_PROTECTION',
] as const;

/** Model enum OrgFeatureAdditionalConfiguration. */
const ADDITIONAL_CONFIGURATIONS = new Set(['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT', 'RDS_DATA_RISK']);

/**
 * The agent-management add-ons DescribeOrganizationConfiguration lists under the runtime features
 * even before anyone configured them (as NONE); which feature each belongs to follows the user
 * guide's Runtime Monitoring pages. Other features list none until a request names one.
 */
const DEFAULT_ADDITIONAL: Record<string, string[]> = {
  EKS_RUNTIME_MONITORING: ['EKS_ADDON_MANAGEMENT'],
  RUNTIME_MONITORING: ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'],
};

const AUTO_ENABLE_VALUES: readonly AutoEnableValue[] = ['NEW', 'ALL', 'NONE'];

/**
 * The organization the caller administers in this region, after checking that the detector in
 * the path is the caller's (docs/aws-facts.md, 4.4 "not owned" text first, as for every detector path).
 */
function administeredOrganization(call: GuardDutyCall): Organization {
  ownDetector(call.state, call.caller.accountId, call.region, call.detectorId);
  const organization = call.state.organizations.administeredOrganization(call.caller.accountId, call.region);
  if (!organization) throw badRequest(OM.noOrganizationPermission);
  return organization;
}

/**
 * POST /detector/{detectorId}/admin. Exactly one of `autoEnableOrganizationMembers` (NEW | ALL |
 * NONE) and the deprecated `autoEnable` (true = NEW: "This applies to only new member accounts",
 * model doc) is required. `features` updates the named features only; the others keep their value.
 * The deprecated `dataSources` map onto the features they became (S3 logs → S3_DATA_EVENTS,
 * Kubernetes audit logs → EKS_AUDIT_LOGS, EBS malware scans → EBS_MALWARE_PROTECTION); a feature
 * named in both takes the `features` value.
 *
 * ALL does not enroll the organization's other accounts by itself in the emulator: the model doc
 * says the update "may take up to 24 hours" for existing accounts, so the emulator leaves them to
 * CreateMembers and applies auto-enable to accounts that join the organization afterwards.
 */
export const updateOrganizationConfiguration: GuardDutyHandler = (call) => {
  const organization = administeredOrganization(call);
  const book = call.state.organizations;
  const current = book.configuration(organization.id, call.region);
  const autoEnableMembers = readAutoEnableMembers(call.body);
  const features = new Map(current.features);
  for (const [name, value] of readDataSources(call.body)) features.set(name, { autoEnable: value, additional: features.get(name)?.additional ?? new Map() });
  for (const feature of readFeatures(call.body)) {
    const additional = new Map(features.get(feature.name)?.additional ?? []);
    for (const [extraName, extraValue] of feature.additional) additional.set(extraName, extraValue);
    features.set(feature.name, { autoEnable: feature.autoEnable, additional });
  }
  const next: OrganizationConfiguration = { autoEnableMembers, features };
  book.setConfiguration(organization.id, call.region, next);
  return {};
};

/**
 * GET /detector/{detectorId}/admin. Every OrgFeature is listed (NONE when never configured), paged
 * by maxResults/nextToken (1..50). `autoEnable` (deprecated) is true unless members are NONE;
 * `dataSources` (deprecated, but `s3Logs` is required in the result shape) mirrors the features.
 * `memberAccountLimitReached` compares the member list with the delegated administrator limit.
 */
export const describeOrganizationConfiguration: GuardDutyHandler = (call) => {
  const organization = administeredOrganization(call);
  const configuration = call.state.organizations.configuration(organization.id, call.region);
  const page = pageRequest(call.query);
  const features = ORG_FEATURES.map((name) => renderFeature(name, configuration));
  const result = paginate(features, page);
  const members = call.state.members.get(regionalKey(call.caller.accountId, call.region))?.size ?? 0;
  const on = (name: string): boolean => (configuration.features.get(name)?.autoEnable ?? 'NONE') !== 'NONE';
  const body: JsonObject = {
    autoEnable: configuration.autoEnableMembers !== 'NONE',
    memberAccountLimitReached: members >= ORGANIZATION_MEMBER_LIMIT,
    dataSources: {
      s3Logs: { autoEnable: on('S3_DATA_EVENTS') },
      kubernetes: { auditLogs: { autoEnable: on('EKS_AUDIT_LOGS') } },
      malwareProtection: { scanEc2InstanceWithFindings: { ebsVolumes: { autoEnable: on('EBS_MALWARE_PROTECTION') } } },
    },
    features: result.items,
    autoEnableOrganizationMembers: configuration.autoEnableMembers,
  };
  return withNextToken(body, result.nextToken);
};

function renderFeature(name: string, configuration: OrganizationConfiguration): JsonObject {
  const stored = configuration.features.get(name);
  const extras = new Map<string, AutoEnableValue>((DEFAULT_ADDITIONAL[name] ?? []).map((extra) => [extra, 'NONE']));
  for (const [extra, value] of stored?.additional ?? []) extras.set(extra, value);
  const rendered: JsonObject = { name, autoEnable: stored?.autoEnable ?? 'NONE' };
  if (extras.size > 0) rendered.additionalConfiguration = [...extras].map(([extra, value]) => ({ name: extra, autoEnable: value }));
  return rendered;
}

function readAutoEnableMembers(body: JsonObject): AutoEnableValue {
  const members = optionalString(body, 'autoEnableOrganizationMembers');
  const legacy = optionalBoolean(body, 'autoEnable');
  if ((members === undefined) === (legacy === undefined)) throw badRequest(OM.autoEnableXor);
  if (legacy !== undefined) return legacy ? 'NEW' : 'NONE';
  return readAutoEnableValue(members);
}

function readAutoEnableValue(value: unknown): AutoEnableValue {
  if (typeof value !== 'string' || !AUTO_ENABLE_VALUES.includes(value as AutoEnableValue)) throw badRequest(M.invalidInput);
  return value as AutoEnableValue;
}

interface FeatureInput {
  name: string;
  autoEnable: AutoEnableValue;
  additional: Array<[string, AutoEnableValue]>;
}

function readFeatures(body: JsonObject): FeatureInput[] {
  const raw = body.features;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest(M.invalidInput);
  const features = raw.map((item: unknown): FeatureInput => {
    if (item === null || typeof item !== 'object') throw badRequest(M.invalidInput);
    const feature = item as JsonObject;
    const name = optionalString(feature, 'name');
    if (name === undefined || !(ORG_FEATURES as readonly string[]).includes(name)) throw badRequest(M.invalidInput);
    const extras = feature.additionalConfiguration;
    if (extras !== undefined && extras !== null && !Array.isArray(extras)) throw badRequest(M.invalidInput);
    const additional = ((extras as unknown[] | null | undefined) ?? []).map((extra): [string, AutoEnableValue] => {
      if (extra === null || typeof extra !== 'object') throw badRequest(M.invalidInput);
      const extraName = optionalString(extra as JsonObject, 'name');
      if (extraName === undefined || !ADDITIONAL_CONFIGURATIONS.has(extraName)) throw badRequest(M.invalidInput);
      return [extraName, readAutoEnableValue((extra as JsonObject).autoEnable)];
    });
    return { name, autoEnable: readAutoEnableValue(feature.autoEnable), additional };
  });
  const names = new Set(features.map((feature) => feature.name));
  // Model doc: "Specifying both EKS Runtime Monitoring (EKS_RUNTIME_MONITORING) and Runtime Monitoring (RUNTIME_MONITORING) will cause an error."
  if (names.has('EKS_RUNTIME_MONITORING') && names.has('RUNTIME_MONITORING')) throw badRequest(M.bothRuntimeFeatures);
  return features;
}

function readDataSources(body: JsonObject): Array<[string, AutoEnableValue]> {
  const raw = body.dataSources;
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest(M.invalidInput);
  const sources = raw as JsonObject;
  const flag = (value: unknown): boolean | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object') throw badRequest(M.invalidInput);
    return optionalBoolean(value as JsonObject, 'autoEnable');
  };
  const nested = (value: unknown, key: string): unknown => (value !== null && typeof value === 'object' ? (value as JsonObject)[key] : undefined);
  const mapped: Array<[string, boolean | undefined]> = [
    ['S3_DATA_EVENTS', flag(sources.s3Logs)],
    ['EKS_AUDIT_LOGS', flag(nested(sources.kubernetes, 'auditLogs'))],
    ['EBS_MALWARE_PROTECTION', flag(nested(nested(sources.malwareProtection, 'scanEc2InstanceWithFindings'), 'ebsVolumes'))],
  ];
  return mapped.filter((entry): entry is [string, boolean] => entry[1] !== undefined).map(([name, on]) => [name, on ? 'NEW' : 'NONE']);
}
