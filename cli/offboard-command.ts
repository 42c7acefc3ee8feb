/**
 * `gde offboard <accountId>`: `DELETE /enrollments/{accountId}`. Deployments without the route
 * answer 403 "Missing Authentication Token" (API Gateway's answer for a route it does not have),
 * which is explained rather than shown raw.
 */
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { ApiError, ExitCode } from './errors';

export async function offboardCommand(ctx: CommandContext): Promise<number> {
  const accountId = ctx.line.argument!;
  try {
    const answer = await ctx.client.offboard(accountId);
    if (ctx.line.json) sayJson(ctx.io, { accountId, status: answer.status, body: answer.body ?? answer.text });
    else say(ctx.io, `Offboarding account ${accountId}: ${answer.status} ${answer.body === undefined ? answer.text : JSON.stringify(answer.body)}`);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403 && /missing authentication token/i.test(error.apiMessage)) {
      throw new ApiError(error.method, error.path, error.status, error.apiMessage,
        'Offboarding is not available from this API: it has no DELETE /enrollments/{accountId} route yet. Nothing was changed.');
    }
    throw error;
  }
}
