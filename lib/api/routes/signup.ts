/** The route of the earlier GuardDuty Signup API, kept for its clients. */
import { ACCOUNT_ID_PATTERN, EMAIL_MAX_LENGTH, EMAIL_MIN_LENGTH, EMAIL_PATTERN } from '../../../contract/api-rules';
import { RESPONSES, errorBody, ref } from '../openapi-parts';
import type { ApiRoute } from '../route-table';

export const SIGNUP_ROUTES: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/guarddutysignup/MasterDetectorId/{MasterDetectorId}/MemberId/{MemberId}/Email/{Email}',
    integration: {
      action: 'StartExecution',
      request: 'signup.request.vtl',
      response: 'signup.response.vtl',
      successStatus: '200',
      error: 'start-enrollment.error.vtl',
      invalidNameMessage: 'MemberId must be a 12-digit AWS account id and Email the account root user email (6-64 characters, as GuardDuty accepts).',
    },
    operation: {
      tags: ['compatibility'],
      operationId: 'guardDutySignup',
      summary: 'Enroll through the route of the earlier GuardDuty Signup API',
      description:
        "Starts the same enrollment in the deployment's default regions. `MasterDetectorId` is accepted and not used. Answers with StartExecution's fields plus `enrollmentId`, `status` and `statusUrl`.",
      parameters: [
        {
          name: 'MasterDetectorId',
          in: 'path',
          required: true,
          description: 'Accepted for compatibility; not used.',
          schema: { type: 'string' },
          example: '12abc34d',
        },
        {
          name: 'MemberId',
          in: 'path',
          required: true,
          description: 'The account to enroll.',
          schema: { type: 'string', pattern: ACCOUNT_ID_PATTERN },
          example: '222222222222',
        },
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
];
