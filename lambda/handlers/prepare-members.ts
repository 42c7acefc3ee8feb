import type { Context } from 'aws-lambda';
import { prepareMembers } from '../shared/batch-part';
import { adminGuardDutyClient, organizationsClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import type { BatchPartInput, PreparedPart } from '../../contract/workflow-types';
import { validateBatchPart } from '../shared/validation';

/**
 * PrepareMembers (administrator side of a batch part): validates each account, makes the members
 * and invites them, with one GuardDuty call per 50 accounts for each operation. Accounts already
 * Enabled, or stopped by their own problem, are finished here; the rest go on to AcceptInvitation.
 * Needs ADMIN_ACCOUNT_ID, DISABLE_EMAIL_NOTIFICATION, DEFAULT_INVITATION_MESSAGE; CHECK_EMAIL_WITH_ORGANIZATIONS (default true).
 */
export async function handler(event: BatchPartInput, context?: Context): Promise<PreparedPart> {
  setEnrollmentKeys({ enrollmentId: event?.batchId, region: event?.region, requestedBy: event?.requestedBy });
  if (context) logger.addContext(context);
  try {
    const settings = getConfig(['adminAccountId', 'disableEmailNotification', 'defaultInvitationMessage', 'checkEmailWithOrganizations']);
    const part = validateBatchPart(event);
    return await prepareMembers(adminGuardDutyClient(part.region), part, settings, settings.checkEmailWithOrganizations ? organizationsClient() : undefined);
  } catch (error) {
    throw logFailure(error);
  }
}
