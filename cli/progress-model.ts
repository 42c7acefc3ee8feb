/**
 * What the progress display shows, derived from the status route's answers. The route reports
 * regions only once the enrollment has stopped, so while it runs the requested regions are shown
 * as pending (or a note, when the deployment's default regions apply and the CLI cannot know them).
 */
import type { EnrollmentView } from './types';

/** One region's line: pending while the enrollment runs, then its outcome. */
export interface RegionProgress {
  readonly region: string;
  readonly state: 'pending' | 'ENABLED' | 'FAILED';
  /** Relationship status and detector, or the error code and message. */
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

/**
 * The snapshot for one answer of the status route. `requestedRegions` are the regions the request
 * named, shown as pending while it runs; without them `note` is shown instead.
 */
export function snapshotOf(view: EnrollmentView, requestedRegions: readonly string[] | undefined, note = REGIONS_UNKNOWN_NOTE): ProgressSnapshot {
  const base = { enrollmentId: view.enrollmentId, accountId: view.accountId, status: view.status, error: view.error };
  if (view.status !== 'RUNNING') {
    return {
      ...base,
      regions: view.regions.map((r) => ({
        region: r.region,
        state: r.outcome,
        detail: r.error
          ? `${r.error.code}: ${r.error.message}`
          : [r.relationshipStatus ?? '', r.memberDetectorId ? `detector ${r.memberDetectorId}` : ''].filter((s) => s !== '').join(', '),
      })),
    };
  }
  if (!requestedRegions) return { ...base, regions: [], note };
  return { ...base, regions: requestedRegions.map((region) => ({ region, state: 'pending', detail: '' })) };
}

/** True when the enrollment ended and every region it reported is Enabled. */
export function succeeded(view: EnrollmentView): boolean {
  return view.status === 'SUCCEEDED' && view.error === null && view.regions.every((r) => r.outcome === 'ENABLED');
}
