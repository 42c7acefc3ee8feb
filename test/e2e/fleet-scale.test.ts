/**
 * End to end at the size issue 14 asks: 5,000 members in each of the 17 default-enabled regions,
 * one fleet check in local mode, which enforces Step Functions' payload and history limits as it
 * runs. The wall time is `npm run bench -- --fleet 5000`'s, not this test's.
 */
import { STEP_FUNCTIONS_LIMITS } from '../../contract/step-functions-limits';
import { FLEET_PART_PAGES, LIST_MEMBERS_PAGE_SIZE } from '../../contract/fleet-check';
import { measureFleetCheck, seedFleet } from '../../local/bench/measure-fleet';
import { SAMPLE_ADMIN_REGIONS } from '../../local/seed/sample-organization';
import { useSeededStack } from './seeded-stack';

const MEMBERS = 5000;
const local = useSeededStack({ settings: { defaultRegions: SAMPLE_ADMIN_REGIONS } });

test('a check of 5,000 members × 17 regions succeeds inside Step Functions limits, with ⌈N/50⌉ list pages per region', async () => {
  await seedFleet(local.stack, SAMPLE_ADMIN_REGIONS, MEMBERS);
  const measure = await measureFleetCheck(local.stack, SAMPLE_ADMIN_REGIONS, MEMBERS);

  expect(measure.status).toBe('SUCCEEDED');
  expect(measure.totals).toEqual({ members: MEMBERS * 17, enabled: 0, pending: 0, drifted: 0, unmanaged: MEMBERS * 17 });
  // Calls: ⌈5000/50⌉ = 100 ListMembers pages per region; nothing else grows with the fleet (the members
  // were never enrolled by this deployment, so no plans are read).
  expect(measure.calls.ListMembers).toBe(17 * Math.ceil(MEMBERS / LIST_MEMBERS_PAGE_SIZE));
  expect(measure.calls.GetMemberDetectors ?? 0).toBe(0);
  // 5 parts of 1,000 per region, each far inside the limits.
  expect(measure.historyEvents).toBeLessThan(STEP_FUNCTIONS_LIMITS.historyEvents / 10);
  expect(measure.largestPartHistoryEvents).toBeLessThan(100);
  expect(measure.outputBytes).toBeLessThan(STEP_FUNCTIONS_LIMITS.payloadBytes / 10);
  expect(Math.ceil(MEMBERS / (LIST_MEMBERS_PAGE_SIZE * FLEET_PART_PAGES))).toBe(5);
}, 900_000);
