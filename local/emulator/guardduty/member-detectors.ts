/**
 * The administrator's view of its members' protection plans: UpdateMemberDetectors,
 * GetMemberDetectors and GetRemainingFreeTrialDays. Paths, members (camelCase wire names), limits
 * and required fields follow botocore's GuardDuty model (2017-11-28): `accountIds` 1..50 of exactly
 * 12 characters, `unprocessedAccounts[{accountId, result}]`, features named by `OrgFeature`
 * (docs/aws-facts.md, GuardDuty protection plans). Per-account problems come back in `unprocessedAccounts` (docs/aws-facts.md, 4.2).
 */
import { EXCLUSIVE_RUNTIME_FEATURES, FEATURE_STATUSES, MEMBER_FEATURES, RUNTIME_AGENTS, isFeatureAvailable } from '../../../contract/protection-plans';
import { GuardDutyMessages as M, badRequest } from '../core/errors';
import { renderFeature } from './detectors';
import { accountIdList, optionalString, ownDetector } from './input';
import type { GuardDutyCall, GuardDutyHandler, JsonObject } from './input';
import { isAssociated } from './relationships';
import type { Detector, DetectorStatus, MemberRecord } from '../core/types';

interface MemberFeatureInput {
  name: string;
  status: DetectorStatus;
  additionalConfiguration: Array<{ name: string; status: DetectorStatus }>;
}

/** docs/aws-facts.md, GuardDuty protection plans: each feature has its own 30-day trial per account and region. */
const TRIAL_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * FreeTrialFeatureResult names for a detector feature (botocore enum). The foundational sources are
 * always on. Runtime monitoring is reported per workload type: an emulator choice (the docs do not
 * say which names a RUNTIME_MONITORING trial is reported under).
 */
const TRIAL_NAMES: Record<string, string[]> = {
  CLOUD_TRAIL: ['CLOUD_TRAIL'],
  DNS_LOGS: ['DNS_LOGS'],
  FLOW_LOGS: ['FLOW_LOGS'],
  S3_DATA_EVENTS: ['S3_DATA_EVENTS'],
  EKS_AUDIT_LOGS: ['EKS_AUDIT_LOGS'],
  EBS_MALWARE_PROTECTION: ['EBS_MALWARE_PROTECTION'],
  RDS_LOGIN_EVENTS: ['RDS_LOGIN_EVENTS'],
  LAMBDA_NETWORK_LOGS: ['LAMBDA_NETWORK_LOGS'],
  EKS_RUNTIME_MONITORING: ['EKS_RUNTIME_MONITORING'],
  RUNTIME_MONITORING: ['EKS_RUNTIME_MONITORING', 'EC2_RUNTIME_MONITORING', 'FARGATE_RUNTIME_MONITORING'],
  AI_PROTECTION: ['AI_PROTECTION'],
};

/** The caller's detector (from the path) and its member list. */
function membersOf(call: GuardDutyCall): Map<string, MemberRecord> {
  ownDetector(call.state, call.caller.accountId, call.region, call.detectorId);
  return call.state.memberList(call.caller.accountId, call.region);
}

/** The associated member's detector, or why there is none (the UnprocessedAccounts result). */
function memberDetector(call: GuardDutyCall, list: Map<string, MemberRecord>, accountId: string): Detector | string {
  const record = list.get(accountId);
  if (!record) return M.notMember;
  const detector = call.state.detectorOf(accountId, call.region);
  // docs/aws-facts.md, 4.4 / SRA issue #151: the live text for a member that is not associated.
  if (!isAssociated(record) || !detector) return M.notAssociatedMember;
  return detector;
}

/**
 * POST /detector/{detectorId}/member/detector/update. The whole request is refused (400) for an
 * unknown feature, both runtime features, or a feature the region does not offer (docs/aws-facts.md, 4.4
 * "Feature not in region"); a member that is not associated, or a feature an Organizations policy
 * manages, goes to unprocessedAccounts and that member is left unchanged.
 */
export const updateMemberDetectors: GuardDutyHandler = (call) => {
  const list = membersOf(call);
  const ids = accountIdList(call.body);
  const features = readMemberFeatures(call.body, call.region);
  if (call.body.dataSources !== undefined && (call.body.dataSources === null || typeof call.body.dataSources !== 'object')) throw badRequest(M.invalidInput);
  const unprocessed: Array<{ accountId: string; result: string }> = [];
  const at = new Date(call.now);
  for (const accountId of ids) {
    const detector = memberDetector(call, list, accountId);
    if (typeof detector === 'string') {
      unprocessed.push({ accountId, result: detector });
      continue;
    }
    const managed = features.find((feature) => detector.features.get(feature.name)?.managedBy !== undefined);
    if (managed) {
      unprocessed.push({ accountId, result: M.policyManaged(managed.name) });
      continue;
    }
    for (const feature of features) {
      const current = detector.features.get(feature.name);
      const extras = new Map((current?.additionalConfiguration ?? []).map((extra) => [extra.name, extra]));
      for (const extra of feature.additionalConfiguration) extras.set(extra.name, { ...extra, updatedAt: at });
      detector.features.set(feature.name, { status: feature.status, updatedAt: at, additionalConfiguration: [...extras.values()] });
    }
  }
  return { unprocessedAccounts: unprocessed };
};

/**
 * POST /detector/{detectorId}/member/detector/get. Every member feature the region offers is
 * reported; one the member's detector has never had reads DISABLED (emulator choice: the docs do
 * not say how a never-configured feature reads). `dataSources` is required by the model; it is
 * derived from the features.
 */
export const getMemberDetectors: GuardDutyHandler = (call) => {
  const list = membersOf(call);
  const members: JsonObject[] = [];
  const unprocessed: Array<{ accountId: string; result: string }> = [];
  for (const accountId of accountIdList(call.body)) {
    const detector = memberDetector(call, list, accountId);
    if (typeof detector === 'string') unprocessed.push({ accountId, result: detector });
    else members.push(renderMemberConfiguration(detector));
  }
  return { members, unprocessedAccounts: unprocessed };
};

/**
 * POST /detector/{detectorId}/freeTrial/daysRemaining. `accountIds` is required (docs/aws-facts.md, GuardDuty protection
 * plans: since 2025-12-22); each must be the caller or one of its associated members. Days count
 * from the detector's creation, for the features it has ENABLED (emulator choice).
 */
export const getRemainingFreeTrialDays: GuardDutyHandler = (call) => {
  const list = membersOf(call);
  const accounts: JsonObject[] = [];
  const unprocessed: Array<{ accountId: string; result: string }> = [];
  for (const accountId of accountIdList(call.body)) {
    const detector = accountId === call.caller.accountId ? call.state.detectorOf(accountId, call.region) : memberDetector(call, list, accountId);
    if (detector === undefined || typeof detector === 'string') {
      unprocessed.push({ accountId, result: detector ?? M.notMember });
      continue;
    }
    const days = Math.max(0, TRIAL_DAYS - Math.floor((call.now - detector.createdAt.getTime()) / DAY_MS));
    const names = [...detector.features.entries()]
      .filter(([name, state]) => state.status === 'ENABLED' && isFeatureAvailable(name, call.region))
      .flatMap(([name]) => TRIAL_NAMES[name] ?? []);
    accounts.push({ accountId, features: [...new Set(names)].map((name) => ({ name, freeTrialDaysRemaining: days })) });
  }
  return { accounts, unprocessedAccounts: unprocessed };
};

function renderMemberConfiguration(detector: Detector): JsonObject {
  const at = detector.createdAt;
  const features = MEMBER_FEATURES.filter((name) => isFeatureAvailable(name, detector.region)).map((name) =>
    renderFeature(name, detector.features.get(name) ?? { status: 'DISABLED', updatedAt: at, additionalConfiguration: [] }),
  );
  const status = (name: string) => detector.features.get(name)?.status ?? 'DISABLED';
  return {
    accountId: detector.accountId,
    dataSources: {
      cloudTrail: { status: 'ENABLED' },
      dnsLogs: { status: 'ENABLED' },
      flowLogs: { status: 'ENABLED' },
      s3Logs: { status: status('S3_DATA_EVENTS') },
      kubernetes: { auditLogs: { status: status('EKS_AUDIT_LOGS') } },
    },
    features,
  };
}

function readMemberFeatures(body: JsonObject, region: string): MemberFeatureInput[] {
  const raw = body.features;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest(M.invalidInput);
  const features = raw.map((item: unknown): MemberFeatureInput => {
    if (item === null || typeof item !== 'object') throw badRequest(M.invalidInput);
    const name = optionalString(item as JsonObject, 'name');
    if (name === undefined || !(MEMBER_FEATURES as readonly string[]).includes(name) || !isFeatureAvailable(name, region)) throw badRequest(M.invalidInput);
    const extras = (item as JsonObject).additionalConfiguration;
    if (extras !== undefined && !Array.isArray(extras)) throw badRequest(M.invalidInput);
    const additionalConfiguration = ((extras as unknown[] | undefined) ?? []).map((extra) => {
      if (extra === null || typeof extra !== 'object') throw badRequest(M.invalidInput);
      const extraName = optionalString(extra as JsonObject, 'name');
      if (extraName === undefined || !(RUNTIME_AGENTS as readonly string[]).includes(extraName)) throw badRequest(M.invalidInput);
      return { name: extraName, status: readStatus(extra as JsonObject) };
    });
    return { name, status: readStatus(item as JsonObject), additionalConfiguration };
  });
  const names = new Set(features.map((feature) => feature.name));
  if (EXCLUSIVE_RUNTIME_FEATURES.every((name) => names.has(name))) throw badRequest(M.bothRuntimeFeatures);
  return features;
}

function readStatus(item: JsonObject): DetectorStatus {
  const status = optionalString(item, 'status');
  if (!(FEATURE_STATUSES as readonly unknown[]).includes(status)) throw badRequest(M.invalidInput);
  return status as DetectorStatus;
}
