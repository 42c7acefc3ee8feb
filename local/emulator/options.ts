/** Options for {@link startEmulator} and their defaults. */

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
  /** Role seeded into accounts added through the control API. */
  defaultMemberRole?: DefaultMemberRole;
  /** How long an invitation takes to become visible to the member (and email verification to finish); default 0. */
  invitationDelayMs?: number;
}

/** {@link EmulatorOptions} with every default filled in. */
export type ResolvedOptions = Required<EmulatorOptions>;

/** Default values, exported so tests and the local runner can refer to them. */
export const DEFAULT_OPTIONS: ResolvedOptions = {
  port: 0,
  host: '127.0.0.1',
  administratorAccountId: '111111111111',
  defaultMemberRole: { name: 'GuardDutyEnrollmentMember', externalId: 'guardduty-enrollment' },
  invitationDelayMs: 0,
};

/** Fills in defaults; `undefined` fields fall back, other values are kept as given. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  return {
    port: options.port ?? DEFAULT_OPTIONS.port,
    host: options.host ?? DEFAULT_OPTIONS.host,
    administratorAccountId: options.administratorAccountId ?? DEFAULT_OPTIONS.administratorAccountId,
    defaultMemberRole: { ...(options.defaultMemberRole ?? DEFAULT_OPTIONS.defaultMemberRole) },
    invitationDelayMs: options.invitationDelayMs ?? DEFAULT_OPTIONS.invitationDelayMs,
  };
}
