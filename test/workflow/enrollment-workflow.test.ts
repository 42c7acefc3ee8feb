/**
 * The synthesized state machine, executed by aws-local-stepfunctions with the real handlers in
 * process and the AWS SDK clients mocked: the paths, retries and per-region outcomes a caller sees.
 */
import { InviteMembersCommand } from '@aws-sdk/client-guardduty';
import { synthesizeTemplates } from '../../local/synth';
import { TemplateResolver } from '../../local/template';
import { LocalWorkflow } from '../../local/workflow-runner';
import type { ExecutionResult } from '../../local/workflow-runner';
import type { RegionOutcome } from '../../lambda/shared/types';
import { ADMIN_ACCOUNT, GuardDutyMocks, MEMBER_ACCOUNT, MUTATING_OPERATIONS } from '../helpers/guardduty-mocks';
import type { RegionSetup } from '../helpers/guardduty-mocks';

let workflow: LocalWorkflow;
let mocks: GuardDutyMocks | undefined;
const savedEnv = { ...process.env };

beforeAll(() => {
  const { enrollment } = synthesizeTemplates({ env: { account: ADMIN_ACCOUNT, region: 'us-east-1' } });
  workflow = new LocalWorkflow(new TemplateResolver(enrollment, { account: ADMIN_ACCOUNT, region: 'us-east-1' }));
  Object.assign(process.env, workflow.environment(), {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDADMINLAMBDA',
    AWS_SECRET_ACCESS_KEY: 'secret',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
});

afterEach(() => mocks?.restore());
afterAll(() => {
  process.env = savedEnv;
});

async function enroll(setup: Record<string, RegionSetup>, input: Record<string, unknown>, name = 'enrollment-1'): Promise<ExecutionResult> {
  mocks = new GuardDutyMocks(setup);
  return workflow.run(input, { name, retryDelayMs: 0 });
}

/** The summary the execution reports: its output, or its failure cause. */
function summary(result: ExecutionResult): { enrollmentId: string; accountId: string; regions: RegionOutcome[]; anyRegionFailed: boolean } {
  return JSON.parse(result.status === 'SUCCEEDED' ? JSON.stringify(result.output) : (result.cause as string));
}

function statesEntered(result: ExecutionResult): string[] {
  return result.events.filter((e) => e.type === 'StateEntered').map((e) => e.state!.name);
}

const request = { accountId: MEMBER_ACCOUNT, email: 'member@example.com' };

test('a fresh account ends Enabled in both requested regions, each through create, invite, accept and verify', async () => {
  const result = await enroll({ 'us-east-1': {}, 'eu-west-1': {} }, { ...request, regions: ['us-east-1', 'eu-west-1'] });

  expect(result.status).toBe('SUCCEEDED');
  const out = summary(result);
  expect(out.enrollmentId).toBe('enrollment-1');
  expect(out.accountId).toBe(MEMBER_ACCOUNT);
  expect(out.anyRegionFailed).toBe(false);
  expect(out.regions).toEqual([
    { region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'memberuseast1', error: null },
    { region: 'eu-west-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'membereuwest1', error: null },
  ]);
  for (const region of ['us-east-1', 'eu-west-1']) {
    expect(mocks!.operations(region)).toEqual(
      expect.arrayContaining(['CreateMembers', 'InviteMembers', 'CreateDetector', 'AcceptAdministratorInvitation']),
    );
  }
  const entered = statesEntered(result);
  for (const state of ['CreateMember', 'InviteMember', 'AcceptInvitation', 'VerifyMembership']) {
    expect(entered.filter((s) => s === state)).toHaveLength(2);
  }
});

test('an invitation that is invisible twice is retried and then accepted', async () => {
  const result = await enroll({ 'us-east-1': { invisibleListings: 2 } }, { ...request, regions: ['us-east-1'] });

  expect(result.status).toBe('SUCCEEDED');
  expect(summary(result).regions[0]).toMatchObject({ region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled' });
  const retries = result.events.filter((e) => e.type === 'StateRetried' && e.state?.name === 'AcceptInvitation');
  expect(retries).toHaveLength(2);
  expect(mocks!.operations().filter((op) => op === 'AcceptAdministratorInvitation')).toHaveLength(1);
});

test('a terminal failure in one region fails the enrollment but the other region still ends Enabled, and the cause carries both', async () => {
  const result = await enroll({ 'us-east-1': {}, 'eu-west-1': { adminDetector: false } }, { ...request, regions: ['us-east-1', 'eu-west-1'] });

  expect(result.status).toBe('FAILED');
  expect(result.error).toBe('EnrollmentFailed');
  const out = summary(result);
  expect(out.anyRegionFailed).toBe(true);
  expect(out.regions[0]).toMatchObject({ region: 'us-east-1', outcome: 'ENABLED', error: null });
  expect(out.regions[1]).toMatchObject({ region: 'eu-west-1', outcome: 'FAILED', relationshipStatus: null, memberDetectorId: null });
  expect(out.regions[1].error?.code).toBe('AdminDetectorMissing');
  expect(out.regions[1].error?.message).toMatch(/eu-west-1/);
  // The failed region changed nothing and never reached the member account.
  expect(mocks!.calls.filter((c) => c.region === 'eu-west-1' && (c.side === 'member' || MUTATING_OPERATIONS.includes(c.operation)))).toEqual([]);
});

test('re-enrolling an Enabled account ends Enabled with no mutating call', async () => {
  const result = await enroll(
    { 'us-east-1': { memberStatus: 'Enabled', memberDetector: 'ENABLED' } },
    { ...request, regions: ['us-east-1'] },
  );

  expect(result.status).toBe('SUCCEEDED');
  expect(summary(result).regions).toEqual([
    { region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'memberuseast1', error: null },
  ]);
  expect(mocks!.operations().filter((op) => MUTATING_OPERATIONS.includes(op))).toEqual([]);
  expect(statesEntered(result)).toContain('AlreadyEnabled');
  expect(statesEntered(result)).not.toContain('InviteMember');
});

test('a member whose detector was disabled gets it re-enabled and ends Enabled', async () => {
  const result = await enroll(
    { 'us-east-1': { memberStatus: 'Disabled', memberDetector: 'DISABLED' } },
    { ...request, regions: ['us-east-1'] },
  );

  expect(result.status).toBe('SUCCEEDED');
  expect(summary(result).regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
  expect(mocks!.operations()).toContain('UpdateDetector');
  expect(mocks!.operations()).not.toContain('InviteMembers');
});

test('a request without regions enrolls in the deployment default region', async () => {
  const result = await enroll({ 'us-east-1': {} }, request);

  expect(result.status).toBe('SUCCEEDED');
  expect(summary(result).regions.map((r) => r.region)).toEqual(['us-east-1']);
});

test('an input without an account or email fails at once with InvalidEnrollmentRequest and calls nothing', async () => {
  const result = await enroll({ 'us-east-1': {} }, { email: 'member@example.com' });

  expect(result.status).toBe('FAILED');
  expect(result.error).toBe('InvalidEnrollmentRequest');
  expect(mocks!.calls).toEqual([]);
});

test('an account id the handlers reject fails that region with InvalidEnrollmentRequest naming the field', async () => {
  const result = await enroll({ 'us-east-1': {} }, { accountId: '12345', email: 'member@example.com', regions: ['us-east-1'] });

  expect(result.status).toBe('FAILED');
  const [outcome] = summary(result).regions;
  expect(outcome.error?.code).toBe('InvalidEnrollmentRequest');
  expect(outcome.error?.message).toMatch(/accountId/);
});

test('transient throttling is retried and the region still ends Enabled', async () => {
  mocks = new GuardDutyMocks({ 'us-east-1': {} });
  const throttle = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
  let failures = 0;
  mocks.guardDuty.on(InviteMembersCommand as never).callsFake(async () => {
    if (failures < 2) {
      failures += 1;
      throw throttle;
    }
    mocks!.regions.get('us-east-1')!.status = 'Invited';
    mocks!.regions.get('us-east-1')!.invited = true;
    return { UnprocessedAccounts: [] };
  });
  const result = await workflow.run({ ...request, regions: ['us-east-1'] }, { name: 'throttled', retryDelayMs: 0 });

  expect(result.status).toBe('SUCCEEDED');
  expect(summary(result).regions[0].outcome).toBe('ENABLED');
  expect(result.events.filter((e) => e.type === 'StateRetried' && e.state?.name === 'InviteMember')).toHaveLength(2);
});
