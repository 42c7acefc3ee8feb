/**
 * The API's OpenAPI 3.0 document, for portal developers and code generators. The request body
 * schemas are built from ENROLLMENT_REQUEST_SCHEMA and BATCH_REQUEST_SCHEMA, the very objects API
 * Gateway's models use, and the
 * response shapes are those the mapping templates (`lib/api/*.vtl`) write. `test/openapi/` fails
 * when this document and the synthesized API drift apart.
 *
 * `npm run openapi` writes it to `docs/openapi.json`.
 */
import { FLEET_CHECK_PATHS } from './fleet-check-openapi';
import { MEMBER_FEATURES, PLANS_QUERY_PATTERN } from '../../contract/protection-plans';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_ACCOUNTS_PER_CALL } from '../../lambda/shared/admin-side';
import { BATCH_PART_SIZE } from '../../lambda/shared/batch-size';
import { MAX_REGIONS_PER_ENROLLMENT } from '../settings';
import {
  ACCOUNT_ID_PATTERN,
  BATCH_ID_PATTERN,
  BATCH_REQUEST_SCHEMA,
  CSV_HEADER,
  INVALID_BATCH_MESSAGE,
  MAX_ACCOUNTS_PER_BATCH,
  PART_ID_PATTERN,
  EMAIL_MAX_LENGTH,
  EMAIL_MIN_LENGTH,
  EMAIL_PATTERN,
  ENROLLMENT_REQUEST_SCHEMA,
  IDEMPOTENCY_KEY_PATTERN,
  INVALID_OFFBOARD_MESSAGE,
  REGION_LIST_PATTERN,
} from './schemas';

/** Where `npm run openapi` writes the document (committed, linked from the README). */
export const OPENAPI_FILE = path.join(__dirname, '..', '..', 'docs', 'openapi.json');

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

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorBody = (examples: Record<string, { summary: string; message: string }>) => ({
  'application/json': {
    schema: ref('Error'),
    examples: Object.fromEntries(Object.entries(examples).map(([name, e]) => [name, { summary: e.summary, value: { message: e.message } }])),
  },
});

/** The `{message}` answers every route can give, with the texts the API really sends. */
const RESPONSES = {
  Forbidden: {
    description: 'The `x-api-key` header is missing or not a key of this API (API Gateway answers the same for a path it has no route for).',
    content: errorBody({
      wrongKey: { summary: 'Missing or unknown API key', message: 'Forbidden' },
      noRoute: { summary: 'No such route', message: 'Missing Authentication Token' },
    }),
  },
  TooManyRequests: {
    description: "The key's usage plan throttled the call or its quota is used up, or too many enrollments are running. Nothing was started; retry later with backoff.",
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
const keyUsed = (description: string) => ({
  description,
  content: errorBody({
    keyUsed: {
      summary: 'Key already used',
      message: 'An enrollment with this Idempotency-Key already exists (finished, or started with a different request). GET /enrollments/{Idempotency-Key} for its status.',
    },
  }),
});

/** The 500 of a route that reads an execution (describe-enrollment.error.vtl). */
const unreadable = (description: string) => ({
  description,
  content: errorBody({ unreadable: { summary: 'Not readable', message: 'The enrollment could not be read.' } }),
});

const FAILED_REGION = {
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
const BATCH_ID_PARAMETER = {
  name: 'batchId',
  in: 'path',
  required: true,
  description: 'The `batchId` that POST /enrollments/batch answered (the Idempotency-Key when one was sent).',
  schema: { type: 'string', pattern: BATCH_ID_PATTERN },
  example: 'vend-2025-11-23',
};

/** The batch of the examples: 120 accounts in two regions, so two parts per region (100 + 20). */
const EXAMPLE_BATCH = { batchId: 'vend-2025-11-23', startedAt: 1763876000.1, accountCount: 120, regions: ['us-east-1', 'eu-west-1'] };

/** A part's summary in GET /enrollments/batch/{batchId}. */
const partSummary = (region: string, index: number, enabled: number, failed: number, error: { code: string; message: string } | null = null) => ({
  partId: `${region}-${index}`,
  region,
  enabled,
  failed,
  error,
  outcomesUrl: `/v1/enrollments/batch/${EXAMPLE_BATCH.batchId}/parts/${region}-${index}`,
});

/** The OpenAPI 3.0 document of the API. */
export function buildOpenApiDocument(): SchemaObject {
  const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const nullableString = { type: 'string', nullable: true };
  const count = { type: 'integer', minimum: 0, nullable: true };
  const executionStatus = { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] };
  const errorDetail = {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', description: 'The error name, e.g. `MemberRoleNotAssumable` (README: Region outcomes and error codes).' },
      message: { type: 'string', description: 'What went wrong and what to do, naming the account and region.' },
    },
  };

  return {
    openapi: '3.0.3',
    info: {
      title: 'GuardDuty Enrollment API',
      version: packageJson.version,
      description:
        'Enrolls an AWS account as an Amazon GuardDuty member of the administrator account, by invitation, in each region asked for. ' +
        '`POST /enrollments` starts an enrollment and answers at once; `GET /enrollments/{enrollmentId}` reports it, region by region once it has stopped. ' +
        '`DELETE /enrollments/{accountId}` offboards an account, followed the same way. ' +
        `\`POST /enrollments/batch\` enrolls up to ${MAX_ACCOUNTS_PER_BATCH} accounts at once (JSON, or the GuardDuty console's CSV account list) with batched administrator calls; ` +
        '`GET /enrollments/batch/{batchId}` reports its counts per part, and each part\'s `outcomesUrl` the outcome of every account.',
    },
    servers: [
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/v1',
        description: 'A deployment: the stack output ApiUrl',
        variables: { restApiId: { default: 'abc123', description: 'The REST API id' }, region: { default: 'us-east-1', description: 'The region of the administrator stack' } },
      },
      { url: 'http://127.0.0.1:3000/v1', description: 'Local mode (`npm start`)' },
    ],
    security: [{ ApiKey: [] }],
    tags: [
      { name: 'enrollments', description: 'Enroll accounts, one or a batch at a time, and follow their enrollment' },
      { name: 'compatibility', description: 'The route of the earlier GuardDuty Signup API' },
      { name: 'fleet', description: 'Fleet checks: every member of every region, drift reported or repaired' },
    ],
    paths: {
      ...FLEET_CHECK_PATHS,
      '/enrollments': {
        post: {
          tags: ['enrollments'],
          operationId: 'startEnrollment',
          summary: 'Start enrolling an account',
          description:
            'Validates the body against the EnrollmentRequest model, then starts the enrollment workflow. With an `Idempotency-Key` the key is the enrollment id: ' +
            'repeating the call while that enrollment runs returns it again; after it has finished, or with a different body, the key answers 409.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Makes a retried call safe; becomes the enrollmentId.',
              schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
              example: 'vend-222222222222',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref('EnrollmentRequest'),
                examples: {
                  twoRegions: {
                    summary: 'An account in two regions',
                    value: { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1', 'eu-west-1'] },
                  },
                  defaultRegions: {
                    summary: "The deployment's default regions, with an invitation message",
                    value: { accountId: '222222222222', email: 'workloads-dev@example.com', invitationMessage: 'Joining the security team GuardDuty administrator.' },
                  },
                },
              },
            },
          },
          responses: {
            '202': {
              description: 'Started (or, with an Idempotency-Key of a running enrollment, that enrollment).',
              content: {
                'application/json': {
                  schema: ref('StartedEnrollment'),
                  examples: { started: { value: { enrollmentId: 'vend-222222222222', status: 'RUNNING', statusUrl: '/v1/enrollments/vend-222222222222' } } },
                },
              },
            },
            '400': {
              description: 'The body does not match EnrollmentRequest, or the Idempotency-Key is not 1-80 of `A-Z a-z 0-9 - _`.',
              content: errorBody({
                invalidBody: { summary: 'Body refused by the model', message: 'Invalid request body: [object has missing required properties (["email"])]' },
                invalidKey: { summary: 'Bad Idempotency-Key', message: 'Idempotency-Key must be 1 to 80 letters, digits, hyphens or underscores.' },
              }),
            },
            '403': RESPONSES.Forbidden,
            '409': keyUsed('The Idempotency-Key was used for an enrollment that has finished, or with a different body.'),
            '429': RESPONSES.TooManyRequests,
            '500': RESPONSES.NotStarted,
            '502': RESPONSES.BadGateway,
          },
        },
      },
      '/enrollments/batch': {
        post: {
          tags: ['enrollments'],
          operationId: 'startBatch',
          summary: 'Start enrolling many accounts',
          description:
            `Enrolls 1 to ${MAX_ACCOUNTS_PER_BATCH} distinct accounts in the same regions, as one batch, and answers at once. Each account in each region gets the single enrollment's steps and ` +
            "outcomes (README: Region outcomes and error codes), but the administrator's GuardDuty calls are batched: one call per " +
            `${MAX_ACCOUNTS_PER_CALL} accounts for each operation (GetMembers, CreateMembers, InviteMembers) and region, instead of one per account. ` +
            `The accounts are split into parts of ${BATCH_PART_SIZE} in list order; each part runs in each region as a child execution of its own (\`partId\` \`<region>-<index>\`, index from 0). ` +
            'Follow the batch with GET /enrollments/batch/{batchId}.\n\n' +
            `The body is JSON (the BatchEnrollmentRequest model) or \`text/csv\`: the GuardDuty console's account list, the header line \`${CSV_HEADER}\` and then ` +
            '`<12-digit account id>,<root user email>` per line, CRLF or LF; blank lines and spaces around values are ignored. A CSV body takes its regions from the `regions` query ' +
            'string only (the JSON body from its `regions` field; the query string is ignored for JSON), and sends no invitation message. Either way an account listed twice refuses the whole batch (400). ' +
            'With an `Idempotency-Key` the key is the batchId: repeating the call while that batch runs returns it again; after it has finished, or with a different request, the key answers 409.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: "Makes a retried call safe; becomes the batchId. At most 40 characters, as each part's execution is named `<batchId>-<region>-<index>`.",
              schema: { type: 'string', pattern: BATCH_ID_PATTERN },
              example: EXAMPLE_BATCH.batchId,
            },
            {
              name: 'regions',
              in: 'query',
              required: false,
              description: `For a \`text/csv\` body: comma-separated, distinct region names (1 to ${MAX_REGIONS_PER_ENROLLMENT}); the deployment default when absent. Ignored for JSON, whose body has \`regions\`.`,
              schema: { type: 'string', pattern: REGION_LIST_PATTERN },
              example: 'us-east-1,eu-west-1',
            },
            {
              name: 'protectionPlans',
              in: 'query',
              required: false,
              description:
                "For a `text/csv` body: protection plans over the deployment's profile as FEATURE:STATUS pairs joined by commas (member features, each once, not both EKS_RUNTIME_MONITORING and RUNTIME_MONITORING). Ignored for JSON, whose body has `protectionPlans`.",
              schema: { type: 'string', pattern: PLANS_QUERY_PATTERN },
              example: 'S3_DATA_EVENTS:ENABLED,EBS_MALWARE_PROTECTION:DISABLED',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref('BatchEnrollmentRequest'),
                examples: {
                  twoRegions: {
                    summary: 'Three accounts in two regions, with an invitation message',
                    value: {
                      accounts: [
                        { accountId: '222222222222', email: 'workloads-dev@example.com' },
                        { accountId: '333333333333', email: 'workloads-prod@example.com' },
                        { accountId: '444444444444', email: 'data-platform@example.com' },
                      ],
                      regions: ['us-east-1', 'eu-west-1'],
                      invitationMessage: 'Joining the security team GuardDuty administrator.',
                    },
                  },
                  defaultRegions: {
                    summary: "One account in the deployment's default regions",
                    value: { accounts: [{ accountId: '222222222222', email: 'workloads-dev@example.com' }] },
                  },
                },
              },
              'text/csv': {
                schema: { type: 'string', description: `The header line \`${CSV_HEADER}\`, then one \`<account id>,<root user email>\` per line.` },
                examples: {
                  consoleList: {
                    summary: "The GuardDuty console's account list (regions in the query string)",
                    value: `${CSV_HEADER}\r\n222222222222,workloads-dev@example.com\r\n333333333333,workloads-prod@example.com\r\n444444444444,data-platform@example.com\r\n`,
                  },
                },
              },
            },
          },
          responses: {
            '202': {
              description: 'Started (or, with an Idempotency-Key of a running batch, that batch).',
              content: {
                'application/json': {
                  schema: ref('StartedBatch'),
                  examples: { started: { value: { batchId: EXAMPLE_BATCH.batchId, status: 'RUNNING', statusUrl: `/v1/enrollments/batch/${EXAMPLE_BATCH.batchId}` } } },
                },
              },
            },
            '400': {
              description:
                'A JSON body does not match BatchEnrollmentRequest; or the batch is refused by its mapping template: an account listed twice, a CSV without the header line, ' +
                `a line that is not \`<account id>,<email>\` GuardDuty accepts, no accounts or more than ${MAX_ACCOUNTS_PER_BATCH}, an invalid \`regions\` query string (CSV), or an Idempotency-Key that is not 1-40 of \`A-Z a-z 0-9 - _\`. Nothing was started.`,
              content: errorBody({
                invalidBatch: { summary: 'Refused by the mapping template', message: INVALID_BATCH_MESSAGE },
                invalidBody: {
                  summary: 'JSON body refused by the model',
                  message: `Invalid request body: [array is too long: must have at most ${MAX_ACCOUNTS_PER_BATCH} elements but instance has ${MAX_ACCOUNTS_PER_BATCH + 1} elements]`,
                },
              }),
            },
            '403': RESPONSES.Forbidden,
            '409': keyUsed('The Idempotency-Key was used for a batch or enrollment that has finished, or with a different request.'),
            '415': {
              description: 'The body is neither `application/json` nor `text/csv` (Content-Type).',
              content: errorBody({ unsupported: { summary: 'Another media type', message: 'Unsupported Media Type' } }),
            },
            '429': RESPONSES.TooManyRequests,
            '500': RESPONSES.NotStarted,
            '502': RESPONSES.BadGateway,
          },
        },
      },
      '/enrollments/batch/{batchId}': {
        get: {
          tags: ['enrollments'],
          operationId: 'describeBatch',
          summary: 'Follow a batch',
          description:
            'The batch status and, once it has stopped, the counts of every part. Counts are account-regions: `enabled + failed` is `accountCount` times the number of regions. ' +
            "A batch SUCCEEDS once every part has run, even when accounts FAILED: the counts say how many, and each part's `outcomesUrl` (GET /enrollments/batch/{batchId}/parts/{partId}) " +
            "which ones and why; read every part's to get every account's outcome. A part that could not run at all carries its `error` and counts all its accounts failed. " +
            'While RUNNING, `enabled`, `failed` are null, `parts` is empty and `regions` lists the regions asked for (empty for the deployment default). ' +
            'FAILED, TIMED_OUT or ABORTED means the batch itself stopped (see `error`); its parts may have run.',
          parameters: [BATCH_ID_PARAMETER],
          responses: {
            '200': {
              description: 'The batch.',
              content: {
                'application/json': {
                  schema: ref('Batch'),
                  examples: {
                    running: {
                      summary: 'Still running',
                      value: { ...EXAMPLE_BATCH, status: 'RUNNING', stoppedAt: null, enabled: null, failed: null, parts: [], error: null },
                    },
                    succeeded: {
                      summary: 'Every part has run: one account failed in one part, and one part could not run',
                      value: {
                        ...EXAMPLE_BATCH,
                        status: 'SUCCEEDED',
                        stoppedAt: 1763876342.7,
                        enabled: 219,
                        failed: 21,
                        parts: [
                          partSummary('us-east-1', 0, 99, 1),
                          partSummary('us-east-1', 1, 20, 0),
                          partSummary('eu-west-1', 0, 100, 0),
                          partSummary('eu-west-1', 1, 0, 20, {
                            code: 'StepFunctions.ExecutionLimitExceededException',
                            message: 'Maximum number of running executions reached (Service: AWSStepFunctions; Status Code: 400; Error Code: ExecutionLimitExceeded)',
                          }),
                        ],
                        error: null,
                      },
                    },
                  },
                },
              },
            },
            '403': RESPONSES.Forbidden,
            '404': RESPONSES.UnknownBatch,
            '429': RESPONSES.TooManyRequests,
            '500': unreadable('Step Functions could not read the batch.'),
            '502': RESPONSES.BadGateway,
          },
        },
      },
      '/enrollments/batch/{batchId}/parts/{partId}': {
        get: {
          tags: ['enrollments'],
          operationId: 'describeBatchPart',
          summary: "A batch part's account outcomes",
          description:
            `The outcome of every account of one part (up to ${BATCH_PART_SIZE} accounts in one region), with the single enrollment's meaning: ENABLED, else FAILED with the error code and message ` +
            "of GET /enrollments/{enrollmentId}'s regions. While the part is RUNNING `accounts` is empty and the counts are null. " +
            'Take the parts from the `outcomesUrl` of each part in GET /enrollments/batch/{batchId}; parts are numbered from 0 in each region.',
          parameters: [
            BATCH_ID_PARAMETER,
            {
              name: 'partId',
              in: 'path',
              required: true,
              description: 'The part: `<region>-<index>`, as GET /enrollments/batch/{batchId} lists it.',
              schema: { type: 'string', pattern: PART_ID_PATTERN },
              example: 'eu-west-1-0',
            },
          ],
          responses: {
            '200': {
              description: 'The part.',
              content: {
                'application/json': {
                  schema: ref('BatchPart'),
                  examples: {
                    running: {
                      summary: 'Still running',
                      value: { batchId: EXAMPLE_BATCH.batchId, partId: 'eu-west-1-0', region: 'eu-west-1', status: 'RUNNING', enabled: null, failed: null, accounts: [] },
                    },
                    finished: {
                      summary: 'Two accounts enabled, one failed (a part of three accounts)',
                      value: {
                        batchId: 'vend-2025-11-24',
                        partId: 'eu-west-1-0',
                        region: 'eu-west-1',
                        status: 'SUCCEEDED',
                        enabled: 2,
                        failed: 1,
                        accounts: [
                          { accountId: '222222222222', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: '7f0e1d2c3b4a59687f0e1d2c3b4a5968', error: null },
                          { accountId: '333333333333', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: '3c4d5e6f708192a3b4c5d6e7f8091a2b', error: null },
                          { accountId: '444444444444', outcome: FAILED_REGION.outcome, relationshipStatus: 'Invited', memberDetectorId: null, error: FAILED_REGION.error },
                        ],
                      },
                    },
                  },
                },
              },
            },
            '403': RESPONSES.Forbidden,
            '404': RESPONSES.UnknownBatchPart,
            '429': RESPONSES.TooManyRequests,
            '500': unreadable('Step Functions could not read the part.'),
            '502': RESPONSES.BadGateway,
          },
        },
      },
      '/enrollments/{enrollmentId}': {
        get: {
          tags: ['enrollments'],
          operationId: 'describeEnrollment',
          summary: 'Follow an enrollment',
          description:
            'The enrollment status and, once it has stopped, every region\'s outcome. While it is RUNNING `regions` is empty. An enrollment FAILS when any region failed; every region still carries its outcome.',
          parameters: [
            {
              name: 'enrollmentId',
              in: 'path',
              required: true,
              description: 'The `enrollmentId` that POST /enrollments answered (the Idempotency-Key when one was sent).',
              schema: { type: 'string' },
              example: 'vend-222222222222',
            },
          ],
          responses: {
            '200': {
              description: 'The enrollment.',
              content: {
                'application/json': {
                  schema: ref('Enrollment'),
                  examples: {
                    running: {
                      summary: 'Still running',
                      value: { enrollmentId: 'vend-222222222222', accountId: '222222222222', status: 'RUNNING', startedAt: 1763876000.1, stoppedAt: null, regions: [], error: null },
                    },
                    succeeded: {
                      summary: 'Enabled in every region',
                      value: {
                        enrollmentId: 'vend-222222222222',
                        accountId: '222222222222',
                        status: 'SUCCEEDED',
                        startedAt: 1763876000.1,
                        stoppedAt: 1763876004.2,
                        regions: [
                          { region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: '12abc34d567e8fa901bc2d34e56789f0', error: null },
                          { region: 'eu-west-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: '7f0e1d2c3b4a59687f0e1d2c3b4a5968', error: null },
                        ],
                        error: null,
                      },
                    },
                    regionFailed: {
                      summary: 'One region failed',
                      value: {
                        enrollmentId: 'vend-444444444444',
                        accountId: '444444444444',
                        status: 'FAILED',
                        startedAt: 1763876000.1,
                        stoppedAt: 1763876002.9,
                        regions: [FAILED_REGION],
                        error: null,
                      },
                    },
                  },
                },
              },
            },
            '403': RESPONSES.Forbidden,
            '404': RESPONSES.UnknownEnrollment,
            '429': RESPONSES.TooManyRequests,
            '500': unreadable('Step Functions could not read the enrollment.'),
            '502': RESPONSES.BadGateway,
          },
        },
        delete: {
          tags: ['enrollments'],
          operationId: 'offboardAccount',
          summary: 'Offboard an account',
          description:
            'Starts an offboarding of the account, followed like an enrollment (GET /enrollments/{enrollmentId} with the enrollmentId answered). Per region, the administrator ' +
            'disassociates and deletes the member, then the member (through the member role) disassociates from the administrator; the member\'s detector keeps running ' +
            'unless `deleteDetector=true`. Idempotent: an account that is not a member ends OFFBOARDED in every region. Each region ends OFFBOARDED or FAILED; a member ' +
            'role that cannot be assumed fails the region with MemberRoleNotAssumable after the administrator side was removed. ' +
            'API Gateway allows one path-parameter name per level, so the path segment is named `enrollmentId` but holds the **account id** here.',
          parameters: [
            {
              name: 'enrollmentId',
              in: 'path',
              required: true,
              description: 'The 12-digit id of the account to offboard (named enrollmentId because it shares the path level of GET).',
              schema: { type: 'string', pattern: ACCOUNT_ID_PATTERN },
              example: '222222222222',
            },
            {
              name: 'regions',
              in: 'query',
              required: false,
              description: `Comma-separated, distinct region names (1 to ${MAX_REGIONS_PER_ENROLLMENT}); the deployment default when absent.`,
              schema: { type: 'string', pattern: REGION_LIST_PATTERN },
              example: 'us-east-1,eu-west-1',
            },
            {
              name: 'deleteDetector',
              in: 'query',
              required: false,
              description: "`true` also deletes the member's detector in each region (only when it is a member of this administrator or of none). Default `false`.",
              schema: { type: 'string', enum: ['true', 'false'] },
              example: 'false',
            },
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Makes a retried call safe; becomes the enrollmentId of the offboarding.',
              schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
              example: 'offboard-222222222222',
            },
          ],
          responses: {
            '202': {
              description: 'Started (or, with an Idempotency-Key of a running offboarding, that one).',
              content: {
                'application/json': {
                  schema: ref('StartedEnrollment'),
                  examples: { started: { value: { enrollmentId: 'offboard-222222222222', status: 'RUNNING', statusUrl: '/v1/enrollments/offboard-222222222222' } } },
                },
              },
            },
            '400': {
              description: 'The account id, regions, deleteDetector or Idempotency-Key is not valid.',
              content: errorBody({ invalid: { summary: 'Invalid offboarding request', message: INVALID_OFFBOARD_MESSAGE } }),
            },
            '403': RESPONSES.Forbidden,
            '409': keyUsed('The Idempotency-Key was used for an enrollment or offboarding that has finished, or with a different request.'),
            '429': RESPONSES.TooManyRequests,
            '500': RESPONSES.NotStarted,
            '502': RESPONSES.BadGateway,
          },
        },
      },
      '/enrollments/{enrollmentId}/progress': {
        get: {
          tags: ['enrollments'],
          operationId: 'enrollmentProgress',
          summary: "Each region's current step",
          description:
            "Reads the execution history: for every region that has started, the name of the last state it entered. While it runs that is a step (CreateMember, InviteMember, AcceptInvitation, VerifyMembership, ApplyProtectionPlans); once the region is done, its last step (ApplyProtectionPlans once Enabled) or RegionFailed. Regions that have not started yet are absent. For outcomes, use GET /enrollments/{enrollmentId}.",
          parameters: [
            {
              name: 'enrollmentId',
              in: 'path',
              required: true,
              description: 'The `enrollmentId` that POST /enrollments answered.',
              schema: { type: 'string' },
              example: 'vend-222222222222',
            },
          ],
          responses: {
            '200': {
              description: 'The regions that have started, newest activity first.',
              content: {
                'application/json': {
                  schema: ref('EnrollmentProgress'),
                  examples: {
                    running: {
                      summary: 'One region waits for its invitation, the other is verifying',
                      value: {
                        enrollmentId: 'vend-222222222222',
                        regions: [
                          { region: 'us-east-1', step: 'VerifyMembership' },
                          { region: 'eu-west-1', step: 'AcceptInvitation' },
                        ],
                      },
                    },
                  },
                },
              },
            },
            '403': RESPONSES.Forbidden,
            '404': RESPONSES.UnknownEnrollment,
            '429': RESPONSES.TooManyRequests,
            '500': unreadable('Step Functions could not read the history.'),
            '502': RESPONSES.BadGateway,
          },
        },
      },
      '/guarddutysignup/MasterDetectorId/{MasterDetectorId}/MemberId/{MemberId}/Email/{Email}': {
        get: {
          tags: ['compatibility'],
          operationId: 'guardDutySignup',
          summary: 'Enroll through the route of the earlier GuardDuty Signup API',
          description:
            "Starts the same enrollment in the deployment's default regions. `MasterDetectorId` is accepted and not used. Answers with StartExecution's fields plus `enrollmentId`, `status` and `statusUrl`.",
          parameters: [
            { name: 'MasterDetectorId', in: 'path', required: true, description: 'Accepted for compatibility; not used.', schema: { type: 'string' }, example: '12abc34d' },
            { name: 'MemberId', in: 'path', required: true, description: 'The account to enroll.', schema: { type: 'string', pattern: ACCOUNT_ID_PATTERN }, example: '222222222222' },
            {
              name: 'Email',
              in: 'path',
              required: true,
              description: "The account's root user email.",
              schema: { type: 'string', minLength: EMAIL_MIN_LENGTH, maxLength: EMAIL_MAX_LENGTH, pattern: EMAIL_PATTERN },
              example: 'workloads-dev@example.com',
            },
          ],
          responses: {
            '200': {
              description: 'Started.',
              content: {
                'application/json': {
                  schema: ref('SignupStarted'),
                  examples: {
                    started: {
                      value: {
                        executionArn: 'arn:aws:states:us-east-1:111111111111:execution:EnrollmentStateMachine:0f1e2d3c-4b5a-6978-8f9e-0d1c2b3a4958',
                        startDate: 1763876000.1,
                        enrollmentId: '0f1e2d3c-4b5a-6978-8f9e-0d1c2b3a4958',
                        status: 'RUNNING',
                        statusUrl: '/v1/enrollments/0f1e2d3c-4b5a-6978-8f9e-0d1c2b3a4958',
                      },
                    },
                  },
                },
              },
            },
            '400': {
              description: 'MemberId is not a 12-digit account id or Email not an address GuardDuty accepts.',
              content: errorBody({
                invalid: {
                  summary: 'Invalid member',
                  message: 'MemberId must be a 12-digit AWS account id and Email the account root user email (6-64 characters, as GuardDuty accepts).',
                },
              }),
            },
            '403': RESPONSES.Forbidden,
            '429': RESPONSES.TooManyRequests,
            '500': RESPONSES.NotStarted,
            '502': RESPONSES.BadGateway,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key of the deployment\'s usage plan (stack output ApiKeyId names it).' },
      },
      schemas: {
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
        EnrollmentRequest: toOpenApiSchema(ENROLLMENT_REQUEST_SCHEMA as unknown as SchemaObject),
        BatchEnrollmentRequest: toOpenApiSchema(BATCH_REQUEST_SCHEMA as unknown as SchemaObject),
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
            status: { ...executionStatus, description: "Step Functions' execution status." },
            startedAt: { type: 'number', description: 'Seconds since the epoch.' },
            stoppedAt: { type: 'number', nullable: true, description: 'Seconds since the epoch; null while RUNNING.' },
            regions: { type: 'array', maxItems: MAX_REGIONS_PER_ENROLLMENT, items: ref('RegionOutcome'), description: 'Empty while RUNNING.' },
            error: { ...errorDetail, nullable: true, description: 'Set when the enrollment failed as a whole (no region outcome), e.g. an invalid execution input.' },
          },
        },
        RegionOutcome: {
          type: 'object',
          required: ['region', 'outcome', 'relationshipStatus', 'memberDetectorId', 'error'],
          properties: {
            region: { type: 'string' },
            outcome: { type: 'string', enum: ['ENABLED', 'OFFBOARDED', 'FAILED'], description: 'ENABLED (enrollment) or OFFBOARDED (offboarding), else FAILED.' },
            relationshipStatus: { ...nullableString, description: "GuardDuty's RelationshipStatus as last seen by the administrator (free text: Enabled, Invited, …); for an offboarding, the status before removal (null: it was no member)." },
            memberDetectorId: { ...nullableString, description: "The member account's detector in the region, once known; for an offboarding, the detector left running (null: none, or deleted)." },
            error: { ...errorDetail, nullable: true },
            protectionPlans: { type: 'array', items: ref('PlanOutcome'), description: 'Each feature of the effective protection plans as GuardDuty reports it after the enrollment; only in a region that reached Enabled.' },
            freeTrial: { type: 'array', nullable: true, items: ref('FreeTrialDays'), description: "GuardDuty's remaining free-trial days per feature for the account in the region, as read when the enrollment ended (null: GuardDuty did not answer); only with protectionPlans." },
          },
        },
        PlanOutcome: {
          type: 'object',
          required: ['name', 'status', 'reason'],
          properties: {
            name: { type: 'string', enum: [...MEMBER_FEATURES] },
            status: { type: 'string', enum: ['ENABLED', 'DISABLED', 'UNAVAILABLE'], description: 'As GetMemberDetectors reads it; UNAVAILABLE: GuardDuty does not offer the feature in the region.' },
            reason: { ...nullableString, description: 'Why the status is not the wanted one or could not be changed (e.g. managed by an Organizations GuardDuty policy); null when it is as wanted.' },
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
            status: { ...executionStatus, description: "Step Functions' execution status of the batch. SUCCEEDED once every part has run, whatever the accounts' outcomes." },
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
            error: { ...errorDetail, nullable: true, description: "Step Functions' error and cause when the batch itself FAILED, TIMED_OUT or was ABORTED; null otherwise." },
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
            error: { ...errorDetail, nullable: true, description: "Set when the part's execution could not run: every account of the part is counted failed, and its outcomesUrl may answer 404." },
            outcomesUrl: { type: 'string', description: 'Path of GET /enrollments/batch/{batchId}/parts/{partId}, stage included: the per-account outcomes.' },
          },
        },
        BatchPart: {
          type: 'object',
          required: ['batchId', 'partId', 'region', 'status', 'enabled', 'failed', 'accounts'],
          properties: {
            batchId: { type: 'string' },
            partId: { type: 'string', pattern: PART_ID_PATTERN },
            region: { type: 'string' },
            status: { ...executionStatus, description: "Step Functions' execution status of the part. A part that has run SUCCEEDED, whatever its accounts' outcomes." },
            enabled: { ...count, maximum: BATCH_PART_SIZE, description: 'Accounts ENABLED; null until the part has SUCCEEDED.' },
            failed: { ...count, maximum: BATCH_PART_SIZE, description: 'Accounts FAILED; null until the part has SUCCEEDED.' },
            accounts: { type: 'array', maxItems: BATCH_PART_SIZE, items: ref('AccountOutcome'), description: 'Every account of the part, in list order; empty until it has SUCCEEDED.' },
          },
        },
        AccountOutcome: {
          type: 'object',
          required: ['accountId', 'outcome', 'relationshipStatus', 'memberDetectorId', 'error'],
          properties: {
            accountId: { type: 'string', pattern: ACCOUNT_ID_PATTERN },
            outcome: { type: 'string', enum: ['ENABLED', 'FAILED'], description: "The account's outcome in the part's region, as a single enrollment's region outcome." },
            relationshipStatus: { ...nullableString, description: "GuardDuty's RelationshipStatus as last seen by the administrator (free text: Enabled, Invited, …)." },
            memberDetectorId: { ...nullableString, description: "The member account's detector in the region, once known." },
            error: { ...errorDetail, nullable: true, description: 'Why the account FAILED, as for a single enrollment (README: Region outcomes and error codes).' },
            protectionPlans: { type: 'array', items: ref('PlanOutcome'), description: 'Each feature of the effective protection plans as GuardDuty reports it; only for an ENABLED account.' },
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
      },
    },
  };
}

/** The document as `docs/openapi.json` holds it. */
export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
  fs.writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
