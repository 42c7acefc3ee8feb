/**
 * `gde bulk <file.csv> [--regions a,b] [--concurrency N] [--idempotency-prefix P]`: one enrollment
 * per row of a GuardDuty console CSV, a bounded number at a time (the API has no batch route yet).
 * With a prefix each row's Idempotency-Key is `<prefix>-<accountId>`, so running the same file
 * again starts nothing twice.
 */
import { integerValue, regionList, stringValue } from './args';
import { mapBounded } from './bounded';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { parseConsoleCsv } from './console-csv';
import { ApiError, ExitCode, UsageError, describeApiError } from './errors';

/** One row's result: the enrollment it started, or why the API refused it. */
export interface BulkResult {
  line: number;
  accountId: string;
  enrollmentId?: string;
  error?: { status?: number; message: string };
}

export async function bulkCommand(ctx: CommandContext): Promise<number> {
  const { io, line } = ctx;
  const file = line.argument!;
  const regions = regionList(line.values);
  // The default usage plan allows 5 requests a second (burst 10); 429s are retried with backoff.
  const concurrency = integerValue(line.values, 'concurrency', 5, 1, 50);
  const prefix = stringValue(line.values['idempotency-prefix']);
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const accounts = parseConsoleCsv(text, file);

  const results = await mapBounded(accounts, concurrency, async (account): Promise<BulkResult> => {
    const body = { accountId: account.accountId, email: account.email, ...(regions ? { regions } : {}) };
    let result: BulkResult;
    try {
      const started = await ctx.client.startEnrollment(body, prefix ? `${prefix}-${account.accountId}` : undefined);
      result = { line: account.line, accountId: account.accountId, enrollmentId: started.enrollmentId };
      if (!line.json) say(io, `${account.accountId}  started  ${started.enrollmentId}`);
    } catch (error) {
      // One refused row does not stop the others; connection failures do (the rest would fail alike).
      if (!(error instanceof ApiError)) throw error;
      result = { line: account.line, accountId: account.accountId, error: { status: error.status, message: error.apiMessage } };
      if (!line.json) say(io, `${account.accountId}  refused  line ${account.line}: ${describeApiError(error)}`);
    }
    return result;
  });

  const refused = results.filter((r) => r.error).length;
  if (line.json) sayJson(io, { results });
  else {
    say(io, `${results.length - refused} of ${results.length} enrollment(s) started${refused ? `, ${refused} refused` : ''}.`);
    if (results.length > refused) say(io, 'Follow one with: gde status <enrollmentId> --wait');
  }
  return refused === 0 ? ExitCode.ok : ExitCode.failed;
}
