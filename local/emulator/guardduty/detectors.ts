/**
 * Detector operations: CreateDetector, GetDetector, UpdateDetector, DeleteDetector, ListDetectors.
 * Paths, members and status codes follow botocore's GuardDuty model (2017-11-28).
 */
import { GuardDutyMessages as M, badRequest } from '../core/errors';
import { optionalBoolean, optionalString, ownDetector, pageRequest, paginate } from './input';
import type { GuardDutyCall, GuardDutyHandler, JsonObject } from './input';
import { endRelationship } from './relationships';
import { hexId, regionalKey } from '../core/state';
import type { EmulatorState } from '../core/state';
import type { Detector, DetectorStatus, FeatureState } from '../core/types';
import { isFeatureAvailable } from '../../../contract/protection-plans';
import { DETECTOR_FEATURES } from '../../../contract/protection-plans';

/** Model enum FindingPublishingFrequency. */
const FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'];

/**
 * GuardDuty's default publishing frequency for a new detector. The API reference does not state it
 * in the CreateDetector page; SIX_HOURS is what the GuardDuty console shows for a new detector.
 */
const DEFAULT_FREQUENCY = 'SIX_HOURS';

/** Feature names CreateDetector/UpdateDetector accept (docs/aws-facts.md, 4.2: DetectorFeature), the list the app's settings use. */
const INPUT_FEATURES: ReadonlySet<string> = new Set(DETECTOR_FEATURES);

/**
 * Features a new detector reports when the request names none (docs/aws-facts.md, 4.2: "with an exception to
 * RUNTIME_MONITORING, all the optional features are enabled by default"). The foundational sources
 * (CloudTrail, DNS, flow logs) are always on. EKS_RUNTIME_MONITORING is the older form of runtime
 * monitoring, so it is treated like RUNTIME_MONITORING (off): an emulator choice. The newer AI_*
 * features are reported only when a request names them.
 */
const DEFAULT_FEATURES: Array<[string, DetectorStatus]> = [
  ['CLOUD_TRAIL', 'ENABLED'],
  ['DNS_LOGS', 'ENABLED'],
  ['FLOW_LOGS', 'ENABLED'],
  ['S3_DATA_EVENTS', 'ENABLED'],
  ['EKS_AUDIT_LOGS', 'ENABLED'],
  ['EBS_MALWARE_PROTECTION', 'ENABLED'],
  ['RDS_LOGIN_EVENTS', 'ENABLED'],
  ['LAMBDA_NETWORK_LOGS', 'ENABLED'],
  ['EKS_RUNTIME_MONITORING', 'DISABLED'],
  ['RUNTIME_MONITORING', 'DISABLED'],
];

interface FeatureInput {
  name: string;
  status: DetectorStatus;
  additionalConfiguration: Array<{ name: string; status: DetectorStatus }>;
}

/** Creates a detector for an account and region; used by CreateDetector and by the control API's seeding. */
export function createDetectorRecord(state: EmulatorState, accountId: string, region: string, status: DetectorStatus, now: number): Detector {
  const at = new Date(now);
  const detector: Detector = {
    detectorId: hexId(),
    accountId,
    region,
    status,
    findingPublishingFrequency: DEFAULT_FREQUENCY,
    // A feature the region does not offer is not on the detector (docs/aws-facts.md, GuardDuty protection plans: regional availability).
    features: new Map(DEFAULT_FEATURES.filter(([name]) => isFeatureAvailable(name, region)).map(([name, featureStatus]) => [name, feature(featureStatus, at)])),
    tags: {},
    clientToken: undefined,
    createdAt: at,
    updatedAt: at,
  };
  state.detectors.set(regionalKey(accountId, region), detector);
  return detector;
}

/** POST /detector. One detector per account per region (docs/aws-facts.md, 4.1, 4.4). */
export const createDetector: GuardDutyHandler = (call) => {
  const { state, caller, region, body, now } = call;
  const enable = optionalBoolean(body, 'enable');
  if (enable === undefined) throw badRequest(M.invalidInput);
  const clientToken = optionalString(body, 'clientToken');
  const frequency = readFrequency(body);
  const features = readFeatures(body, region);
  const tags = readTags(body);
  const existing = state.detectorOf(caller.accountId, region);
  // The SDKs send an idempotency token (model: ClientToken, idempotencyToken); a retry of a
  // CreateDetector that did succeed gets the same detector back instead of an error.
  if (existing && clientToken !== undefined && existing.clientToken === clientToken) {
    return { detectorId: existing.detectorId };
  }
  if (existing) throw badRequest(M.detectorExists);
  const detector = createDetectorRecord(state, caller.accountId, region, enable ? 'ENABLED' : 'DISABLED', now);
  detector.clientToken = clientToken;
  detector.findingPublishingFrequency = frequency ?? DEFAULT_FREQUENCY;
  detector.tags = tags;
  applyFeatures(detector, features, now);
  return { detectorId: detector.detectorId };
};

/** GET /detector/{detectorId}. */
export const getDetector: GuardDutyHandler = (call) => {
  const detector = callerDetector(call);
  return {
    createdAt: detector.createdAt.toISOString(),
    findingPublishingFrequency: detector.findingPublishingFrequency,
    serviceRole: `arn:aws:iam::${detector.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
    status: detector.status,
    updatedAt: detector.updatedAt.toISOString(),
    features: [...detector.features.entries()].map(([name, state]) => renderFeature(name, state)),
    tags: detector.tags,
  };
};

/** POST /detector/{detectorId}. Re-enabling or disabling changes how the administrator sees the member (docs/aws-facts.md, 4.3). */
export const updateDetector: GuardDutyHandler = (call) => {
  const detector = callerDetector(call);
  const enable = optionalBoolean(call.body, 'enable');
  const frequency = readFrequency(call.body);
  const features = readFeatures(call.body, call.region);
  if (enable !== undefined) detector.status = enable ? 'ENABLED' : 'DISABLED';
  if (frequency !== undefined) detector.findingPublishingFrequency = frequency;
  applyFeatures(detector, features, call.now);
  detector.updatedAt = new Date(call.now);
  touchMembership(call.state, detector, call.now);
  return {};
};

/**
 * DELETE /detector/{detectorId}. A member that deletes its detector shows as `Removed` to its
 * administrator (docs/aws-facts.md, 4.3: "REMOVED: accepted, then the detector was deleted") and has no
 * administrator afterwards. An administrator that deletes its detector loses its member list and
 * the invitations it sent in that region, and its members become standalone: the docs do not say
 * what happens, and this keeps no dangling relationship behind.
 */
export const deleteDetector: GuardDutyHandler = (call) => {
  const { state, region, now } = call;
  const detector = callerDetector(call);
  const accountId = detector.accountId;
  const link = state.administratorOf(accountId, region);
  if (link) {
    const record = state.memberRecord(link.administratorId, region, accountId);
    if (record) endRelationship(state, record, 'Removed', now);
    state.administrators.delete(regionalKey(accountId, region));
  }
  dropMemberList(state, accountId, region, now);
  state.detectors.delete(regionalKey(accountId, region));
  return {};
};

/** GET /detector. At most one id: one detector per account per region. */
export const listDetectors: GuardDutyHandler = (call) => {
  const page = pageRequest(call.query);
  const detector = call.state.detectorOf(call.caller.accountId, call.region);
  const result = paginate(detector ? [detector.detectorId] : [], page);
  return withNextToken({ detectorIds: result.items }, result.nextToken);
};

/** Adds `nextToken` to a list response when there is another page. */
export function withNextToken(body: JsonObject, nextToken: string | undefined): JsonObject {
  return nextToken === undefined ? body : { ...body, nextToken };
}

function callerDetector(call: GuardDutyCall): Detector {
  return ownDetector(call.state, call.caller.accountId, call.region, call.detectorId);
}

function dropMemberList(state: EmulatorState, administratorId: string, region: string, now: number): void {
  const list = state.members.get(regionalKey(administratorId, region));
  if (!list) return;
  for (const record of list.values()) endRelationship(state, record, 'Removed', now);
  state.members.delete(regionalKey(administratorId, region));
}

/** The administrator's record of this member changes status with the member's detector; bump its UpdatedAt. */
function touchMembership(state: EmulatorState, detector: Detector, now: number): void {
  const link = state.administratorOf(detector.accountId, detector.region);
  if (!link) return;
  const record = state.memberRecord(link.administratorId, detector.region, detector.accountId);
  if (record) record.updatedAt = new Date(now);
}

function feature(status: DetectorStatus, at: Date): FeatureState {
  return { status, updatedAt: at, additionalConfiguration: [] };
}

/** A feature as GetDetector and GetMemberDetectors render it, with `managedBy` when a policy manages it. */
export function renderFeature(name: string, state: FeatureState): JsonObject {
  // Feature UpdatedAt is a model `timestamp`: REST-JSON bodies carry it as epoch seconds.
  const managedBy = state.managedBy ? { managedBy: state.managedBy } : {};
  const rendered: JsonObject = { name, status: state.status, updatedAt: state.updatedAt.getTime() / 1000, ...managedBy };
  if (state.additionalConfiguration.length > 0) {
    rendered.additionalConfiguration = state.additionalConfiguration.map((extra) => ({
      name: extra.name,
      status: extra.status,
      updatedAt: extra.updatedAt.getTime() / 1000,
      ...managedBy,
    }));
  }
  return rendered;
}

function applyFeatures(detector: Detector, features: FeatureInput[] | undefined, now: number): void {
  if (!features) return;
  const at = new Date(now);
  for (const input of features) {
    detector.features.set(input.name, {
      status: input.status,
      updatedAt: at,
      additionalConfiguration: input.additionalConfiguration.map((extra) => ({ ...extra, updatedAt: at })),
    });
  }
}

function readFrequency(body: JsonObject): string | undefined {
  const frequency = optionalString(body, 'findingPublishingFrequency');
  if (frequency !== undefined && !FREQUENCIES.includes(frequency)) throw badRequest(M.invalidInput);
  return frequency;
}

function readTags(body: JsonObject): Record<string, string> {
  const tags = body.tags;
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags)) throw badRequest(M.invalidInput);
  const entries = Object.entries(tags as JsonObject);
  // Model: TagMap 1..200 entries.
  if (entries.length > 200 || !entries.every(([, value]) => typeof value === 'string')) throw badRequest(M.invalidInput);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A feature the region does not offer is refused with docs/aws-facts.md, 4.4's "Feature not in region" text. */
function readFeatures(body: JsonObject, region: string): FeatureInput[] | undefined {
  const raw = body.features;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw badRequest(M.invalidInput);
  const features = raw.map(readFeature);
  if (!features.every((item) => isFeatureAvailable(item.name, region))) throw badRequest(M.invalidInput);
  const names = new Set(features.map((item) => item.name));
  if (names.has('EKS_RUNTIME_MONITORING') && names.has('RUNTIME_MONITORING')) throw badRequest(M.bothRuntimeFeatures);
  return features;
}

function readFeature(raw: unknown): FeatureInput {
  if (raw === null || typeof raw !== 'object') throw badRequest(M.invalidInput);
  const item = raw as JsonObject;
  const name = optionalString(item, 'name');
  const status = readStatus(item);
  if (name === undefined || !INPUT_FEATURES.has(name)) throw badRequest(M.invalidInput);
  const extras = item.additionalConfiguration;
  if (extras !== undefined && !Array.isArray(extras)) throw badRequest(M.invalidInput);
  const additionalConfiguration = (extras ?? []).map((extra: unknown) => {
    if (extra === null || typeof extra !== 'object') throw badRequest(M.invalidInput);
    const extraName = optionalString(extra as JsonObject, 'name');
    if (extraName === undefined) throw badRequest(M.invalidInput);
    return { name: extraName, status: readStatus(extra as JsonObject) };
  });
  return { name, status, additionalConfiguration };
}

function readStatus(item: JsonObject): DetectorStatus {
  const status = optionalString(item, 'status');
  if (status !== 'ENABLED' && status !== 'DISABLED') throw badRequest(M.invalidInput);
  return status;
}
