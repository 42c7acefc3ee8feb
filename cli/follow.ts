/** Shows an enrollment (once, or until it stops) and turns its outcome into the exit code. */
import { protectionPlanLines } from './protection-plan-lines';
import { integerValue } from './args';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { ExitCode } from './errors';
import { PlainProgress, TerminalProgress, snapshotLines } from './progress-display';
import { snapshotOf, succeeded } from './progress-model';
import type { EnrollmentView } from './types';
import { waitForEnrollment } from './wait';

/** The exit code an enrollment's state calls for: running counts as fine, any failed region does not. */
export function exitCodeOf(view: EnrollmentView): number {
  if (view.status === 'RUNNING') return ExitCode.ok;
  return succeeded(view) ? ExitCode.ok : ExitCode.failed;
}

/** One line summing up a stopped enrollment. */
export function summaryLine(view: EnrollmentView): string {
  const failed = view.regions.filter((r) => r.outcome === 'FAILED').length;
  if (succeeded(view)) return `All ${view.regions.length} region(s) ${view.regions[0]?.outcome ?? 'ENABLED'}.`;
  if (view.regions.length === 0) return `Enrollment ${view.status}${view.error ? ` (${view.error.code})` : ''}.`;
  return `Enrollment ${view.status}: ${failed} of ${view.regions.length} region(s) FAILED.`;
}

/** Prints the enrollment as it is now. */
export function printEnrollment(ctx: CommandContext, view: EnrollmentView): number {
  if (ctx.line.json) {
    sayJson(ctx.io, view);
    return exitCodeOf(view);
  }
  const elapsed = ((view.stoppedAt ?? ctx.io.now() / 1000) - view.startedAt) * 1000;
  say(ctx.io, snapshotLines(snapshotOf(view, undefined), Math.max(0, elapsed)).join('\n'));
  if (view.requestedBy) say(ctx.io, `Requested by ${view.requestedBy}`);
  for (const line of protectionPlanLines(view)) say(ctx.io, line);
  if (view.status !== 'RUNNING') say(ctx.io, summaryLine(view));
  return exitCodeOf(view);
}

/** How `--wait` polls. */
export interface WaitSettings {
  readonly pollMs: number;
  readonly timeoutMs: number;
}

/**
 * `--poll-ms` (default 2 s) and `--timeout` in seconds (default 15 min: the workflow's bounded
 * retries take minutes at worst). Read before anything is sent, so a typo starts nothing.
 */
export function waitSettings(values: CommandContext['line']['values']): WaitSettings {
  return {
    pollMs: integerValue(values, 'poll-ms', 2000, 10, 600_000),
    timeoutMs: integerValue(values, 'timeout', 900, 1, 86_400) * 1000,
  };
}

/** `--wait`: polls until the enrollment stops, with a progress display unless --json. */
export async function followEnrollment(
  ctx: CommandContext,
  enrollmentId: string,
  requestedRegions: readonly string[] | undefined,
  settings: WaitSettings,
  pendingNote?: string,
): Promise<number> {
  const { io, line } = ctx;
  const display = line.json ? undefined : io.stdout.isTTY ? new TerminalProgress(io.stdout, io.now) : new PlainProgress(io.stdout);
  const view = await waitForEnrollment(ctx.client, enrollmentId, io, { ...settings, requestedRegions, pendingNote, display });
  if (line.json) sayJson(io, view);
  else {
    for (const planLine of protectionPlanLines(view)) say(io, planLine);
    say(io, summaryLine(view));
  }
  return exitCodeOf(view);
}
