/**
 * The pieces the API's OpenAPI operations (lib/api/routes/) and document (lib/api/openapi.ts) are
 * built from: the draft-04 to OpenAPI 3.0 schema conversion, the `{message}` answers every route
 * can give with the texts the API really sends, shared examples, and the response schemas the
 * mapping templates (`lib/api/*.vtl`) write.
 */
import type { ParameterObject, SchemaObject as OpenApiSchemaObject } from 'openapi3-ts/oas30';
import { MEMBER_FEATURES } from '../../contract/protection-plans';
import { BATCH_PART_SIZE } from '../../contract/batch-size';
import { BATCH_ID_PATTERN, BATCH_REQUEST_SCHEMA, ENROLLMENT_REQUEST_SCHEMA, PART_ID_PATTERN } from '../../contract/api-schemas';
import { SIGNATURE_MISMATCH_MESSAGE } from '../../contract/api-gateway-messages';
import { ACCOUNT_ID_PATTERN, MAX_ACCOUNTS_PER_BATCH, MAX_REGIONS_PER_ENROLLMENT } from '../../contract/api-rules';

/** A JSON Schema / OpenAPI Schema Object, loosely typed: it is data written out as JSON. */
export type SchemaObject = { [keyword: string]: unknown };

/** Draft-04 keywords OpenAPI 3.0's Schema Object does not have; a model using one cannot be converted faithfully. */
const UNSUPPORTED_KEYWORDS = ['patternProperties', 'dependencies', 'definitions', 'id', '$ref', 'additionalItems'];

/**
 * API Gateway models are JSON Schema draft-04; OpenAPI 3.0 takes a subset of it with `nullable`
 * instead of `type: [..., "null"]` and without `$schema`. Converts one schema, recursively.
 * @throws Error on a keyword the subset lacks, so such a model change fails the build, not a portal.
 */
export function toOpenApiSchema(schema: SchemaObject): SchemaObject {
  const out: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === '$schema') continue;
    if (UNSUPPORTED_KEYWORDS.includes(keyword)) throw new Error(`OpenAPI 3.0 schemas have no "${keyword}"; the model cannot be documented as it is`);
    if (keyword === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      if (types.length !== 1) throw new Error(`OpenAPI 3.0 schemas take one type; got ${JSON.stringify(value)}`);
      out.type = types[0];
      if (types.length !== value.length) out.nullable = true;
    } else if (keyword === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, SchemaObject>).map(([name, s]) => [name, toOpenApiSchema(s)]));
    } else if ((keyword === 'items' || keyword === 'not') && typeof value === 'object' && !Array.isArray(value)) {
      out[keyword] = toOpenApiSchema(value as SchemaObject);
    } else if (keyword === 'items' && Array.isArray(value)) {
      throw new Error('OpenAPI 3.0 schemas have no tuple "items"');
    } else if (['allOf', 'anyOf', 'oneOf'].includes(keyword)) {
      out[keyword] = (value as SchemaObject[]).map(toOpenApiSchema);
    } else if (keyword === 'additionalProperties' && typeof value === 'object') {
      out[keyword] = toOpenApiSchema(value as SchemaObject);
    } else {
      out[keyword] = value;
    }
  }
  return out;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const errorBody = (examples: Record<string, { summary: string; message: string }>) => ({
  'application/json': {
    schema: ref('Error'),
    examples: Object.fromEntries(Object.entries(examples).map(([name, e]) => [name, { summary: e.summary, value: { message: e.message } }])),
  },
});

/** Who asked (contract/requested-by.ts), on every record. */
const REQUESTED_BY_PROPERTY: OpenApiSchemaObject = {
  type: 'string',
  nullable: true,
  description:
    "Who asked: the caller's ARN (authorization `iam`), `apiKey:<key id>` (authorization `apiKey`) or `event:<source>/<account>` (an enrollment event). Never taken from a request body.",
  example: 'arn:aws:sts::111111111111:assumed-role/AccountVending/pipeline-run-42',
};

/** The `{message}` answers every route can give, with the texts the API really sends. */
export const RESPONSES = {
  Forbidden: {
    description:
      'The `x-api-key` header is missing or not a key of this API; with authorization `iam`, the request is not signed, its signature does not match or is older than 5 minutes, or IAM denies the caller (API Gateway answers "Missing Authentication Token" for a path it has no route for too).',
    content: errorBody({
      wrongKey: { summary: 'Missing or unknown API key', message: 'Forbidden' },
      noRoute: { summary: 'No such route, or not signed', message: 'Missing Authentication Token' },
      badSignature: { summary: 'Signature does not match (wrong secret, changed request)', message: SIGNATURE_MISMATCH_MESSAGE },
      denied: {
        summary: 'IAM denies the caller',
        message:
          'User: arn:aws:sts::111111111111:assumed-role/Portal/session is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:abc123/v1/POST/enrollments because no identity-based policy allows the execute-api:Invoke action',
      },
    }),
  },
  TooManyRequests: {
    description:
      "The key's usage plan throttled the call or its quota is used up, or too many enrollments are running. Nothing was started; retry later with backoff.",
    content: errorBody({
      throttled: { summary: 'Usage plan throttle or quota', message: 'Too Many Requests' },
      limit: { summary: 'Step Functions refused to start more', message: 'Too many enrollments are starting or running; retry later.' },
    }),
  },
  UnknownEnrollment: {
    description: 'No enrollment has this id.',
    content: errorBody({ unknown: { summary: 'Unknown id', message: 'No enrollment has this id.' } }),
  },
  NotStarted: {
    description: 'Step Functions refused the start for another reason.',
    content: errorBody({ notStarted: { summary: 'Not started', message: 'The enrollment could not be started.' } }),
  },
  UnknownBatch: {
    description: 'No batch has this id: no execution has it, or it is the id of a single enrollment or an offboarding.',
    content: errorBody({
      unknown: { summary: 'Unknown id', message: 'No enrollment has this id.' },
      notBatch: { summary: 'The id of an enrollment, not of a batch', message: 'No batch has this id.' },
    }),
  },
  UnknownBatchPart: {
    description: 'The batch has no such part, or the part could not run (its summary in GET /enrollments/batch/{batchId} has an `error`).',
    content: errorBody({ unknown: { summary: 'Unknown batch or part', message: 'No enrollment has this id.' } }),
  },
  BadGateway: {
    description: 'Step Functions failed on its side. Retrying with the same Idempotency-Key is safe.',
    content: errorBody({ unavailable: { summary: 'Step Functions unavailable', message: 'Step Functions is unavailable; retry later.' } }),
  },
} as const;

/** The 409 of a route that starts an execution (start-enrollment.error.vtl's text). */
export const keyUsed = (description: string) => ({
  description,
  content: errorBody({
    keyUsed: {
      summary: 'Key already used',
      message:
        'An enrollment with this Idempotency-Key already exists (finished, or started with a different request). GET /enrollments/{Idempotency-Key} for its status.',
    },
  }),
});

/** The 500 of a route that reads an execution (describe-enrollment.error.vtl). */
export const unreadable = (description: string) => ({
  description,
  content: errorBody({ unreadable: { summary: 'Not readable', message: 'The enrollment could not be read.' } }),
});

export const FAILED_REGION = {
  region: 'eu-west-1',
  outcome: 'FAILED',
  relationshipStatus: null,
  memberDetectorId: null,
  error: {
    code: 'MemberRoleNotAssumable',
    message:
      "cannot assume role arn:aws:iam::444444444444:role/GuardDutyEnrollmentMember in account 444444444444 (for region eu-west-1): AccessDenied; deploy the member-role stack in account 444444444444 and check that its ExternalId matches this deployment's",
  },
};

/** A batch's Idempotency-Key, which becomes its batchId (and the start of its parts' execution names). */
export const BATCH_ID_PARAMETER: ParameterObject = {
  name: 'batchId',
  in: 'path',
  required: true,
  description: 'The `batchId` that POST /enrollments/batch answered (the Idempotency-Key when one was sent).',
  schema: { type: 'string', pattern: BATCH_ID_PATTERN },
  example: 'vend-2025-11-23',
};

/** The batch of the examples: 120 accounts in two regions, so two parts per region (100 + 20). */
export const EXAMPLE_BATCH = { batchId: 'vend-2025-11-23', startedAt: 1763876000.1, accountCount: 120, regions: ['us-east-1', 'eu-west-1'] };

/** A part's summary in GET /enrollments/batch/{batchId}. */
export const partSummary = (region: string, index: number, enabled: number, failed: number, error: { code: string; message: string } | null = null) => ({
  partId: `${region}-${index}`,
  region,
  enabled,
  failed,
  error,
  outcomesUrl: `/v1/enrollments/batch/${EXAMPLE_BATCH.batchId}/parts/${region}-${index}`,
});

/** The OpenAPI 3.0 document of the API. */
/** The schemas of `components.schemas`: the request models' and the bodies the mapping templates write. */
export function componentSchemas(): Record<string, OpenApiSchemaObject> {
  const nullableString: OpenApiSchemaObject = { type: 'string', nullable: true };
  const count: OpenApiSchemaObject = { type: 'integer', minimum: 0, nullable: true };
  const executionStatus: OpenApiSchemaObject = { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] };
  const errorDetail: OpenApiSchemaObject = {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', description: 'The error name, e.g. `MemberRoleNotAssumable` (README: Region outcomes and error codes).' },
      message: { type: 'string', description: 'What went wrong and what to do, naming the account and region.' },
    },
  };
  return {
    EnrollmentProgress: {
      type: 'object',
      required: ['enrollmentId', 'regions'],
      properties: {
        enrollmentId: { type: 'string' },
        regions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['region', 'step'],
            properties: {
              region: { type: 'string', example: 'eu-west-1' },
              step: { type: 'string', description: 'The name of the last state the region entered.', example: 'AcceptInvitation' },
            },
          },
        },
      },
    },
    EnrollmentRequest: toOpenApiSchema(ENROLLMENT_REQUEST_SCHEMA as unknown as SchemaObject) as OpenApiSchemaObject,
    BatchEnrollmentRequest: toOpenApiSchema(BATCH_REQUEST_SCHEMA as unknown as SchemaObject) as OpenApiSchemaObject,
    StartedEnrollment: {
      type: 'object',
      required: ['enrollmentId', 'status', 'statusUrl'],
      properties: {
        enrollmentId: { type: 'string', description: 'The Idempotency-Key, or an id the API chose.' },
        status: { type: 'string', enum: ['RUNNING'] },
        statusUrl: { type: 'string', description: 'Path of GET /enrollments/{enrollmentId}, stage included.' },
      },
    },
    Enrollment: {
      type: 'object',
      required: ['enrollmentId', 'accountId', 'status', 'startedAt', 'stoppedAt', 'regions', 'error'],
      properties: {
        enrollmentId: { type: 'string' },
        accountId: { ...nullableString, pattern: ACCOUNT_ID_PATTERN },
        requestedBy: REQUESTED_BY_PROPERTY,
        status: { ...executionStatus, description: "Step Functions' execution status." },
        startedAt: { type: 'number', description: 'Seconds since the epoch.' },
        stoppedAt: { type: 'number', nullable: true, description: 'Seconds since the epoch; null while RUNNING.' },
        regions: { type: 'array', maxItems: MAX_REGIONS_PER_ENROLLMENT, items: ref('RegionOutcome'), description: 'Empty while RUNNING.' },
        error: {
          ...errorDetail,
          nullable: true,
          description: 'Set when the enrollment failed as a whole (no region outcome), e.g. an invalid execution input.',
        },
      },
    },
    RegionOutcome: {
      type: 'object',
      required: ['region', 'outcome', 'relationshipStatus', 'memberDetectorId', 'error'],
      properties: {
        region: { type: 'string' },
        outcome: { type: 'string', enum: ['ENABLED', 'OFFBOARDED', 'FAILED'], description: 'ENABLED (enrollment) or OFFBOARDED (offboarding), else FAILED.' },
        relationshipStatus: {
          ...nullableString,
          description:
            "GuardDuty's RelationshipStatus as last seen by the administrator (free text: Enabled, Invited, …); for an offboarding, the status before removal (null: it was no member).",
        },
        memberDetectorId: {
          ...nullableString,
          description: "The member account's detector in the region, once known; for an offboarding, the detector left running (null: none, or deleted).",
        },
        error: { ...errorDetail, nullable: true },
        protectionPlans: {
          type: 'array',
          items: ref('PlanOutcome'),
          description: 'Each feature of the effective protection plans as GuardDuty reports it after the enrollment; only in a region that reached Enabled.',
        },
        freeTrial: {
          type: 'array',
          nullable: true,
          items: ref('FreeTrialDays'),
          description:
            "GuardDuty's remaining free-trial days per feature for the account in the region, as read when the enrollment ended (null: GuardDuty did not answer); only with protectionPlans.",
        },
      },
    },
    PlanOutcome: {
      type: 'object',
      required: ['name', 'status', 'reason'],
      properties: {
        name: { type: 'string', enum: [...MEMBER_FEATURES] },
        status: {
          type: 'string',
          enum: ['ENABLED', 'DISABLED', 'UNAVAILABLE'],
          description: 'As GetMemberDetectors reads it; UNAVAILABLE: GuardDuty does not offer the feature in the region.',
        },
        reason: {
          ...nullableString,
          description:
            'Why the status is not the wanted one or could not be changed (e.g. managed by an Organizations GuardDuty policy); null when it is as wanted.',
        },
      },
    },
    FreeTrialDays: {
      type: 'object',
      required: ['name', 'daysRemaining'],
      properties: { name: { type: 'string', description: "GuardDuty's FreeTrialFeatureResult name." }, daysRemaining: { type: 'integer', minimum: 0 } },
    },
    StartedBatch: {
      type: 'object',
      required: ['batchId', 'status', 'statusUrl'],
      properties: {
        batchId: { type: 'string', pattern: BATCH_ID_PATTERN, description: 'The Idempotency-Key, or an id the API chose.' },
        status: { type: 'string', enum: ['RUNNING'] },
        statusUrl: { type: 'string', description: 'Path of GET /enrollments/batch/{batchId}, stage included.' },
      },
    },
    Batch: {
      type: 'object',
      required: ['batchId', 'status', 'startedAt', 'stoppedAt', 'accountCount', 'regions', 'enabled', 'failed', 'parts', 'error'],
      properties: {
        batchId: { type: 'string' },
        requestedBy: REQUESTED_BY_PROPERTY,
        status: {
          ...executionStatus,
          description: "Step Functions' execution status of the batch. SUCCEEDED once every part has run, whatever the accounts' outcomes.",
        },
        startedAt: { type: 'number', description: 'Seconds since the epoch.' },
        stoppedAt: { type: 'number', nullable: true, description: 'Seconds since the epoch; null while RUNNING.' },
        accountCount: { type: 'integer', minimum: 1, maximum: MAX_ACCOUNTS_PER_BATCH, description: 'The accounts the batch lists.' },
        regions: {
          type: 'array',
          maxItems: MAX_REGIONS_PER_ENROLLMENT,
          items: { type: 'string' },
          description: "The batch's regions once it has finished; while RUNNING, those asked for (empty for the deployment default).",
        },
        enabled: { ...count, description: 'Account-regions ENABLED, over every part; null until the batch has SUCCEEDED.' },
        failed: { ...count, description: 'Account-regions FAILED, over every part; null until the batch has SUCCEEDED.' },
        parts: { type: 'array', items: ref('BatchPartSummary'), description: 'Per region, its parts in order; empty until the batch has SUCCEEDED.' },
        error: {
          ...errorDetail,
          nullable: true,
          description: "Step Functions' error and cause when the batch itself FAILED, TIMED_OUT or was ABORTED; null otherwise.",
        },
      },
    },
    BatchPartSummary: {
      type: 'object',
      required: ['partId', 'region', 'enabled', 'failed', 'error', 'outcomesUrl'],
      properties: {
        partId: { type: 'string', pattern: PART_ID_PATTERN, description: '`<region>-<index>`, the index counting from 0 in each region.' },
        region: { type: 'string' },
        enabled: { type: 'integer', minimum: 0, maximum: BATCH_PART_SIZE, description: 'Accounts of the part ENABLED in its region.' },
        failed: { type: 'integer', minimum: 0, maximum: BATCH_PART_SIZE, description: 'Accounts of the part FAILED in its region.' },
        error: {
          ...errorDetail,
          nullable: true,
          description: "Set when the part's execution could not run: every account of the part is counted failed, and its outcomesUrl may answer 404.",
        },
        outcomesUrl: { type: 'string', description: 'Path of GET /enrollments/batch/{batchId}/parts/{partId}, stage included: the per-account outcomes.' },
      },
    },
    BatchPart: {
      type: 'object',
      required: ['batchId', 'partId', 'region', 'status', 'enabled', 'failed', 'accounts'],
      properties: {
        batchId: { type: 'string' },
        requestedBy: REQUESTED_BY_PROPERTY,
        partId: { type: 'string', pattern: PART_ID_PATTERN },
        region: { type: 'string' },
        status: {
          ...executionStatus,
          description: "Step Functions' execution status of the part. A part that has run SUCCEEDED, whatever its accounts' outcomes.",
        },
        enabled: { ...count, maximum: BATCH_PART_SIZE, description: 'Accounts ENABLED; null until the part has SUCCEEDED.' },
        failed: { ...count, maximum: BATCH_PART_SIZE, description: 'Accounts FAILED; null until the part has SUCCEEDED.' },
        accounts: {
          type: 'array',
          maxItems: BATCH_PART_SIZE,
          items: ref('AccountOutcome'),
          description: 'Every account of the part, in list order; empty until it has SUCCEEDED.',
        },
      },
    },
    AccountOutcome: {
      type: 'object',
      required: ['accountId', 'outcome', 'relationshipStatus', 'memberDetectorId', 'error'],
      properties: {
        accountId: { type: 'string', pattern: ACCOUNT_ID_PATTERN },
        outcome: {
          type: 'string',
          enum: ['ENABLED', 'FAILED'],
          description: "The account's outcome in the part's region, as a single enrollment's region outcome.",
        },
        relationshipStatus: {
          ...nullableString,
          description: "GuardDuty's RelationshipStatus as last seen by the administrator (free text: Enabled, Invited, …).",
        },
        memberDetectorId: { ...nullableString, description: "The member account's detector in the region, once known." },
        error: { ...errorDetail, nullable: true, description: 'Why the account FAILED, as for a single enrollment (README: Region outcomes and error codes).' },
        protectionPlans: {
          type: 'array',
          items: ref('PlanOutcome'),
          description: 'Each feature of the effective protection plans as GuardDuty reports it; only for an ENABLED account.',
        },
      },
    },
    SignupStarted: {
      type: 'object',
      required: ['executionArn', 'startDate', 'enrollmentId', 'status', 'statusUrl'],
      properties: {
        executionArn: { type: 'string' },
        startDate: { type: 'number', description: 'Seconds since the epoch.' },
        enrollmentId: { type: 'string' },
        status: { type: 'string', enum: ['RUNNING'] },
        statusUrl: { type: 'string' },
      },
    },
    Error: {
      type: 'object',
      required: ['message'],
      properties: { message: { type: 'string' } },
    },
  };
}
