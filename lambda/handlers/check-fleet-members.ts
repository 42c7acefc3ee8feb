import type { Context } from 'aws-lambda';
import { FLEET_REPAIR_MODES } from '../../contract/fleet-check';
import type { CheckedPart, FleetPartInput } from '../../contract/fleet-check';
import { MetricNames } from '../../contract/metrics';
import { adminGuardDutyClient, eventBridgeClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { checkPart } from '../shared/fleet-part';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';
import { publishCount } from '../shared/metrics';

function validate(event: FleetPartInput): FleetPartInput {
  const ok =
    typeof event?.checkId === 'string' &&
    typeof event.region === 'string' &&
    typeof event.part === 'string' &&
    (event.nextToken === null || typeof event.nextToken === 'string') &&
    (FLEET_REPAIR_MODES as readonly string[]).includes(event.mode) &&
    typeof event.roster === 'object' &&
    event.roster !== null &&
    Array.isArray(event.roster.regions);
  if (!ok) throw new Error('CheckMembers input must be {checkId, region, part, nextToken, mode, roster}');
  return event;
}

/**
 * CheckMembers (one part of a region's fleet check): lists up to 1,000 members, classifies them,
 * puts a drift event per drift and names the accounts to re-enroll in repair mode. Publishes the
 * drifted and listed counts as metrics. Needs ADMIN_ACCOUNT_ID, PROTECTION_PLANS, EVENT_BUS_NAME
 * and FLEET_INVITED_LIMIT_HOURS.
 */
export async function handler(event: FleetPartInput, context?: Context): Promise<CheckedPart> {
  setEnrollmentKeys({ enrollmentId: event?.checkId, region: event?.region });
  if (context) logger.addContext(context);
  try {
    const input = validate(event);
    const settings = getConfig(['adminAccountId', 'protectionPlans', 'eventBusName', 'invitedLimitHours']);
    const checked = await checkPart({ guardDuty: adminGuardDutyClient(input.region), eventBridge: eventBridgeClient() }, input, {
      ...settings,
      now: Date.now(),
    });
    publishCount(MetricNames.driftedAccounts, checked.counts.drifted);
    publishCount(MetricNames.driftedAccounts, checked.counts.drifted, { Region: input.region });
    publishCount(MetricNames.fleetMembers, checked.counts.members, { Region: input.region });
    return checked;
  } catch (error) {
    throw logFailure(error);
  }
}
