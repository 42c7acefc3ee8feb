import type { RegionState } from '../../contract/workflow-types';

/**
 * The next RegionState from `state` and `changes`. Only the contract's fields are carried on, so
 * nothing else a step had in hand (credentials above all) can reach the execution history.
 */
export function nextState(state: RegionState, changes: Partial<RegionState>): RegionState {
  return {
    enrollmentId: state.enrollmentId,
    region: state.region,
    accountId: state.accountId,
    adminDetectorId: state.adminDetectorId,
    relationshipStatus: state.relationshipStatus,
    memberDetectorId: state.memberDetectorId ?? null,
    ...(state.invitationMessage !== undefined ? { invitationMessage: state.invitationMessage } : {}),
    ...(state.protectionPlans !== undefined ? { protectionPlans: state.protectionPlans } : {}),
    ...changes,
  };
}
