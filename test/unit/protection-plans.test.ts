import './support/env';
import { GetMemberDetectorsCommand, GetRemainingFreeTrialDaysCommand, GuardDutyClient, UpdateMemberDetectorsCommand } from '@aws-sdk/client-guardduty';
import type { GetMemberDetectorsRequest, MemberFeaturesConfigurationResult, UpdateMemberDetectorsRequest } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { createDetectorFeatures, effectivePlans, protectionPlansProblem, wantedFeatures } from '../../contract/protection-plans';
import { EnrollmentError } from '../../lambda/shared/errors';
import { applyPlans, applyRegionPlans, neededChanges, planOutcomes } from '../../lambda/shared/protection-plans';
import { ADMIN, MEMBER } from './support/env';

const gd = mockClient(GuardDutyClient);
const client = new GuardDutyClient({ region: 'us-east-1' });
const where = { region: 'us-east-1', adminDetectorId: 'admindetector' };
beforeEach(() => gd.reset());

const feature = (Name: string, Status: string, extra: Partial<MemberFeaturesConfigurationResult> = {}) =>
  ({ Name, Status, ...extra }) as MemberFeaturesConfigurationResult;

describe('the plan rules (contract)', () => {
  test.each([
    [{ S3_DATA_EVENTS: 'ENABLED', RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { EC2_AGENT_MANAGEMENT: 'DISABLED' } } }, undefined],
    [{}, undefined],
    [{ AI_ANALYST: 'ENABLED' }, /AI_ANALYST is for the administrator's own detector only/],
    [{ RUNTIME_MONITORING: 'ENABLED', EKS_RUNTIME_MONITORING: 'ENABLED' }, /cannot both be set/],
    [{ S3_DATA_EVENTS: 'on' }, /S3_DATA_EVENTS must be ENABLED or DISABLED/],
    [{ S3_DATA_EVENTS: { status: 'ENABLED' } }, /S3_DATA_EVENTS must be ENABLED or DISABLED/],
    [{ RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { GPU: 'ENABLED' } } }, /GPU: not an agent/],
    [{ MACIE: 'ENABLED' }, /MACIE: not a feature/],
    [['S3_DATA_EVENTS'], /must be an object/],
  ])('%j → %s', (plans, problem) => {
    const found = protectionPlansProblem(plans);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  test("a request's features replace the profile's; naming one runtime feature drops the other", () => {
    expect(
      effectivePlans({ S3_DATA_EVENTS: 'ENABLED', RUNTIME_MONITORING: 'DISABLED' }, { EKS_RUNTIME_MONITORING: 'ENABLED', S3_DATA_EVENTS: 'DISABLED' }),
    ).toEqual({
      S3_DATA_EVENTS: 'DISABLED',
      EKS_RUNTIME_MONITORING: 'ENABLED',
    });
    expect(effectivePlans({ S3_DATA_EVENTS: 'ENABLED' }, null)).toEqual({ S3_DATA_EVENTS: 'ENABLED' });
  });

  test('CreateDetector names every member feature once, RUNTIME_MONITORING for the pair when neither is set, none the region lacks', () => {
    const names = (plans: object, region = 'us-east-1') => createDetectorFeatures(plans, region).map((f) => `${f.name}=${f.status}`);
    expect(names({})).toEqual(
      ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING', 'AI_PROTECTION'].map(
        (n) => `${n}=DISABLED`,
      ),
    );
    expect(names({ EKS_RUNTIME_MONITORING: 'ENABLED' })).toContain('EKS_RUNTIME_MONITORING=ENABLED');
    expect(names({ EKS_RUNTIME_MONITORING: 'ENABLED' })).not.toContain('RUNTIME_MONITORING=DISABLED');
    expect(names({ RDS_LOGIN_EVENTS: 'ENABLED' }, 'ap-east-2').join()).not.toContain('RDS_LOGIN_EVENTS');
  });
});

describe('each feature state in an outcome', () => {
  const wanted = wantedFeatures({
    S3_DATA_EVENTS: 'ENABLED',
    EBS_MALWARE_PROTECTION: 'DISABLED',
    RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { EKS_ADDON_MANAGEMENT: 'ENABLED' } },
  });

  test('as wanted: the status, no reason; runtime agents read back', () => {
    const current = [
      feature('S3_DATA_EVENTS', 'ENABLED'),
      feature('EBS_MALWARE_PROTECTION', 'DISABLED'),
      feature('RUNTIME_MONITORING', 'ENABLED', { AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }] }),
    ];
    expect(neededChanges(wanted, current, 'us-east-1')).toEqual([]);
    expect(planOutcomes(wanted, current, 'us-east-1')).toEqual([
      { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
      { name: 'EBS_MALWARE_PROTECTION', status: 'DISABLED' },
      { name: 'RUNTIME_MONITORING', status: 'ENABLED', additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' }] },
    ]);
  });

  test('different: only the differing features are sent, an agent difference included', () => {
    const current = [feature('S3_DATA_EVENTS', 'ENABLED'), feature('EBS_MALWARE_PROTECTION', 'ENABLED'), feature('RUNTIME_MONITORING', 'ENABLED')];
    expect(neededChanges(wanted, current, 'us-east-1')).toEqual([
      { Name: 'EBS_MALWARE_PROTECTION', Status: 'DISABLED' },
      { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }] },
    ]);
  });

  test('still different after the update: the status GuardDuty reports and why', () => {
    const [outcome] = planOutcomes(wanted.slice(0, 1), [feature('S3_DATA_EVENTS', 'DISABLED')], 'us-east-1');
    expect(outcome).toEqual({ name: 'S3_DATA_EVENTS', status: 'DISABLED', reason: 'the plans ask ENABLED; GuardDuty reports DISABLED' });
  });

  test('policy-managed: never sent, reported with ManagedBy and the wanted status', () => {
    const current = [feature('S3_DATA_EVENTS', 'ENABLED'), feature('EBS_MALWARE_PROTECTION', 'ENABLED', { ManagedBy: 'GUARDDUTY_POLICY' })];
    expect(neededChanges(wanted.slice(0, 2), current, 'us-east-1')).toEqual([]);
    expect(planOutcomes(wanted.slice(0, 2), current, 'us-east-1')[1]).toEqual({
      name: 'EBS_MALWARE_PROTECTION',
      status: 'ENABLED',
      reason: 'managed by an Organizations GuardDuty policy (ManagedBy GUARDDUTY_POLICY), read-only through the API; the plans ask DISABLED',
    });
  });

  test('unavailable: not in the read, or in the availability table, never sent and reported UNAVAILABLE', () => {
    expect(neededChanges(wanted.slice(0, 1), [], 'us-east-1')).toEqual([]);
    expect(planOutcomes(wanted.slice(0, 1), [], 'us-east-1')).toEqual([
      { name: 'S3_DATA_EVENTS', status: 'UNAVAILABLE', reason: 'GuardDuty does not offer S3_DATA_EVENTS in us-east-1' },
    ]);
    const rds = wantedFeatures({ RDS_LOGIN_EVENTS: 'ENABLED' });
    expect(neededChanges(rds, [feature('RDS_LOGIN_EVENTS', 'DISABLED')], 'ap-east-2')).toEqual([]);
    expect(planOutcomes(rds, [feature('RDS_LOGIN_EVENTS', 'DISABLED')], 'ap-east-2')[0].status).toBe('UNAVAILABLE');
  });
});

describe('applying plans to many accounts', () => {
  const ids = Array.from({ length: 120 }, (_, i) => String(700000000000 + i));
  let allOn: ReturnType<typeof MEMBERS_WITH>;
  beforeEach(() => {
    allOn = MEMBERS_WITH(['S3_DATA_EVENTS', 'ENABLED'], ['EBS_MALWARE_PROTECTION', 'ENABLED']);
  });
  function MEMBERS_WITH(...features: Array<[string, string]>) {
    const state = new Map<string, Map<string, string>>();
    return {
      state,
      reads: (input: GetMemberDetectorsRequest) => ({
        MemberDataSourceConfigurations: input.AccountIds!.map((id) => ({
          AccountId: id,
          DataSources: undefined,
          Features: [...(state.get(id) ?? new Map(features)).entries()].map(([Name, Status]) => ({ Name, Status })),
        })),
        UnprocessedAccounts: [],
      }),
      update: (input: UpdateMemberDetectorsRequest) => {
        for (const id of input.AccountIds!) {
          const current = state.get(id) ?? new Map(features);
          for (const f of input.Features ?? []) current.set(f.Name!, f.Status!);
          state.set(id, current);
        }
        return { UnprocessedAccounts: [] };
      },
    };
  }

  test('accounts needing the same change share UpdateMemberDetectors calls of 50: 120 accounts, 3 calls; reads 50 a call', async () => {
    gd.on(GetMemberDetectorsCommand).callsFake(allOn.reads as never);
    gd.on(UpdateMemberDetectorsCommand).callsFake(allOn.update as never);
    const wanted = wantedFeatures({ S3_DATA_EVENTS: 'ENABLED', EBS_MALWARE_PROTECTION: 'DISABLED' });
    const results = await applyPlans(
      client,
      where,
      ids.map((accountId) => ({ accountId, wanted })),
    );
    const updates = gd.commandCalls(UpdateMemberDetectorsCommand).map((c) => c.args[0].input);
    expect(updates.map((u) => u.AccountIds!.length)).toEqual([50, 50, 20]);
    expect(updates.every((u) => JSON.stringify(u.Features) === JSON.stringify([{ Name: 'EBS_MALWARE_PROTECTION', Status: 'DISABLED' }]))).toBe(true);
    expect(gd.commandCalls(GetMemberDetectorsCommand).map((c) => c.args[0].input.AccountIds!.length)).toEqual([50, 50, 20, 50, 50, 20]);
    expect(
      [...results.values()].every(
        (r) =>
          JSON.stringify(r) ===
          JSON.stringify([
            { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
            { name: 'EBS_MALWARE_PROTECTION', status: 'DISABLED' },
          ]),
      ),
    ).toBe(true);
    // Applied again: reads only.
    gd.resetHistory();
    await applyPlans(
      client,
      where,
      ids.map((accountId) => ({ accountId, wanted })),
    );
    expect(gd.commandCalls(UpdateMemberDetectorsCommand)).toHaveLength(0);
    expect(gd.commandCalls(GetMemberDetectorsCommand)).toHaveLength(3);
  });

  test('an account GuardDuty leaves unprocessed gets its own error; the others are applied', async () => {
    gd.on(GetMemberDetectorsCommand).callsFake(allOn.reads as never);
    gd.on(UpdateMemberDetectorsCommand).resolves({
      UnprocessedAccounts: [
        { AccountId: ids[1], Result: 'The request is rejected because the given account ID is not an associated member of account the current account.' },
      ],
    });
    const wanted = wantedFeatures({ EBS_MALWARE_PROTECTION: 'DISABLED' });
    const results = await applyPlans(
      client,
      where,
      ids.slice(0, 2).map((accountId) => ({ accountId, wanted })),
    );
    expect(results.get(ids[1])).toBeInstanceOf(EnrollmentError);
    expect((results.get(ids[1]) as EnrollmentError).message).toMatch(
      /UpdateMemberDetectors for member 700000000001 in us-east-1 was rejected by GuardDuty: .*not an associated member/,
    );
    expect(Array.isArray(results.get(ids[0]))).toBe(true);
  });

  test('a feature GuardDuty refuses as out of range in the region is reported with its message, not thrown', async () => {
    gd.on(GetMemberDetectorsCommand).callsFake(allOn.reads as never);
    gd.on(UpdateMemberDetectorsCommand).rejects(
      Object.assign(new Error('The request is rejected because an invalid or out-of-range value is specified as an input parameter.'), {
        name: 'BadRequestException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const results = await applyPlans(client, where, [{ accountId: ids[0], wanted: wantedFeatures({ EBS_MALWARE_PROTECTION: 'DISABLED' }) }]);
    expect(results.get(ids[0])).toEqual([
      { name: 'EBS_MALWARE_PROTECTION', status: 'ENABLED', reason: expect.stringMatching(/^GuardDuty refused it in us-east-1: .*out-of-range/) },
    ]);
  });
});

test('ApplyProtectionPlans: GetRemainingFreeTrialDays names the account (AccountIds is required) and its days join the outcome', async () => {
  gd.on(GetMemberDetectorsCommand).resolves({
    MemberDataSourceConfigurations: [{ AccountId: MEMBER, DataSources: undefined, Features: [feature('S3_DATA_EVENTS', 'ENABLED')] }],
    UnprocessedAccounts: [],
  });
  gd.on(GetRemainingFreeTrialDaysCommand).resolves({ Accounts: [{ AccountId: MEMBER, Features: [{ Name: 'S3_DATA_EVENTS', FreeTrialDaysRemaining: 12 }] }] });
  const state = {
    enrollmentId: 'e1',
    region: 'us-east-1',
    accountId: MEMBER,
    adminDetectorId: 'admindetector',
    relationshipStatus: 'Enabled',
    memberDetectorId: 'm1',
    protectionPlans: null,
  };
  const outcome = await applyRegionPlans(client, state, { adminAccountId: ADMIN, protectionPlans: { S3_DATA_EVENTS: 'ENABLED' } });
  expect(outcome).toEqual({
    region: 'us-east-1',
    outcome: 'ENABLED',
    relationshipStatus: 'Enabled',
    memberDetectorId: 'm1',
    error: null,
    protectionPlans: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }],
    freeTrial: [{ name: 'S3_DATA_EVENTS', daysRemaining: 12 }],
  });
  expect(gd.commandCalls(GetRemainingFreeTrialDaysCommand)[0].args[0].input).toEqual({ DetectorId: 'admindetector', AccountIds: [MEMBER] });
  expect(gd.commandCalls(UpdateMemberDetectorsCommand)).toHaveLength(0);
});
