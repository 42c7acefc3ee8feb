/**
 * Secrets and least privilege. Enrollments that succeed, retry and fail on both sides run with the
 * handlers logging at DEBUG; then every Lambda log line, every execution's input, output, cause and
 * state inputs/outputs, every access log line and every API answer is searched for the credentials
 * the emulator minted, the administrator's key, the API key value, the ExternalId and full emails.
 *
 * Known limit, by design: the execution input carries the email (CreateMembers needs it), and the
 * states that pass that input on up to CreateMember carry it too; everywhere after, it must be gone.
 *
 * The template half evaluates the synthesized IAM policies: the workflow can assume no role but the
 * member role, and the member role trusts only the workflow's role presenting the ExternalId.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { readApiDefinition } from '../../local/api-gateway/api-definition';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import type { LocalStack } from '../../local/runtime/stack';
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';
import type { ExecutionResult } from '../../local/runtime/step-functions/runner';
import { LOCAL_ADMIN_ACCOUNT, ReliabilityClient, startReliabilityStack } from './harness';
import type { HttpAnswer } from './harness';
import { evaluate } from '../../local/emulator/iam/evaluate';
import { ALLOW_ALL } from '../../local/emulator/iam/principals';
import type { PolicyDocument } from '../../local/emulator/iam/types';
import { templateRoles } from '../../local/runtime/template/roles';
import { ResultLog } from './results';
import { SECRETS_CASES } from './secrets-cases';

const API_KEY = `reliability-key-${randomUUID()}`;
const EXTERNAL_ID = `xid-${randomUUID().slice(0, 13)}`;

/**
 * States whose input may carry the email: the request on its way to CreateMember (and its failure).
 * Known limit, kept in RELIABILITY.md: these echo the execution input, which Step Functions shows to
 * the same readers.
 */
const INPUT_MAY_CARRY_EMAIL = new Set([
  'ChooseAction',
  'CheckRequest',
  'UseDefaultRegions',
  'EnrollRegions',
  'CreateMember',
  'ReadFailure',
  'RegionFailedUnexpectedly',
  'Summarize',
]);
/** States whose output may carry it: they pass the execution input on unchanged (a Map keeps its input beside its result). */
const OUTPUT_MAY_CARRY_EMAIL = new Set(['ChooseAction', 'CheckRequest', 'UseDefaultRegions', 'EnrollRegions']);
/** A caught CreateMember failure's output is its input plus the error (Catch ResultPath `$.error`). */
const CAUGHT_OUTPUT_MAY_CARRY_EMAIL = new Set(['CreateMember']);

const log = new ResultLog('secrets');
let stack: LocalStack;
let client: ReliabilityClient;
const lambdaLog: string[] = [];
const accessLog: string[] = [];
const answers: HttpAnswer[] = [];
const emails: string[] = [];
const executions = new Map<string, ExecutionResult>();

interface Capture {
  restore(): void;
}

/**
 * Powertools writes DEBUG/INFO lines to stdout and WARN/ERROR to stderr (the local API Gateway also
 * reports its own failures on stderr): keep them all, and out of the test output.
 */
function captureOutput(into: string[]): Capture {
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write),
  );
  return {
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

async function enroll(
  body: { accountId: string; email: string; regions: string[]; invitationMessage?: string },
  headers: Record<string, string> = {},
): Promise<void> {
  emails.push(body.email);
  const started = await client.enroll(body, headers);
  answers.push(started);
  if (started.status !== 202) throw new Error(`POST answered ${started.status}: ${started.text}`);
  answers.push(await client.request('GET', `/enrollments/${started.json.enrollmentId}`));
  await client.outcome(started.json.enrollmentId);
  answers.push(await client.request('GET', `/enrollments/${started.json.enrollmentId}`));
  executions.set(started.json.enrollmentId, (await stack.stepFunctions.waitFor(started.json.enrollmentId))!);
}

beforeAll(async () => {
  stack = await startReliabilityStack({
    apiKey: API_KEY,
    lambdaLogLevel: 'DEBUG',
    settings: { externalId: EXTERNAL_ID },
    onAccessLog: (line) => accessLog.push(line),
  });
  client = new ReliabilityClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
  const capture = captureOutput(lambdaLog);
  try {
    const regions = ['us-east-1', 'eu-west-1'];
    // Succeeds in two regions, with an Idempotency-Key and a message; then again (already Enabled).
    await client.addAccount('930000000001', { email: 'alice.secret+vend@example.com' });
    await enroll(
      { accountId: '930000000001', email: 'alice.secret+vend@example.com', regions, invitationMessage: 'Welcome "team" \\ ünïcode' },
      { 'Idempotency-Key': 'secrets-1' },
    );
    await enroll({ accountId: '930000000001', email: 'alice.secret+vend@example.com', regions });
    // Member side denied after AssumeRole: the member's credentials were in hand when it failed.
    await client.addAccount('930000000002', { email: 'bob.secret@example.org' });
    await client.addFault({ operation: 'AcceptAdministratorInvitation', accountId: '930000000002', error: 'accessDenied', count: 1 });
    await enroll({ accountId: '930000000002', email: 'bob.secret@example.org', regions: ['us-east-1'] });
    // Throttled on the member side past the SDK's retries: the step is retried (warnings logged).
    await client.addAccount('930000000003', { email: 'carol.secret@example.net' });
    await client.addFault({ operation: 'ListInvitations', accountId: '930000000003', error: 'throttle', count: 4 });
    await enroll({ accountId: '930000000003', email: 'carol.secret@example.net', regions: ['us-east-1'] });
    // No member role, and a role expecting another ExternalId.
    await client.addAccount('930000000004', { email: 'dave.secret@example.com', memberRole: null });
    await enroll({ accountId: '930000000004', email: 'dave.secret@example.com', regions: ['us-east-1'] });
    await client.addAccount('930000000005', {
      email: 'erin.secret@example.com',
      memberRole: { name: 'GuardDutyEnrollmentMember', externalId: 'another-external-id' },
    });
    await enroll({ accountId: '930000000005', email: 'erin.secret@example.com', regions: ['us-east-1'] });
    // CreateMember itself fails (the email is in its input): no administrator detector there.
    await client.addAccount('930000000006', { email: 'frank.secret@example.com' });
    await enroll({ accountId: '930000000006', email: 'frank.secret@example.com', regions: ['af-south-1'] });
    // The Signup route carries the email in its path.
    await client.addAccount('930000000007', { email: 'grace.secret@example.com' });
    emails.push('grace.secret@example.com');
    const signup = await client.request(
      'GET',
      `/guarddutysignup/MasterDetectorId/abc/MemberId/930000000007/Email/${encodeURIComponent('grace.secret@example.com')}`,
    );
    answers.push(signup);
    executions.set(signup.json.enrollmentId, (await stack.stepFunctions.waitFor(signup.json.enrollmentId))!);
    // A refused body with an email in it.
    emails.push('heidi.secret@example.com');
    answers.push(await client.enroll({ accountId: '930000000008', email: 'heidi.secret@example.com', regions: ['not a region'] }));
  } finally {
    capture.restore();
  }
});

afterAll(async () => {
  log.write();
  await stack?.close();
});

/** The places searched, each as text. */
function places(): Record<string, string[]> {
  return {
    'Lambda logs': lambdaLog,
    'execution data': [...executions.values()].map((result) => JSON.stringify(result)),
    'access logs': accessLog,
    'API answers': answers.map((a) => a.text),
  };
}

/** Where each needle was found, as `place: needle` strings. */
function leaks(needles: string[], where = places()): string[] {
  const found: string[] = [];
  for (const [place, texts] of Object.entries(where)) {
    for (const needle of needles) if (texts.some((text) => text.includes(needle))) found.push(`${place}: ${needle.slice(0, 24)}…`);
  }
  return found;
}

test('no credentials the emulator minted, nor the administrator key, appear in logs, execution data, access logs or answers', async () => {
  const sessions = [...stack.emulator.state.sessions.values()];
  const secrets = sessions.flatMap((s) => [s.accessKeyId, s.secretAccessKey, s.sessionToken]);
  const patterns = Object.values(places())
    .flat()
    .flatMap((text) => text.match(/\bASIA[A-Z2-7]{16}\b|\bAKIA[A-Z0-9]{16}\b/g) ?? []);
  await log.check(
    'secrets/no-credentials',
    sessions.length,
    () => `${sessions.length} sessions minted, ${lambdaLog.length} log lines, ${executions.size} executions, ${accessLog.length} access log lines searched`,
    () => {
      expect(sessions.length).toBeGreaterThanOrEqual(4); // AssumeRole happened: there was something to leak
      expect(lambdaLog.length).toBeGreaterThan(20); // DEBUG/INFO lines were captured
      expect(lambdaLog.some((line) => line.includes('"level":"WARN"'))).toBe(true); // and the retried step's warning
      expect(lambdaLog.some((line) => line.includes('"level":"ERROR"'))).toBe(true); // and the failures
      expect(leaks([...secrets, `AKID${LOCAL_ADMIN_ACCOUNT}`])).toEqual([]);
      expect(patterns).toEqual([]);
    },
  );
});

test('the API key value appears nowhere; access logs carry its id', async () => {
  await log.check(
    'secrets/no-api-key-value',
    accessLog.length,
    () => `${accessLog.length} access log lines`,
    () => {
      expect(leaks([API_KEY])).toEqual([]);
      const keyed = accessLog.map((line) => JSON.parse(line) as { apiKeyId: string; status: string }).filter((line) => line.status !== '403');
      expect(keyed.length).toBeGreaterThan(0);
      for (const line of keyed) expect(line.apiKeyId).toMatch(/\S/);
    },
  );
});

test('full emails appear only in the execution input and the states that carry it up to CreateMember', async () => {
  const misplaced: string[] = [];
  let allowedSightings = 0;
  for (const [id, result] of executions) {
    const containsEmail = (value: unknown) => emails.some((email) => JSON.stringify(value ?? null).includes(email));
    if (containsEmail(result.output) || containsEmail(result.cause) || containsEmail(result.error)) misplaced.push(`${id}: execution output/cause`);
    for (const event of result.events as ((typeof result.events)[number] & {
      parentState?: { name: string; input?: unknown; output?: unknown };
      input?: unknown;
    })[]) {
      if (event.type === 'ExecutionStarted') continue; // the execution input itself
      for (const state of [event.state, event.parentState]) {
        if (!state) continue;
        if (containsEmail(state.input)) {
          if (INPUT_MAY_CARRY_EMAIL.has(state.name)) allowedSightings++;
          else misplaced.push(`${id}: input of ${state.name} (${event.type})`);
        }
        if (containsEmail(state.output)) {
          const caught = typeof state.output === 'object' && state.output !== null && 'error' in state.output;
          if (OUTPUT_MAY_CARRY_EMAIL.has(state.name) || (caught && CAUGHT_OUTPUT_MAY_CARRY_EMAIL.has(state.name))) allowedSightings++;
          else misplaced.push(`${id}: output of ${state.name} (${event.type})`);
        }
      }
      if (containsEmail(event.Cause) || containsEmail(event.Error)) misplaced.push(`${id}: ${event.type} cause`);
    }
  }
  const elsewhere = leaks(emails, { 'Lambda logs': lambdaLog, 'access logs': accessLog, 'API answers': answers.map((a) => a.text) });
  await log.check(
    'secrets/email-only-where-unavoidable',
    executions.size,
    () => `${allowedSightings} expected sightings in ${executions.size} executions; ${misplaced.length + elsewhere.length} elsewhere`,
    () => {
      expect(allowedSightings).toBeGreaterThan(0); // the search does find the email where it must be
      expect(misplaced).toEqual([]);
      expect(elsewhere).toEqual([]);
    },
  );
});

test('Lambda logs name the member by its masked email only', async () => {
  const masked = lambdaLog.filter((line) => line.includes('a***@example.com') || line.includes('b***@example.org'));
  await log.check(
    'secrets/logs-mask-email',
    masked.length,
    () => `${masked.length} lines with a masked email`,
    () => {
      expect(masked.length).toBeGreaterThan(0);
      expect(leaks(emails, { 'Lambda logs': lambdaLog })).toEqual([]);
    },
  );
});

test('the ExternalId is not echoed in outcomes, logs or access logs, even when a role expects another one', async () => {
  const outcomes = [...executions.values()].map((r) => JSON.stringify([r.output, r.cause]));
  const roleMismatch = answers.map((a) => a.text).filter((text) => text.includes('930000000005') && text.includes('MemberRoleNotAssumable'));
  await log.check(
    'secrets/external-id-not-echoed',
    roleMismatch.length,
    () => `${roleMismatch.length} answers about the mismatched role`,
    () => {
      expect(roleMismatch.length).toBeGreaterThan(0);
      expect(
        leaks([EXTERNAL_ID, 'another-external-id'], {
          outcomes,
          'Lambda logs': lambdaLog,
          'access logs': accessLog,
          'API answers': answers.map((a) => a.text),
        }),
      ).toEqual([]);
    },
  );
});

// ---- The template: least privilege, evaluated ----

let templates: { enrollment: CfnTemplate; memberRole: CfnTemplate };
const ADMIN = '111111111111';
const MEMBER = '222222222222';
const MEMBER_ROLE = 'GuardDutyEnrollmentMember';
const WORKFLOW_ROLE = 'GuardDutyEnrollmentWorkflow';

function synthesized() {
  templates ??= synthesizeTemplates({ env: { account: ADMIN, region: 'us-east-1' } });
  return templates;
}

/** Every role of the administrator stack with the documents of every policy attached to it (local mode's reading). */
function rolePolicies(): Map<string, PolicyDocument[]> {
  const { enrollment } = synthesized();
  const resolver = new TemplateResolver(enrollment, { account: ADMIN, region: 'us-east-1' });
  const roles = new Map<string, PolicyDocument[]>();
  for (const role of templateRoles(resolver)) {
    // The one managed policy (API Gateway's logging role) is AWS's logs-only service policy.
    expect(role.managedPolicyArns?.filter((arn) => arn !== 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs') ?? []).toEqual([]);
    roles.set(
      role.roleName,
      role.policies.map((policy) => ('document' in policy ? policy.document : policy)),
    );
  }
  return roles;
}

/** A trust that lets anyone assume the role: what remains to decide is the caller's identity policy. */
const TRUSTS_ANYONE: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };

/** Whether IAM (iam-simulate with AWS's data, as local mode evaluates) lets a session of a role with these policies assume `roleArn`. */
async function identityAllowsAssume(roleName: string, policies: PolicyDocument[], roleArn: string, action = 'sts:AssumeRole'): Promise<boolean> {
  const principal = {
    arn: `arn:aws:sts::${ADMIN}:assumed-role/${roleName}/session`,
    identityPolicies: policies,
    context: { 'aws:PrincipalArn': `arn:aws:iam::${ADMIN}:role/${roleName}` },
  };
  const account = /^arn:aws:iam::(\d{12}):/.exec(roleArn)![1];
  return (await evaluate(principal, { action, resource: roleArn, resourceAccount: account, resourcePolicy: TRUSTS_ANYONE })).allowed;
}

// Role names as IAM allows them (letters, digits, +=,.@_- and a path's slashes; never '*', which a request resource would read as a pattern).
const roleNameArb = fc
  .oneof(
    fc.constantFrom(
      'OrganizationAccountAccessRole',
      'AWSControlTowerExecution',
      'Admin',
      `${MEMBER_ROLE}2`,
      `x${MEMBER_ROLE}`,
      `${MEMBER_ROLE}-old`,
      `path/${MEMBER_ROLE}`,
      `a/b/${MEMBER_ROLE}`,
      `${MEMBER_ROLE}/x`,
    ),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-/'.split('')), minLength: 1, maxLength: 64 }),
  )
  .filter((name) => name !== MEMBER_ROLE);

test('no role of the stack may assume any role but the member role, and only the member-side step may assume that', async () => {
  const roles = rolePolicies();
  const canAssume = async (roleArn: string, action?: string) => {
    const allowed: string[] = [];
    for (const [name, policies] of roles) if (await identityAllowsAssume(name, policies, roleArn, action)) allowed.push(name);
    return allowed;
  };
  let tried = 0;
  await log.check(
    'secrets/workflow-assumes-only-member-role',
    () => tried,
    () => `${tried} role ARNs evaluated against ${roles.size} roles: only ${MEMBER_ROLE}, and only by the member-side step`,
    async () => {
      expect(await canAssume(`arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE}`)).toEqual([WORKFLOW_ROLE]);
      await fc.assert(
        fc.asyncProperty(roleNameArb, fc.stringMatching(/^[0-9]{12}$/), async (name, account) => {
          tried++;
          expect(await canAssume(`arn:aws:iam::${account}:role/${name}`)).toEqual([]);
          // Action names are case-insensitive in IAM: no other spelling gets through either.
          expect(await canAssume(`arn:aws:iam::${account}:role/${name}`, 'STS:assumerole')).toEqual([]);
        }),
        { numRuns: 500 },
      );
    },
  );
});

test("the member role's trust allows only the workflow's role presenting the ExternalId", async () => {
  const { memberRole } = synthesized();
  const resolver = new TemplateResolver(memberRole, { account: MEMBER, region: 'us-east-1', parameters: { AdministratorAccountId: ADMIN } });
  const [role] = Object.values(memberRole.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
  const trust = resolver.resolve((role.Properties as { AssumeRolePolicyDocument: unknown }).AssumeRolePolicyDocument) as PolicyDocument;
  const workflowArn = `arn:aws:iam::${ADMIN}:role/${WORKFLOW_ROLE}`;
  // The trust alone decides: the caller's identity policy allows everything here.
  const assume = async (principal: string, externalId?: string) =>
    (
      await evaluate(
        { arn: principal, identityPolicies: [ALLOW_ALL], context: { 'aws:PrincipalArn': principal } },
        {
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE}`,
          resourceAccount: MEMBER,
          resourcePolicy: trust,
          context: externalId === undefined ? {} : { 'sts:ExternalId': externalId },
        },
      )
    ).allowed;
  let tried = 0;
  await log.check(
    'secrets/member-trust-requires-external-id',
    () => tried,
    () => `${tried} principal/ExternalId pairs: allowed only for ${WORKFLOW_ROLE} with the ExternalId`,
    async () => {
      expect(await assume(workflowArn, 'guardduty-enrollment')).toBe(true);
      expect(await assume(workflowArn)).toBe(false); // no ExternalId at all
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.stringMatching(/^[\w+=,.@:/-]{2,64}$/), fc.constantFrom('', 'guardduty-enrollment ', 'GUARDDUTY-ENROLLMENT', '*')),
          fc.oneof(
            fc.constant(workflowArn),
            fc.constantFrom(
              `arn:aws:iam::${ADMIN}:role/Admin`,
              `arn:aws:iam::${ADMIN}:user/someone`,
              `arn:aws:iam::999999999999:role/${WORKFLOW_ROLE}`,
              `arn:aws:iam::${ADMIN}:root`,
            ),
          ),
          async (externalId, principal) => {
            tried++;
            expect(await assume(principal, externalId)).toBe(principal === workflowArn && externalId === 'guardduty-enrollment');
          },
        ),
        { numRuns: 500 },
      );
      // The right ExternalId is not enough for any other principal.
      for (const other of [`arn:aws:iam::${ADMIN}:role/Admin`, `arn:aws:iam::999999999999:role/${WORKFLOW_ROLE}`])
        expect(await assume(other, 'guardduty-enrollment')).toBe(false);
    },
  );
});

test('every method the template declares refuses a request without the key, or with a wrong one, and starts nothing', async () => {
  const { enrollment } = synthesized();
  const definition = readApiDefinition(enrollment, new TemplateResolver(enrollment, { account: ADMIN, region: 'us-east-1' }));
  const sample: Record<string, string> = { enrollmentId: 'some-enrollment', MasterDetectorId: 'abc123', MemberId: MEMBER, Email: 'owner@example.com' };
  const before = stack.stepFunctions.executionCount;
  const refused: string[] = [];
  await log.check(
    'secrets/every-method-requires-key',
    definition.methods.length * 2,
    () => `${definition.methods.length} methods × no key / wrong key: ${refused.length} refused`,
    async () => {
      expect(definition.methods.length).toBeGreaterThanOrEqual(3);
      for (const method of definition.methods) {
        const path = method.resourcePath.replace(/\{(\w+)\+?\}/g, (_m, name: string) => encodeURIComponent(sample[name] ?? 'x'));
        for (const apiKey of [null, `${API_KEY}-wrong`]) {
          const body = method.httpMethod === 'POST' ? { accountId: MEMBER, email: 'owner@example.com' } : undefined;
          const answer = await client.request(method.httpMethod, path, { body, apiKey });
          expect({ route: `${method.httpMethod} ${method.resourcePath}`, status: answer.status }).toEqual({
            route: `${method.httpMethod} ${method.resourcePath}`,
            status: 403,
          });
          expect(answer.json?.message).toEqual(expect.any(String));
          refused.push(`${method.httpMethod} ${path}`);
        }
      }
      expect(stack.stepFunctions.executionCount).toBe(before);
    },
  );
});

test('this file ran exactly the cases its catalogue defines (the ones RELIABILITY.md lists)', () => {
  expect(log.ids().sort()).toEqual(SECRETS_CASES.map((c) => c.id).sort());
});
