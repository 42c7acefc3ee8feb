import type { Context } from 'aws-lambda';
import { ensureMember } from '../shared/admin-side';
import { adminGuardDutyClient, organizationsClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import type { RegionInput, RegionState } from '../../contract/workflow-types';
import { validateRegionInput } from '../shared/validation';

/**
 * CreateMember (administrator side): validates the request, then makes sure the account is a
 * member of the administrator's detector in the region. The email is used here and not carried on.
 * Needs ADMIN_ACCOUNT_ID; CHECK_EMAIL_WITH_ORGANIZATIONS (default true: the email is checked with Organizations).
 */
export async function handler(event: RegionInput, context?: Context): Promise<RegionState> {
  setEnrollmentKeys({
    enrollmentId: event?.enrollmentId,
    accountId: event?.request?.accountId,
    region: event?.region,
    requestedBy: event?.request?.requestedBy,
  });
  if (context) logger.addContext(context);
  try {
    const { adminAccountId, checkEmailWithOrganizations } = getConfig(['adminAccountId', 'checkEmailWithOrganizations']);
    const request = validateRegionInput(event, adminAccountId);
    const membership = await ensureMember(
      adminGuardDutyClient(request.region),
      request,
      adminAccountId,
      checkEmailWithOrganizations ? organizationsClient() : undefined,
    );
    return {
      enrollmentId: request.enrollmentId,
      region: request.region,
      accountId: request.accountId,
      ...(request.invitationMessage !== undefined ? { invitationMessage: request.invitationMessage } : {}),
      adminDetectorId: membership.adminDetectorId,
      relationshipStatus: membership.relationshipStatus,
      memberDetectorId: membership.memberDetectorId,
      protectionPlans: request.protectionPlans,
    };
  } catch (error) {
    throw logFailure(error);
  }
}
