/**
 * Control route `POST /_emulator/detector-features` `{accountId, region, features?, policyManaged?}`:
 * sets features of an account's detector in a region as the account itself could have
 * (`features: {"S3_DATA_EVENTS": "ENABLED"}`), and marks features as managed by an Organizations
 * GuardDuty policy (`policyManaged: ["EBS_MALWARE_PROTECTION"]`): GetMemberDetectors then reports
 * them with `managedBy: GUARDDUTY_POLICY` and UpdateMemberDetectors refuses to change them
 * (docs/aws-facts.md, GuardDuty protection plans: Organizations GuardDuty policies). Answers the detector's features.
 */
import { FEATURE_STATUSES, MEMBER_FEATURES } from '../../../contract/protection-plans';
import { jsonReply } from '../core/http';
import type { HttpReply } from '../core/protocol';
import type { EmulatorState } from '../core/state';
import type { DetectorStatus } from '../core/types';

export const DETECTOR_FEATURES_CONTROL_PATH = '/_emulator/detector-features';

const FIELDS = ['accountId', 'region', 'features', 'policyManaged'];

export function handleDetectorFeaturesControl(state: EmulatorState, method: string, rawBody: string, now = Date.now()): HttpReply {
  if (method !== 'POST') return jsonReply(405, { message: `Use POST ${DETECTOR_FEATURES_CONTROL_PATH}.` });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody || '{}') as Record<string, unknown>;
  } catch {
    return jsonReply(400, { message: 'The body is not valid JSON.' });
  }
  const problem = bodyProblem(body);
  if (problem) return jsonReply(400, { message: problem });
  const detector = state.detectorOf(body.accountId as string, body.region as string);
  if (!detector) return jsonReply(404, { message: `Account ${String(body.accountId)} has no detector in ${String(body.region)}.` });
  const at = new Date(now);
  for (const [name, status] of Object.entries((body.features ?? {}) as Record<string, DetectorStatus>)) {
    const current = detector.features.get(name);
    detector.features.set(name, { additionalConfiguration: [], ...current, status, updatedAt: at });
  }
  for (const name of (body.policyManaged ?? []) as string[]) {
    const current = detector.features.get(name) ?? { status: 'DISABLED' as DetectorStatus, updatedAt: at, additionalConfiguration: [] };
    detector.features.set(name, { ...current, managedBy: 'GUARDDUTY_POLICY' });
  }
  return jsonReply(200, {
    features: [...detector.features.entries()].map(([name, feature]) => ({
      name,
      status: feature.status,
      ...(feature.managedBy ? { managedBy: feature.managedBy } : {}),
    })),
  });
}

function bodyProblem(body: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(body).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) return `Unknown field(s): ${unknown.join(', ')}. Allowed: ${FIELDS.join(', ')}.`;
  if (typeof body.accountId !== 'string' || !/^\d{12}$/.test(body.accountId)) return 'accountId must be a 12-digit account id.';
  if (typeof body.region !== 'string' || body.region === '') return 'region is required.';
  const isFeature = (name: string) => (MEMBER_FEATURES as readonly string[]).includes(name);
  const features = body.features ?? {};
  if (typeof features !== 'object' || features === null || Array.isArray(features)) return 'features must be an object of feature name to ENABLED or DISABLED.';
  for (const [name, status] of Object.entries(features)) {
    if (!isFeature(name) || !(FEATURE_STATUSES as readonly unknown[]).includes(status))
      return `features.${name} must be a member feature (${MEMBER_FEATURES.join(', ')}) set to ENABLED or DISABLED.`;
  }
  const managed = body.policyManaged ?? [];
  if (!Array.isArray(managed) || !managed.every((name) => typeof name === 'string' && isFeature(name)))
    return `policyManaged must be a list of member features (${MEMBER_FEATURES.join(', ')}).`;
  return undefined;
}
