/**
 * `gde offboard <accountId> [--regions a,b] [--delete-detector] [--idempotency-key K] [--wait]`:
 * `DELETE /enrollments/{accountId}`. The offboarding is followed like an enrollment (its regions end
 * OFFBOARDED or FAILED). A deployment older than the route answers 403 "Missing Authentication
 * Token" (API Gateway's answer for a route it does not have), which is explained rather than shown raw.
 */
import { regionList, stringValue } from './args';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { ApiError, ExitCode } from './errors';
import { followEnrollment, waitSettings } from './follow';
import { DEFAULT_REGIONS_NOTE } from './progress-model';

export async function offboardCommand(ctx: CommandContext): Promise<number> {
  const { values, json } = ctx.line;
  const accountId = ctx.line.argument!;
  // The account id and regions are checked by the API (offboard.request.vtl), not here.
  const regions = regionList(values);
  const deleteDetector = values['delete-detector'] === true;
  const settings = values.wait === true ? waitSettings(values) : undefined;
  let started: Awaited<ReturnType<typeof ctx.client.offboard>>;
  try {
    started = await ctx.client.offboard(accountId, { regions, deleteDetector }, stringValue(values['idempotency-key']));
  } catch (error) {
    if (error instanceof ApiError && error.status === 403 && /missing authentication token/i.test(error.apiMessage)) {
      throw new ApiError(
        error.method,
        error.path,
        error.status,
        error.apiMessage,
        'Offboarding is not available from this API: it has no DELETE /enrollments/{accountId} route (deployed before offboarding existed). Nothing was changed.',
      );
    }
    throw error;
  }
  if (!settings) {
    if (json) sayJson(ctx.io, started);
    else {
      say(
        ctx.io,
        `Offboarding ${started.enrollmentId} started for account ${accountId} (${regions ? regions.join(', ') : "the deployment's default regions"}${deleteDetector ? ', deleting its detectors' : ''}).`,
      );
      say(ctx.io, `Follow it: gde status ${started.enrollmentId} --wait`);
    }
    return ExitCode.ok;
  }
  return followEnrollment(ctx, started.enrollmentId, regions, settings, regions ? undefined : DEFAULT_REGIONS_NOTE);
}
