import type { StepLambda } from '../step-lambda';

/** The Lambda steps of the enrollment state machine, by name: its flows invoke them. */
export type EnrollmentSteps = Record<
  'createMember' | 'inviteMember' | 'acceptInvitation' | 'verifyMembership' | 'applyProtectionPlans' | 'removeMember' | 'leaveAdministrator',
  StepLambda
>;

/** The fields of a region's outcome that every per-region state carries, so any failure can be read the same way. */
export const REGION_FIELDS = {
  'region.$': '$.region',
  'relationshipStatus.$': '$.relationshipStatus',
  'memberDetectorId.$': '$.memberDetectorId',
};
