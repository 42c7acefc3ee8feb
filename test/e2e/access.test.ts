/**
 * Access with authorization 'iam' (the default): local mode verifies SigV4 signatures for real and
 * evaluates the caller's identity policy and the API's resource policy with the emulator's IAM
 * evaluation. Every refusal is API Gateway's 403 with its message, starts no execution and makes no
 * AWS call; who asked is recorded on every record, never taken from the body.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { STAGE_NAME } from '../../lib/enrollment-api';
import { DETECTOR_DELETION_DISABLED_MESSAGE } from '../../contract/requested-by';
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import { useSeededStack } from './seeded-stack';

const local = useSeededStack();
const ROOT = `arn:aws:iam::${LOCAL_ADMIN_ACCOUNT}:root`;

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request signed as a client would, with any credentials and date; `send` may differ from what was signed. */
async function signedRequest(
  credentials: Credentials,
  method: string,
  path: string,
  options: { body?: string; sendBody?: string; signingDate?: Date; apiKey?: string } = {},
): Promise<{ status: number; json: any }> {
  const url = new URL(`${local.stack.apiUrl}/${STAGE_NAME}${path}`);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const query = Object.fromEntries(url.searchParams);
  const signed = await signer.sign(
    {
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: { host: url.host, 'content-type': 'application/json', 'x-api-key': options.apiKey ?? local.stack.apiKey },
      body: options.body,
    },
    { signingDate: options.signingDate },
  );
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const response = await fetch(url, { method, headers, body: options.sendBody ?? options.body });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

const ADMIN_ROOT: Credentials = { accessKeyId: `AKID${LOCAL_ADMIN_ACCOUNT}`, secretAccessKey: 'x' };
const ENROLL = { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1'] };

/** Runs `attempt` and says whether it started an execution or made any AWS call (the API's Step Functions calls included). */
async function sideEffectsOf<T>(attempt: () => Promise<T>): Promise<{ result: T; executions: number; awsCalls: number }> {
  const total = async () => ((await local.client.control('GET', 'calls')).calls as { count: number }[]).reduce((sum, row) => sum + row.count, 0);
  const executionsBefore = local.stack.stepFunctions.executionCount;
  const callsBefore = await total();
  const result = await attempt();
  return { result, executions: local.stack.stepFunctions.executionCount - executionsBefore, awsCalls: (await total()) - callsBefore };
}

test('a signed enrollment records who asked, and the GET route returns it', async () => {
  const started = await local.client.enroll({ ...ENROLL });
  expect(started.status).toBe(202);
  const view = await local.client.waitFor(started.json.enrollmentId);
  expect(view.status).toBe('SUCCEEDED');
  expect((view as unknown as { requestedBy: string }).requestedBy).toBe(ROOT);
});

test('a requestedBy in the body is refused by the request model, never recorded', async () => {
  const { result, executions } = await sideEffectsOf(() => local.client.enroll({ ...ENROLL, requestedBy: 'arn:aws:iam::999999999999:root' }));
  expect(result.status).toBe(400);
  expect(executions).toBe(0);
});

test('offboarding and batches record who asked too', async () => {
  const offboard = await local.client.request('DELETE', '/enrollments/222222222222?regions=us-east-1');
  expect(offboard.status).toBe(202);
  expect((await local.client.waitFor(offboard.json.enrollmentId)) as unknown as { requestedBy: string }).toMatchObject({ requestedBy: ROOT });
  const batch = await local.client.batch({ accounts: [{ accountId: '222222222222', email: ENROLL.email }], regions: ['us-east-1'] });
  expect(batch.status).toBe(202);
  const view = await local.client.waitForBatch(batch.json.batchId);
  expect(view).toMatchObject({ requestedBy: ROOT });
  const part = await local.client.request('GET', view.parts[0].outcomesUrl.replace(`/${STAGE_NAME}`, ''));
  expect(part.json).toMatchObject({ requestedBy: ROOT });
});

describe('refused before anything runs: 403 with API Gateway message, no execution, no AWS call', () => {
  test('unsigned', async () => {
    const { result, executions, awsCalls } = await sideEffectsOf(() => local.client.request('POST', '/enrollments', { body: ENROLL, signed: false }));
    expect(result).toMatchObject({ status: 403, json: { message: 'Missing Authentication Token' } });
    expect({ executions, awsCalls }).toEqual({ executions: 0, awsCalls: 0 });
  });

  test('signed with the wrong secret', async () => {
    const { result, executions, awsCalls } = await sideEffectsOf(() =>
      signedRequest({ ...ADMIN_ROOT, secretAccessKey: 'not-x' }, 'POST', '/enrollments', { body: JSON.stringify(ENROLL) }),
    );
    expect(result.status).toBe(403);
    expect(result.json.message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
    expect({ executions, awsCalls }).toEqual({ executions: 0, awsCalls: 0 });
  });

  test('signed with an access key nobody has', async () => {
    const { result, executions, awsCalls } = await sideEffectsOf(() =>
      signedRequest({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }, 'POST', '/enrollments', { body: JSON.stringify(ENROLL) }),
    );
    expect(result).toMatchObject({ status: 403, json: { message: 'The security token included in the request is invalid.' } });
    expect({ executions, awsCalls }).toEqual({ executions: 0, awsCalls: 0 });
  });

  test('signed more than 5 minutes ago', async () => {
    const stale = new Date(Date.now() - 6 * 60 * 1000);
    const { result, executions, awsCalls } = await sideEffectsOf(() =>
      signedRequest(ADMIN_ROOT, 'POST', '/enrollments', { body: JSON.stringify(ENROLL), signingDate: stale }),
    );
    expect(result.status).toBe(403);
    expect(result.json.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    expect({ executions, awsCalls }).toEqual({ executions: 0, awsCalls: 0 });
  });

  test('a signed request replayed with another body', async () => {
    const { result, executions, awsCalls } = await sideEffectsOf(() =>
      signedRequest(ADMIN_ROOT, 'POST', '/enrollments', { body: JSON.stringify(ENROLL), sendBody: JSON.stringify({ ...ENROLL, accountId: '333333333333' }) }),
    );
    expect(result.status).toBe(403);
    expect(result.json.message).toMatch(/^The request signature we calculated does not match/);
    expect({ executions, awsCalls }).toEqual({ executions: 0, awsCalls: 0 });
  });

  test("a principal outside the resource policy's allowance (another account's root)", async () => {
    const { result, executions, awsCalls } = await sideEffectsOf(() =>
      signedRequest({ accessKeyId: 'AKID222222222222', secretAccessKey: 'x' }, 'GET', '/enrollments/anything'),
    );
    expect(result.status).toBe(403);
    expect(result.json.message).toMatch(
      /^User: arn:aws:iam::222222222222:root is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111111111111:[^/]+\/v1\/GET\/enrollments\/anything with an explicit deny in a resource-based policy$/,
    );
    expect({ executions, awsCalls }).toEqual({ executions: 0, awsCalls: 0 });
  });

  test('a valid signature with the wrong API key', async () => {
    const { result, executions, awsCalls } = await sideEffectsOf(() =>
      signedRequest(ADMIN_ROOT, 'POST', '/enrollments', { body: JSON.stringify(ENROLL), apiKey: 'wrong' }),
    );
    expect(result).toMatchObject({ status: 403, json: { message: 'Forbidden' } });
    expect({ executions, awsCalls }).toEqual({ executions: 0, awsCalls: 0 });
  });
});

test('deleteDetector=true while detector deletion is off: 400 saying how to enable it, nothing starts, no member is touched', async () => {
  const guardDutyCalls = async () =>
    ((await local.client.control('GET', 'calls')).calls as { service: string; count: number }[])
      .filter((row) => row.service !== 'states')
      .reduce((sum, row) => sum + row.count, 0);
  const before = await guardDutyCalls();
  const { result, executions } = await sideEffectsOf(() => local.client.request('DELETE', '/enrollments/222222222222?regions=us-east-1&deleteDetector=true'));
  expect(result).toMatchObject({ status: 400, json: { message: DETECTOR_DELETION_DISABLED_MESSAGE } });
  expect(result.json.message).toMatch(/allowDetectorDeletion/);
  expect(executions).toBe(0);
  expect(await guardDutyCalls()).toBe(before);
});

describe("a role of this account needs its identity policy's execute-api:Invoke", () => {
  /** A session of a new role of the administrator account that trusts its root, with `policies`. */
  async function roleSession(roleName: string, policies: unknown[]): Promise<Credentials> {
    await local.client.control('POST', 'roles', {
      accountId: LOCAL_ADMIN_ACCOUNT,
      roleName,
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }] },
      policies,
    });
    const sts = new STSClient({ region: 'us-east-1', endpoint: local.stack.emulatorUrl, credentials: ADMIN_ROOT });
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${LOCAL_ADMIN_ACCOUNT}:role/${roleName}`, RoleSessionName: 'test' }),
    );
    return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  }

  test('without one it is denied; with the README read policy it may read enrollments, and neither POST nor use the Signup route', async () => {
    const none = await roleSession('NoApiAccess', [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'guardduty:ListDetectors', Resource: '*' }] },
    ]);
    const denied = await signedRequest(none, 'GET', '/enrollments/anything');
    expect(denied.status).toBe(403);
    expect(denied.json.message).toMatch(
      /^User: arn:aws:sts::111111111111:assumed-role\/NoApiAccess\/test is not authorized to perform: execute-api:Invoke on resource: .* because no identity-based policy allows the execute-api:Invoke action$/,
    );

    // The README's read policy, scoped to this API by its id (the denial above names the method's ARN).
    const apiArn = /on resource: (arn:aws:execute-api:us-east-1:111111111111:[^/]+)\//.exec(denied.json.message)![1];
    const reader = await roleSession('EnrollmentReader', [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${apiArn}/v1/GET/enrollments/*` }] },
    ]);
    expect((await signedRequest(reader, 'GET', '/enrollments/unknown-id')).status).toBe(404);
    // The GuardDuty Signup route is a GET that enrolls: the read policy does not reach it.
    expect((await signedRequest(reader, 'GET', '/guarddutysignup/MasterDetectorId/d1/MemberId/222222222222/Email/workloads-dev@example.com')).status).toBe(403);
    const { result, executions } = await sideEffectsOf(() => signedRequest(reader, 'POST', '/enrollments', { body: JSON.stringify(ENROLL) }));
    expect(result.status).toBe(403);
    expect(executions).toBe(0);
  });
});
