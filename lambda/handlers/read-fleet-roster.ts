import type { Context } from 'aws-lambda';
import type { FleetRoster } from '../../contract/fleet-check';
import { sfnClient } from '../shared/clients';
import { getConfig } from '../shared/config';
import { readRoster } from '../shared/fleet-roster';
import { logFailure, logger, setEnrollmentKeys } from '../shared/logger';

/** ReadRoster's input: the check's own machine (from the context object, so the function needs no circular reference to it). */
export interface ReadRosterInput {
  checkId: string;
  fleetStateMachineArn: string;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;

/**
 * ReadRoster (first step of a fleet check): which account-regions this deployment enrolled or
 * offboarded, from the enrollment machine's executions (lambda/shared/fleet-roster.ts). Needs
 * STATE_MACHINE_ARN (the enrollment machine) and DEFAULT_REGIONS.
 */
export async function handler(event: ReadRosterInput, context?: Context): Promise<FleetRoster> {
  setEnrollmentKeys({ enrollmentId: event?.checkId });
  if (context) logger.addContext(context);
  try {
    if (typeof event?.fleetStateMachineArn !== 'string' || !STATE_MACHINE_ARN.test(event.fleetStateMachineArn)) {
      throw new Error('ReadRoster input must be {checkId, fleetStateMachineArn} with the fleet-check state machine ARN');
    }
    const { stateMachineArn, defaultRegions } = getConfig(['stateMachineArn', 'defaultRegions']);
    return await readRoster(sfnClient(), {
      fleetStateMachineArn: event.fleetStateMachineArn,
      enrollmentStateMachineArn: stateMachineArn,
      defaultRegions,
      now: Date.now(),
    });
  } catch (error) {
    throw logFailure(error);
  }
}
