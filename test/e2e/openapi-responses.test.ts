/**
 * What local mode really answers on every route must be what the OpenAPI document promises: each
 * status is one the operation documents, and each body validates against that status's schema.
 * The document is built from the same route table as the API; this checks the other half, the
 * mapping templates' output, against it.
 */
import Ajv from 'ajv';
import type { OperationObject, ResponseObject } from 'openapi3-ts/oas30';
import { buildOpenApiDocument } from '../../lib/api/openapi';
import { API_ROUTES } from '../../lib/api/route-table';
import type { HttpAnswer } from './local-client';
import { useSeededStack } from './seeded-stack';

const local = useSeededStack();
const doc = buildOpenApiDocument();
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema({ components: doc.components }, 'openapi.json');

/** The route a request went to: literal path parts win over `{parameters}`, as in API Gateway. */
function routeOf(method: string, path: string): string {
  const bare = path.split('?')[0] as string;
  const candidates = API_ROUTES.filter((r) => r.method === method && new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare));
  candidates.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  if (!candidates[0]) throw new Error(`no route for ${method} ${bare}`);
  return `${method} ${candidates[0].path}`;
}

const seen: { route: string; status: number; answer: HttpAnswer }[] = [];

async function call(method: string, path: string, options: Parameters<typeof local.client.request>[2] = {}): Promise<HttpAnswer> {
  const answer = await local.client.request(method, path, options);
  seen.push({ route: routeOf(method, path), status: answer.status, answer });
  return answer;
}

/**
 * Reads `path` while its execution runs (so a RUNNING view is checked too), waits for the execution
 * to stop (an event, not a deadline), then reads it again until the route says it stopped.
 */
async function untilStopped(path: string): Promise<HttpAnswer> {
  const first = await call('GET', path);
  if (first.status !== 200 || first.json.status !== 'RUNNING') return first;
  const name = path.split('/').pop() as string;
  if (path.startsWith('/fleet-checks/')) await local.client.fleetCheckStopped(name);
  else await local.stack.stepFunctions.waitFor(name);
  for (;;) {
    const answer = await call('GET', path);
    if (answer.status !== 200 || answer.json.status !== 'RUNNING') return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function operationOf(route: string): OperationObject {
  const [method, path] = route.split(' ') as [string, string];
  return (doc.paths[path] as Record<string, OperationObject>)[method.toLowerCase()] as OperationObject;
}

test('every route answers with statuses and bodies its OpenAPI operation documents', async () => {
  // Single enrollment: start, the same key again with another body, a bad body, follow, progress, unknown id.
  expect(
    (
      await call('POST', '/enrollments', {
        body: { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1'] },
        headers: { 'Idempotency-Key': 'oa-enroll' },
      })
    ).status,
  ).toBe(202);
  expect(
    (
      await call('POST', '/enrollments', {
        body: { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['eu-west-1'] },
        headers: { 'Idempotency-Key': 'oa-enroll' },
      })
    ).status,
  ).toBe(409);
  expect((await call('POST', '/enrollments', { body: { accountId: '2222', email: 'workloads-dev@example.com' } })).status).toBe(400);
  expect((await untilStopped('/enrollments/oa-enroll')).json.status).toBe('SUCCEEDED');
  expect((await call('GET', '/enrollments/oa-enroll/progress')).status).toBe(200);
  expect((await call('GET', '/enrollments/no-such-enrollment')).status).toBe(404);
  expect((await call('GET', '/enrollments/no-such-enrollment/progress')).status).toBe(404);
  // A failed region (the member role is not deployed in 444444444444) carries its error.
  expect(
    (
      await call('POST', '/enrollments', {
        body: { accountId: '444444444444', email: 'sandbox@example.com', regions: ['us-east-1'] },
        headers: { 'Idempotency-Key': 'oa-fail' },
      })
    ).status,
  ).toBe(202);
  expect((await untilStopped('/enrollments/oa-fail')).json.status).toBe('FAILED');

  // Offboarding, and a bad account id.
  expect((await call('DELETE', '/enrollments/222222222222?regions=us-east-1', { headers: { 'Idempotency-Key': 'oa-offboard' } })).status).toBe(202);
  expect((await untilStopped('/enrollments/oa-offboard')).status).toBe(200);
  expect((await call('DELETE', '/enrollments/not-an-account')).status).toBe(400);

  // A batch as JSON, its parts, a refused CSV, and an enrollment's id read as a batch.
  const batchBody = {
    accounts: [
      { accountId: '222222222222', email: 'workloads-dev@example.com' },
      { accountId: '333333333333', email: 'workloads-prod@example.com' },
    ],
    regions: ['us-east-1'],
  };
  expect((await call('POST', '/enrollments/batch', { body: batchBody, headers: { 'Idempotency-Key': 'oa-batch' } })).status).toBe(202);
  const batch = await untilStopped('/enrollments/batch/oa-batch');
  expect(batch.json.parts.length).toBeGreaterThan(0);
  for (const part of batch.json.parts as { outcomesUrl: string }[]) expect((await call('GET', part.outcomesUrl.replace(/^\/v1/, ''))).status).toBe(200);
  expect((await call('GET', '/enrollments/batch/oa-batch/parts/us-east-1-9')).status).toBe(404);
  expect((await call('POST', '/enrollments/batch', { rawBody: '222222222222,no-header@example.com\n', headers: { 'content-type': 'text/csv' } })).status).toBe(
    400,
  );
  expect((await call('GET', '/enrollments/batch/oa-enroll')).status).toBe(404);

  // A fleet check on demand, the recent checks, the check and one of its parts, an unknown check.
  const check = await call('POST', '/fleet-checks');
  expect(check.status).toBe(202);
  const finished = await untilStopped(`/fleet-checks/${check.json.checkId}`);
  expect(finished.json.status).toBe('SUCCEEDED');
  expect((await call('GET', '/fleet-checks')).status).toBe(200);
  const part = (finished.json.regions as { parts: { driftedUrl: string }[] }[]).flatMap((r) => r.parts)[0];
  expect(part).toBeDefined();
  expect((await call('GET', part!.driftedUrl.replace(/^\/v1/, ''))).status).toBe(200);
  expect((await call('GET', '/fleet-checks/no-such-check')).status).toBe(404);

  // The GuardDuty Signup route, and a call without the API key.
  expect((await call('GET', '/guarddutysignup/MasterDetectorId/abc/MemberId/333333333333/Email/workloads-prod@example.com')).status).toBe(200);
  expect((await call('GET', '/enrollments/oa-enroll', { apiKey: null })).status).toBe(403);

  const problems: string[] = [];
  for (const { route, status, answer } of seen) {
    const response = operationOf(route).responses[String(status)] as ResponseObject | undefined;
    if (!response) {
      problems.push(`${route} answered ${status}, which its operation does not document: ${answer.text}`);
      continue;
    }
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      problems.push(`${route} ${status} has no JSON schema in the document`);
      continue;
    }
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/')));
    if (!validate(answer.json)) problems.push(`${route} ${status}: ${ajv.errorsText(validate.errors)} in ${answer.text}`);
  }
  expect(problems).toEqual([]);
  // Every route of the table was exercised with a success status.
  const succeeded = new Set(seen.filter((s) => s.status < 300).map((s) => s.route));
  expect(API_ROUTES.map((r) => `${r.method} ${r.path}`).filter((route) => !succeeded.has(route))).toEqual([]);
});

test('a body that breaks its documented schema is caught, so the check above can fail', () => {
  const schema = (operationOf('GET /enrollments/{enrollmentId}').responses['200'] as ResponseObject).content!['application/json']!.schema;
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/')));
  expect(validate({ enrollmentId: 'x', accountId: null, status: 'DONE', startedAt: 1, stoppedAt: null, regions: [], error: null })).toBe(false);
});
