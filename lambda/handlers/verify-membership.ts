import type { Context } from 'aws-lambda';
import { verifyMembership } from '../shared/admin-side';
import { adminGuardDutyClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import type { RegionOutcome, RegionState } from '../../contract/workflow-types';
import { validateRegionState } from '../shared/validation';

/**
 * VerifyMembership (administrator side): reads the member and reports the region ENABLED, or
 * throws why not (MembershipPending is retried by the state machine).
 * Needs ADMIN_ACCOUNT_ID.
 */
export async function handler(event: RegionState, context?: Context): Promise<RegionOutcome> {
  setEnrollmentKeys({ enrollmentId: event?.enrollmentId, accountId: event?.accountId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const { adminAccountId } = getConfig(['adminAccountId']);
    const state = validateRegionState(event);
    return await verifyMembership(adminGuardDutyClient(state.region), state, adminAccountId);
  } catch (error) {
    throw logFailure(error);
  }
}
