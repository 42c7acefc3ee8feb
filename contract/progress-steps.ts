/**
 * The states a region of an enrollment or offboarding enters only on its way to FAILED. The
 * progress route reports each region's last state entered; a client that sees one of these knows
 * the region has failed before the enrollment stops (its reason comes with the final status).
 * lib/enrollment-workflow.ts names its states with these.
 */
export const REGION_FAILED_STEPS = {
  readFailure: 'ReadFailure',
  checkEmailVerification: 'CheckEmailVerification',
  regionFailed: 'RegionFailed',
  regionFailedUnexpectedly: 'RegionFailedUnexpectedly',
  readOffboardFailure: 'ReadOffboardFailure',
  offboardRegionFailed: 'OffboardRegionFailed',
  offboardRegionFailedUnexpectedly: 'OffboardRegionFailedUnexpectedly',
} as const;

const FAILED_STEP_NAMES: ReadonlySet<string> = new Set(Object.values(REGION_FAILED_STEPS));

/** Whether a region whose last state is `step` has failed. */
export function isFailedStep(step: string | undefined): boolean {
  return step !== undefined && FAILED_STEP_NAMES.has(step);
}
