/** The bulk routes: start a batch (JSON or the console's CSV), follow it, and read a part's per-account outcomes. */
import { MAX_ACCOUNTS_PER_BATCH, MAX_ACCOUNTS_PER_CALL, MAX_REGIONS_PER_ENROLLMENT } from '../../../contract/api-rules';
import { BATCH_ID_PATTERN, CSV_HEADER, INVALID_BATCH_MESSAGE, PART_ID_PATTERN, REGION_LIST_PATTERN } from '../../../contract/api-schemas';
import { BATCH_PART_SIZE } from '../../../contract/batch-size';
import { PLANS_QUERY_PATTERN } from '../../../contract/protection-plans';
import { BATCH_ID_PARAMETER, EXAMPLE_BATCH, FAILED_REGION, RESPONSES, errorBody, keyUsed, partSummary, ref, unreadable } from '../openapi-parts';
import type { ApiRoute } from '../route-table';

export const BATCH_ROUTES: readonly ApiRoute[] = [
  {
    // CSV has no model: its mapping template checks each line against the same patterns.
    method: 'POST',
    path: '/enrollments/batch',
    integration: {
      action: 'StartExecution',
      request: 'start-batch.request.vtl',
      response: 'start-batch.response.vtl',
      successStatus: '202',
      error: 'start-enrollment.error.vtl',
      invalidNameMessage: INVALID_BATCH_MESSAGE,
      moreRequestTemplates: { 'text/csv': 'start-batch-csv.request.vtl' },
    },
    requestModels: { 'application/json': 'BatchEnrollmentRequest' },
    operation: {
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
              examples: {
                started: { value: { batchId: EXAMPLE_BATCH.batchId, status: 'RUNNING', statusUrl: `/v1/enrollments/batch/${EXAMPLE_BATCH.batchId}` } },
              },
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
  {
    method: 'GET',
    path: '/enrollments/batch/{batchId}',
    integration: {
      action: 'DescribeExecution',
      request: 'describe-batch.request.vtl',
      response: 'describe-batch.response.vtl',
      successStatus: '200',
      error: 'describe-enrollment.error.vtl',
    },
    operation: {
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
                        message:
                          'Maximum number of running executions reached (Service: AWSStepFunctions; Status Code: 400; Error Code: ExecutionLimitExceeded)',
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
  {
    method: 'GET',
    path: '/enrollments/batch/{batchId}/parts/{partId}',
    integration: {
      action: 'DescribeExecution',
      request: 'describe-batch-part.request.vtl',
      response: 'describe-batch-part.response.vtl',
      successStatus: '200',
      error: 'describe-enrollment.error.vtl',
    },
    operation: {
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
                  value: {
                    batchId: EXAMPLE_BATCH.batchId,
                    partId: 'eu-west-1-0',
                    region: 'eu-west-1',
                    status: 'RUNNING',
                    enabled: null,
                    failed: null,
                    accounts: [],
                  },
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
                      {
                        accountId: '222222222222',
                        outcome: 'ENABLED',
                        relationshipStatus: 'Enabled',
                        memberDetectorId: '7f0e1d2c3b4a59687f0e1d2c3b4a5968',
                        error: null,
                      },
                      {
                        accountId: '333333333333',
                        outcome: 'ENABLED',
                        relationshipStatus: 'Enabled',
                        memberDetectorId: '3c4d5e6f708192a3b4c5d6e7f8091a2b',
                        error: null,
                      },
                      {
                        accountId: '444444444444',
                        outcome: FAILED_REGION.outcome,
                        relationshipStatus: 'Invited',
                        memberDetectorId: null,
                        error: FAILED_REGION.error,
                      },
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
];
