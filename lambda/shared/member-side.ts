import { createDetectorFeatures, effectivePlans } from '../../contract/protection-plans';
import type { ProtectionPlans } from '../../contract/protection-plans';
import {
  AcceptAdministratorInvitationCommand,
  CreateDetectorCommand,
  DeleteDetectorCommand,
  DisassociateFromAdministratorAccountCommand,
  GetAdministratorAccountCommand,
  GetDetectorCommand,
  ListDetectorsCommand,
  ListInvitationsCommand,
  UpdateDetectorCommand,
} from '@aws-sdk/client-guardduty';
import type { GuardDutyClient, Invitation } from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandOutput, STSClient } from '@aws-sdk/client-sts';
import type { MemberCredentials } from './clients';
import type { EnrollmentConfig } from './config';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';
import { compactAwsText, shortened } from './error-size';
import { EnrollmentError, awsErrorNameOf, awsMessageOf, callAws, classifyAwsError, isEnrollmentError } from './errors';
import type { CallContext } from './errors';
import { GuardDutyMessages } from './guardduty-messages';
import { logger } from './logger';
import { hasAccepted, toKnownStatus } from './relationship-status';
import { nextState } from './region-state';
import type { OffboardState, RegionOutcome, RegionState } from '../../contract/workflow-types';

/** The clients the member side needs: STS (Lambda role) and a way to build the member's GuardDuty client. */
export interface MemberSideClients {
  sts: STSClient;
  /** Builds a GuardDuty client for the state's region from the member credentials (clients.ts). */
  memberGuardDuty: (credentials: MemberCredentials) => GuardDutyClient;
}

/** AcceptInvitation's settings (from the Lambda configuration). */
export type MemberSideSettings = Pick<
  EnrollmentConfig,
  'adminAccountId' | 'partition' | 'memberRoleName' | 'externalId' | 'findingPublishingFrequency' | 'protectionPlans'
>;

interface MemberWhere {
  adminAccountId: string;
  accountId: string;
  region: string;
}

function ctxFor(where: MemberWhere, operation: string, accessHint?: string): CallContext {
  return { accountId: where.accountId, region: where.region, operation, side: 'member', accessHint };
}

/** The member role's ARN in the account. */
export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * The AssumeRole session name for an enrollment: 'gde-' + the enrollment id, with characters STS
 * does not allow replaced and cut to STS's 64 (docs/aws-facts.md, 4.6: RoleSessionName 2..64 of [\w+=,.@-]).
 * It shows in the member account's CloudTrail, tying its events to the enrollment.
 */
export function roleSessionName(enrollmentId: string): string {
  return `gde-${String(enrollmentId).replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

/**
 * Assumes the member role. The credentials are returned to the caller only, never logged.
 * @throws EnrollmentError MemberRoleNotAssumable; Throttled or ServiceUnavailable when STS itself
 *   is throttling or failing (retrying may help, so they are not reported as a role problem).
 */
export async function assumeMemberRole(
  sts: STSClient,
  where: MemberWhere,
  settings: Pick<MemberSideSettings, 'partition' | 'memberRoleName' | 'externalId'>,
  enrollmentId: string,
): Promise<MemberCredentials> {
  const roleArn = memberRoleArn(settings.partition, where.accountId, settings.memberRoleName);
  const notAssumable = (why: string, cause?: unknown): EnrollmentError =>
    new EnrollmentError(
      TerminalErrors.MemberRoleNotAssumable,
      // The ExternalId is not a secret, but it is kept out of messages anyway.
      // STS's reason compacted and kept short, so that the advice fits the message's bound (error-size.ts).
      `cannot assume role ${roleArn} in account ${where.accountId} (for region ${where.region}): ${shortened(compactAwsText(why), 160)}; ` +
        `deploy the member-role stack in account ${where.accountId} and check that its ExternalId matches this deployment's`,
      { cause },
    );

  let response: AssumeRoleCommandOutput;
  try {
    response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        ExternalId: settings.externalId,
        RoleSessionName: roleSessionName(enrollmentId),
        // docs/aws-facts.md, 4.6: 900 s is the minimum; a few GuardDuty calls need far less.
        DurationSeconds: 900,
      }),
    );
  } catch (error) {
    const classified = classifyAwsError(error, ctxFor(where, 'AssumeRole'));
    if (isEnrollmentError(classified, TransientErrors.Throttled) || isEnrollmentError(classified, TransientErrors.ServiceUnavailable)) {
      throw classified;
    }
    throw notAssumable(`${awsErrorNameOf(error) || 'Error'}: ${awsMessageOf(error) || 'no message'}`, error);
  }
  const c = response.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw notAssumable('STS returned no credentials');
  }
  logger.info('Assumed the member role', { roleArn });
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/**
 * Makes sure the member has an enabled detector in the region and returns its id. CreateDetector
 * comes first: for a fresh account it is the only call needed. It names every member feature: the
 * effective protection plans and the rest DISABLED, since GuardDuty enables each feature a
 * CreateDetector leaves out (docs/aws-facts.md, GuardDuty protection plans: defaults), so no trial starts before the
 * administrator applies the plans.
 */
export async function ensureMemberDetector(
  guardDuty: GuardDutyClient,
  where: MemberWhere,
  settings: Pick<MemberSideSettings, 'findingPublishingFrequency' | 'protectionPlans'>,
  requested: ProtectionPlans | null | undefined = null,
): Promise<string> {
  const features = createDetectorFeatures(effectivePlans(settings.protectionPlans, requested), where.region);
  try {
    const { DetectorId } = await guardDuty.send(
      new CreateDetectorCommand({
        Enable: true,
        FindingPublishingFrequency: settings.findingPublishingFrequency,
        Features: features.map((f) => ({
          Name: f.name,
          Status: f.status,
          ...(f.additionalConfiguration.length > 0
            ? { AdditionalConfiguration: f.additionalConfiguration.map((a) => ({ Name: a.name, Status: a.status })) }
            : {}),
        })),
      }),
    );
    if (DetectorId) {
      logger.info('Created the member detector', {
        memberDetectorId: DetectorId,
        findingPublishingFrequency: settings.findingPublishingFrequency,
        features: features.map((f) => `${f.name}=${f.status}`),
      });
      return DetectorId;
    }
  } catch (error) {
    // docs/aws-facts.md, 4.4: "...a detector already exists for the current account." Matched on the text, not
    // the error name: an old doc lists the case as LimitExceededException, current ones as BadRequest.
    if (!GuardDutyMessages.detectorAlreadyExists.test(awsMessageOf(error))) {
      throw classifyAwsError(
        error,
        ctxFor(
          where,
          'CreateDetector',
          // docs/aws-facts.md, pain point 9: the first detector creates GuardDuty's service-linked role.
          'the member role needs guardduty:CreateDetector and iam:CreateServiceLinkedRole',
        ),
      );
    }
  }

  // One detector per account per region (docs/aws-facts.md, 4.1), so the first page holds it.
  const { DetectorIds } = await callAws(ctxFor(where, 'ListDetectors'), () => guardDuty.send(new ListDetectorsCommand({ MaxResults: 50 })));
  const detectorId = DetectorIds?.[0];
  if (!detectorId) {
    throw new EnrollmentError(
      TerminalErrors.RequestRejected,
      `GuardDuty neither created nor listed a detector for account ${where.accountId} in ${where.region}; check the account's GuardDuty console and enroll again`,
    );
  }
  const { Status } = await callAws(ctxFor(where, 'GetDetector'), () => guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId })));
  if (Status === 'DISABLED') {
    // Only re-enabled: an existing detector's publishing frequency and features are the member's
    // own choice, so the configured ones apply to detectors this workflow creates and no others.
    logger.info('The member detector exists but is disabled; enabling it', { memberDetectorId: detectorId });
    await callAws(ctxFor(where, 'UpdateDetector'), () => guardDuty.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: true })));
  } else {
    logger.info('The member detector exists and is enabled', { memberDetectorId: detectorId });
  }
  return detectorId;
}

/** The latest invitation from `inviterId`, reading every page (docs/aws-facts.md, 4.1: MaxResults 1..50). */
async function findInvitationFrom(guardDuty: GuardDutyClient, where: MemberWhere, inviterId: string): Promise<Invitation | undefined> {
  const fromInviter: Invitation[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws(ctxFor(where, 'ListInvitations'), () => guardDuty.send(new ListInvitationsCommand({ MaxResults: 50, NextToken: nextToken })));
    // docs/aws-facts.md, 4.2: ListInvitations returns every inviter's invitations; only the administrator's counts.
    fromInviter.push(...(page.Invitations ?? []).filter((i) => i.AccountId === inviterId));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return fromInviter.sort((a, b) => (b.InvitedAt ?? '').localeCompare(a.InvitedAt ?? ''))[0];
}

/**
 * The account id of the member's current administrator, or undefined when it has none.
 * docs/aws-facts.md, 4.2: GetAdministratorAccount answers 200 with no content for an administrator or standalone account.
 */
async function currentAdministrator(guardDuty: GuardDutyClient, where: MemberWhere, detectorId: string): Promise<string | undefined> {
  const { Administrator } = await callAws(ctxFor(where, 'GetAdministratorAccount'), () =>
    guardDuty.send(new GetAdministratorAccountCommand({ DetectorId: detectorId })),
  );
  // Assumption: an Administrator entry means the association exists; its own RelationshipStatus is
  // not consulted (the administrator side's status is what VerifyMembership checks).
  return Administrator?.AccountId || undefined;
}

function memberOfAnother(where: MemberWhere, otherAdministrator: string | undefined, guardDutySays?: string): EnrollmentError {
  const who = otherAdministrator ? `administrator account ${otherAdministrator}` : 'another administrator account';
  return new EnrollmentError(
    TerminalErrors.MemberOfAnotherAdministrator,
    `account ${where.accountId} is already a GuardDuty member of ${who} in ${where.region}${guardDutySays ? ` (GuardDuty: ${guardDutySays})` : ''}; ` +
      `it must leave that administrator (DisassociateFromAdministratorAccount) before it can join ${where.adminAccountId}`,
  );
}

/** Throws unless the member's current administrator is ours; returns true when it is. */
async function isMemberOfOurs(guardDuty: GuardDutyClient, where: MemberWhere, detectorId: string): Promise<boolean> {
  const administrator = await currentAdministrator(guardDuty, where, detectorId);
  if (administrator === undefined) return false;
  if (administrator === where.adminAccountId) return true;
  throw memberOfAnother(where, administrator);
}

/**
 * Accepts the administrator's invitation with the member's detector. An invitation from any other
 * inviter is never accepted (docs/aws-facts.md, 4.2).
 * @throws EnrollmentError InvitationNotYetVisible (transient, docs/aws-facts.md, pain point 2),
 *   MemberOfAnotherAdministrator, MemberIsAdministrator, or a classified SDK error.
 */
export async function acceptAdministratorInvitation(
  guardDuty: GuardDutyClient,
  where: MemberWhere,
  detectorId: string,
  adminStatus: string | null,
): Promise<void> {
  const status = toKnownStatus(adminStatus);
  if (status && hasAccepted(status) && (await isMemberOfOurs(guardDuty, where, detectorId))) {
    // The administrator already sees an accepted member (e.g. Disabled): do not accept twice.
    logger.info('The member already belongs to the administrator; nothing to accept', { relationshipStatus: status });
    return;
  }

  const invitation = await findInvitationFrom(guardDuty, where, where.adminAccountId);
  if (!invitation?.InvitationId) {
    if (await isMemberOfOurs(guardDuty, where, detectorId)) {
      logger.info('No pending invitation: the member already belongs to the administrator');
      return;
    }
    // docs/aws-facts.md, pain point 2: an invitation can take seconds to become visible to the member.
    throw new EnrollmentError(
      TransientErrors.InvitationNotYetVisible,
      `account ${where.accountId} sees no invitation from administrator ${where.adminAccountId} in ${where.region} yet; the workflow looks again a bounded number of times; as the final outcome it means the invitation never arrived: enroll again later`,
    );
  }

  try {
    await guardDuty.send(
      new AcceptAdministratorInvitationCommand({
        DetectorId: detectorId,
        AdministratorId: where.adminAccountId,
        InvitationId: invitation.InvitationId,
      }),
    );
    logger.info('Accepted the administrator invitation', { invitationId: invitation.InvitationId });
  } catch (error) {
    const text = awsMessageOf(error);
    // docs/aws-facts.md, 4.4: the accept refusals that have their own error names.
    if (GuardDutyMessages.memberHasMembers.test(text)) {
      throw new EnrollmentError(
        TerminalErrors.MemberIsAdministrator,
        `account ${where.accountId} is itself a GuardDuty administrator in ${where.region} (it has created, invited or associated members; GuardDuty: ${text}); ` +
          'remove its members before it can join another administrator',
        { cause: error },
      );
    }
    if (GuardDutyMessages.memberOfAnAdministrator.test(text) || GuardDutyMessages.noInvitation.test(text)) {
      // Ask who the administrator is: it may be ours already (a retried step) or another one to name.
      const administrator = await currentAdministrator(guardDuty, where, detectorId);
      if (administrator === where.adminAccountId) {
        logger.info('The invitation was already accepted', { invitationId: invitation.InvitationId });
        return;
      }
      if (administrator !== undefined || GuardDutyMessages.memberOfAnAdministrator.test(text)) {
        throw memberOfAnother(where, administrator, text);
      }
      // Assumption: "no invitation" right after ListInvitations showed one is the same eventual
      // consistency as an invitation not yet listed (docs/aws-facts.md, pain point 2), so it is retried.
      throw new EnrollmentError(
        TransientErrors.InvitationNotYetVisible,
        `account ${where.accountId} could not yet accept the invitation from administrator ${where.adminAccountId} in ${where.region} (GuardDuty: ${text}); the workflow tries again a bounded number of times; as the final outcome it means it never could: enroll again later`,
        { cause: error },
      );
    }
    throw classifyAwsError(error, ctxFor(where, 'AcceptAdministratorInvitation'));
  }
}

/**
 * AcceptInvitation's domain (member side): assumes the member role, makes sure the member has an
 * enabled detector, and accepts the administrator's invitation. The member credentials live only
 * inside this call; the returned state carries the member's detector id and nothing else new.
 */
export async function joinAdministrator(clients: MemberSideClients, state: RegionState, settings: MemberSideSettings): Promise<RegionState> {
  const where: MemberWhere = { adminAccountId: settings.adminAccountId, accountId: state.accountId, region: state.region };

  if (toKnownStatus(state.relationshipStatus) === 'Enabled') {
    // docs/aws-facts.md, 4.3: Enabled means the member accepted and its detector is enabled: the member side is
    // done, so re-enrolling calls nothing there (and does not need the member role at all).
    logger.info('The member is already Enabled; nothing to do on the member side');
    return nextState(state, {});
  }

  const credentials = await assumeMemberRole(clients.sts, where, settings, state.enrollmentId);
  const guardDuty = clients.memberGuardDuty(credentials);
  try {
    const memberDetectorId = await ensureMemberDetector(guardDuty, where, settings, state.protectionPlans);
    await acceptAdministratorInvitation(guardDuty, where, memberDetectorId, state.relationshipStatus);
    // relationshipStatus stays as it is: it is the administrator side's view, read again by VerifyMembership.
    return nextState(state, { memberDetectorId });
  } finally {
    guardDuty.destroy();
  }
}

/** LeaveAdministrator's settings (from the Lambda configuration). */
export type LeaveSettings = Pick<MemberSideSettings, 'adminAccountId' | 'partition' | 'memberRoleName' | 'externalId'>;

/**
 * LeaveAdministrator's domain (member side of offboarding; runs after RemoveMember): assumes the
 * member role; when the member's current administrator is ours it disassociates from it
 * (DisassociateFromAdministratorAccount; docs/aws-facts.md, 4.4 "not associated" counts as done); with no or
 * another administrator it changes nothing. With `deleteDetector` it then deletes the member's
 * detector, unless the member belongs to another administrator: that detector is not ours to delete.
 * Every failure says that the administrator side is already done, so the caller knows what is left.
 * @returns the region OFFBOARDED, with the member detector that keeps running (null when none or deleted).
 * @throws EnrollmentError MemberRoleNotAssumable, MemberOfAnotherAdministrator (deleteDetector only),
 *   AccessDenied (a member role deployed before offboarding existed), or a classified SDK error.
 */
export async function leaveAdministrator(clients: MemberSideClients, state: OffboardState, settings: LeaveSettings): Promise<RegionOutcome> {
  const where: MemberWhere = { adminAccountId: settings.adminAccountId, accountId: state.accountId, region: state.region };
  const outcome = (memberDetectorId: string | null): RegionOutcome => ({
    region: state.region,
    outcome: 'OFFBOARDED',
    relationshipStatus: state.relationshipStatus,
    memberDetectorId,
    error: null,
  });
  try {
    const credentials = await assumeMemberRole(clients.sts, where, settings, state.enrollmentId);
    const guardDuty = clients.memberGuardDuty(credentials);
    try {
      // One detector per account per region (docs/aws-facts.md, 4.1), so the first page holds it.
      const { DetectorIds } = await callAws(ctxFor(where, 'ListDetectors'), () => guardDuty.send(new ListDetectorsCommand({ MaxResults: 50 })));
      const detectorId = DetectorIds?.[0];
      if (!detectorId) {
        // No detector, no association (accepting needs one): nothing to leave, nothing to delete.
        logger.info('The member has no detector in the region; nothing to leave');
        return outcome(null);
      }
      const administrator = await currentAdministrator(guardDuty, where, detectorId);
      if (administrator === where.adminAccountId) {
        try {
          await guardDuty.send(new DisassociateFromAdministratorAccountCommand({ DetectorId: detectorId }));
          logger.info('Disassociated the member from the administrator', { memberDetectorId: detectorId });
        } catch (error) {
          if (!GuardDutyMessages.notAssociatedWithAdministrator.test(awsMessageOf(error))) {
            throw classifyAwsError(error, ctxFor(where, 'DisassociateFromAdministratorAccount', UPDATE_MEMBER_ROLE));
          }
          logger.info('GuardDuty says the member is no longer associated; nothing to leave');
        }
      } else if (administrator !== undefined) {
        if (state.deleteDetector) {
          throw new EnrollmentError(
            TerminalErrors.MemberOfAnotherAdministrator,
            `account ${where.accountId} is a GuardDuty member of administrator account ${administrator} in ${where.region}, not of ${where.adminAccountId}; ` +
              'its detector was kept (deleteDetector applies only to members of this administrator)',
          );
        }
        logger.info('The member belongs to another administrator; left as it is', { administrator });
      } else {
        logger.info('The member has no administrator; nothing to leave');
      }
      if (!state.deleteDetector) return outcome(detectorId);
      await callAws(ctxFor(where, 'DeleteDetector', UPDATE_MEMBER_ROLE), () => guardDuty.send(new DeleteDetectorCommand({ DetectorId: detectorId })));
      logger.info('Deleted the member detector', { memberDetectorId: detectorId });
      return outcome(null);
    } finally {
      guardDuty.destroy();
    }
  } catch (error) {
    if (isEnrollmentError(error, TerminalErrors.RegionNotEnabled)) {
      // docs/aws-facts.md, pain point 3: the region is not enabled for the member, so it has no GuardDuty there.
      logger.info('The region is not enabled for the member account; nothing to leave', { reason: error.message });
      return outcome(null);
    }
    if (error instanceof EnrollmentError) {
      const adminSide = state.relationshipStatus === null ? 'was not a member of' : 'was removed from';
      throw new EnrollmentError(
        error.name,
        `administrator side done (account ${where.accountId} ${adminSide} administrator ${where.adminAccountId} in ${where.region}); member side not done: ${error.message}`,
        { cause: error.cause ?? error },
      );
    }
    throw error;
  }
}

/** What an AccessDenied on the offboarding calls means: the member role predates offboarding. */
const UPDATE_MEMBER_ROLE =
  'the member role needs guardduty:DisassociateFromAdministratorAccount and guardduty:DeleteDetector: redeploy the member-role stack in that account';
