/** The API's answers, as the CLI reads them. Shapes are the mapping templates' (lib/api/*.vtl). */
import type { RegionOutcome } from '../contract/workflow-types';

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
  /** Who asked: the caller's ARN, `apiKey:<key id>` or `event:<source>/<account>` (null before the API recorded it). */
  requestedBy?: string | null;
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

/** The JSON body of `POST /enrollments/batch`. */
export interface BatchRequestBody {
  accounts: { accountId: string; email: string }[];
  regions?: string[];
}

/** `202` of `POST /enrollments/batch`. */
export interface StartedBatch {
  batchId: string;
  status: string;
  statusUrl: string;
}

/** One part of a batch (up to 100 accounts in one region) once the batch has stopped. */
export interface BatchPartSummary {
  partId: string;
  region: string;
  enabled: number;
  failed: number;
  error: { code: string; message: string } | null;
  outcomesUrl: string;
}

/** `200` of `GET /enrollments/batch/{batchId}`: counts are account-regions, null while it runs. */
export interface BatchView {
  batchId: string;
  requestedBy?: string | null;
  status: EnrollmentView['status'];
  startedAt: number;
  stoppedAt: number | null;
  accountCount: number;
  regions: string[];
  enabled: number | null;
  failed: number | null;
  parts: BatchPartSummary[];
  error: { code: string; message: string } | null;
}

/** One account's outcome in one region of a batch. */
export interface AccountOutcome {
  accountId: string;
  outcome: 'ENABLED' | 'FAILED';
  relationshipStatus: string | null;
  memberDetectorId: string | null;
  error: { code: string; message: string } | null;
}

/** `200` of `GET /enrollments/batch/{batchId}/parts/{partId}`. */
export interface BatchPartView {
  batchId: string;
  partId: string;
  region: string;
  requestedBy?: string | null;
  status: string;
  enabled: number | null;
  failed: number | null;
  accounts: AccountOutcome[];
}
