import type { Context } from 'aws-lambda';
import { adminGuardDutyClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import { applyRegionPlans } from '../shared/protection-plans';
import type { RegionOutcome, RegionState } from '../../contract/workflow-types';
import { validateRegionState } from '../shared/validation';

/**
 * The state ApplyProtectionPlans receives: the region's state, with VerifyMembership's result under
 * `verified` when the membership was just made (an account already Enabled comes from CreateMember).
 */
export type ProtectionPlansInput = RegionState & { verified?: RegionOutcome };

/**
 * ApplyProtectionPlans (administrator side, once the membership is Enabled): applies the request's
 * protection plans over the deployment's profile with UpdateMemberDetectors (only what differs),
 * reads them back with GetMemberDetectors and reads the free-trial days; returns the region's
 * outcome with both. Needs ADMIN_ACCOUNT_ID, PROTECTION_PLANS.
 */
export async function handler(event: ProtectionPlansInput, context?: Context): Promise<RegionOutcome> {
  setEnrollmentKeys({ enrollmentId: event?.enrollmentId, accountId: event?.accountId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const settings = getConfig(['adminAccountId', 'protectionPlans']);
    const { verified, ...rest } = event;
    const state = validateRegionState(
      verified ? { ...rest, relationshipStatus: verified.relationshipStatus, memberDetectorId: verified.memberDetectorId } : rest,
    );
    return await applyRegionPlans(adminGuardDutyClient(state.region), state, settings);
  } catch (error) {
    throw logFailure(error);
  }
}
