/**
 * The emulator's UpdateMemberDetectors, GetMemberDetectors and GetRemainingFreeTrialDays against the
 * JS SDK v3 and boto3: limits, UnprocessedAccounts, the runtime-monitoring rule, policy-managed features.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  CreateMembersCommand,
  GetMemberDetectorsCommand,
  GetRemainingFreeTrialDaysCommand,
  InviteMembersCommand,
  ListDetectorsCommand,
  ListInvitationsCommand,
  UpdateMemberDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { MEMBER_FEATURES } from '../../contract/protection-plans';
import { ADMIN, MEMBER, MEMBER_EMAIL, REGION, assumeMemberRole, boto3Environment, control, failure, guardDuty, useSeededEmulator } from './helpers';

const run = promisify(execFile);
const emulator = useSeededEmulator();
let adminDetectorId: string;

/** Makes MEMBER an Enabled member of ADMIN in REGION, its detector created with every feature off but S3. */
beforeEach(async () => {
  const admin = guardDuty(emulator.url);
  adminDetectorId = (await admin.send(new ListDetectorsCommand({}))).DetectorIds![0];
  await admin.send(new CreateMembersCommand({ DetectorId: adminDetectorId, AccountDetails: [{ AccountId: MEMBER, Email: MEMBER_EMAIL }] }));
  await admin.send(new InviteMembersCommand({ DetectorId: adminDetectorId, AccountIds: [MEMBER], DisableEmailNotification: true }));
  const member = guardDuty(emulator.url, await assumeMemberRole(emulator.url));
  const features = MEMBER_FEATURES.filter((name) => name !== 'EKS_RUNTIME_MONITORING').map((Name) => ({
    Name,
    Status: Name === 'S3_DATA_EVENTS' ? 'ENABLED' : 'DISABLED',
  }));
  const { DetectorId } = await member.send(new CreateDetectorCommand({ Enable: true, Features: features as never }));
  const { Invitations } = await member.send(new ListInvitationsCommand({}));
  await member.send(new AcceptAdministratorInvitationCommand({ DetectorId, AdministratorId: ADMIN, InvitationId: Invitations![0].InvitationId }));
});

test('GetMemberDetectors reports every member feature of the region (AI_PROTECTION included) and DataSources; a non-member is unprocessed', async () => {
  const answer = await guardDuty(emulator.url).send(new GetMemberDetectorsCommand({ DetectorId: adminDetectorId, AccountIds: [MEMBER, '999999999999'] }));
  const [member] = answer.MemberDataSourceConfigurations!;
  expect(member.AccountId).toBe(MEMBER);
  expect(member.DataSources).toMatchObject({ CloudTrail: { Status: 'ENABLED' }, S3Logs: { Status: 'ENABLED' } });
  expect(member.Features!.map((f) => f.Name)).toEqual([...MEMBER_FEATURES]);
  expect(member.Features!.find((f) => f.Name === 'AI_PROTECTION')).toMatchObject({ Status: 'DISABLED', UpdatedAt: expect.any(Date) });
  expect(answer.UnprocessedAccounts).toEqual([
    { AccountId: '999999999999', Result: 'The request is rejected because the given account ID is not a member of the current account.' },
  ]);
});

test('UpdateMemberDetectors changes the member, with runtime agents, and answers UnprocessedAccounts for a non-member', async () => {
  const admin = guardDuty(emulator.url);
  const answer = await admin.send(
    new UpdateMemberDetectorsCommand({
      DetectorId: adminDetectorId,
      AccountIds: [MEMBER, '999999999999'],
      Features: [
        { Name: 'AI_PROTECTION', Status: 'ENABLED' },
        { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' }] },
      ],
    }),
  );
  expect(answer.UnprocessedAccounts).toEqual([
    { AccountId: '999999999999', Result: 'The request is rejected because the given account ID is not a member of the current account.' },
  ]);
  const read = await admin.send(new GetMemberDetectorsCommand({ DetectorId: adminDetectorId, AccountIds: [MEMBER] }));
  const features = read.MemberDataSourceConfigurations![0].Features!;
  expect(features.find((f) => f.Name === 'AI_PROTECTION')?.Status).toBe('ENABLED');
  expect(features.find((f) => f.Name === 'RUNTIME_MONITORING')).toMatchObject({
    Status: 'ENABLED',
    AdditionalConfiguration: [{ Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' }],
  });
});

test.each([
  [
    '51 accounts',
    { AccountIds: Array.from({ length: 51 }, (_, i) => String(800000000000 + i)) },
    /length provided for the accountIds array was 51. Max allowed length is 50/,
  ],
  ['no accounts', { AccountIds: [] }, /Min allowed length is 1/],
  [
    'both runtime features',
    {
      AccountIds: [MEMBER],
      Features: [
        { Name: 'RUNTIME_MONITORING', Status: 'ENABLED' },
        { Name: 'EKS_RUNTIME_MONITORING', Status: 'ENABLED' },
      ],
    },
    /EKS_RUNTIME_MONITORING and RUNTIME_MONITORING cannot be specified/,
  ],
  ['AI_ANALYST (not an OrgFeature)', { AccountIds: [MEMBER], Features: [{ Name: 'AI_ANALYST', Status: 'ENABLED' }] }, /invalid or out-of-range value/],
])('UpdateMemberDetectors refuses %s with a 400', async (_label, input, message) => {
  const error = await failure(guardDuty(emulator.url).send(new UpdateMemberDetectorsCommand({ DetectorId: adminDetectorId, ...(input as object) } as never)));
  expect(error).toMatchObject({ name: 'BadRequestException', status: 400, message: expect.stringMatching(message) });
});

test('a feature marked policy-managed reads ManagedBy GUARDDUTY_POLICY and cannot be changed: the member is unprocessed', async () => {
  const marked = await control(emulator.url, 'POST', '/_emulator/detector-features', {
    accountId: MEMBER,
    region: REGION,
    policyManaged: ['EBS_MALWARE_PROTECTION'],
  });
  expect(marked.status).toBe(200);
  const admin = guardDuty(emulator.url);
  const read = await admin.send(new GetMemberDetectorsCommand({ DetectorId: adminDetectorId, AccountIds: [MEMBER] }));
  expect(read.MemberDataSourceConfigurations![0].Features!.find((f) => f.Name === 'EBS_MALWARE_PROTECTION')).toMatchObject({ ManagedBy: 'GUARDDUTY_POLICY' });
  const answer = await admin.send(
    new UpdateMemberDetectorsCommand({ DetectorId: adminDetectorId, AccountIds: [MEMBER], Features: [{ Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' }] }),
  );
  expect(answer.UnprocessedAccounts).toEqual([{ AccountId: MEMBER, Result: expect.stringContaining('managed by a GuardDuty policy') }]);
  expect(
    await control(emulator.url, 'POST', '/_emulator/detector-features', { accountId: MEMBER, region: REGION, policyManaged: ['AI_ANALYST'] }),
  ).toMatchObject({ status: 400 });
});

test('GetRemainingFreeTrialDays requires AccountIds and reports the enabled features of a member', async () => {
  const admin = guardDuty(emulator.url);
  expect(await failure(admin.send(new GetRemainingFreeTrialDaysCommand({ DetectorId: adminDetectorId } as never)))).toMatchObject({ status: 400 });
  const answer = await admin.send(new GetRemainingFreeTrialDaysCommand({ DetectorId: adminDetectorId, AccountIds: [MEMBER] }));
  expect(answer.Accounts).toEqual([
    {
      AccountId: MEMBER,
      Features: expect.arrayContaining([
        { Name: 'S3_DATA_EVENTS', FreeTrialDaysRemaining: 30 },
        { Name: 'CLOUD_TRAIL', FreeTrialDaysRemaining: 30 },
      ]),
    },
  ]);
  expect(answer.Accounts![0].Features!.map((f) => f.Name)).not.toContain('EBS_MALWARE_PROTECTION');
});

test('boto3 parses every answer of the three operations', async () => {
  const script = `
import json, boto3
gd = boto3.client('guardduty', region_name='${REGION}')
d = '${adminDetectorId}'
out = {}
out['update'] = gd.update_member_detectors(DetectorId=d, AccountIds=['${MEMBER}'], Features=[{'Name': 'AI_PROTECTION', 'Status': 'ENABLED'}])['UnprocessedAccounts']
members = gd.get_member_detectors(DetectorId=d, AccountIds=['${MEMBER}'])['MemberDataSourceConfigurations']
out['features'] = {f['Name']: f['Status'] for f in members[0]['Features']}
out['updatedAtType'] = type(members[0]['Features'][0]['UpdatedAt']).__name__
out['trial'] = gd.get_remaining_free_trial_days(DetectorId=d, AccountIds=['${MEMBER}'])['Accounts'][0]['Features']
print(json.dumps(out))
`;
  const { stdout } = await run('python3', ['-c', script], { env: boto3Environment(emulator.url), timeout: 30000 });
  const out = JSON.parse(stdout) as {
    update: unknown[];
    features: Record<string, string>;
    updatedAtType: string;
    trial: Array<{ Name: string; FreeTrialDaysRemaining: number }>;
  };
  expect(out.update).toEqual([]);
  expect(out.features).toMatchObject({ S3_DATA_EVENTS: 'ENABLED', AI_PROTECTION: 'ENABLED', EBS_MALWARE_PROTECTION: 'DISABLED' });
  expect(out.updatedAtType).toBe('datetime');
  expect(out.trial).toContainEqual({ Name: 'AI_PROTECTION', FreeTrialDaysRemaining: 30 });
});
