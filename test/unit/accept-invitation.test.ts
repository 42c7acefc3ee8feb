import './support/env';
import {
  AcceptAdministratorInvitationCommand,
  AcceptInvitationCommand,
  CreateDetectorCommand,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListInvitationsCommand,
  UpdateDetectorCommand,
} from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/handlers/accept-invitation';
import { ensureMemberDetector, roleSessionName } from '../../lambda/shared/member-side';
import { ADMIN, EXTERNAL_ID, FEATURES, MEMBER, OTHER_ADMIN, REGION } from './support/env';
import { MEMBER_DETECTOR, badRequest, guardDutyError, internalError, regionState, stsError, thrown } from './support/fixtures';
import { captureLogs } from './support/logs';

const gd = mockClient(GuardDutyClient);
const sts = mockClient(STSClient);

const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/GuardDutyEnrollmentMemberRole`;
const CREDENTIALS = {
  AccessKeyId: 'ASIAMEMBERKEY0000001',
  SecretAccessKey: 'member-secret-access-key-do-not-leak',
  SessionToken: 'member-session-token-do-not-leak',
  Expiration: new Date('2030-01-01T00:00:00Z'),
};
const ALREADY_EXISTS = 'The request is rejected because a detector already exists for the current account.';

function invitation(from: string, id: string, invitedAt = '2026-01-01T00:00:00.000Z') {
  return { AccountId: from, InvitationId: id, RelationshipStatus: 'Invited', InvitedAt: invitedAt };
}

function guardDutyCommands(): string[] {
  return gd.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));
}

beforeEach(() => {
  gd.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
  // A fresh member account: CreateDetector succeeds, the administrator's invitation is listed.
  gd.on(CreateDetectorCommand).resolves({ DetectorId: MEMBER_DETECTOR });
  gd.on(ListInvitationsCommand).resolves({ Invitations: [invitation(ADMIN, 'inv-admin')] });
  gd.on(AcceptAdministratorInvitationCommand).resolves({});
  gd.on(GetAdministratorAccountCommand).resolves({});
});

describe('AcceptInvitation: a fresh member account', () => {
  it('assumes the member role with the ExternalId, creates the detector as configured and accepts', async () => {
    const input = regionState({ relationshipStatus: 'Invited' });
    const state = await handler(input);

    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({
      RoleArn: ROLE_ARN,
      ExternalId: EXTERNAL_ID,
      RoleSessionName: 'gde-enr-0001',
      DurationSeconds: 900,
    });
    expect(gd.commandCalls(CreateDetectorCommand)[0]!.args[0].input).toEqual({
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: FEATURES,
    });
    expect(gd.commandCalls(AcceptAdministratorInvitationCommand)[0]!.args[0].input).toEqual({
      DetectorId: MEMBER_DETECTOR,
      AdministratorId: ADMIN,
      InvitationId: 'inv-admin',
    });
    expect(gd.commandCalls(AcceptInvitationCommand)).toHaveLength(0); // the deprecated operation
    expect(guardDutyCommands()).toEqual(['CreateDetector', 'ListInvitations', 'AcceptAdministratorInvitation']);
    // The administrator-side status is left as it was; VerifyMembership reads it again.
    expect(state).toEqual({ ...input, memberDetectorId: MEMBER_DETECTOR });
  });

  it("calls GuardDuty with the member role's credentials in the state's region", async () => {
    await handler(regionState({ region: 'ap-southeast-2' }));
    const client = gd.call(0).thisValue as GuardDutyClient;
    const credentials = await (client.config.credentials as () => Promise<{ accessKeyId: string }>)();
    expect(credentials.accessKeyId).toBe(CREDENTIALS.AccessKeyId);
    expect(await client.config.region()).toBe('ap-southeast-2');
  });

  it('returns no credentials in its state and logs none', async () => {
    const logs = captureLogs();
    let state: Awaited<ReturnType<typeof handler>>;
    try {
      state = await handler(regionState());
    } finally {
      logs.restore();
    }
    const out = JSON.stringify(state);
    for (const secret of [CREDENTIALS.AccessKeyId, CREDENTIALS.SecretAccessKey, CREDENTIALS.SessionToken]) {
      expect(out).not.toContain(secret);
      expect(logs.text()).not.toContain(secret);
    }
    expect(Object.keys(state!).sort()).toEqual(['accountId', 'adminDetectorId', 'enrollmentId', 'memberDetectorId', 'region', 'relationshipStatus'].sort());
    expect(logs.text()).not.toContain(EXTERNAL_ID);
    expect(logs.lines().some((l) => l.message === 'Accepted the administrator invitation' && l.accountId === MEMBER)).toBe(true);
  });

  it("names every member feature: the request's plans over the profile, the rest DISABLED, one runtime feature, none the region lacks", async () => {
    const features = async (region: string, requested: Record<string, unknown> | null) => {
      gd.resetHistory();
      const client = new GuardDutyClient({ region });
      const settings = {
        findingPublishingFrequency: 'SIX_HOURS' as const,
        protectionPlans: { S3_DATA_EVENTS: 'ENABLED' as const, RUNTIME_MONITORING: 'DISABLED' as const },
      };
      await ensureMemberDetector(client, { adminAccountId: ADMIN, accountId: MEMBER, region }, settings, requested as never);
      return gd
        .commandCalls(CreateDetectorCommand)[0]!
        .args[0].input.Features!.map(
          (f) => `${f.Name}=${f.Status}${f.AdditionalConfiguration ? `+${f.AdditionalConfiguration.map((a) => `${a.Name}=${a.Status}`).join('+')}` : ''}`,
        );
    };
    expect(await features(REGION, null)).toEqual(FEATURES.map((f) => `${f.Name}=${f.Status}`));
    // The request names the legacy runtime feature: the profile's RUNTIME_MONITORING is dropped, never both.
    expect(await features(REGION, { EKS_RUNTIME_MONITORING: 'ENABLED', S3_DATA_EVENTS: 'DISABLED' })).toEqual([
      'S3_DATA_EVENTS=DISABLED',
      'EKS_RUNTIME_MONITORING=ENABLED',
      'EKS_AUDIT_LOGS=DISABLED',
      'EBS_MALWARE_PROTECTION=DISABLED',
      'RDS_LOGIN_EVENTS=DISABLED',
      'LAMBDA_NETWORK_LOGS=DISABLED',
      'AI_PROTECTION=DISABLED',
    ]);
    expect(await features(REGION, { RUNTIME_MONITORING: { status: 'ENABLED', additionalConfiguration: { EC2_AGENT_MANAGEMENT: 'ENABLED' } } })).toContain(
      'RUNTIME_MONITORING=ENABLED+EC2_AGENT_MANAGEMENT=ENABLED',
    );
    // docs/aws-facts.md, protection plans: RDS Protection is not offered in ap-east-2, so it is not named there.
    expect(await features('ap-east-2', null)).not.toContain('RDS_LOGIN_EVENTS=DISABLED');
  });
});

describe('AcceptInvitation: an existing member detector', () => {
  beforeEach(() => {
    gd.on(CreateDetectorCommand).rejects(badRequest(ALREADY_EXISTS));
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['existingdetector'] });
  });

  it('uses an enabled detector as it is, without changing it', async () => {
    gd.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'x', FindingPublishingFrequency: 'SIX_HOURS' } as never);
    const state = await handler(regionState());
    expect(gd.commandCalls(UpdateDetectorCommand)).toHaveLength(0);
    expect(gd.commandCalls(GetDetectorCommand)[0]!.args[0].input).toEqual({ DetectorId: 'existingdetector' });
    expect(gd.commandCalls(AcceptAdministratorInvitationCommand)[0]!.args[0].input.DetectorId).toBe('existingdetector');
    expect(state.memberDetectorId).toBe('existingdetector');
  });

  it('re-enables a disabled detector and leaves its frequency and features alone', async () => {
    gd.on(GetDetectorCommand).resolves({ Status: 'DISABLED' } as never);
    const state = await handler(regionState());
    expect(gd.commandCalls(UpdateDetectorCommand).map((c) => c.args[0].input)).toEqual([{ DetectorId: 'existingdetector', Enable: true }]);
    expect(state.memberDetectorId).toBe('existingdetector');
  });
});

describe('AcceptInvitation: which invitation', () => {
  it("accepts only the administrator's invitation, ignoring another inviter's, across pages", async () => {
    gd.on(ListInvitationsCommand)
      .resolvesOnce({ Invitations: [invitation(OTHER_ADMIN, 'inv-other')], NextToken: 'page2' })
      .resolvesOnce({ Invitations: [invitation(ADMIN, 'inv-admin'), invitation(OTHER_ADMIN, 'inv-other-2')] });
    await handler(regionState());
    expect(gd.commandCalls(ListInvitationsCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 50, NextToken: undefined },
      { MaxResults: 50, NextToken: 'page2' },
    ]);
    const accepts = gd.commandCalls(AcceptAdministratorInvitationCommand);
    expect(accepts).toHaveLength(1);
    expect(accepts[0]!.args[0].input).toMatchObject({ AdministratorId: ADMIN, InvitationId: 'inv-admin' });
  });

  it("never accepts another inviter's invitation: with only that one it waits for the administrator's", async () => {
    gd.on(ListInvitationsCommand).resolves({ Invitations: [invitation(OTHER_ADMIN, 'inv-other')] });
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('InvitationNotYetVisible');
    expect(gd.commandCalls(AcceptAdministratorInvitationCommand)).toHaveLength(0);
  });

  it('throws InvitationNotYetVisible (retried) while the invitation is not listed yet', async () => {
    gd.on(ListInvitationsCommand).resolves({ Invitations: [] });
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('InvitationNotYetVisible');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(ADMIN);
    expect(error.message).toContain(REGION);
    expect(gd.commandCalls(GetAdministratorAccountCommand)[0]!.args[0].input).toEqual({ DetectorId: MEMBER_DETECTOR });
  });

  it('succeeds without accepting when the member already belongs to the administrator', async () => {
    gd.on(ListInvitationsCommand).resolves({ Invitations: [] });
    gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: ADMIN, InvitationId: 'inv-admin', RelationshipStatus: 'Enabled' } });
    const state = await handler(regionState());
    expect(gd.commandCalls(AcceptAdministratorInvitationCommand)).toHaveLength(0);
    expect(state.memberDetectorId).toBe(MEMBER_DETECTOR);
  });

  it('succeeds when the accept says "already a member" and the administrator is ours (a retried step)', async () => {
    gd.on(AcceptAdministratorInvitationCommand).rejects(
      badRequest('The current account cannot accept invitations because it is already a member of a master account.'),
    );
    gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: ADMIN } });
    const state = await handler(regionState());
    expect(state.memberDetectorId).toBe(MEMBER_DETECTOR);
  });
});

describe('AcceptInvitation: the member belongs elsewhere', () => {
  it('stops with MemberOfAnotherAdministrator naming it, when no invitation is listed', async () => {
    gd.on(ListInvitationsCommand).resolves({ Invitations: [] });
    gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: OTHER_ADMIN, RelationshipStatus: 'Enabled' } });
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('MemberOfAnotherAdministrator');
    expect(error.message).toContain(`administrator account ${OTHER_ADMIN}`);
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain('DisassociateFromAdministratorAccount');
    expect(gd.commandCalls(AcceptAdministratorInvitationCommand)).toHaveLength(0);
  });

  it.each([
    'The current account cannot accept invitations because it is already a member of a master account.',
    'The current account has no pending invitation from the specified master account ID or is already a member of another master account.',
  ])('stops with MemberOfAnotherAdministrator naming it, when the accept is refused: %s', async (message) => {
    gd.on(AcceptAdministratorInvitationCommand).rejects(badRequest(message));
    gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: OTHER_ADMIN } });
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('MemberOfAnotherAdministrator');
    expect(error.message).toContain(OTHER_ADMIN);
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it('stops with MemberIsAdministrator when the member has members of its own', async () => {
    gd.on(AcceptAdministratorInvitationCommand).rejects(
      badRequest('The current account cannot accept invitations because the account contains created, invited, or associated members.'),
    );
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('MemberIsAdministrator');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });
});

describe('AcceptInvitation: statuses', () => {
  it('re-enrolling an Enabled member calls nothing on the member side (not even AssumeRole)', async () => {
    const input = regionState({ relationshipStatus: 'Enabled', memberDetectorId: MEMBER_DETECTOR });
    const state = await handler(input);
    expect(sts.calls()).toHaveLength(0);
    expect(gd.calls()).toHaveLength(0);
    expect(state).toEqual(input);
  });

  it('for a Disabled member re-enables the detector and, already belonging to the administrator, accepts nothing', async () => {
    gd.on(CreateDetectorCommand).rejects(badRequest(ALREADY_EXISTS));
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [MEMBER_DETECTOR] });
    gd.on(GetDetectorCommand).resolves({ Status: 'DISABLED' } as never);
    gd.on(GetAdministratorAccountCommand).resolves({ Administrator: { AccountId: ADMIN } });
    const state = await handler(regionState({ relationshipStatus: 'Disabled' }));
    expect(guardDutyCommands()).toEqual(['CreateDetector', 'ListDetectors', 'GetDetector', 'UpdateDetector', 'GetAdministratorAccount']);
    expect(state.relationshipStatus).toBe('Disabled');
  });
});

describe('AcceptInvitation: the member role', () => {
  it.each([
    ['AccessDenied', 403],
    ['InvalidClientTokenId', 403],
    ['RegionDisabledException', 403],
  ])('stops with MemberRoleNotAssumable on STS %s, naming the role and what to deploy', async (name, status) => {
    sts
      .on(AssumeRoleCommand)
      .rejects(stsError(name, status, `User: arn:aws:sts::${ADMIN}:assumed-role/wf/fn is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`));
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('MemberRoleNotAssumable');
    expect(error.message).toContain(ROLE_ARN);
    expect(error.message).toContain(`account ${MEMBER}`);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain('member-role stack');
    expect(error.message).toContain('ExternalId');
    expect(error.message).not.toContain(EXTERNAL_ID);
    // The administrator invited it already: the outcome says what stays and the call that removes it.
    expect(error.message).toMatch(
      new RegExp(`Left behind: an Invited member and its pending invitation; DELETE /v1/enrollments/${MEMBER}\\?regions=${REGION} removes the member\\.$`),
    );
    expect(gd.calls()).toHaveLength(0);
  });

  it('stops with MemberRoleNotAssumable when STS returns no credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('MemberRoleNotAssumable');
  });

  it.each([
    ['Throttling', 400, 'Throttled'],
    ['InternalFailure', 500, 'ServiceUnavailable'],
  ])('reports STS %s as %s (retried), not as a role problem', async (name, status, expected) => {
    sts.on(AssumeRoleCommand).rejects(stsError(name, status));
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe(expected);
  });

  it('names the session after the enrollment, within STS limits', () => {
    expect(roleSessionName('abc 123/ü:x')).toBe('gde-abc-123---x');
    const long = roleSessionName('e'.repeat(100));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^gde-e+$/);
  });
});

describe('AcceptInvitation: the region is not enabled for the member', () => {
  it.each(['UnrecognizedClientException', 'InvalidClientTokenId'])('stops with RegionNotEnabled on a 403 %s', async (name) => {
    gd.on(CreateDetectorCommand).rejects(guardDutyError(name, 403, 'The security token included in the request is invalid.'));
    const error = await thrown(() => handler(regionState({ region: 'me-central-1' })));
    expect(error.name).toBe('RegionNotEnabled');
    expect(error.message).toContain('region me-central-1 is not enabled for account');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain('opt-in');
    expect(error.message).toContain(`DELETE /v1/enrollments/${MEMBER}?regions=me-central-1 removes the member`);
  });
});

describe('AcceptInvitation: GuardDuty failures', () => {
  it('turns a throttled ListInvitations into Throttled', async () => {
    gd.on(ListInvitationsCommand).rejects(guardDutyError('TooManyRequestsException', 429));
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('Throttled');
    expect(error.message).toContain('ListInvitations');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it('turns a 500 from CreateDetector into ServiceUnavailable', async () => {
    gd.on(CreateDetectorCommand).rejects(internalError());
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('ServiceUnavailable');
  });

  it('turns a throttled accept into Throttled', async () => {
    gd.on(AcceptAdministratorInvitationCommand).rejects(guardDutyError('ThrottlingException', 400));
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('Throttled');
  });

  it('explains a denied CreateDetector with the permissions the member role needs', async () => {
    gd.on(CreateDetectorCommand).rejects(guardDutyError('AccessDeniedException', 403, 'not authorized'));
    const error = await thrown(() => handler(regionState()));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain('iam:CreateServiceLinkedRole');
    expect(error.message).toContain(MEMBER);
  });
});
