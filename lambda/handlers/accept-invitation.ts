import type { Context } from 'aws-lambda';
import { memberGuardDutyClient, stsClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import { withLeftBehindNote } from '../shared/left-behind';
import { joinAdministrator } from '../shared/member-side';
import type { RegionState } from '../../contract/workflow-types';
import { validateRegionState } from '../shared/validation';

/**
 * AcceptInvitation (member side): assumes the member role, creates or re-enables the member's
 * detector in the region and accepts the administrator's invitation. Returns the state with the
 * member's detector id; the member credentials never leave this invocation.
 * Needs ADMIN_ACCOUNT_ID, PARTITION (default aws), MEMBER_ROLE_NAME, EXTERNAL_ID,
 * FINDING_PUBLISHING_FREQUENCY, PROTECTION_PLANS.
 */
export async function handler(event: RegionState, context?: Context): Promise<RegionState> {
  setEnrollmentKeys({ enrollmentId: event?.enrollmentId, accountId: event?.accountId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const settings = getConfig(['adminAccountId', 'partition', 'memberRoleName', 'externalId', 'findingPublishingFrequency', 'protectionPlans']);
    const state = validateRegionState(event);
    try {
      return await joinAdministrator({ sts: stsClient(), memberGuardDuty: (credentials) => memberGuardDutyClient(state.region, credentials) }, state, settings);
    } catch (error) {
      // The member was invited before this step: a final failure here says what stays and how to remove it.
      throw withLeftBehindNote(error, state);
    }
  } catch (error) {
    throw logFailure(error);
  }
}
