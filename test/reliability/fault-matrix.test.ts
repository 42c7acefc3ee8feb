/**
 * Fault matrix, end to end (HTTP → API → state machine → handlers → emulator): every AWS operation
 * a fresh enrollment calls × throttling, 5xx, access denied and latency. Transient faults must end
 * ENABLED; a spent retry budget or a terminal fault must fail that region with a stable code and a
 * message naming the account, the region and the cause, and must stop calling AWS.
 *
 * Each cell has its own member account and, among the cells running at once, its own region, so its
 * faults (scoped by the calling account and the region) touch no other cell. The API accepts only
 * regions where GuardDuty runs, fewer than the cells, so the cells run in waves of one cell per
 * region. AssumeRole is the exception: the handlers' STS client calls from one region as the
 * administrator, so those cells run one after another while nothing else runs.
 */
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import type { LocalStack } from '../../local/runtime/stack';
import { EXHAUSTED_CAUSE, FAULT_CELLS, FAULT_MATRIX_CASES } from './fault-matrix-cases';
import type { FaultCell } from './fault-matrix-cases';
import { GUARDDUTY_REGIONS } from '../../contract/guardduty-regions';
import { LOCAL_ADMIN_ACCOUNT, ReliabilityClient, startReliabilityStack } from './harness';
import type { EnrollmentView } from './harness';
import { ResultLog } from './results';

/** The region of the handlers' STS client: the Lambda's own (AWS_REGION in local mode). */
const STS_REGION = 'us-east-1';

interface CellRun {
  cell: FaultCell;
  accountId: string;
  region: string;
  view?: EnrollmentView;
  failure?: unknown;
  /** Calls of the targeted operation from the faulted account in the faulted region. */
  calls: number;
  /** This cell's faults still pending afterwards (each must have been used up). */
  pendingFaults: number[];
}

const log = new ResultLog('fault-matrix');
const runs = new Map<string, CellRun>();
let stack: LocalStack;
let client: ReliabilityClient;

function accountFor(cell: FaultCell): string {
  return `7${String(cell.opIndex).padStart(2, '0')}${String(cell.kindIndex).padStart(2, '0')}0000000`;
}

async function runCell(cell: FaultCell, region: string): Promise<CellRun> {
  const { op, kind } = cell;
  const accountId = accountFor(cell);
  const { email } = await client.addAccount(accountId);
  const scope =
    op.operation === 'AssumeRole'
      ? { accountId: LOCAL_ADMIN_ACCOUNT, region: STS_REGION }
      : { accountId: op.caller === 'member' ? accountId : LOCAL_ADMIN_ACCOUNT, region };
  const faultIds: number[] = [];
  // Faults are taken in order: a 1 ms pass-through fault absorbs each earlier call of the same
  // operation (GetMembers in CreateMember), so the real one hits the call this cell targets.
  for (let i = 0; i < op.callsBefore; i++) faultIds.push(await client.addFault({ operation: op.operation, ...scope, latencyMs: 1, count: 1 }));
  faultIds.push(await client.addFault({ operation: op.operation, ...scope, error: kind.error, latencyMs: kind.latencyMs, count: kind.count }));

  const callsBefore = await client.callCount(op.operation, scope.accountId, scope.region);
  const run: CellRun = { cell, accountId, region, calls: 0, pendingFaults: [] };
  try {
    run.view = await client.enrollAndWaitForOutcome({ accountId, email, regions: [region] });
  } catch (error) {
    run.failure = error;
  }
  run.calls = (await client.callCount(op.operation, scope.accountId, scope.region)) - callsBefore;
  run.pendingFaults = (await client.pendingFaultIds()).filter((id) => faultIds.includes(id));
  return run;
}

beforeAll(async () => {
  stack = await startReliabilityStack();
  client = new ReliabilityClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
  await client.addAdminDetectors([...GUARDDUTY_REGIONS]);

  const concurrent = FAULT_CELLS.filter((cell) => cell.op.operation !== 'AssumeRole');
  for (let start = 0; start < concurrent.length; start += GUARDDUTY_REGIONS.length) {
    const wave = concurrent.slice(start, start + GUARDDUTY_REGIONS.length);
    for (const run of await Promise.all(wave.map((cell, i) => runCell(cell, GUARDDUTY_REGIONS[i])))) runs.set(run.cell.id, run);
  }
  for (const cell of FAULT_CELLS.filter((c) => c.op.operation === 'AssumeRole')) runs.set(cell.id, await runCell(cell, 'eu-west-1'));
});

afterAll(async () => {
  log.write();
  await stack?.close();
});

function expectedCalls(cell: FaultCell): number {
  const enabled = cell.kind.expect === 'ENABLED';
  const failedCalls = cell.kind.error ? cell.kind.count : 0;
  return cell.op.callsBefore + failedCalls + (enabled ? 1 + cell.op.callsAfter : 0);
}

function observed(run: CellRun | undefined): string {
  if (!run) return 'not run';
  if (!run.view) return `no outcome (${String(run.failure)})`;
  const region = run.view.regions[0];
  const outcome = region ? `${region.outcome}${region.error ? ` ${region.error.code}` : ''}` : `execution ${run.view.status}`;
  return `${outcome}; ${run.calls} ${run.cell.op.operation} call(s)`;
}

describe.each(FAULT_CELLS.map((cell) => [cell.id, cell] as const))('%s', (id, cell) => {
  const expectation =
    cell.kind.expect === 'ENABLED' ? 'ends ENABLED' : `fails the region with ${cell.kind.expect === 'denied' ? cell.op.deniedCode : cell.kind.expect}`;
  test(`${cell.op.operation} ${cell.kind.tried} → ${expectation}, after exactly ${expectedCalls(cell)} call(s)`, async () => {
    const run = runs.get(id);
    await log.check(
      id,
      1,
      () => observed(run),
      () => {
        expect(run?.failure).toBeUndefined();
        const view = run!.view!;
        expect(run!.pendingFaults).toEqual([]); // the fault did hit the operation this cell targets
        expect(view.regions).toHaveLength(1);
        const [region] = view.regions;
        expect(region.region).toBe(run!.region);

        if (cell.kind.expect === 'ENABLED') {
          expect(view.status).toBe('SUCCEEDED');
          expect(region).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled', error: null });
          expect(region.memberDetectorId).toEqual(expect.any(String));
          if (cell.kind.latencyMs) expect(view.stoppedAt! - view.startedAt).toBeGreaterThanOrEqual(cell.kind.latencyMs / 1000);
        } else {
          const code = cell.kind.expect === 'denied' ? cell.op.deniedCode : cell.kind.expect;
          const cause = cell.kind.expect === 'denied' ? cell.op.deniedCause : EXHAUSTED_CAUSE[cell.kind.expect];
          expect(view.status).toBe('FAILED');
          expect(region.outcome).toBe('FAILED');
          expect(region.error?.code).toBe(code);
          const message = region.error?.message ?? '';
          expect(message).toContain(run!.accountId);
          expect(message).toContain(run!.region);
          expect(message).toMatch(cell.op.namedAs ?? new RegExp(cell.op.operation));
          expect(message).toMatch(cause);
        }
        // Bounded both ways: retried exactly as budgeted, and a terminal error is never retried.
        expect(run!.calls).toBe(expectedCalls(cell));
      },
    );
  });
});

test('every enrollment of the matrix reached a terminal status with a reason, and nothing else was started', async () => {
  await log.check(
    'fault/every-execution-terminal',
    runs.size,
    () => `${runs.size} executions checked`,
    async () => {
      expect(stack.stepFunctions.executionCount).toBe(FAULT_CELLS.length);
      for (const run of runs.values()) {
        const result = await stack.stepFunctions.waitFor(run.view!.enrollmentId);
        expect(['SUCCEEDED', 'FAILED']).toContain(result?.status);
        if (result?.status === 'FAILED') {
          // The execution's own error and cause: the summary with every region's outcome.
          expect(result.error).toBe('EnrollmentFailed');
          const summary = JSON.parse(result.cause ?? '') as { regions: { outcome: string; error: { code: string; message: string } | null }[] };
          for (const region of summary.regions.filter((r) => r.outcome === 'FAILED')) {
            expect(region.error?.code).toMatch(/^[A-Za-z]+$/);
            expect(region.error?.message.length).toBeGreaterThan(20);
          }
        }
      }
    },
  );
});

test('this file ran exactly the cases its catalogue defines (the ones RELIABILITY.md lists)', () => {
  expect(log.ids().sort()).toEqual(FAULT_MATRIX_CASES.map((c) => c.id).sort());
});
