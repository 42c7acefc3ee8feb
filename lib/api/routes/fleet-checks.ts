/**
 * The fleet-check routes: start a check (StartExecution of the fleet-check machine), list the
 * recent ones (ListExecutions: the 20 most recent), read one (counts per region and status) and
 * one part of it (the drifted accounts of up to 1,000 members of a region: the paging of a large
 * fleet). Error answers are `{message}`, as describe-fleet-check.error.vtl writes them.
 */
import { PART_ID_PATTERN } from '../../../contract/api-schemas';
import { FLEET_CHECK_ID_PATTERN } from '../../../contract/fleet-check';
import type { ParameterObject } from 'openapi3-ts/oas30';
import type { ApiRoute } from '../route-table';

const error = (description: string, message: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, examples: { example: { value: { message } } } } },
});
const COMMON = {
  '403': error('The `x-api-key` header is missing or not a key of this API.', 'Forbidden'),
  '429': error('The usage plan or Step Functions throttled the call; retry after the Retry-After seconds.', 'Too many reads at once; retry after 2 seconds.'),
  '500': error('Step Functions refused the call for another reason.', 'The fleet check could not be read or started.'),
  '502': error('Step Functions failed on its side; retry later.', 'Step Functions is unavailable; retry later.'),
};
const NOT_FOUND = { '404': error('No fleet check (or part) has this id.', 'No fleet check has this id.') };
const counts = {
  type: 'object',
  required: ['members', 'enabled', 'pending', 'drifted', 'unmanaged'],
  properties: Object.fromEntries(['members', 'enabled', 'pending', 'drifted', 'unmanaged'].map((n) => [n, { type: 'integer', minimum: 0 }])),
};
const errorDetail = { type: 'object', nullable: true, properties: { code: { type: 'string' }, message: { type: 'string' } } };
const checkId: ParameterObject = {
  name: 'checkId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: FLEET_CHECK_ID_PATTERN },
  example: '5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b',
};
const json = (schema: object, example: object) => ({ 'application/json': { schema, examples: { example: { value: example } } } });

export const FLEET_CHECK_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/fleet-checks',
    integration: {
      machine: 'fleetCheck',
      action: 'StartExecution',
      request: 'start-fleet-check.request.vtl',
      response: 'start-fleet-check.response.vtl',
      successStatus: '202',
      error: 'describe-fleet-check.error.vtl',
    },
    operation: {
      tags: ['fleet'],
      operationId: 'startFleetCheck',
      parameters: [],
      summary: 'Start a fleet check',
      description:
        'Lists every member in every region of the deployment, classifies each account-region ENABLED, PENDING, DRIFTED or UNMANAGED, puts one `GuardDuty Member Drifted` event per drift on the bus and, with `fleetRepair: repair`, re-enrolls the drifted accounts as batches. The schedule (`fleetCheckSchedule`) starts the same check.',
      responses: {
        '202': {
          description: 'Started.',
          content: json(
            {
              type: 'object',
              required: ['checkId', 'status', 'statusUrl'],
              properties: { checkId: { type: 'string' }, status: { type: 'string', enum: ['RUNNING'] }, statusUrl: { type: 'string' } },
            },
            { checkId: '5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b', status: 'RUNNING', statusUrl: '/v1/fleet-checks/5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b' },
          ),
        },
        ...COMMON,
      },
    },
  },
  {
    method: 'GET',
    path: '/fleet-checks',
    integration: {
      machine: 'fleetCheck',
      action: 'ListExecutions',
      request: 'list-fleet-checks.request.vtl',
      response: 'list-fleet-checks.response.vtl',
      successStatus: '200',
      error: 'describe-fleet-check.error.vtl',
    },
    operation: {
      tags: ['fleet'],
      operationId: 'listFleetChecks',
      parameters: [],
      summary: 'The 20 most recent fleet checks, newest first',
      responses: {
        '200': {
          description: 'The recent checks.',
          content: json(
            {
              type: 'object',
              required: ['checks'],
              properties: {
                checks: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      checkId: { type: 'string' },
                      status: { type: 'string' },
                      startedAt: { type: 'number' },
                      stoppedAt: { type: 'number', nullable: true },
                      url: { type: 'string' },
                    },
                  },
                },
              },
            },
            {
              checks: [
                {
                  checkId: '5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b',
                  status: 'SUCCEEDED',
                  startedAt: 1796236450.7,
                  stoppedAt: 1796236455.1,
                  url: '/v1/fleet-checks/5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b',
                },
              ],
            },
          ),
        },
        ...COMMON,
      },
    },
  },
  {
    method: 'GET',
    path: '/fleet-checks/{checkId}',
    integration: {
      machine: 'fleetCheck',
      action: 'DescribeExecution',
      request: 'describe-fleet-check.request.vtl',
      response: 'describe-fleet-check.response.vtl',
      successStatus: '200',
      error: 'describe-fleet-check.error.vtl',
    },
    operation: {
      tags: ['fleet'],
      operationId: 'getFleetCheck',
      summary: 'A fleet check: counts per region and status, and where each part lists its drifted accounts',
      parameters: [checkId],
      responses: {
        '200': {
          description: 'The check. Its drifted accounts are paged by part: one `driftedUrl` per 1,000 members of a region.',
          content: json(
            {
              type: 'object',
              properties: {
                checkId: { type: 'string' },
                status: { type: 'string' },
                mode: { type: 'string', enum: ['report', 'repair', null], nullable: true, description: 'null while the check is starting' },
                startedAt: { type: 'number' },
                stoppedAt: { type: 'number', nullable: true },
                regions: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      region: { type: 'string' },
                      counts,
                      error: errorDetail,
                      parts: { type: 'array', items: { type: 'object', properties: { partId: { type: 'string' }, driftedUrl: { type: 'string' } } } },
                    },
                  },
                },
                totals: counts,
                error: errorDetail,
              },
            },
            {
              checkId: '5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b',
              status: 'SUCCEEDED',
              mode: 'report',
              startedAt: 1796236450.7,
              stoppedAt: 1796236455.1,
              regions: [
                {
                  region: 'us-east-1',
                  counts: { members: 9, enabled: 1, pending: 0, drifted: 7, unmanaged: 1 },
                  error: null,
                  parts: [{ partId: 'us-east-1-0', driftedUrl: '/v1/fleet-checks/5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b/parts/us-east-1-0' }],
                },
              ],
              totals: { members: 9, enabled: 1, pending: 0, drifted: 7, unmanaged: 1 },
              error: null,
            },
          ),
        },
        ...NOT_FOUND,
        ...COMMON,
      },
    },
  },
  {
    method: 'GET',
    path: '/fleet-checks/{checkId}/parts/{partId}',
    integration: {
      machine: 'fleetCheck',
      action: 'DescribeExecution',
      request: 'describe-fleet-part.request.vtl',
      response: 'describe-fleet-part.response.vtl',
      successStatus: '200',
      error: 'describe-fleet-check.error.vtl',
    },
    operation: {
      tags: ['fleet'],
      operationId: 'getFleetCheckPart',
      summary: "One part of a region's check: its drifted accounts with reason and action",
      parameters: [checkId, { name: 'partId', in: 'path', required: true, schema: { type: 'string', pattern: PART_ID_PATTERN }, example: 'us-east-1-0' }],
      responses: {
        '200': {
          description: 'The part.',
          content: json(
            {
              type: 'object',
              properties: {
                checkId: { type: 'string' },
                partId: { type: 'string' },
                region: { type: 'string' },
                status: { type: 'string' },
                counts: { ...counts, nullable: true },
                drifted: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      accountId: { type: 'string' },
                      reason: { type: 'string' },
                      relationshipStatus: { type: 'string', nullable: true },
                      action: { type: 'string', enum: ['REPORTED', 'REENROLLED'] },
                      repairBatchId: { type: 'string', nullable: true },
                    },
                  },
                },
                repair: {
                  type: 'object',
                  nullable: true,
                  properties: { batchId: { type: 'string' }, status: { type: 'string' }, statusUrl: { type: 'string' }, error: errorDetail },
                },
              },
            },
            {
              checkId: '5b0c2f4e-8c1d-4f5e-9a7b-0c1d2e3f4a5b',
              partId: 'us-east-1-0',
              region: 'us-east-1',
              status: 'SUCCEEDED',
              counts: { members: 9, enabled: 1, pending: 0, drifted: 7, unmanaged: 1 },
              drifted: [{ accountId: '600000000001', reason: 'Resigned', relationshipStatus: 'Resigned', action: 'REPORTED', repairBatchId: null }],
              repair: null,
            },
          ),
        },
        ...NOT_FOUND,
        ...COMMON,
      },
    },
  },
];
