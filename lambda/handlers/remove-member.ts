import type { Context } from 'aws-lambda';
import { removeMember } from '../shared/admin-side';
import { adminGuardDutyClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import type { OffboardState } from '../../contract/workflow-types';
import { validateOffboardState } from '../shared/validation';
import { DETECTOR_DELETION_DISABLED_MESSAGE } from '../../contract/requested-by';
import { TerminalErrors } from '../../contract/error-names';
import { EnrollmentError } from '../shared/errors';

/**
 * RemoveMember (administrator side of offboarding): disassociates the account when it may still be
 * associated and deletes it from the administrator's members; an account that is no member is left
 * alone. Returns the state for LeaveAdministrator.
 * Needs ADMIN_ACCOUNT_ID; ALLOW_DETECTOR_DELETION (default false: deleteDetector is refused).
 */
export async function handler(event: OffboardState, context?: Context): Promise<OffboardState> {
  setEnrollmentKeys({ enrollmentId: event?.enrollmentId, accountId: event?.accountId, region: event?.region, requestedBy: event?.request?.requestedBy });
  if (context) logger.addContext(context);
  try {
    const { adminAccountId, allowDetectorDeletion } = getConfig(['adminAccountId', 'allowDetectorDeletion']);
    const state = validateOffboardState(event, adminAccountId);
    // Before any change: the API refuses this too (contract/requested-by.ts); here for executions started otherwise.
    if (state.deleteDetector && !allowDetectorDeletion) throw new EnrollmentError(TerminalErrors.InvalidEnrollmentRequest, DETECTOR_DELETION_DISABLED_MESSAGE);
    return await removeMember(adminGuardDutyClient(state.region), state, adminAccountId);
  } catch (error) {
    throw logFailure(error);
  }
}
