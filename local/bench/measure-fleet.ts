/**
 * The fleet check at scale (issue 14): `members` accounts added by the administrator (CreateMembers,
 * 50 a call, as a person adding them in the console would) in each of `regions`, then one check
 * started through the API and awaited. Reports the check's wall time, its AWS calls and the Step
 * Functions figures local mode enforces limits on. Used by `npm run bench` and the scale e2e test.
 */
import { CreateMembersCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { STAGE_NAME } from '../../lib/enrollment-api';
import { LOCAL_ADMIN_ACCOUNT } from '../runtime/stack';
import type { LocalStack } from '../runtime/stack';
import { signedFetch } from '../runtime/signed-fetch';

export interface FleetMeasure {
  members: number;
  regions: number;
  status: string;
  wallMs: number;
  /** AWS calls of the check by operation (all accounts and regions). */
  calls: Record<string, number>;
  /** History events the check's execution wrote (local mode's estimate) and its largest part's. */
  historyEvents: number;
  largestPartHistoryEvents: number;
  /** Bytes of the check's output and of its largest part's output. */
  outputBytes: number;
  largestPartOutputBytes: number;
  totals: Record<string, number>;
}

async function callCounts(stack: LocalStack): Promise<Record<string, number>> {
  const { calls } = (await (await fetch(`${stack.emulatorUrl}/_emulator/calls`)).json()) as { calls: { operation: string; count: number }[] };
  const counts: Record<string, number> = {};
  for (const c of calls) counts[c.operation] = (counts[c.operation] ?? 0) + c.count;
  return counts;
}

/** Adds `members` accounts (ids from `firstAccount` on) as members in each region, 50 a CreateMembers call. */
export async function seedFleet(stack: LocalStack, regions: readonly string[], members: number, firstAccount = 700_000_000_000): Promise<void> {
  const ids = Array.from({ length: members }, (_, i) => String(firstAccount + i));
  await Promise.all(
    regions.map(async (region) => {
      const admin = new GuardDutyClient({
        region,
        endpoint: stack.emulatorUrl,
        credentials: { accessKeyId: `AKID${LOCAL_ADMIN_ACCOUNT}`, secretAccessKey: 'x' },
      });
      const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
      for (let i = 0; i < ids.length; i += 50) {
        const chunk = ids.slice(i, i + 50);
        await admin.send(
          new CreateMembersCommand({ DetectorId: DetectorIds![0], AccountDetails: chunk.map((id) => ({ AccountId: id, Email: `root+${id}@example.com` })) }),
        );
      }
      admin.destroy();
    }),
  );
}

/** Runs one check through the API and measures it. */
export async function measureFleetCheck(stack: LocalStack, regions: readonly string[], members: number): Promise<FleetMeasure> {
  const api = `${stack.apiUrl}/${STAGE_NAME}`;
  const headers = { 'x-api-key': stack.apiKey };
  const before = await callCounts(stack);
  const started = Date.now();
  // Signed as the administrator's root, as every local caller is with authorization 'iam'.
  const answer = await signedFetch(`${api}/fleet-checks`, { method: 'POST', headers });
  if (answer.status !== 202) throw new Error(`POST /fleet-checks answered ${answer.status}: ${await answer.text()}`);
  const { checkId } = (await answer.json()) as { checkId: string };
  const fleetArn = stack.stepFunctions.stateMachineArnOf('fleet-check');
  const result = await stack.stepFunctions.waitFor(checkId, fleetArn);
  const wallMs = Date.now() - started;
  const after = await callCounts(stack);
  const calls = Object.fromEntries(
    Object.entries(after)
      .map(([op, n]) => [op, n - (before[op] ?? 0)])
      .filter(([, n]) => (n as number) > 0),
  );
  const partArn = stack.stepFunctions.stateMachineArnOf('fleet-part');
  const parts = await stack.stepFunctions.resultsOf(partArn, `${checkId}-`);
  const output = result?.output as { regions?: { counts: Record<string, number> }[] } | undefined;
  const totals: Record<string, number> = {};
  for (const region of output?.regions ?? []) for (const [k, v] of Object.entries(region.counts)) totals[k] = (totals[k] ?? 0) + v;
  return {
    members,
    regions: regions.length,
    status: result?.status ?? 'UNKNOWN',
    wallMs,
    calls,
    historyEvents: result?.historyEvents ?? 0,
    largestPartHistoryEvents: Math.max(0, ...parts.map((p) => p.historyEvents ?? 0)),
    outputBytes: Buffer.byteLength(JSON.stringify(result?.output ?? null)),
    largestPartOutputBytes: Math.max(0, ...parts.map((p) => Buffer.byteLength(JSON.stringify(p.output ?? null)))),
    totals,
  };
}
