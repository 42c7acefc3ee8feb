import type { FindingPublishingFrequency } from '@aws-sdk/client-guardduty';
import { protectionPlansProblem } from '../../contract/protection-plans';
import type { ProtectionPlans } from '../../contract/protection-plans';
import { ACCOUNT_ID_PATTERN, EXTERNAL_ID_PATTERN, FINDING_PUBLISHING_FREQUENCIES } from '../../contract/api-rules';

/**
 * The Lambda settings the workflow stack passes as environment variables. Each handler asks only
 * for the settings it uses, so a function is never broken by a variable it does not need.
 */
export interface EnrollmentConfig {
  /** ADMIN_ACCOUNT_ID: the GuardDuty administrator account (where the app is deployed). */
  adminAccountId: string;
  /** PARTITION: the ARN partition of the member role (default 'aws'). */
  partition: string;
  /** MEMBER_ROLE_NAME: the role in each member account the workflow assumes (may carry a path). */
  memberRoleName: string;
  /** EXTERNAL_ID: the sts:ExternalId the member role's trust policy requires. */
  externalId: string;
  /** FINDING_PUBLISHING_FREQUENCY: for detectors this workflow creates. */
  findingPublishingFrequency: FindingPublishingFrequency;
  /** PROTECTION_PLANS: the deployment's protection-plan profile (contract/protection-plans.ts). */
  protectionPlans: ProtectionPlans;
  /** DISABLE_EMAIL_NOTIFICATION: InviteMembers' DisableEmailNotification. */
  disableEmailNotification: boolean;
  /** DEFAULT_INVITATION_MESSAGE: InviteMembers' Message when the request carries none. */
  defaultInvitationMessage: string;
  /** CHECK_EMAIL_WITH_ORGANIZATIONS: compare the email with Organizations' before CreateMembers (default true). */
  checkEmailWithOrganizations: boolean;
  /** ALLOW_DETECTOR_DELETION: whether an offboarding may delete member detectors (default false; setting allowDetectorDeletion). */
  allowDetectorDeletion: boolean;
  /** STATE_MACHINE_ARN: the enrollment state machine that enrollment events start. */
  stateMachineArn: string;
  /** DEAD_LETTER_QUEUE_URL: the SQS queue that takes enrollment events that cannot be enrolled. */
  deadLetterQueueUrl: string;
  /** DEFAULT_REGIONS: JSON list of the regions a request without regions covers (the fleet check's regions). */
  defaultRegions: string[];
  /** EVENT_BUS_NAME: the project's event bus, where the fleet check puts its drift events. */
  eventBusName: string;
  /** FLEET_INVITED_LIMIT_HOURS: how long a member may stay invited before the fleet check calls it drifted. */
  invitedLimitHours: number;
}

/** The name of one setting. */
export type ConfigKey = keyof EnrollmentConfig;

type Env = Record<string, string | undefined>;

const FREQUENCIES: readonly string[] = FINDING_PUBLISHING_FREQUENCIES;
const ACCOUNT_ID = new RegExp(ACCOUNT_ID_PATTERN);
const EXTERNAL_ID = new RegExp(EXTERNAL_ID_PATTERN);

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Lambda configuration: environment variable ${name} is not set; the workflow stack sets it, so redeploy the stack`);
  }
  return value.trim();
}

function invalid(name: string, why: string): Error {
  return new Error(`Lambda configuration: environment variable ${name} ${why}; fix the stack setting and redeploy`);
}

/** One parser per setting: reads its variable and validates it. */
const parsers: { [K in ConfigKey]: (env: Env) => EnrollmentConfig[K] } = {
  adminAccountId: (env) => {
    const value = required(env, 'ADMIN_ACCOUNT_ID');
    if (!ACCOUNT_ID.test(value)) throw invalid('ADMIN_ACCOUNT_ID', 'must be a 12-digit AWS account id');
    return value;
  },
  partition: (env) => {
    const value = env.PARTITION?.trim() || 'aws';
    if (!/^aws(-[a-z]+)*$/.test(value)) throw invalid('PARTITION', `must be an ARN partition such as aws, aws-cn or aws-us-gov (got '${value}')`);
    return value;
  },
  memberRoleName: (env) => {
    const value = required(env, 'MEMBER_ROLE_NAME');
    // IAM role names (with an optional path) use these characters; anything else cannot be in an ARN.
    if (!/^[\w+=,.@/-]{1,512}$/.test(value)) throw invalid('MEMBER_ROLE_NAME', 'is not a valid IAM role name');
    return value.replace(/^\/+/, '');
  },
  externalId: (env) => {
    const value = required(env, 'EXTERNAL_ID');
    // The value is never echoed.
    if (!EXTERNAL_ID.test(value)) throw invalid('EXTERNAL_ID', 'must be 2..1224 characters of [A-Za-z0-9_+=,.@:/-]');
    return value;
  },
  findingPublishingFrequency: (env) => {
    const value = required(env, 'FINDING_PUBLISHING_FREQUENCY');
    if (!FREQUENCIES.includes(value)) throw invalid('FINDING_PUBLISHING_FREQUENCY', `must be one of ${FREQUENCIES.join(', ')} (got '${value}')`);
    return value as FindingPublishingFrequency;
  },
  protectionPlans: (env) => {
    const raw = required(env, 'PROTECTION_PLANS');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw invalid('PROTECTION_PLANS', 'is not valid JSON (expected an object of feature name to ENABLED or DISABLED)');
    }
    const problem = protectionPlansProblem(parsed, 'PROTECTION_PLANS');
    if (problem) throw invalid('PROTECTION_PLANS', `breaks the plan rules (${problem})`);
    return parsed as ProtectionPlans;
  },
  checkEmailWithOrganizations: (env) => {
    const value = (env.CHECK_EMAIL_WITH_ORGANIZATIONS?.trim() || 'true').toLowerCase();
    if (value !== 'true' && value !== 'false') throw invalid('CHECK_EMAIL_WITH_ORGANIZATIONS', "must be 'true' or 'false'");
    return value === 'true';
  },
  disableEmailNotification: (env) => {
    const value = required(env, 'DISABLE_EMAIL_NOTIFICATION').toLowerCase();
    if (value !== 'true' && value !== 'false') throw invalid('DISABLE_EMAIL_NOTIFICATION', "must be 'true' or 'false'");
    return value === 'true';
  },
  defaultInvitationMessage: (env) => {
    const value = env.DEFAULT_INVITATION_MESSAGE;
    if (value === undefined) {
      throw new Error('Lambda configuration: environment variable DEFAULT_INVITATION_MESSAGE is not set; the workflow stack sets it, so redeploy the stack');
    }
    if (value.length > 1000) throw invalid('DEFAULT_INVITATION_MESSAGE', 'must be at most 1000 characters');
    return value;
  },
  allowDetectorDeletion: (env) => {
    const value = (env.ALLOW_DETECTOR_DELETION?.trim() || 'false').toLowerCase();
    if (value !== 'true' && value !== 'false') throw invalid('ALLOW_DETECTOR_DELETION', "must be 'true' or 'false'");
    return value === 'true';
  },
  stateMachineArn: (env) => {
    const value = required(env, 'STATE_MACHINE_ARN');
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(value))
      throw invalid('STATE_MACHINE_ARN', 'must be a Step Functions state machine ARN');
    return value;
  },
  deadLetterQueueUrl: (env) => {
    const value = required(env, 'DEAD_LETTER_QUEUE_URL');
    // An SQS queue URL ends in /<account id>/<queue name> (SQS developer guide, queue URLs).
    if (!/^https?:\/\/[^/\s]+\/\d{12}\/[\w-]{1,80}$/.test(value))
      throw invalid('DEAD_LETTER_QUEUE_URL', 'must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/111111111111/name');
    return value;
  },
  defaultRegions: (env) => {
    const raw = required(env, 'DEFAULT_REGIONS');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw invalid('DEFAULT_REGIONS', 'is not valid JSON (expected a list of region names)');
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((r) => typeof r === 'string' && /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(r))) {
      throw invalid('DEFAULT_REGIONS', 'must be a non-empty JSON list of region names');
    }
    return parsed as string[];
  },
  eventBusName: (env) => {
    const value = required(env, 'EVENT_BUS_NAME');
    if (!/^[\w.-]{1,256}$/.test(value)) throw invalid('EVENT_BUS_NAME', 'must be an EventBridge bus name (1-256 of letters, digits and ._-)');
    return value;
  },
  invitedLimitHours: (env) => {
    const value = Number(required(env, 'FLEET_INVITED_LIMIT_HOURS'));
    if (!Number.isFinite(value) || value < 0) throw invalid('FLEET_INVITED_LIMIT_HOURS', 'must be a number of hours, 0 or more');
    return value;
  },
};

/**
 * Reads and validates the given settings from `env`. Pure: used by {@link getConfig} and by tests.
 * @throws Error naming the first missing or invalid variable.
 */
export function readConfig<K extends ConfigKey>(keys: readonly K[], env: Env): Pick<EnrollmentConfig, K> {
  const result = {} as Pick<EnrollmentConfig, K>;
  for (const key of keys) {
    result[key] = parsers[key](env) as Pick<EnrollmentConfig, K>[K];
  }
  return result;
}

// Validated once per Lambda container: the environment of a running function does not change.
const cache = new Map<ConfigKey, unknown>();

/**
 * The given settings from `process.env`, each validated on first use and then reused.
 * @throws Error naming the missing or invalid variable (a deployment problem, not a request problem).
 */
export function getConfig<K extends ConfigKey>(keys: readonly K[]): Pick<EnrollmentConfig, K> {
  const result = {} as Pick<EnrollmentConfig, K>;
  for (const key of keys) {
    if (!cache.has(key)) cache.set(key, readConfig([key], process.env)[key]);
    result[key] = cache.get(key) as Pick<EnrollmentConfig, K>[K];
  }
  return result;
}
