/**
 * `gde bulk <file.csv> [--regions a,b] [--idempotency-key K] [--wait]`: the accounts of a GuardDuty
 * console CSV enrolled through `POST /enrollments/batch`, 1000 accounts a batch (a longer file is
 * sent as several batches, keyed K-1, K-2, … when a key is given). The file is checked line by line
 * first, so a bad line is named before anything is sent. With --wait it follows the batches and
 * reports every account in every region.
 */
import { regionList, stringValue } from './args';
import type { AccountRegionOutcome, PlannedBatch } from './batches';
import { batchOutcomes, planBatches, waitForBatches } from './batches';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import type { CsvAccount } from './console-csv';
import { parseConsoleCsv } from './console-csv';
import { ApiError, ConnectionError, ExitCode, UsageError, describeApiError, errorJson } from './errors';
import { waitSettings } from './follow';
import { MARK } from './progress-display';
import { outcomeDetail } from './progress-model';
import type { BatchView, StartedBatch } from './types';

/** One batch the command sent: what the API answered, and which lines of the file it holds. */
export interface SentBatch extends StartedBatch {
  accountCount: number;
  /** First and last line of the file in this batch. */
  lines: [number, number];
  /** True when the Idempotency-Key named a batch started earlier (it was not started again). */
  existing: boolean;
}

/** An account's outcome in a region, with the file line that listed it. */
export type BulkOutcome = AccountRegionOutcome & { line: number };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function readCsv(ctx: CommandContext, file: string): Promise<CsvAccount[]> {
  let text: string;
  try {
    text = await ctx.io.readFile(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  return parseConsoleCsv(text, file);
}

/**
 * Starts one batch. A 409 for a key means a batch with that id exists and has finished: when it
 * holds as many accounts, it is this file's batch from an earlier run, taken as it is (so running
 * the same command again starts nothing twice and can still --wait for the report).
 */
async function startBatch(ctx: CommandContext, batch: PlannedBatch<CsvAccount>, regions: string[] | undefined): Promise<SentBatch> {
  const accounts = batch.accounts.map(({ accountId, email }) => ({ accountId, email }));
  const lines: [number, number] = [batch.accounts[0].line, batch.accounts[batch.accounts.length - 1].line];
  try {
    const started = await ctx.client.startBatch({ accounts, ...(regions ? { regions } : {}) }, batch.key);
    return { ...started, accountCount: accounts.length, lines, existing: false };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409 || batch.key === undefined) throw error;
    const earlier = await ctx.client.getBatch(batch.key).catch(() => undefined);
    if (earlier?.accountCount !== accounts.length) {
      throw new ApiError(
        error.method,
        error.path,
        error.status,
        error.apiMessage,
        `The Idempotency-Key ${batch.key} is taken by another enrollment or batch (not one of ${accounts.length} accounts): choose another --idempotency-key.`,
      );
    }
    return {
      batchId: earlier.batchId,
      status: earlier.status,
      statusUrl: `${new URL(ctx.client.baseUrl).pathname}/enrollments/batch/${earlier.batchId}`,
      accountCount: accounts.length,
      lines,
      existing: true,
    };
  }
}

/** How to follow the batches later: the same command with --wait when a key makes that safe, else their status URLs. */
function followHint(file: string, key: string | undefined, regions: string[] | undefined, sent: readonly SentBatch[]): string {
  if (key)
    return `Follow with the same command and --wait (it starts nothing twice): gde bulk ${file} --idempotency-key ${key}${regions ? ` --regions ${regions.join(',')}` : ''} --wait`;
  return `Status: ${sent.map((s) => `GET ${s.statusUrl}`).join(', ')}`;
}

/** "Batch X: 1000 account(s), lines 2–1001" and what was done with it. */
function describeSent(sent: SentBatch, regions: string[] | undefined): string {
  const where = regions ? regions.join(', ') : "the deployment's default regions";
  const what = sent.existing ? 'was started earlier with this Idempotency-Key (not started again)' : 'started';
  return `Batch ${sent.batchId} ${what}: ${sent.accountCount} account(s) (lines ${sent.lines[0]}–${sent.lines[1]}) in ${where}.`;
}

export async function bulkCommand(ctx: CommandContext): Promise<number> {
  const { io, line } = ctx;
  const file = line.argument!;
  // Everything that can be wrong locally is found before the first request.
  const regions = regionList(line.values);
  const key = stringValue(line.values['idempotency-key']);
  const settings = line.values.wait === true ? waitSettings(line.values) : undefined;
  const accounts = await readCsv(ctx, file);
  const planned = planBatches(accounts, key);

  const sent: SentBatch[] = [];
  for (const batch of planned) {
    try {
      sent.push(await startBatch(ctx, batch, regions));
    } catch (error) {
      // Nothing started yet: an error like any other command's. Otherwise say what did start.
      if (sent.length === 0 || !(error instanceof ApiError || error instanceof ConnectionError)) throw error;
      const unsent = `Lines ${batch.accounts[0].line}–${accounts[accounts.length - 1].line} were not sent.`;
      if (line.json) sayJson(io, { batches: sent, ...errorJson(error), unsentFromLine: batch.accounts[0].line });
      else io.stderr.write(`gde: the API refused: ${error instanceof ApiError ? describeApiError(error) : error.message}\n${unsent}\n`);
      return ExitCode.failed;
    }
    if (!line.json) say(io, describeSent(sent[sent.length - 1], regions));
  }

  if (!settings) {
    if (line.json) sayJson(io, { batches: sent });
    else say(io, followHint(file, key, regions, sent));
    return ExitCode.ok;
  }

  const heartbeat = { due: 1 };
  const views = await waitForBatches(
    ctx.client,
    sent.map((s) => s.batchId),
    io,
    {
      ...settings,
      timeoutHint: followHint(file, key, regions, sent),
      onStopped: (view, elapsed) => {
        if (!line.json)
          say(
            io,
            `Batch ${view.batchId}: ${view.status} after ${seconds(elapsed)}${view.enabled === null ? '' : ` (${view.enabled} ENABLED, ${view.failed} FAILED)`}`,
          );
      },
      onRunning: (running, elapsed) => {
        if (line.json || elapsed < heartbeat.due * 30_000) return;
        heartbeat.due = Math.floor(elapsed / 30_000) + 1;
        say(io, `Still RUNNING after ${seconds(elapsed)}: ${running.join(', ')}`);
      },
    },
  );
  const reports = await Promise.all(
    views.map(async (view, i) => {
      const batch = planned[i].accounts;
      const lineOf = new Map(batch.map((a) => [a.accountId, a.line]));
      const outcomes = await batchOutcomes(
        ctx.client,
        view,
        batch.map((a) => a.accountId),
      );
      return { view, outcomes: outcomes.map((o): BulkOutcome => ({ line: lineOf.get(o.accountId)!, ...o })) };
    }),
  );
  const outcomes = reports.flatMap((r) => r.outcomes);
  const failed = outcomes.filter((o) => o.outcome !== 'ENABLED');
  const batchFailed = reports.filter((r) => r.view.status !== 'SUCCEEDED');

  if (line.json) {
    sayJson(io, { batches: reports.map(({ view, outcomes: o }, i) => ({ ...view, lines: sent[i].lines, existing: sent[i].existing, outcomes: o })) });
  } else {
    for (const { view, outcomes: o } of reports) {
      say(io, `Batch ${view.batchId} · ${view.status} · ${view.accountCount} account(s) × ${view.regions.length} region(s)`);
      if (view.error) say(io, `  ${MARK.FAILED} ${view.error.code}: ${view.error.message}`);
      for (const r of o) say(io, outcomeLine(r));
    }
    say(
      io,
      summaryLine(
        outcomes.length,
        failed,
        batchFailed.map((r) => r.view),
      ),
    );
  }
  return failed.length === 0 && batchFailed.length === 0 ? ExitCode.ok : ExitCode.failed;
}

/** `  ✔ line 2     222222222222  us-east-1       ENABLED  Enabled, detector …` */
function outcomeLine(o: BulkOutcome): string {
  const state = o.outcome ?? 'FAILED';
  return `  ${MARK[state]} line ${String(o.line).padEnd(5)} ${o.accountId}  ${o.region.padEnd(15)} ${(o.outcome ?? 'NO OUTCOME').padEnd(8)} ${outcomeDetail(o)}`.trimEnd();
}

/** The closing line: all ENABLED, or how many account-regions failed and on which lines of the file. */
function summaryLine(total: number, failed: readonly BulkOutcome[], failedBatches: readonly BatchView[]): string {
  const batches = failedBatches.length > 0 ? ` Batch(es) ${failedBatches.map((b) => `${b.batchId} ${b.status}`).join(', ')}.` : '';
  if (failed.length === 0) return total > 0 && !batches ? `All ${total} account-region(s) ENABLED.` : `${total} account-region(s) reported.${batches}`;
  const lines = [...new Set(failed.map((o) => o.line))];
  const shown = lines.length > 20 ? `${lines.slice(0, 20).join(', ')}, …` : lines.join(', ');
  return `${failed.length} of ${total} account-region(s) FAILED (lines ${shown}).${batches}`;
}
