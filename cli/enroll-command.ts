/** `gde enroll --account ID --email E [--regions a,b] [--idempotency-key K] [--wait]` */
import { regionList, stringValue } from './args';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { ExitCode, UsageError } from './errors';
import { followEnrollment, waitSettings } from './follow';
import { DEFAULT_REGIONS_NOTE } from './progress-model';
import type { EnrollmentRequestBody } from './types';

export async function enrollCommand(ctx: CommandContext): Promise<number> {
  const { values, json } = ctx.line;
  const accountId = stringValue(values.account);
  const email = stringValue(values.email);
  if (accountId === undefined || email === undefined) {
    throw new UsageError(`gde enroll needs ${[accountId === undefined ? '--account <12-digit id>' : '', email === undefined ? "--email <the account's root email>" : ''].filter(Boolean).join(' and ')}.`);
  }
  // Account id and email are checked by the API (its model is the one source of the rules), not here.
  const regions = regionList(values);
  const settings = values.wait === true ? waitSettings(values) : undefined;
  const body: EnrollmentRequestBody = { accountId, email, ...(regions ? { regions } : {}) };

  const started = await ctx.client.startEnrollment(body, stringValue(values['idempotency-key']));
  if (!settings) {
    if (json) sayJson(ctx.io, started);
    else {
      say(ctx.io, `Enrollment ${started.enrollmentId} started for account ${accountId} (${regions ? regions.join(', ') : "the deployment's default regions"}).`);
      say(ctx.io, `Follow it: gde status ${started.enrollmentId} --wait`);
    }
    return ExitCode.ok;
  }
  return followEnrollment(ctx, started.enrollmentId, regions, settings, regions ? undefined : DEFAULT_REGIONS_NOTE);
}
