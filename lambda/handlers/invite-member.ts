import type { Context } from 'aws-lambda';
import { inviteMember } from '../shared/admin-side';
import { adminGuardDutyClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import type { RegionState } from '../../contract/workflow-types';
import { validateRegionState } from '../shared/validation';

/**
 * InviteMember (administrator side): sends the administrator's invitation when the member needs
 * one (Created, Removed, Resigned) and reports the status GuardDuty moves it to.
 * Needs ADMIN_ACCOUNT_ID, DISABLE_EMAIL_NOTIFICATION, DEFAULT_INVITATION_MESSAGE.
 */
export async function handler(event: RegionState, context?: Context): Promise<RegionState> {
  setEnrollmentKeys({ enrollmentId: event?.enrollmentId, accountId: event?.accountId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const settings = getConfig(['adminAccountId', 'disableEmailNotification', 'defaultInvitationMessage']);
    const state = validateRegionState(event);
    return await inviteMember(adminGuardDutyClient(state.region), state, settings);
  } catch (error) {
    throw logFailure(error);
  }
}
