/** Options for {@link startEmulator} and their defaults. */
import type { RoleTemplate } from '../iam/types';
import { ACCOUNT_ID_PLACEHOLDER } from '../iam/types';

/** The role every seeded account gets unless the control API says otherwise. */
export interface DefaultMemberRole {
  name: string;
  externalId: string;
}

/** Options accepted by `startEmulator`. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** The account whose principals the seeded member roles trust; default `111111111111`. */
  administratorAccountId?: string;
  /** Name and ExternalId of the member role `{name, externalId}` shorthands default to. */
  defaultMemberRole?: DefaultMemberRole;
  /**
   * The role, with its trust and permission policies, every account added through the control API
   * gets unless told otherwise (local mode passes the member-role stack's). @default
   * {@link standaloneMemberRole} of `defaultMemberRole`
   */
  memberRoleTemplate?: RoleTemplate;
  /** How long an invitation takes to become visible to the member (and email verification to finish); default 0. */
  invitationDelayMs?: number;
}

/**
 * The standalone emulator's member role: it trusts the administrator account with the ExternalId
 * and may do anything in GuardDuty, as the GuardDuty Signup's CrossAccountManageGuardDutyRole
 * (AmazonGuardDutyFullAccess) does, plus creating GuardDuty's service-linked roles (docs/aws-facts.md, pain
 * point 9). Local mode replaces it with the member-role stack's own role.
 */
export function standaloneMemberRole(administratorAccountId: string, role: DefaultMemberRole): RoleTemplate {
  return {
    roleName: role.name,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${administratorAccountId}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': role.externalId } },
        },
      ],
    },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'guardduty:*', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 'iam:CreateServiceLinkedRole',
            Resource: `arn:aws:iam::${ACCOUNT_ID_PLACEHOLDER}:role/aws-service-role/*guardduty.amazonaws.com/*`,
          },
        ],
      },
    ],
  };
}

/** {@link EmulatorOptions} with every default filled in. */
export type ResolvedOptions = Required<EmulatorOptions>;

/** Default values, exported so tests and the local runner can refer to them. */
export const DEFAULT_OPTIONS: ResolvedOptions = {
  port: 0,
  host: '127.0.0.1',
  administratorAccountId: '111111111111',
  defaultMemberRole: { name: 'GuardDutyEnrollmentMember', externalId: 'guardduty-enrollment' },
  memberRoleTemplate: standaloneMemberRole('111111111111', { name: 'GuardDutyEnrollmentMember', externalId: 'guardduty-enrollment' }),
  invitationDelayMs: 0,
};

/** Fills in defaults; `undefined` fields fall back, other values are kept as given. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const administratorAccountId = options.administratorAccountId ?? DEFAULT_OPTIONS.administratorAccountId;
  const defaultMemberRole = { ...(options.defaultMemberRole ?? DEFAULT_OPTIONS.defaultMemberRole) };
  return {
    port: options.port ?? DEFAULT_OPTIONS.port,
    host: options.host ?? DEFAULT_OPTIONS.host,
    administratorAccountId,
    defaultMemberRole,
    memberRoleTemplate: options.memberRoleTemplate ?? standaloneMemberRole(administratorAccountId, defaultMemberRole),
    invitationDelayMs: options.invitationDelayMs ?? DEFAULT_OPTIONS.invitationDelayMs,
  };
}
