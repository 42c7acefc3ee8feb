/**
 * The synthesized state machine, executed by aws-local-stepfunctions with the real handlers in
 * process and the AWS SDK clients mocked: the paths, retries and per-region outcomes a caller sees.
 */
import { InviteMembersCommand, UpdateMemberDetectorsCommand } from '@aws-sdk/client-guardduty';
import { DEFAULT_PROTECTION_PLANS, wantedFeatures } from '../../contract/protection-plans';
import type { LocalWorkflow } from '../../local/runtime/step-functions/runner';
import type { ExecutionResult } from '../../local/runtime/step-functions/runner';
import type { RegionOutcome } from '../../contract/workflow-types';
import { GuardDutyMocks, MEMBER_ACCOUNT, MUTATING_OPERATIONS } from '../helpers/guardduty-mocks';
import type { RegionSetup } from '../helpers/guardduty-mocks';
import { loadLocalWorkflows } from '../helpers/local-workflows';
import type { LocalWorkflows } from '../helpers/local-workflows';

let workflow: LocalWorkflow;
let mocks: GuardDutyMocks | undefined;
let workflows: LocalWorkflows;

beforeAll(() => {
  workflows = loadLocalWorkflows();
  workflow = workflows.enrollment;
});

afterEach(() => mocks?.restore());
afterAll(() => workflows.restoreEnvironment());

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

/** The default profile as a region's outcome lists it when every feature is as wanted. */
const PROFILE_OUTCOMES = wantedFeatures(DEFAULT_PROTECTION_PLANS).map((f) => ({ name: f.name, status: f.status }));

test('a fresh account ends Enabled in both requested regions, each through create, invite, accept and verify', async () => {
  const result = await enroll({ 'us-east-1': {}, 'eu-west-1': {} }, { ...request, regions: ['us-east-1', 'eu-west-1'] });

  expect(result.status).toBe('SUCCEEDED');
  const out = summary(result);
  expect(out.enrollmentId).toBe('enrollment-1');
  expect(out.accountId).toBe(MEMBER_ACCOUNT);
  expect(out.anyRegionFailed).toBe(false);
  // The member's CreateDetector followed the profile, so the administrator's read finds it as wanted.
  const plans = { protectionPlans: PROFILE_OUTCOMES, freeTrial: expect.arrayContaining([{ name: 'S3_DATA_EVENTS', daysRemaining: 30 }]) };
  expect(out.regions).toEqual([
    { region: 'us-east-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'memberuseast1', error: null, ...plans },
    { region: 'eu-west-1', outcome: 'ENABLED', relationshipStatus: 'Enabled', memberDetectorId: 'membereuwest1', error: null, ...plans },
  ]);
  for (const region of ['us-east-1', 'eu-west-1']) {
    expect(mocks!.operations(region)).toEqual(expect.arrayContaining(['CreateMembers', 'InviteMembers', 'CreateDetector', 'AcceptAdministratorInvitation']));
  }
  const entered = statesEntered(result);
  for (const state of ['CreateMember', 'InviteMember', 'AcceptInvitation', 'VerifyMembership', 'ApplyProtectionPlans']) {
    expect(entered.filter((s) => s === state)).toHaveLength(2);
  }
  for (const region of ['us-east-1', 'eu-west-1']) expect(mocks!.operations(region)).not.toContain('UpdateMemberDetectors');
});

test('plans are applied after Enabled: a member detector with every feature on is brought to the profile by the administrator, after VerifyMembership', async () => {
  const result = await enroll({ 'us-east-1': { memberStatus: 'Disabled', memberDetector: 'DISABLED' } }, { ...request, regions: ['us-east-1'] });

  expect(result.status).toBe('SUCCEEDED');
  expect(summary(result).regions[0]).toMatchObject({ outcome: 'ENABLED', protectionPlans: PROFILE_OUTCOMES });
  const ops = mocks!.operations();
  expect(ops.filter((op) => op === 'UpdateMemberDetectors')).toHaveLength(1);
  // Read, update, read back: all after the membership was verified Enabled.
  expect(ops.slice(ops.lastIndexOf('GetMembers') + 1)).toEqual([
    'GetMemberDetectors',
    'UpdateMemberDetectors',
    'GetMemberDetectors',
    'GetRemainingFreeTrialDays',
  ]);
  const update = mocks!.guardDuty.commandCalls(UpdateMemberDetectorsCommand)[0]!.args[0].input;
  // Only what differs is sent: the features the profile turns off.
  expect(update.Features!.map((f) => `${f.Name}=${f.Status}`).sort()).toEqual([
    'AI_PROTECTION=DISABLED',
    'EBS_MALWARE_PROTECTION=DISABLED',
    'LAMBDA_NETWORK_LOGS=DISABLED',
    'RDS_LOGIN_EVENTS=DISABLED',
    'RUNTIME_MONITORING=DISABLED',
  ]);
});

test('a feature GuardDuty does not report in the region is UNAVAILABLE with its reason, and the region still ends Enabled', async () => {
  const result = await enroll(
    { 'us-east-1': { unavailableFeatures: ['AI_PROTECTION'] } },
    { ...request, regions: ['us-east-1'], protectionPlans: { AI_PROTECTION: 'ENABLED' } },
  );

  expect(result.status).toBe('SUCCEEDED');
  const region = summary(result).regions[0];
  expect(region.outcome).toBe('ENABLED');
  expect(region.protectionPlans).toContainEqual({
    name: 'AI_PROTECTION',
    status: 'UNAVAILABLE',
    reason: 'GuardDuty does not offer AI_PROTECTION in us-east-1',
  });
  expect(mocks!.operations()).not.toContain('UpdateMemberDetectors');
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
    { 'us-east-1': { memberStatus: 'Enabled', memberDetector: 'ENABLED', memberFeatures: DEFAULT_PROTECTION_PLANS as Record<string, string> } },
    { ...request, regions: ['us-east-1'] },
  );

  expect(result.status).toBe('SUCCEEDED');
  expect(summary(result).regions).toEqual([
    {
      region: 'us-east-1',
      outcome: 'ENABLED',
      relationshipStatus: 'Enabled',
      memberDetectorId: 'memberuseast1',
      error: null,
      protectionPlans: PROFILE_OUTCOMES,
      freeTrial: expect.any(Array),
    },
  ]);
  expect(mocks!.operations().filter((op) => MUTATING_OPERATIONS.includes(op))).toEqual([]);
  expect(statesEntered(result)).toContain('ApplyProtectionPlans');
  expect(statesEntered(result)).not.toContain('InviteMember');
});

test('a member whose detector was disabled gets it re-enabled and ends Enabled', async () => {
  const result = await enroll({ 'us-east-1': { memberStatus: 'Disabled', memberDetector: 'DISABLED' } }, { ...request, regions: ['us-east-1'] });

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

describe('offboarding (action: offboard)', () => {
  const offboard = { action: 'offboard', accountId: MEMBER_ACCOUNT, deleteDetector: false };

  test('an enrolled member is removed by the administrator, then leaves it, in both regions; its detector is kept', async () => {
    const enrolled = { memberStatus: 'Enabled', memberDetector: 'ENABLED' as const };
    const result = await enroll({ 'us-east-1': enrolled, 'eu-west-1': enrolled }, { ...offboard, regions: ['us-east-1', 'eu-west-1'] }, 'offboarding-1');

    expect(result.status).toBe('SUCCEEDED');
    const out = summary(result);
    expect(out).toMatchObject({ enrollmentId: 'offboarding-1', accountId: MEMBER_ACCOUNT, anyRegionFailed: false });
    expect(out.regions).toEqual([
      { region: 'us-east-1', outcome: 'OFFBOARDED', relationshipStatus: 'Enabled', memberDetectorId: 'memberuseast1', error: null },
      { region: 'eu-west-1', outcome: 'OFFBOARDED', relationshipStatus: 'Enabled', memberDetectorId: 'membereuwest1', error: null },
    ]);
    for (const region of ['us-east-1', 'eu-west-1']) {
      // (The administrator's ListDetectors is left out: its detector id may be cached from an earlier test.)
      expect(
        mocks!.calls.filter((c) => c.region === region && !(c.side === 'admin' && c.operation === 'ListDetectors')).map((c) => `${c.side}:${c.operation}`),
      ).toEqual([
        'admin:GetMembers',
        'admin:DisassociateMembers',
        'admin:DeleteMembers',
        'member:ListDetectors',
        'member:GetAdministratorAccount',
        'member:DisassociateFromAdministratorAccount',
      ]);
      expect(mocks!.regions.get(region)).toMatchObject({ status: undefined, memberStillLinked: false, memberDetector: { status: 'ENABLED' } });
    }
    const entered = statesEntered(result);
    expect(entered.slice(0, 3)).toEqual(['ChooseAction', 'CheckActionRequest', 'OffboardRegions']);
    expect(entered).not.toContain('CheckRequest');
    expect(entered).not.toContain('CreateMember');
  });

  test('deleteDetector=true also deletes the member detector', async () => {
    const result = await enroll(
      { 'us-east-1': { memberStatus: 'Enabled', memberDetector: 'ENABLED' } },
      { ...offboard, deleteDetector: true, regions: ['us-east-1'] },
    );
    expect(summary(result).regions).toEqual([
      { region: 'us-east-1', outcome: 'OFFBOARDED', relationshipStatus: 'Enabled', memberDetectorId: null, error: null },
    ]);
    expect(mocks!.operations('us-east-1')).toContain('DeleteDetector');
    expect(mocks!.regions.get('us-east-1')!.memberDetector).toBeUndefined();
  });

  test('an account that is no member ends OFFBOARDED with no mutating call', async () => {
    const result = await enroll({ 'us-east-1': {} }, { ...offboard, regions: ['us-east-1'] });
    expect(result.status).toBe('SUCCEEDED');
    expect(summary(result).regions).toEqual([{ region: 'us-east-1', outcome: 'OFFBOARDED', relationshipStatus: null, memberDetectorId: null, error: null }]);
    expect(mocks!.operations().filter((op) => MUTATING_OPERATIONS.includes(op))).toEqual([]);
  });

  test('a region whose administrator has no detector FAILS and the member side is not touched there; the other region is offboarded', async () => {
    const result = await enroll(
      { 'us-east-1': { memberStatus: 'Enabled', memberDetector: 'ENABLED' }, 'eu-west-1': { adminDetector: false } },
      { ...offboard, regions: ['us-east-1', 'eu-west-1'] },
    );
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('EnrollmentFailed');
    const out = summary(result);
    expect(out.regions[0]).toMatchObject({ region: 'us-east-1', outcome: 'OFFBOARDED' });
    expect(out.regions[1]).toMatchObject({ region: 'eu-west-1', outcome: 'FAILED', relationshipStatus: null, error: { code: 'AdminDetectorMissing' } });
    expect(mocks!.calls.filter((c) => c.region === 'eu-west-1' && c.side === 'member')).toEqual([]);
    expect(statesEntered(result)).toContain('OffboardRegionFailed');
  });

  test('a member role that cannot be assumed: the administrator side is removed, the region FAILS with MemberRoleNotAssumable', async () => {
    const result = await enroll({ 'us-east-1': { memberStatus: 'Enabled', memberDetector: 'ENABLED' } }, { ...offboard, regions: ['us-east-1'] });
    // (set up after the mocks exist: the run above used a reachable role; run again with STS refusing)
    expect(result.status).toBe('SUCCEEDED');
    mocks!.restore();
    mocks = new GuardDutyMocks({ 'us-east-1': { memberStatus: 'Enabled', memberDetector: 'ENABLED' } });
    mocks.sts.reset();
    mocks.sts.rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const failed = await workflow.run({ ...offboard, regions: ['us-east-1'] }, { name: 'offboarding-role-gone', retryDelayMs: 0 });
    expect(failed.status).toBe('FAILED');
    const region = summary(failed).regions[0];
    expect(region).toMatchObject({ outcome: 'FAILED', relationshipStatus: 'Enabled', error: { code: 'MemberRoleNotAssumable' } });
    expect(region.error!.message).toMatch(/^administrator side done .* member side not done: cannot assume role/);
    expect(mocks.operations('us-east-1')).toEqual(expect.arrayContaining(['DisassociateMembers', 'DeleteMembers']));
    expect(mocks.regions.get('us-east-1')!.status).toBeUndefined();
  });

  test("without regions the deployment's default regions are offboarded", async () => {
    const result = await enroll({ 'us-east-1': {} }, offboard);
    expect(result.status).toBe('SUCCEEDED');
    expect(statesEntered(result)).toContain('UseDefaultOffboardRegions');
    expect(summary(result).regions.map((r) => r.region)).toEqual(['us-east-1']);
  });

  test.each([
    ['no deleteDetector', { action: 'offboard', accountId: MEMBER_ACCOUNT, regions: ['us-east-1'] }],
    ['an empty region list', { ...offboard, regions: [] }],
    ['another action', { ...offboard, action: 'suspend', regions: ['us-east-1'] }],
  ])('an offboarding input with %s fails as InvalidEnrollmentRequest before any call', async (_name, input) => {
    const result = await enroll({ 'us-east-1': {} }, input);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidEnrollmentRequest');
    expect(mocks!.calls).toEqual([]);
  });
});
