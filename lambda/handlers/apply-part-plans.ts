import type { Context } from 'aws-lambda';
import { adminGuardDutyClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import { applyPartPlans } from '../shared/protection-plans';
import type { PartPlansInput, PlannedPart } from '../shared/protection-plans';
import { validatePartPlans } from '../shared/validation';

/**
 * ApplyPartPlans (administrator side of a batch part, after VerifyMembers): applies the batch's
 * protection plans over the profile to the part's Enabled accounts, 50 accounts a call, and reads
 * them back. Needs ADMIN_ACCOUNT_ID, PROTECTION_PLANS.
 */
export async function handler(event: PartPlansInput, context?: Context): Promise<PlannedPart> {
  setEnrollmentKeys({ enrollmentId: event?.batchId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const settings = getConfig(['adminAccountId', 'protectionPlans']);
    const input = validatePartPlans(event);
    return await applyPartPlans(adminGuardDutyClient(input.region), input, settings);
  } catch (error) {
    throw logFailure(error);
  }
}
