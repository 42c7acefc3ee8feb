import type { Context } from 'aws-lambda';
import { memberGuardDutyClient, stsClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import { leaveAdministrator } from '../shared/member-side';
import type { OffboardState, RegionOutcome } from '../../contract/workflow-types';
import { validateOffboardState } from '../shared/validation';

/**
 * LeaveAdministrator (member side of offboarding): assumes the member role, disassociates the
 * member from this administrator and, when asked, deletes its detector. Returns the region's
 * outcome; the member credentials never leave this invocation. It runs as the AcceptInvitation
 * role, the one role the member role trusts.
 * Needs ADMIN_ACCOUNT_ID, PARTITION (default aws), MEMBER_ROLE_NAME, EXTERNAL_ID.
 */
export async function handler(event: OffboardState, context?: Context): Promise<RegionOutcome> {
  setEnrollmentKeys({ enrollmentId: event?.enrollmentId, accountId: event?.accountId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const settings = getConfig(['adminAccountId', 'partition', 'memberRoleName', 'externalId']);
    const state = validateOffboardState(event, settings.adminAccountId);
    return await leaveAdministrator({ sts: stsClient(), memberGuardDuty: (credentials) => memberGuardDutyClient(state.region, credentials) }, state, settings);
  } catch (error) {
    throw logFailure(error);
  }
}
