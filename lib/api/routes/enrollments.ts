/** The single-account routes: start an enrollment, follow it (status and progress), and offboard. */
import { ACCOUNT_ID_PATTERN, IDEMPOTENCY_KEY_PATTERN, MAX_REGIONS_PER_ENROLLMENT } from '../../../contract/api-rules';
import { INVALID_OFFBOARD_MESSAGE, REGION_LIST_PATTERN } from '../../../contract/api-schemas';
import { FAILED_REGION, RESPONSES, errorBody, keyUsed, ref, unreadable } from '../openapi-parts';
import { DETECTOR_DELETION_DISABLED_MESSAGE } from '../../../contract/requested-by';
import type { ApiRoute } from '../route-table';

export const ENROLLMENT_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/enrollments',
    integration: {
      action: 'StartExecution',
      request: 'start-enrollment.request.vtl',
      response: 'start-enrollment.response.vtl',
      successStatus: '202',
      error: 'start-enrollment.error.vtl',
      invalidNameMessage: 'Idempotency-Key must be 1 to 80 letters, digits, hyphens or underscores.',
    },
    requestModels: { 'application/json': 'EnrollmentRequest' },
    operation: {
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
                value: {
                  accountId: '222222222222',
                  email: 'workloads-dev@example.com',
                  invitationMessage: 'Joining the security team GuardDuty administrator.',
                },
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
  {
    method: 'GET',
    path: '/enrollments/{enrollmentId}',
    integration: {
      action: 'DescribeExecution',
      request: 'describe-enrollment.request.vtl',
      response: 'describe-enrollment.response.vtl',
      successStatus: '200',
      error: 'describe-enrollment.error.vtl',
    },
    operation: {
      tags: ['enrollments'],
      operationId: 'describeEnrollment',
      summary: 'Follow an enrollment',
      description:
        "The enrollment status and, once it has stopped, every region's outcome. While it is RUNNING `regions` is empty. An enrollment FAILS when any region failed; every region still carries its outcome.",
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
                  value: {
                    enrollmentId: 'vend-222222222222',
                    accountId: '222222222222',
                    status: 'RUNNING',
                    startedAt: 1763876000.1,
                    stoppedAt: null,
                    regions: [],
                    error: null,
                  },
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
                      {
                        region: 'us-east-1',
                        outcome: 'ENABLED',
                        relationshipStatus: 'Enabled',
                        memberDetectorId: '12abc34d567e8fa901bc2d34e56789f0',
                        error: null,
                      },
                      {
                        region: 'eu-west-1',
                        outcome: 'ENABLED',
                        relationshipStatus: 'Enabled',
                        memberDetectorId: '7f0e1d2c3b4a59687f0e1d2c3b4a5968',
                        error: null,
                      },
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
  },
  {
    // Offboarding. API Gateway allows one path-parameter name per level, so this level's name is
    // enrollmentId; for DELETE it holds the account id (offboard.request.vtl validates it).
    method: 'DELETE',
    path: '/enrollments/{enrollmentId}',
    integration: {
      action: 'StartExecution',
      request: 'offboard.request.vtl',
      response: 'start-enrollment.response.vtl',
      successStatus: '202',
      error: 'start-enrollment.error.vtl',
      invalidNameMessage: INVALID_OFFBOARD_MESSAGE,
    },
    operation: {
      tags: ['enrollments'],
      operationId: 'offboardAccount',
      summary: 'Offboard an account',
      description:
        'Starts an offboarding of the account, followed like an enrollment (GET /enrollments/{enrollmentId} with the enrollmentId answered). Per region, the administrator ' +
        "disassociates and deletes the member, then the member (through the member role) disassociates from the administrator; the member's detector keeps running " +
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
          description:
            "`true` also deletes the member's detector in each region (only when it is a member of this administrator or of none), and only where the deployment allows it (setting `allowDetectorDeletion`, default off: 400). Default `false`.",
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
              examples: {
                started: { value: { enrollmentId: 'offboard-222222222222', status: 'RUNNING', statusUrl: '/v1/enrollments/offboard-222222222222' } },
              },
            },
          },
        },
        '400': {
          description: 'The account id, regions, deleteDetector or Idempotency-Key is not valid.',
          content: errorBody({
            invalid: { summary: 'Invalid offboarding request', message: INVALID_OFFBOARD_MESSAGE },
            deletionDisabled: { summary: 'deleteDetector=true while the deployment does not allow it', message: DETECTOR_DELETION_DISABLED_MESSAGE },
          }),
        },
        '403': RESPONSES.Forbidden,
        '409': keyUsed('The Idempotency-Key was used for an enrollment or offboarding that has finished, or with a different request.'),
        '429': RESPONSES.TooManyRequests,
        '500': RESPONSES.NotStarted,
        '502': RESPONSES.BadGateway,
      },
    },
  },
  {
    method: 'GET',
    path: '/enrollments/{enrollmentId}/progress',
    integration: {
      action: 'GetExecutionHistory',
      request: 'enrollment-progress.request.vtl',
      response: 'enrollment-progress.response.vtl',
      successStatus: '200',
      error: 'describe-enrollment.error.vtl',
    },
    operation: {
      tags: ['enrollments'],
      operationId: 'enrollmentProgress',
      summary: "Each region's current step",
      description:
        'Reads the execution history: for every region that has started, the name of the last state it entered. While it runs that is a step (CreateMember, InviteMember, AcceptInvitation, VerifyMembership, ApplyProtectionPlans); once the region is done, its last step (ApplyProtectionPlans once Enabled) or RegionFailed. Regions that have not started yet are absent. For outcomes, use GET /enrollments/{enrollmentId}.',
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
];
