/**
 * `npm run bench -- --fleet N`: the fleet check of N members × the 17 default-enabled regions in
 * its own local stack (the check covers the deployment's default regions), measured by
 * measure-fleet.ts. Printed after the other figures and written under `fleetCheck` in --json.
 */
import { SAMPLE_ADMIN_REGIONS, seedSampleOrganization } from '../seed/sample-organization';
import { startLocalStack } from '../runtime/stack';
import type { FleetMeasure } from './measure-fleet';
import { measureFleetCheck, seedFleet } from './measure-fleet';
import { markdownTable } from './report';

export async function runFleetBench(members: number, latencyMs: number, progress: (line: string) => void): Promise<FleetMeasure> {
  progress(`Fleet check: ${members} members × ${SAMPLE_ADMIN_REGIONS.length} regions at ${latencyMs} ms per call…`);
  const stack = await startLocalStack({ retryDelayMs: 10, lambdaLogLevel: 'SILENT', settings: { defaultRegions: SAMPLE_ADMIN_REGIONS } });
  try {
    await seedSampleOrganization(stack.emulatorUrl);
    await seedFleet(stack, SAMPLE_ADMIN_REGIONS, members);
    await fetch(`${stack.emulatorUrl}/_emulator/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs }),
    });
    return await measureFleetCheck(stack, SAMPLE_ADMIN_REGIONS, members);
  } finally {
    await stack.close();
  }
}

/** The fleet figures as a section of the report. */
export function renderFleet(m: FleetMeasure, latencyMs: number): string {
  const accountRegions = m.members * m.regions;
  const calls = Object.values(m.calls).reduce((a, b) => a + b, 0);
  return `\n## Fleet check (${m.members} members × ${m.regions} regions, ${latencyMs} ms per call)\n\n${markdownTable(
    ['figure', 'value'],
    [
      ['status', m.status],
      ['wall time', `${(m.wallMs / 1000).toFixed(1)} s`],
      ['AWS calls (all)', calls],
      ['AWS calls per member-region', (calls / accountRegions).toFixed(4)],
      ['ListMembers pages per region', (m.calls.ListMembers ?? 0) / m.regions],
      [
        'calls by operation',
        Object.entries(m.calls)
          .map(([op, n]) => `${op} ${n}`)
          .join(', '),
      ],
      ['history events of the check / of its largest part', `${m.historyEvents} / ${m.largestPartHistoryEvents} (limit 25,000)`],
      ['output bytes of the check / of its largest part', `${m.outputBytes} / ${m.largestPartOutputBytes} (limit 262,144)`],
    ],
  )}\n\nMeasured: members added by the administrator with CreateMembers (not enrolled by this deployment, so UNMANAGED and no plans read); one check through POST /fleet-checks, awaited; calls from the emulator's counts before and after; history events as local mode counts them.\n`;
}
