/** The delegated administrator's own detector in one region (delegated administrator credentials). */
import { CreateDetectorCommand, GetDetectorCommand, ListDetectorsCommand, UpdateDetectorCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { errorCode, withRetry } from './retry';
import type { RetryPolicy } from './retry';
import type { RegionReport } from './types';

/** What the detector step did. */
export type DetectorResult = RegionReport['detector'];

/** How long to wait for the detector that a fresh designation creates. */
export interface SettlePolicy {
  /** ListDetectors attempts after a designation before creating the detector ourselves. */
  attempts: number;
  delayMs: number;
}

/** The region's detector and its status, if the account has one (one per account per region, docs/aws-facts.md, 4.1). */
async function findDetector(client: GuardDutyClient, retry: RetryPolicy): Promise<{ detectorId: string; enabled: boolean } | undefined> {
  const { DetectorIds: ids } = await withRetry(() => client.send(new ListDetectorsCommand({})), retry);
  const detectorId = ids?.[0];
  if (!detectorId) return undefined;
  const detector = await withRetry(() => client.send(new GetDetectorCommand({ DetectorId: detectorId })), retry);
  return { detectorId, enabled: detector.Status === 'ENABLED' };
}

/**
 * Makes sure the delegated administrator has an enabled detector: every organization call names
 * it, and members can only be added to it.
 *
 * Designation enables GuardDuty for the administrator ("If GuardDuty is not already enabled for
 * that account in the current Region, it will be automatically enabled", user guide), but not
 * necessarily at once (docs/aws-facts.md, pain point 2: SRA polls for the detector after designating). So after
 * a designation made by this run the step polls ListDetectors a bounded number of times, and only
 * then creates the detector itself; a "detector already exists" answer means the designation's one
 * arrived meanwhile. A disabled detector is re-enabled (UpdateDetector Enable=true, docs/aws-facts.md, 4.2).
 */
export async function ensureAdminDetector(
  client: GuardDutyClient,
  context: { dryRun: boolean; justDesignated: boolean; retry: RetryPolicy; settle: SettlePolicy },
): Promise<DetectorResult> {
  const { dryRun, justDesignated, retry, settle } = context;
  let found = await findDetector(client, retry);
  for (let attempt = 0; !found && justDesignated && attempt < settle.attempts; attempt += 1) {
    await retry.sleep(settle.delayMs);
    found = await findDetector(client, retry);
    if (found) return { action: 'created-by-designation', detectorId: found.detectorId };
  }
  if (!found) {
    if (dryRun) return { action: 'to-create' };
    try {
      const created = await withRetry(() => client.send(new CreateDetectorCommand({ Enable: true })), retry);
      if (created.DetectorId) return { action: 'created', detectorId: created.DetectorId };
    } catch (error) {
      // docs/aws-facts.md, 4.4: "a detector already exists for the current account" — it appeared meanwhile.
      if (!/already exists/i.test(errorCode(error).message)) throw error;
    }
    found = await findDetector(client, retry);
    if (!found) throw new Error('CreateDetector succeeded but ListDetectors shows no detector.');
  }
  if (found.enabled) return { action: 'existing', detectorId: found.detectorId };
  if (dryRun) return { action: 'to-enable', detectorId: found.detectorId };
  await withRetry(() => client.send(new UpdateDetectorCommand({ DetectorId: found.detectorId, Enable: true })), retry);
  return { action: 'enabled', detectorId: found.detectorId };
}
