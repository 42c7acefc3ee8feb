/** The API's answers, as the CLI reads them. Shapes are the mapping templates' (lib/api/*.vtl). */
import type { RegionOutcome } from '../lambda/shared/types';

export type { RegionOutcome };

/** The request body of `POST /enrollments`. */
export interface EnrollmentRequestBody {
  accountId: string;
  email: string;
  regions?: string[];
}

/** `202` of `POST /enrollments`. */
export interface StartedEnrollment {
  enrollmentId: string;
  status: string;
  statusUrl: string;
}

/** `200` of `GET /enrollments/{enrollmentId}`. Regions are reported once the enrollment has stopped. */
export interface EnrollmentView {
  enrollmentId: string;
  accountId: string | null;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  startedAt: number;
  stoppedAt: number | null;
  regions: RegionOutcome[];
  error: { code: string; message: string } | null;
}

/** `200` of `GET /enrollments/{enrollmentId}/progress`: each started region's newest step. */
export interface EnrollmentProgress {
  enrollmentId: string;
  regions: { region: string; step: string }[];
}
