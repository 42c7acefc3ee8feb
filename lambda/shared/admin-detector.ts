import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { TerminalErrors } from '../../contract/error-names';
import { EnrollmentError, awsMessageOf, callAws, isEnrollmentError } from './errors';
import { GuardDutyMessages } from './guardduty-messages';
import { logger } from './logger';

/** Identifies the administrator-side call site for messages. */
export interface AdminWhere {
  adminAccountId: string;
  accountId: string;
  region: string;
}

// One detector per account per region (docs/aws-facts.md, 4.1: not raisable), so the administrator's detector
// id per region can be kept for the life of the Lambda container.
const detectorIds = new Map<string, string>();

/** The module-scope cache of the administrator's detector id per region. */
export const adminDetectorCache = {
  get: (region: string): string | undefined => detectorIds.get(region),
  forget: (region: string): void => {
    detectorIds.delete(region);
  },
  clear: (): void => detectorIds.clear(),
};

/**
 * The administrator's detector id in the region: from the cache, else from ListDetectors.
 * @throws EnrollmentError AdminDetectorMissing when the administrator has no detector there.
 */
export async function resolveAdminDetectorId(guardDuty: GuardDutyClient, where: AdminWhere): Promise<string> {
  const cached = detectorIds.get(where.region);
  if (cached) return cached;
  const ctx = { ...where, operation: 'ListDetectors', side: 'administrator' as const };
  // One detector per account per region (docs/aws-facts.md, 4.1), so the first page holds it: no pagination.
  const { DetectorIds } = await callAws(ctx, () => guardDuty.send(new ListDetectorsCommand({ MaxResults: 50 })));
  const detectorId = DetectorIds?.[0];
  if (!detectorId) {
    throw new EnrollmentError(
      TerminalErrors.AdminDetectorMissing,
      `administrator account ${where.adminAccountId} has no GuardDuty detector in ${where.region}; enable GuardDuty there first, then enroll account ${where.accountId} again`,
    );
  }
  detectorIds.set(where.region, detectorId);
  logger.info('Resolved the administrator detector', { adminDetectorId: detectorId });
  return detectorId;
}

function isDetectorNotOwned(error: unknown): boolean {
  return isEnrollmentError(error, TerminalErrors.RequestRejected) && GuardDutyMessages.detectorNotOwned.test(awsMessageOf(error));
}

/**
 * Runs `work` with the administrator's detector id: `knownDetectorId` (from the workflow state)
 * or the resolved one. When GuardDuty answers that the id is "not owned by the current account"
 * (docs/aws-facts.md, 4.4: the detector was deleted and re-created since), the cached id is dropped, the id is
 * resolved again and `work` runs once more; a second failure is thrown.
 */
export async function withAdminDetector<T>(
  guardDuty: GuardDutyClient,
  where: AdminWhere,
  knownDetectorId: string | undefined,
  work: (detectorId: string) => Promise<T>,
): Promise<{ detectorId: string; result: T }> {
  const first = knownDetectorId ?? (await resolveAdminDetectorId(guardDuty, where));
  try {
    return { detectorId: first, result: await work(first) };
  } catch (error) {
    if (!isDetectorNotOwned(error)) throw error;
    logger.info('The administrator detector id is stale; resolving it again', { staleDetectorId: first });
    adminDetectorCache.forget(where.region);
    const second = await resolveAdminDetectorId(guardDuty, where);
    return { detectorId: second, result: await work(second) };
  }
}
