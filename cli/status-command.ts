/** `gde status <enrollmentId | batchId> [--wait]` */
import { waitForBatches } from './batches';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { ApiError, ExitCode } from './errors';
import { followEnrollment, printEnrollment, waitSettings } from './follow';
import type { BatchView } from './types';

export async function statusCommand(ctx: CommandContext): Promise<number> {
  const id = ctx.line.argument!;
  const settings = ctx.line.values.wait === true ? waitSettings(ctx.line.values) : undefined;
  let enrollment: Awaited<ReturnType<typeof ctx.client.getEnrollment>>;
  try {
    enrollment = await ctx.client.getEnrollment(id);
  } catch (error) {
    // The enrollment route answers 404 for a batch's id (and for an unknown one): try the batch route.
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    const batch = await ctx.client.getBatch(id).catch((batchError: unknown) => {
      throw batchError instanceof ApiError && batchError.status === 404 ? error : batchError;
    });
    const view = settings ? (await waitForBatches(ctx.client, [batch.batchId], ctx.io, settings))[0] : batch;
    return printBatch(ctx, view);
  }
  // The request's regions are not in the status answer while RUNNING: say so rather than guess.
  if (settings) return followEnrollment(ctx, id, undefined, settings);
  return printEnrollment(ctx, enrollment);
}

/** A batch as it is now: its counts and each part, then the exit code (1 once any account FAILED). */
function printBatch(ctx: CommandContext, view: BatchView): number {
  const failed = view.status !== 'RUNNING' && (view.status !== 'SUCCEEDED' || (view.failed ?? 0) > 0);
  if (ctx.line.json) sayJson(ctx.io, view);
  else {
    const counts = view.enabled === null ? '' : ` · ${view.enabled} ENABLED, ${view.failed} FAILED (account-regions)`;
    say(ctx.io, `Batch ${view.batchId} · ${view.status} · ${view.accountCount} account(s) × ${view.regions.length} region(s)${counts}`);
    if (view.requestedBy) say(ctx.io, `Requested by ${view.requestedBy}`);
    for (const part of view.parts) {
      say(
        ctx.io,
        `  ${part.partId}: ${part.enabled} ENABLED, ${part.failed} FAILED${part.error ? ` (${part.error.code}: ${part.error.message})` : ''} · ${part.outcomesUrl}`,
      );
    }
    if (view.error) say(ctx.io, `Batch error ${view.error.code}: ${view.error.message}`);
  }
  return failed ? ExitCode.failed : ExitCode.ok;
}
