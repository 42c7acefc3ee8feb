/**
 * Protection plans (GuardDuty "features") as this product's contract: the names, the rules a plan
 * must follow, and how a deployment's profile and a request's override combine. Written once and
 * used by the settings (synth), the API model, the Lambda steps, local mode and the CLI.
 * No CDK or SDK import: everything here is plain data and functions.
 */

/**
 * Features the administrator can set for a member: botocore's `OrgFeature` enum (docs/aws-facts.md, GuardDuty protection
 * plans: feature names), which UpdateMemberDetectors takes.
 */
export const MEMBER_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'LAMBDA_NETWORK_LOGS',
  'EKS_RUNTIME_MONITORING',
  'RUNTIME_MONITORING',
  'AI_PROTECTION',
] as const;
export type MemberFeature = (typeof MEMBER_FEATURES)[number];

/** DetectorFeature values that are not member features: AI_ANALYST exists only on the administrator's detector (docs/aws-facts.md, GuardDuty protection plans). */
export const ADMINISTRATOR_ONLY_FEATURES = ['AI_ANALYST'] as const;

/** DetectorFeature values in botocore's GuardDuty model (docs/aws-facts.md, 4.2): the member features and the administrator-only ones. */
export const DETECTOR_FEATURES = [...MEMBER_FEATURES, ...ADMINISTRATOR_ONLY_FEATURES] as const;

/** RUNTIME_MONITORING's additional configuration (docs/aws-facts.md, GuardDuty protection plans: feature names). */
export const RUNTIME_AGENTS = ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'] as const;
export type RuntimeAgent = (typeof RUNTIME_AGENTS)[number];

export const FEATURE_STATUSES = ['ENABLED', 'DISABLED'] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];

/** The feature with an additional configuration. */
export const RUNTIME_FEATURE = 'RUNTIME_MONITORING';
/** docs/aws-facts.md, GuardDuty protection plans: naming both of these in one call is an error; RUNTIME_MONITORING is the current one. */
export const EXCLUSIVE_RUNTIME_FEATURES = ['EKS_RUNTIME_MONITORING', 'RUNTIME_MONITORING'] as const;

/** One feature's wanted state: a status, or for RUNTIME_MONITORING also its agents' statuses. */
export type PlanValue = FeatureStatus | { status: FeatureStatus; additionalConfiguration?: Partial<Record<RuntimeAgent, FeatureStatus>> };

/**
 * Protection plans as settings, requests and events write them: feature name → wanted state, e.g.
 * `{"S3_DATA_EVENTS": "ENABLED", "RUNTIME_MONITORING": {"status": "ENABLED", "additionalConfiguration": {"EC2_AGENT_MANAGEMENT": "ENABLED"}}}`.
 * A feature left out is not touched by UpdateMemberDetectors.
 */
export type ProtectionPlans = Partial<Record<MemberFeature, PlanValue>>;

/** One feature's wanted state, spelled out. */
export interface WantedFeature {
  name: MemberFeature;
  status: FeatureStatus;
  additionalConfiguration: Array<{ name: RuntimeAgent; status: FeatureStatus }>;
}

/**
 * The default profile: the project's choice, written down with its reasoning in the README
 * ("Protection plans"). Log-based protections without an agent on; everything that installs agents,
 * scans volumes or is priced per resource off until the administrator chooses it.
 */
export const DEFAULT_PROTECTION_PLANS: ProtectionPlans = {
  S3_DATA_EVENTS: 'ENABLED',
  EKS_AUDIT_LOGS: 'ENABLED',
  EBS_MALWARE_PROTECTION: 'DISABLED',
  RDS_LOGIN_EVENTS: 'DISABLED',
  LAMBDA_NETWORK_LOGS: 'DISABLED',
  RUNTIME_MONITORING: 'DISABLED',
  AI_PROTECTION: 'DISABLED',
};

/**
 * Features GuardDuty does not offer in a region: docs/aws-facts.md, GuardDuty protection plans ("Regional availability",
 * `guardduty_regions.html`). Only what a source names is listed; the apply step also treats a
 * feature GetMemberDetectors does not report as unavailable.
 */
export const UNAVAILABLE_FEATURES: Readonly<Record<string, readonly MemberFeature[]>> = {
  'ap-east-2': ['RDS_LOGIN_EVENTS'],
};

/** Whether GuardDuty offers `feature` in `region` as far as the table knows. */
export function isFeatureAvailable(feature: string, region: string): boolean {
  return !(UNAVAILABLE_FEATURES[region] ?? []).includes(feature as MemberFeature);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStatus = (value: unknown): value is FeatureStatus => (FEATURE_STATUSES as readonly unknown[]).includes(value);

/**
 * Why `value` is not a valid set of member protection plans, or undefined when it is. `where` names
 * the field in the message (e.g. 'protectionPlans'). The one rule set behind the settings
 * validation, the API model ({@link protectionPlansSchema}) and the Lambda steps.
 */
export function protectionPlansProblem(value: unknown, where = 'protectionPlans'): string | undefined {
  if (!isObject(value)) return `${where} must be an object of feature name to ENABLED or DISABLED`;
  for (const [name, wanted] of Object.entries(value)) {
    if ((ADMINISTRATOR_ONLY_FEATURES as readonly string[]).includes(name)) {
      return `${where}.${name}: ${name} is for the administrator's own detector only and cannot be set for members`;
    }
    if (!(MEMBER_FEATURES as readonly string[]).includes(name)) return `${where}.${name}: not a feature (known: ${MEMBER_FEATURES.join(', ')})`;
    if (isStatus(wanted)) continue;
    if (name !== RUNTIME_FEATURE || !isObject(wanted)) return `${where}.${name} must be ENABLED or DISABLED`;
    const unknownKeys = Object.keys(wanted).filter((key) => key !== 'status' && key !== 'additionalConfiguration');
    if (unknownKeys.length > 0 || !isStatus(wanted.status)) return `${where}.${name} must be {status: ENABLED|DISABLED, additionalConfiguration?}`;
    const agents = wanted.additionalConfiguration;
    if (agents === undefined) continue;
    if (!isObject(agents)) return `${where}.${name}.additionalConfiguration must be an object of agent to ENABLED or DISABLED`;
    for (const [agent, status] of Object.entries(agents)) {
      if (!(RUNTIME_AGENTS as readonly string[]).includes(agent))
        return `${where}.${name}.additionalConfiguration.${agent}: not an agent (known: ${RUNTIME_AGENTS.join(', ')})`;
      if (!isStatus(status)) return `${where}.${name}.additionalConfiguration.${agent} must be ENABLED or DISABLED`;
    }
  }
  if (EXCLUSIVE_RUNTIME_FEATURES.every((name) => name in value)) {
    return `${where}: EKS_RUNTIME_MONITORING and RUNTIME_MONITORING cannot both be set; use RUNTIME_MONITORING (GuardDuty refuses both in one call)`;
  }
  return undefined;
}

/**
 * The API model's schema (JSON Schema draft-04) of a `protectionPlans` field: the same rules as
 * {@link protectionPlansProblem}. AI_ANALYST is a property that never validates, so a refusal names it.
 */
export function protectionPlansSchema(): Record<string, unknown> {
  const status = { type: 'string', enum: [...FEATURE_STATUSES] };
  const runtime = {
    type: 'object',
    additionalProperties: false,
    required: ['status'],
    properties: {
      status,
      additionalConfiguration: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(RUNTIME_AGENTS.map((agent) => [agent, status])),
      },
    },
  };
  const properties: Record<string, unknown> = Object.fromEntries(
    MEMBER_FEATURES.map((name) => [name, name === RUNTIME_FEATURE ? { anyOf: [status, runtime] } : status]),
  );
  for (const name of ADMINISTRATOR_ONLY_FEATURES) properties[name] = { not: {}, description: `${name} is for the administrator's own detector only.` };
  const [legacy, current] = EXCLUSIVE_RUNTIME_FEATURES;
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    // Not both runtime features (`not`, as OpenAPI 3.0 has no `dependencies`).
    not: { required: [legacy, current] },
    description: `Protection plans for this request over the deployment's profile: feature name (${MEMBER_FEATURES.join(', ')}) to ENABLED or DISABLED; RUNTIME_MONITORING may be {status, additionalConfiguration: {${RUNTIME_AGENTS.join(', ')}}}. Not both EKS_RUNTIME_MONITORING and RUNTIME_MONITORING.`,
  };
}

/** The plans spelled out, in MEMBER_FEATURES order. */
export function wantedFeatures(plans: ProtectionPlans): WantedFeature[] {
  return MEMBER_FEATURES.filter((name) => plans[name] !== undefined).map((name) => {
    const value = plans[name] as PlanValue;
    if (typeof value === 'string') return { name, status: value, additionalConfiguration: [] };
    const agents = value.additionalConfiguration ?? {};
    return {
      name,
      status: value.status,
      additionalConfiguration: RUNTIME_AGENTS.filter((a) => agents[a] !== undefined).map((a) => ({ name: a, status: agents[a] as FeatureStatus })),
    };
  });
}

/**
 * A request's plans over the deployment's profile: the request's features replace the profile's,
 * and a request naming one runtime feature drops the other from the profile (never both).
 */
export function effectivePlans(profile: ProtectionPlans, override: ProtectionPlans | null | undefined): ProtectionPlans {
  if (!override) return profile;
  const merged: ProtectionPlans = { ...profile };
  for (const name of EXCLUSIVE_RUNTIME_FEATURES) if (name in override) for (const other of EXCLUSIVE_RUNTIME_FEATURES) if (other !== name) delete merged[other];
  return { ...merged, ...override };
}

/**
 * The Features a member's own CreateDetector sends: the plans, and every other member feature
 * DISABLED, because GuardDuty enables each feature a CreateDetector does not name (docs/aws-facts.md, GuardDuty protection
 * plans: defaults). Of the runtime pair only one is ever named; features the region does not offer
 * are left out.
 */
export function createDetectorFeatures(plans: ProtectionPlans, region: string): WantedFeature[] {
  const named = wantedFeatures(plans);
  const runtimeNamed = EXCLUSIVE_RUNTIME_FEATURES.some((name) => plans[name] !== undefined);
  // With neither runtime feature named, RUNTIME_MONITORING (the current one) is the one disabled.
  const skipped: readonly string[] = runtimeNamed ? EXCLUSIVE_RUNTIME_FEATURES : ['EKS_RUNTIME_MONITORING'];
  const rest = MEMBER_FEATURES.filter((name) => plans[name] === undefined && !skipped.includes(name)).map(
    (name): WantedFeature => ({ name, status: 'DISABLED', additionalConfiguration: [] }),
  );
  return [...named, ...rest].filter((feature) => isFeatureAvailable(feature.name, region));
}

/** A feature's outcome in a region: the status GuardDuty reports after the step, and why it is not as wanted. */
export interface PlanOutcome {
  name: MemberFeature;
  /** As GetMemberDetectors reads it; UNAVAILABLE: GuardDuty does not offer the feature in the region. */
  status: FeatureStatus | 'UNAVAILABLE';
  /** Set when the status is not the wanted one, or the feature could not be changed. */
  reason?: string;
  /** RUNTIME_MONITORING's agents as read back, when the plans name some. */
  additionalConfiguration?: Array<{ name: RuntimeAgent; status: FeatureStatus }>;
}

/** GetRemainingFreeTrialDays' answer for one feature of the account in a region. */
export interface FreeTrialDays {
  /** A FreeTrialFeatureResult name (it differs from the feature names for runtime monitoring). */
  name: string;
  daysRemaining: number;
}

/**
 * The `protectionPlans` query parameter of a CSV batch: `FEATURE:STATUS` pairs joined by commas,
 * e.g. `S3_DATA_EVENTS:ENABLED,EBS_MALWARE_PROTECTION:DISABLED` (member features only; no runtime
 * agents). Each feature at most once and not both runtime features: its mapping template checks those.
 */
export const PLANS_QUERY_PATTERN = (() => {
  const pair = `(${MEMBER_FEATURES.join('|')}):(${FEATURE_STATUSES.join('|')})`;
  return `^${pair}(,${pair})*$`;
})();
