import type { Context } from 'aws-lambda';
import { verifyPart } from '../shared/batch-part';
import { adminGuardDutyClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import type { PartVerification, VerifiedPart } from '../../contract/workflow-types';
import { validatePartVerification } from '../shared/validation';

/**
 * VerifyMembers (administrator side of a batch part): reads the part's members, one GetMembers per
 * 50 accounts, and finishes each account ENABLED or FAILED; memberships still pending are handed
 * back for another check until the last one. Needs ADMIN_ACCOUNT_ID.
 */
export async function handler(event: PartVerification, context?: Context): Promise<VerifiedPart> {
  setEnrollmentKeys({ enrollmentId: event?.batchId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const { adminAccountId } = getConfig(['adminAccountId']);
    const input = validatePartVerification(event);
    return await verifyPart(adminGuardDutyClient(input.region), input, adminAccountId);
  } catch (error) {
    throw logFailure(error);
  }
}
