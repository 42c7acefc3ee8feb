/** `gde status <enrollmentId> [--wait]` */
import type { CommandContext } from './command-context';
import { followEnrollment, printEnrollment, waitSettings } from './follow';

export async function statusCommand(ctx: CommandContext): Promise<number> {
  const enrollmentId = ctx.line.argument!;
  if (ctx.line.values.wait === true) {
    const settings = waitSettings(ctx.line.values);
    // The request's regions are not in the status answer while RUNNING: say so rather than guess.
    return followEnrollment(ctx, enrollmentId, undefined, settings);
  }
  return printEnrollment(ctx, await ctx.client.getEnrollment(enrollmentId));
}
