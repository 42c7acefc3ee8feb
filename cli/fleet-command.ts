/**
 * `gde fleet`: the latest fleet check as a table (counts per region and status, then the drifted
 * accounts with reason and action). `gde fleet check [--wait]` starts a check first.
 */
import type { FleetCheckView, FleetPartView } from './api-client';
import type { CommandContext } from './command-context';
import { say, sayJson } from './command-context';
import { ExitCode, WaitTimeoutError } from './errors';
import { waitSettings } from './follow';

const COLUMNS = ['members', 'enabled', 'pending', 'drifted', 'unmanaged'] as const;

/** Rows as fixed-width columns, the first left-aligned, the rest right-aligned. */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** The check's lines: a header, the counts table with a total row, then the drifted accounts. */
export function fleetLines(check: FleetCheckView, drifted: Array<FleetPartView['drifted'][number] & { region: string }>): string[] {
  const lines = [
    `Fleet check ${check.checkId}: ${check.status}${check.mode ? ` (${check.mode})` : ''}, started ${new Date(check.startedAt * 1000).toISOString()}`,
  ];
  const rows = [['region', ...COLUMNS]];
  for (const r of check.regions) rows.push([r.error ? `${r.region} (not checked: ${r.error.code})` : r.region, ...COLUMNS.map((c) => String(r.counts[c]))]);
  rows.push(['total', ...COLUMNS.map((c) => String(check.totals[c]))]);
  lines.push('', ...table(rows));
  if (drifted.length > 0) {
    lines.push(
      '',
      ...table([
        ['account', 'region', 'reason', 'status', 'action'],
        ...drifted.map((d) => [
          d.accountId,
          d.region,
          d.reason,
          d.relationshipStatus ?? '-',
          d.repairBatchId ? `${d.action} (batch ${d.repairBatchId})` : d.action,
        ]),
      ]),
    );
  }
  return lines;
}

async function waitForCheck(ctx: CommandContext, checkId: string): Promise<FleetCheckView> {
  const { pollMs, timeoutMs } = waitSettings(ctx.line.values);
  const start = ctx.io.now();
  for (;;) {
    const check = await ctx.client.getFleetCheck(checkId);
    if (check.status !== 'RUNNING') return check;
    if (ctx.io.now() - start >= timeoutMs) throw new WaitTimeoutError(`fleet check ${checkId} is still running; see it later with "gde fleet"`);
    await ctx.io.sleep(pollMs);
  }
}

export async function fleetCommand(ctx: CommandContext): Promise<number> {
  const { client, io, line } = ctx;
  let checkId: string | undefined;
  if (line.argument === 'check') {
    const started = await client.startFleetCheck();
    checkId = started.checkId;
    if (line.values.wait !== true) {
      if (line.json) sayJson(io, started);
      else say(io, `Fleet check ${started.checkId} started; "gde fleet" shows it once it has run.`);
      return ExitCode.ok;
    }
  }
  let check: FleetCheckView;
  if (checkId) {
    check = await waitForCheck(ctx, checkId);
  } else {
    const latest = (await client.listFleetChecks()).checks[0];
    if (!latest) {
      if (line.json) sayJson(io, { check: null });
      else say(io, 'No fleet check has run yet: start one with "gde fleet check --wait".');
      return ExitCode.ok;
    }
    check = line.values.wait === true ? await waitForCheck(ctx, latest.checkId) : await client.getFleetCheck(latest.checkId);
  }
  const drifted: Array<FleetPartView['drifted'][number] & { region: string }> = [];
  for (const region of check.regions) {
    for (const part of region.parts)
      drifted.push(...(await client.getFleetPart(check.checkId, part.partId)).drifted.map((d) => ({ ...d, region: region.region })));
  }
  if (line.json) sayJson(io, { check, drifted });
  else for (const text of fleetLines(check, drifted)) say(io, text);
  return check.status === 'SUCCEEDED' ? ExitCode.ok : ExitCode.failed;
}
