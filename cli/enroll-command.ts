/** `gde enroll --account ID --email E [--regions a,b] [--idempotency-key K] [--wait]` */
import { regionList, stringValue } from './args';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { accountIdProblem, emailProblem } from './account-check';
import { ApiError, ExitCode, UsageError } from './errors';
import { followEnrollment, waitSettings } from './follow';
import { DEFAULT_REGIONS_NOTE } from './progress-model';
import type { EnrollmentRequestBody } from './types';

export async function enrollCommand(ctx: CommandContext): Promise<number> {
  const { values, json } = ctx.line;
  const accountId = stringValue(values.account);
  const email = stringValue(values.email);
  if (accountId === undefined || email === undefined) {
    throw new UsageError(
      `gde enroll needs ${[accountId === undefined ? '--account <12-digit id>' : '', email === undefined ? "--email <the account's root email>" : ''].filter(Boolean).join(' and ')}.`,
    );
  }
  // The API's model is checked here too, as gde bulk does: a typo is refused with exit 2 and sends nothing.
  const problem = accountIdProblem(accountId) ?? emailProblem(email);
  if (problem) throw new UsageError(`gde enroll: ${problem}. Nothing was sent.`);
  const regions = regionList(values);
  const settings = values.wait === true ? waitSettings(values) : undefined;
  const body: EnrollmentRequestBody = { accountId, email, ...(regions ? { regions } : {}) };
  const key = stringValue(values['idempotency-key']);

  let started: { enrollmentId: string };
  try {
    started = await ctx.client.startEnrollment(body, key);
  } catch (error) {
    // A pipeline's retry: the key names an enrollment that has finished (409). With --wait, follow it
    // when it is this account's, so running the same command again reports it and exits as it ended.
    if (!(error instanceof ApiError) || error.status !== 409 || key === undefined || !settings) throw error;
    const earlier = await ctx.client.getEnrollment(key).catch(() => undefined);
    if (earlier?.accountId !== accountId) {
      throw new ApiError(
        error.method,
        error.path,
        error.status,
        error.apiMessage,
        `The Idempotency-Key ${key} is taken by another enrollment or batch (not account ${accountId}'s): choose another --idempotency-key.`,
      );
    }
    if (!json) say(ctx.io, `Enrollment ${key} was started earlier with this Idempotency-Key (not started again); following it.`);
    started = { enrollmentId: key };
  }
  if (!settings) {
    if (json) sayJson(ctx.io, started);
    else {
      say(
        ctx.io,
        `Enrollment ${started.enrollmentId} started for account ${accountId} (${regions ? regions.join(', ') : "the deployment's default regions"}).`,
      );
      say(ctx.io, `Follow it: gde status ${started.enrollmentId} --wait`);
    }
    return ExitCode.ok;
  }
  return followEnrollment(ctx, started.enrollmentId, regions, settings, regions ? undefined : DEFAULT_REGIONS_NOTE);
}
