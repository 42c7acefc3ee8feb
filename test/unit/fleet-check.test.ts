import './support/env';
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetMemberDetectorsCommand, GuardDutyClient, ListDetectorsCommand, ListMembersCommand } from '@aws-sdk/client-guardduty';
import type { Member } from '@aws-sdk/client-guardduty';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { EMPTY_ROSTER, FLEET_DRIFT_DETAIL_TYPE, rosterStatus } from '../../contract/fleet-check';
import type { DriftedAccount, FleetRoster } from '../../contract/fleet-check';
import { STEP_FUNCTIONS_LIMITS } from '../../contract/step-functions-limits';
import { GUARDDUTY_REGIONS } from '../../contract/guardduty-regions';
import { adminDetectorCache } from '../../lambda/shared/admin-detector';
import { classifyMember } from '../../lambda/shared/fleet-classify';
import { checkPart, repairBatchId } from '../../lambda/shared/fleet-part';
import { applyRequest, readRoster, requestOf } from '../../lambda/shared/fleet-roster';
import { outcomesOf } from '../../lambda/shared/outcome-metrics';
import { ADMIN, FEATURES, PLANS } from './support/env';

const REGION = 'us-east-1';
const NOW = Date.parse('2026-12-02T12:00:00Z');
const HOUR = 3_600_000;

function roster(entries: Array<[string, 'enroll' | 'offboard', string[]]>): FleetRoster {
  const r: FleetRoster = { ...EMPTY_ROSTER, regions: [], enrolled: {}, offboarded: {} };
  for (const [accountId, act, regions] of entries) applyRequest(r, { act, accountIds: [accountId], regions });
  return r;
}

const member = (accountId: string, status: string, extra: Partial<Member> = {}): Member =>
  ({
    AccountId: accountId,
    RelationshipStatus: status,
    Email: `root+${accountId}@example.com`,
    UpdatedAt: new Date(NOW - HOUR).toISOString(),
    ...extra,
  }) as Member;

describe('classifyMember', () => {
  const managed = roster([['222222222222', 'enroll', [REGION]]]);
  const context = { roster: managed, region: REGION, now: NOW, invitedLimitMs: 24 * HOUR };

  it.each(['Resigned', 'Removed', 'Disabled', 'EmailVerificationFailed'])('calls a managed %s member DRIFTED with that reason', (status) => {
    expect(classifyMember(member('222222222222', status), context)).toEqual({ status: 'DRIFTED', reason: status });
  });

  it('keeps an invitation PENDING within the bound and calls it drifted past it (invitedAt, else updatedAt)', () => {
    expect(classifyMember(member('222222222222', 'Invited', { InvitedAt: new Date(NOW - 23 * HOUR).toISOString() }), context)).toEqual({ status: 'PENDING' });
    expect(classifyMember(member('222222222222', 'Invited', { InvitedAt: new Date(NOW - 25 * HOUR).toISOString() }), context)).toEqual({
      status: 'DRIFTED',
      reason: 'InvitationNotAccepted',
    });
    expect(classifyMember(member('222222222222', 'Created', { UpdatedAt: new Date(NOW - 48 * HOUR).toISOString() }), context)).toEqual({
      status: 'DRIFTED',
      reason: 'InvitationNotAccepted',
    });
  });

  it('calls a status it does not know drift it cannot name, and any member this deployment did not enroll UNMANAGED', () => {
    expect(classifyMember(member('222222222222', 'Paused'), context)).toEqual({ status: 'DRIFTED', reason: 'UnknownRelationshipStatus' });
    expect(classifyMember(member('999999999999', 'Resigned'), context)).toEqual({ status: 'UNMANAGED' });
    expect(classifyMember(member('222222222222', 'Resigned'), { ...context, region: 'eu-west-1' })).toEqual({ status: 'UNMANAGED' });
  });
});

describe('the roster', () => {
  it("follows each account-region's latest request: an offboarding after an enrollment makes it offboarded, enrolling again managed", () => {
    const r = roster([
      ['222222222222', 'enroll', ['us-east-1', 'eu-west-1']],
      ['222222222222', 'offboard', ['eu-west-1']],
    ]);
    expect(rosterStatus(r, '222222222222', 'us-east-1')).toBe('enrolled');
    expect(rosterStatus(r, '222222222222', 'eu-west-1')).toBe('offboarded');
    applyRequest(r, { act: 'enroll', accountIds: ['222222222222'], regions: ['eu-west-1'] });
    expect(rosterStatus(r, '222222222222', 'eu-west-1')).toBe('enrolled');
    expect(rosterStatus(r, '333333333333', 'eu-west-1')).toBe('unknown');
  });

  it('reads single, batch and offboarding inputs, with the default regions when none are named', () => {
    expect(requestOf({ accountId: '222222222222', email: 'a@example.com' }, ['us-east-1'])).toEqual({
      act: 'enroll',
      accountIds: ['222222222222'],
      regions: ['us-east-1'],
    });
    expect(requestOf({ action: 'offboard', accountId: '222222222222', deleteDetector: false, regions: ['eu-west-1'] }, ['us-east-1'])).toEqual({
      act: 'offboard',
      accountIds: ['222222222222'],
      regions: ['eu-west-1'],
    });
    expect(
      requestOf(
        {
          action: 'batch',
          accounts: [
            { accountId: '1', email: 'x' },
            { accountId: '2', email: 'y' },
          ],
          invitationMessage: null,
        },
        ['us-east-1'],
      ),
    ).toEqual({ act: 'enroll', accountIds: ['1', '2'], regions: ['us-east-1'] });
    expect(requestOf({ nonsense: true }, ['us-east-1'])).toBeUndefined();
  });

  it('starts from the last successful check and reads only the executions started after it, oldest first', async () => {
    const sfn = mockClient(SFNClient);
    const fleet = 'arn:aws:states:us-east-1:111111111111:stateMachine:Fleet';
    const enrollment = 'arn:aws:states:us-east-1:111111111111:stateMachine:Enroll';
    const previous = roster([['222222222222', 'enroll', ['us-east-1']]]);
    previous.asOf = NOW - 10 * HOUR;
    sfn.on(ListExecutionsCommand, { stateMachineArn: fleet }).resolves({
      executions: [{ executionArn: `${fleet}:last`, stateMachineArn: fleet, name: 'last', status: 'SUCCEEDED', startDate: new Date(NOW - 10 * HOUR) }],
    });
    sfn.on(DescribeExecutionCommand, { executionArn: `${fleet}:last` }).resolves({ output: JSON.stringify({ roster: previous }) } as never);
    const executions = [
      { name: 'offboard', at: NOW - HOUR, input: { action: 'offboard', accountId: '222222222222', deleteDetector: false } },
      { name: 'enroll', at: NOW - 2 * HOUR, input: { accountId: '333333333333', email: 'b@example.com' } },
      { name: 'old', at: NOW - 11 * HOUR, input: { accountId: '444444444444', email: 'c@example.com' } },
    ];
    sfn.on(ListExecutionsCommand, { stateMachineArn: enrollment }).resolves({
      executions: executions.map((e) => ({
        executionArn: `${enrollment}:${e.name}`,
        stateMachineArn: enrollment,
        name: e.name,
        status: 'SUCCEEDED',
        startDate: new Date(e.at),
      })),
    });
    for (const e of executions)
      sfn.on(DescribeExecutionCommand, { executionArn: `${enrollment}:${e.name}` }).resolves({ input: JSON.stringify(e.input) } as never);
    const read = await readRoster(sfn as unknown as SFNClient, {
      fleetStateMachineArn: fleet,
      enrollmentStateMachineArn: enrollment,
      defaultRegions: ['us-east-1'],
      now: NOW,
    });
    expect(rosterStatus(read, '222222222222', 'us-east-1')).toBe('offboarded');
    expect(rosterStatus(read, '333333333333', 'us-east-1')).toBe('enrolled');
    expect(rosterStatus(read, '444444444444', 'us-east-1')).toBe('unknown');
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([
      `${fleet}:last`,
      `${enrollment}:enroll`,
      `${enrollment}:offboard`,
    ]);
    expect(read.asOf).toBe(NOW - 5 * 60 * 1000);
  });

  it('holds 5,000 accounts enrolled in every GuardDuty region in under 60% of a 256 KiB state', () => {
    const r: FleetRoster = { asOf: NOW, regions: [], enrolled: {}, offboarded: {} };
    const ids = Array.from({ length: 5000 }, (_, i) => String(700_000_000_000 + i));
    applyRequest(r, { act: 'enroll', accountIds: ids, regions: GUARDDUTY_REGIONS.slice(0, 40) });
    expect(r.regions).toHaveLength(GUARDDUTY_REGIONS.slice(0, 40).length);
    expect(rosterStatus(r, ids[4999], GUARDDUTY_REGIONS[38])).toBe('enrolled');
    expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThan(STEP_FUNCTIONS_LIMITS.payloadBytes * 0.6);
  });
});

describe('checkPart (CheckMembers)', () => {
  const gd = mockClient(GuardDutyClient);
  const eb = mockClient(EventBridgeClient);
  beforeEach(() => {
    gd.reset();
    eb.reset();
    adminDetectorCache.clear();
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['admindetector'] });
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  });
  const settings = { adminAccountId: ADMIN, protectionPlans: PLANS as never, invitedLimitHours: 24, eventBusName: 'bus', now: NOW };
  const managedIds = Array.from({ length: 60 }, (_, i) => String(500_000_000_000 + i));
  const input = (mode: 'report' | 'repair') => ({
    checkId: 'check-1',
    region: REGION,
    part: `${REGION}-0`,
    nextToken: null,
    mode,
    roster: roster(managedIds.map((id) => [id, 'enroll', [REGION]] as [string, 'enroll', string[]])),
  });

  function fleetOf(members: Member[]) {
    gd.on(ListMembersCommand, { NextToken: undefined }).resolves({ Members: members.slice(0, 50), NextToken: members.length > 50 ? 'page2' : undefined });
    gd.on(ListMembersCommand, { NextToken: 'page2' }).resolves({ Members: members.slice(50) });
  }

  it('lists every page of 50, reads the plans of the managed Enabled members only, and puts one event per drift, 10 a call', async () => {
    const members = [...managedIds.map((id, i) => member(id, i < 12 ? 'Resigned' : 'Enabled')), member('999999999999', 'Resigned')];
    fleetOf(members);
    gd.on(GetMemberDetectorsCommand).callsFake((req: { AccountIds: string[] }) => ({
      MemberDataSourceConfigurations: req.AccountIds.map((AccountId) => ({
        AccountId,
        Features: AccountId === managedIds[20] ? FEATURES.map((f) => (f.Name === 'S3_DATA_EVENTS' ? { ...f, Status: 'DISABLED' } : f)) : FEATURES,
      })),
    }));
    const checked = await checkPart(
      { guardDuty: gd as unknown as GuardDutyClient, eventBridge: eb as unknown as EventBridgeClient },
      input('report'),
      settings,
    );
    expect(gd.commandCalls(ListMembersCommand).map((c) => c.args[0].input)).toEqual([
      { DetectorId: 'admindetector', OnlyAssociated: 'false', MaxResults: 50, NextToken: undefined },
      { DetectorId: 'admindetector', OnlyAssociated: 'false', MaxResults: 50, NextToken: 'page2' },
    ]);
    expect(gd.commandCalls(GetMemberDetectorsCommand).map((c) => c.args[0].input.AccountIds!.length)).toEqual([48]);
    expect(checked.counts).toEqual({ members: 61, enabled: 47, pending: 0, drifted: 13, unmanaged: 1 });
    expect(checked.drifted.find((d) => d.accountId === managedIds[20])).toEqual({
      accountId: managedIds[20],
      reason: 'PlansDiffer',
      relationshipStatus: 'Enabled',
      action: 'REPORTED',
    });
    expect(checked.repairs).toEqual([]);
    expect(checked.nextToken).toBeNull();
    const entries = eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(entries).toHaveLength(13);
    expect(entries[0]).toMatchObject({ EventBusName: 'bus', DetailType: FLEET_DRIFT_DETAIL_TYPE });
    expect(JSON.parse(entries[0].Detail!)).toEqual({
      checkId: 'check-1',
      region: REGION,
      accountId: managedIds[0],
      reason: 'Resigned',
      relationshipStatus: 'Resigned',
      action: 'REPORTED',
    });
  });

  it('in repair mode names the drifted managed accounts with their emails for one batch, never the unmanaged', async () => {
    fleetOf([member(managedIds[0], 'Disabled'), member('999999999999', 'Resigned')]);
    const checked = await checkPart(
      { guardDuty: gd as unknown as GuardDutyClient, eventBridge: eb as unknown as EventBridgeClient },
      input('repair'),
      settings,
    );
    const batchId = repairBatchId('check-1', `${REGION}-0`);
    expect(checked.repairs).toEqual([{ accountId: managedIds[0], email: `root+${managedIds[0]}@example.com` }]);
    expect(checked.repairBatchId).toBe(batchId);
    expect(checked.drifted).toEqual([
      { accountId: managedIds[0], reason: 'Disabled', relationshipStatus: 'Disabled', action: 'REENROLLED', repairBatchId: batchId },
    ]);
    expect(batchId).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
  });

  it("hands back the token when the part's 20 pages are read and more remain", async () => {
    gd.on(ListMembersCommand).resolves({ Members: [], NextToken: 'more' });
    const checked = await checkPart(
      { guardDuty: gd as unknown as GuardDutyClient, eventBridge: eb as unknown as EventBridgeClient },
      input('report'),
      settings,
    );
    expect(gd.commandCalls(ListMembersCommand)).toHaveLength(20);
    expect(checked.nextToken).toBe('more');
  });

  it("keeps a part of 1,000 drifted accounts' output far under 256 KiB", () => {
    const drifted: DriftedAccount[] = Array.from({ length: 1000 }, (_, i) => ({
      accountId: String(700_000_000_000 + i),
      reason: 'UnknownRelationshipStatus',
      relationshipStatus: 'EmailVerificationInProgress',
      action: 'REENROLLED',
      repairBatchId: repairBatchId('0123456789abcdef0123456789abcdef0123', 'ap-southeast-7-99'),
    }));
    expect(Buffer.byteLength(JSON.stringify({ drifted }))).toBeLessThan(STEP_FUNCTIONS_LIMITS.payloadBytes * 0.75);
  });
});

describe('outcomesOf (EnrollmentOutcomes metrics)', () => {
  it("reads an enrollment's regions from its output, a failed one's from its cause, and a batch part's accounts with the part's region", () => {
    expect(outcomesOf({ status: 'SUCCEEDED', output: JSON.stringify({ regions: [{ region: 'us-east-1', outcome: 'ENABLED', error: null }] }) })).toEqual([
      { region: 'us-east-1', outcome: 'ENABLED', errorCode: 'None' },
    ]);
    expect(
      outcomesOf({
        status: 'FAILED',
        cause: JSON.stringify({ regions: [{ region: 'eu-west-1', outcome: 'FAILED', error: { code: 'MemberRoleNotAssumable' } }] }),
      }),
    ).toEqual([{ region: 'eu-west-1', outcome: 'FAILED', errorCode: 'MemberRoleNotAssumable' }]);
    expect(
      outcomesOf({
        status: 'SUCCEEDED',
        output: JSON.stringify({ region: 'us-east-1', accounts: [{ outcome: 'ENABLED' }, { outcome: 'FAILED', error: { code: 'EmailMismatch' } }] }),
      }),
    ).toHaveLength(2);
    expect(outcomesOf({ status: 'SUCCEEDED', output: JSON.stringify({ batchId: 'b', parts: [] }) })).toEqual([]);
    expect(outcomesOf({ status: 'FAILED', cause: 'not json' })).toEqual([]);
  });
});
