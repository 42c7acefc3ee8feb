import type { Context } from 'aws-lambda';
import { removeMember } from '../shared/admin-side';
import { adminGuardDutyClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import type { OffboardState } from '../shared/types';
import { validateOffboardState } from '../shared/validation';

/**
 * RemoveMember (administrator side of offboarding): disassociates the account when it may still be
 * associated and deletes it from the administrator's members; an account that is no member is left
 * alone. Returns the state for LeaveAdministrator.
 * Needs ADMIN_ACCOUNT_ID.
 */
export async function handler(event: OffboardState, context?: Context): Promise<OffboardState> {
  setEnrollmentKeys({ enrollmentId: event?.enrollmentId, accountId: event?.accountId, region: event?.region, requestedBy: event?.request?.requestedBy });
  if (context) logger.addContext(context);
  try {
    const { adminAccountId } = getConfig(['adminAccountId']);
    const state = validateOffboardState(event, adminAccountId);
    return await removeMember(adminGuardDutyClient(state.region), state, adminAccountId);
  } catch (error) {
    throw logFailure(error);
  }
}
