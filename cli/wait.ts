/** Polls the status route until the enrollment stops, showing progress on the way. */
import type { EnrollmentApiClient } from './api-client';
import { ApiError, ConnectionError, WaitTimeoutError } from './errors';
import type { CliIo } from './io';
import type { ProgressDisplay } from './progress-display';
import { snapshotOf } from './progress-model';
import type { EnrollmentView } from './types';

export interface WaitOptions {
  /** Between polls. */
  readonly pollMs: number;
  /** Give up (the enrollment goes on) after this long. */
  readonly timeoutMs: number;
  /** The regions the request named, or the note to show instead while it runs. */
  readonly requestedRegions?: readonly string[];
  readonly pendingNote?: string;
  /** Where progress goes; none with --json. */
  readonly display?: ProgressDisplay;
}

/** Consecutive failed polls (5xx, connection) tolerated before giving up: one blip must not end a wait. */
export const MAX_POLL_FAILURES = 3;

/** Whether a failed poll is worth repeating: the API or the network hiccuped, the answer was not "no". */
export function isTransient(error: unknown): boolean {
  return error instanceof ConnectionError || (error instanceof ApiError && error.status >= 500);
}

/**
 * Polls `GET /enrollments/{id}` every `pollMs` until the status is no longer RUNNING.
 * @throws WaitTimeoutError when `timeoutMs` passes first; ApiError when the API refuses (e.g. 404).
 */
export async function waitForEnrollment(client: EnrollmentApiClient, enrollmentId: string, io: CliIo, options: WaitOptions): Promise<EnrollmentView> {
  try {
    return await poll(client, enrollmentId, io, options);
  } finally {
    // On an error the display would otherwise keep animating over the error message.
    options.display?.stop();
  }
}

/** The polling loop itself; the caller stops the display however it ends. */
async function poll(client: EnrollmentApiClient, enrollmentId: string, io: CliIo, options: WaitOptions): Promise<EnrollmentView> {
  const start = io.now();
  let failures = 0;
  for (;;) {
    let view: EnrollmentView | undefined;
    try {
      view = await client.getEnrollment(enrollmentId);
      failures = 0;
    } catch (error) {
      if (!isTransient(error) || ++failures >= MAX_POLL_FAILURES) throw error;
    }
    const elapsed = io.now() - start;
    if (view) {
      // Each running region's step; a failed read only means less detail this time.
      const progress = view.status === 'RUNNING' ? await client.getProgress(enrollmentId).catch(() => undefined) : undefined;
      const snapshot = snapshotOf(view, options.requestedRegions, options.pendingNote, progress);
      if (view.status !== 'RUNNING') {
        options.display?.finish(snapshot, elapsed);
        return view;
      }
      options.display?.update(snapshot, elapsed);
    }
    if (elapsed >= options.timeoutMs) {
      throw new WaitTimeoutError(
        `Enrollment ${enrollmentId} was still RUNNING after ${Math.round(elapsed / 1000)} s; it goes on. Follow it with: gde status ${enrollmentId} --wait`,
      );
    }
    await io.sleep(options.pollMs);
  }
}
