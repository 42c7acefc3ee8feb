import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  CreateMembersCommand,
  DeleteDetectorCommand,
  DeleteMembersCommand,
  DisassociateFromAdministratorAccountCommand,
  DisassociateMembersCommand,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  GetMemberDetectorsCommand,
  GetMembersCommand,
  GetRemainingFreeTrialDaysCommand,
  GuardDutyClient,
  InviteMembersCommand,
  ListDetectorsCommand,
  ListInvitationsCommand,
  UpdateDetectorCommand,
  UpdateMemberDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import type { CreateDetectorRequest, UpdateMemberDetectorsRequest } from '@aws-sdk/client-guardduty';
import { MEMBER_FEATURES } from '../../contract/protection-plans';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

export const ADMIN_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';
const MEMBER_KEY = 'ASIAMEMBERKEY';

/** What one region looks like at the start of a scenario. */
export interface RegionSetup {
  /** The administrator has a detector here. @default true */
  adminDetector?: boolean;
  /** The member's relationship as the administrator sees it. @default absent */
  memberStatus?: string;
  /** The member's own detector. @default none */
  memberDetector?: 'ENABLED' | 'DISABLED';
  /** ListInvitations calls that answer empty before the invitation shows. @default 0 */
  invisibleListings?: number;
  /** Member features GuardDuty does not offer here (GetMemberDetectors leaves them out). @default none */
  unavailableFeatures?: string[];
  /** The existing member detector's features. @default every member feature ENABLED */
  memberFeatures?: Record<string, string>;
}

interface RegionModel {
  adminDetectorId?: string;
  status?: string;
  memberDetector?: { id: string; status: 'ENABLED' | 'DISABLED' };
  invisibleListings: number;
  invited: boolean;
  /** The member detector's features: what CreateDetector named, or all ENABLED for a detector the member already had. */
  features: Map<string, string>;
  unavailableFeatures: string[];
  /**
   * After DisassociateMembers the member still sees the administrator until it disassociates
   * itself (the API reference does not say it stops seeing it, so the mocks take the harder case).
   */
  memberStillLinked?: boolean;
}

/**
 * Mocked GuardDuty and STS clients (aws-sdk-client-mock) backed by a small per-region model of
 * one administrator and one member, enough for the workflow's paths. The administrator's calls use
 * the Lambda's credentials; the member's use the AssumeRole credentials, which tells them apart.
 */
export class GuardDutyMocks {
  readonly guardDuty = mockClient(GuardDutyClient);
  readonly sts = mockClient(STSClient);
  readonly regions = new Map<string, RegionModel>();
  /** Every GuardDuty call: operation, region and side. */
  readonly calls: { operation: string; region: string; side: 'admin' | 'member' }[] = [];

  constructor(setup: Record<string, RegionSetup>) {
    for (const [region, s] of Object.entries(setup)) {
      this.regions.set(region, {
        adminDetectorId: s.adminDetector === false ? undefined : `admin${region.replace(/-/g, '')}`,
        status: s.memberStatus,
        memberDetector: s.memberDetector ? { id: `member${region.replace(/-/g, '')}`, status: s.memberDetector } : undefined,
        invisibleListings: s.invisibleListings ?? 0,
        invited: s.memberStatus === 'Invited',
        features: new Map(s.memberDetector ? MEMBER_FEATURES.map((name) => [name, s.memberFeatures?.[name] ?? 'ENABLED']) : []),
        unavailableFeatures: s.unavailableFeatures ?? [],
      });
    }
    this.sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: MEMBER_KEY, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 900_000) },
    });
    this.install();
  }

  restore(): void {
    this.guardDuty.restore();
    this.sts.restore();
  }

  /** The operations called, in order, optionally for one region. */
  operations(region?: string): string[] {
    return this.calls.filter((c) => !region || c.region === region).map((c) => c.operation);
  }

  private on<I = Record<string, unknown>>(command: new (input: never) => object, fake: (input: I, region: string, model: RegionModel) => object): void {
    const badRequest = (message: string) => Object.assign(new Error(message), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    const name = command.name.replace(/Command$/, '');
    this.guardDuty.on(command as never).callsFake(async (input: I, getClient: () => unknown) => {
      const client = getClient() as GuardDutyClient;
      const region = await client.config.region();
      const credentials = await client.config.credentials();
      const side = credentials.accessKeyId === MEMBER_KEY ? 'member' : 'admin';
      this.calls.push({ operation: name, region, side });
      const model = this.regions.get(region);
      if (!model) throw new Error(`test set no model for region ${region}`);
      // Administrator calls name the administrator's detector; a stale id is refused (docs/aws-facts.md, 4.4).
      const detectorId = (input as { DetectorId?: string }).DetectorId;
      if (side === 'admin' && detectorId !== undefined && detectorId !== model.adminDetectorId) {
        throw badRequest('The request is rejected because the input detectorId is not owned by the current account.');
      }
      return fake(input, region, model);
    });
  }

  private install(): void {
    const badRequest = (message: string) => Object.assign(new Error(message), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    const notMember = {
      UnprocessedAccounts: [
        {
          AccountId: MEMBER_ACCOUNT,
          Result: 'The request is rejected because the given account ID is not an associated member of account the current account.',
        },
      ],
    };
    this.on(ListDetectorsCommand, (_input, _region, m) => ({
      DetectorIds: this.lastSide() === 'member' ? (m.memberDetector ? [m.memberDetector.id] : []) : m.adminDetectorId ? [m.adminDetectorId] : [],
    }));
    this.on(GetMembersCommand, (_input, _region, m) =>
      m.status
        ? {
            Members: [
              {
                AccountId: MEMBER_ACCOUNT,
                Email: 'member@example.com',
                RelationshipStatus: m.status,
                DetectorId: m.memberDetector?.id,
                MasterId: ADMIN_ACCOUNT,
              },
            ],
            UnprocessedAccounts: [],
          }
        : { Members: [], ...notMember },
    );
    this.on(CreateMembersCommand, (_input, _region, m) => {
      m.status = 'Created';
      return { UnprocessedAccounts: [] };
    });
    this.on(InviteMembersCommand, (_input, _region, m) => {
      m.status = 'Invited';
      m.invited = true;
      return { UnprocessedAccounts: [] };
    });
    this.on<CreateDetectorRequest>(CreateDetectorCommand, (input, region, m) => {
      if (m.memberDetector) throw badRequest('The request is rejected because a detector already exists for the current account.');
      m.memberDetector = { id: `member${region.replace(/-/g, '')}`, status: 'ENABLED' };
      // docs/aws-facts.md, protection plans: a feature CreateDetector leaves out is enabled, except runtime monitoring (as the emulator, both runtime forms).
      const byDefault = (name: string) => (name.endsWith('RUNTIME_MONITORING') ? 'DISABLED' : 'ENABLED');
      m.features = new Map(MEMBER_FEATURES.map((name) => [name, input.Features?.find((f) => f.Name === name)?.Status ?? byDefault(name)]));
      return { DetectorId: m.memberDetector.id };
    });
    this.on(GetDetectorCommand, (_input, _region, m) => ({ Status: m.memberDetector?.status }));
    this.on(UpdateDetectorCommand, (_input, _region, m) => {
      if (m.memberDetector) m.memberDetector.status = 'ENABLED';
      if (m.status === 'Disabled') m.status = 'Enabled';
      return {};
    });
    this.on(ListInvitationsCommand, (_input, _region, m) => {
      if (!m.invited || m.status === 'Enabled') return { Invitations: [] };
      if (m.invisibleListings > 0) {
        m.invisibleListings -= 1;
        return { Invitations: [] };
      }
      return { Invitations: [{ AccountId: ADMIN_ACCOUNT, InvitationId: 'inv-1', RelationshipStatus: 'Invited', InvitedAt: '2026-11-23T00:00:00Z' }] };
    });
    this.on(GetAdministratorAccountCommand, (_input, _region, m) =>
      m.status === 'Enabled' || m.status === 'Disabled' || m.memberStillLinked
        ? { Administrator: { AccountId: ADMIN_ACCOUNT, RelationshipStatus: 'Enabled', InvitationId: 'inv-1' } }
        : {},
    );
    this.on(DisassociateMembersCommand, (_input, _region, m) => {
      if (m.status === 'Enabled' || m.status === 'Disabled') m.memberStillLinked = true;
      if (m.status && !['Created', 'Removed', 'Resigned'].includes(m.status)) m.status = 'Removed';
      m.invited = false;
      return { UnprocessedAccounts: [] };
    });
    this.on(DeleteMembersCommand, (_input, _region, m) => {
      if (!m.status) return notMember;
      if (m.status === 'Enabled' || m.status === 'Disabled') {
        return {
          UnprocessedAccounts: [
            {
              AccountId: MEMBER_ACCOUNT,
              Result: 'The request is rejected because the current account cannot delete the specified member account ID because it is still associated to it.',
            },
          ],
        };
      }
      m.status = undefined;
      return { UnprocessedAccounts: [] };
    });
    this.on(DisassociateFromAdministratorAccountCommand, (_input, _region, m) => {
      if (!m.memberStillLinked && m.status !== 'Enabled' && m.status !== 'Disabled')
        throw badRequest('The current account is not associated with a master account.');
      m.memberStillLinked = false;
      if (m.status === 'Enabled' || m.status === 'Disabled') m.status = 'Resigned';
      return {};
    });
    this.on(DeleteDetectorCommand, (_input, _region, m) => {
      m.memberDetector = undefined;
      m.memberStillLinked = false;
      if (m.status === 'Enabled' || m.status === 'Disabled') m.status = 'Removed';
      return {};
    });
    const features = (m: RegionModel) =>
      MEMBER_FEATURES.filter((name) => !m.unavailableFeatures.includes(name)).map((name) => ({ Name: name, Status: m.features.get(name) ?? 'DISABLED' }));
    this.on(GetMemberDetectorsCommand, (_input, _region, m) =>
      m.status === 'Enabled'
        ? { MemberDataSourceConfigurations: [{ AccountId: MEMBER_ACCOUNT, DataSources: {}, Features: features(m) }], UnprocessedAccounts: [] }
        : { MemberDataSourceConfigurations: [], ...notMember },
    );
    this.on<UpdateMemberDetectorsRequest>(UpdateMemberDetectorsCommand, (input, _region, m) => {
      if (m.status !== 'Enabled') return notMember;
      for (const feature of input.Features ?? []) m.features.set(feature.Name as string, feature.Status as string);
      return { UnprocessedAccounts: [] };
    });
    this.on(GetRemainingFreeTrialDaysCommand, (_input, _region, m) => ({
      Accounts: [
        {
          AccountId: MEMBER_ACCOUNT,
          Features: features(m)
            .filter((f) => f.Status === 'ENABLED')
            .map((f) => ({ Name: f.Name, FreeTrialDaysRemaining: 30 })),
        },
      ],
      UnprocessedAccounts: [],
    }));
    this.on(AcceptAdministratorInvitationCommand, (_input, _region, m) => {
      m.status = m.memberDetector?.status === 'DISABLED' ? 'Disabled' : 'Enabled';
      return {};
    });
  }

  private lastSide(): 'admin' | 'member' {
    return this.calls[this.calls.length - 1].side;
  }
}

/** GuardDuty operations that change something. */
export const MUTATING_OPERATIONS = [
  'CreateMembers',
  'InviteMembers',
  'DeleteMembers',
  'CreateDetector',
  'UpdateDetector',
  'AcceptAdministratorInvitation',
  'AcceptInvitation',
  'DisassociateMembers',
  'DisassociateFromAdministratorAccount',
  'DeleteDetector',
  'UpdateMemberDetectors',
];
