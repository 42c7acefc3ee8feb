import type { Context } from 'aws-lambda';
import { logFailure, logger } from '../shared/logger';
import { publishOutcomes } from '../shared/outcome-metrics';
import type { ExecutionStatusChange } from '../shared/outcome-metrics';

/**
 * RecordEnrollmentOutcomes: the target of the rule on Step Functions' status-change events of the
 * enrollment and batch-part machines. Turns each finished execution's per-region (or per-account)
 * outcomes into EnrollmentOutcomes metrics (embedded metric format). Needs nothing else.
 */
export async function handler(event: { detail?: ExecutionStatusChange }, context?: Context): Promise<{ counted: number }> {
  if (context) logger.addContext(context);
  try {
    return { counted: publishOutcomes(event?.detail ?? {}) };
  } catch (error) {
    throw logFailure(error);
  }
}
