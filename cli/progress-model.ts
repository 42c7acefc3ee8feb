/**
 * What the progress display shows, derived from the status route's answers. The status route
 * reports outcomes once the enrollment has stopped; while it runs, the progress route names each
 * started region's current step, and requested regions not started yet are shown as pending (or a
 * note, when the deployment's default regions apply and nothing has started).
 */
import { isFailedStep } from '../contract/progress-steps';
import type { EnrollmentProgress, EnrollmentView, RegionOutcome } from './types';

/** One region's line: pending while the enrollment runs, then its outcome. */
export interface RegionProgress {
  readonly region: string;
  readonly state: 'pending' | 'ENABLED' | 'OFFBOARDED' | 'FAILED';
  /** While pending, the current step; then relationship status and detector, or the error code and message. */
  readonly detail: string;
}

export interface ProgressSnapshot {
  readonly enrollmentId: string;
  readonly accountId: string | null;
  readonly status: EnrollmentView['status'];
  readonly regions: readonly RegionProgress[];
  /** Shown instead of region lines when there are none to show yet. */
  readonly note?: string;
  /** The enrollment's own error (the request was refused by the workflow as a whole). */
  readonly error: EnrollmentView['error'];
}

/** What a RUNNING enrollment shows when the CLI does not know its regions. */
export const REGIONS_UNKNOWN_NOTE = 'regions are reported when the enrollment stops';
/** The same when the request named none: the deployment's default regions apply. */
export const DEFAULT_REGIONS_NOTE = "the deployment's default regions: each is reported when the enrollment stops";

/** What a region that failed while others still run says until the enrollment stops. */
export const FAILED_WHILE_RUNNING = 'failed; the reason is reported when the enrollment stops';

/** What a pending region's line says before the workflow has reached it. */
export const NOT_STARTED = 'not started';

/** What an outcome's line says after its state: the error code and message, or relationship status and detector. */
export function outcomeDetail(r: Pick<RegionOutcome, 'relationshipStatus' | 'memberDetectorId' | 'error'>): string {
  if (r.error) return `${r.error.code}: ${r.error.message}`;
  return [r.relationshipStatus ?? '', r.memberDetectorId ? `detector ${r.memberDetectorId}` : ''].filter((s) => s !== '').join(', ');
}

/**
 * The snapshot for one answer of the status route. While it runs, the regions are the requested
 * ones and any the progress route reports, each with its current step; with neither, `note` is
 * shown instead.
 */
export function snapshotOf(
  view: EnrollmentView,
  requestedRegions: readonly string[] | undefined,
  note = REGIONS_UNKNOWN_NOTE,
  progress?: EnrollmentProgress,
): ProgressSnapshot {
  const base = { enrollmentId: view.enrollmentId, accountId: view.accountId, status: view.status, error: view.error };
  if (view.status !== 'RUNNING') {
    return {
      ...base,
      regions: view.regions.map((r) => ({
        region: r.region,
        state: r.outcome,
        detail: outcomeDetail(r),
      })),
    };
  }
  const steps = new Map((progress?.regions ?? []).map((r) => [r.region, r.step]));
  const regions = [...new Set([...(requestedRegions ?? []), ...steps.keys()])];
  if (regions.length === 0) return { ...base, regions: [], note };
  // A region already on its way to FAILED shows so at once (no spinner); its reason comes at the end.
  return {
    ...base,
    regions: regions.map((region): RegionProgress => {
      const step = steps.get(region);
      return isFailedStep(step) ? { region, state: 'FAILED', detail: FAILED_WHILE_RUNNING } : { region, state: 'pending', detail: step ?? NOT_STARTED };
    }),
  };
}

/** True when the enrollment (or offboarding) ended and no region it reported failed: all ENABLED, or all OFFBOARDED. */
export function succeeded(view: EnrollmentView): boolean {
  return view.status === 'SUCCEEDED' && view.error === null && view.regions.every((r) => r.outcome !== 'FAILED');
}
