/**
 * Regenerates RELIABILITY.md from the results the reliability tests wrote. `npm run reliability`
 * runs it with `--run`: it clears the old results, runs `jest test/reliability`, writes the report
 * from this run's results and exits with Jest's status. Without `--run` it only rewrites the report
 * from the results on disk.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOGUE } from './catalogue';
import type { CaseDefinition, SuiteName } from './case-definition';
import { SUITES } from './case-definition';
import { CALL_BUDGET, FAULT_CELLS, FAULT_KINDS, FAULT_OPERATIONS, SDK_MAX_ATTEMPTS, STEP_ATTEMPTS } from './fault-matrix-cases';
import { RESULTS_DIR, readResults } from './results';
import type { CaseResult, SuiteResults } from './results';

export const REPORT_PATH = path.resolve(__dirname, '..', '..', 'RELIABILITY.md');

const TITLES: Record<SuiteName, string> = {
  'fault-matrix': 'Fault matrix (`fault-matrix.test.ts`)',
  load: 'Load (`load.test.ts`)',
  fuzz: 'Bad input (`fuzz.test.ts`, fast-check)',
  'edge-accounts': 'Edge accounts (`edge-accounts.test.ts`)',
  'edge-accounts-emails-on': 'Edge accounts with invitation emails on (`edge-accounts-emails-on.test.ts`)',
  secrets: 'Secrets and least privilege (`secrets.test.ts`)',
};

/** Bugs the suite exposed, and how each was fixed (kept here so the report stays generated). */
const FIXES = [
  [
    'With invitation emails on, an email that is not the root email ended as `InvitationNotYetVisible` after ~40 s of retries, never `EmailVerificationFailed`: GuardDuty delivers no invitation when the verification fails, and only the administrator side can see why.',
    '`lib/enrollment-workflow.ts`: when the member side gives up on an invitation sent with email verification, two Choices route that one case (`InvitationNotYetVisible` with status `EmailVerificationInProgress`) to a `CheckEmailVerification` state that reads the member once on the administrator side (the VerifyMembership function); the region then fails with `EmailVerificationFailed`, and any other answer keeps the original failure. The Map hands every region state `accountId`/`adminDetectorId` so `ReadFailure` can pass them on.',
    'edge/email-mismatch-then-corrected',
  ],
  [
    'A region that failed after its retries ran out said "the workflow retries" (throttling, 5xx, invitation, membership): untrue as a final outcome, and silent about what to do.',
    '`lambda/shared/errors.ts`, `member-side.ts`, `admin-side.ts`: the messages now say the retries are bounded and what a final outcome means (enroll again later, or check the member).',
    'fault/*/throttled-past-budget, fault/*/internal-past-budget, edge/invitation-never-visible',
  ],
  [
    "A body the API model accepted (40 region names of a few thousand characters) got 500: the execution input passed Step Functions' 256 KiB limit.",
    '`contract/api-schemas.ts`: region names are at most 32 characters (`REGION_NAME_MAX_LENGTH`); such bodies are now a 400.',
    'fuzz/body-bad-regions',
  ],
  [
    'An invitation message of 501-1000 emoji was accepted by the API (the model counts characters) and then refused by every region as `InvalidEnrollmentRequest` (the Lambda counted UTF-16 units).',
    '`lambda/shared/validation.ts`: the message length is counted in characters (code points), as the model counts it.',
    'fuzz/valid-requests-end-to-end',
  ],
];

/** What the suite does not prove, or proves only in local mode. */
const LIMITS = [
  "The execution input carries the member email (CreateMembers needs it), and so do the states that pass that input on up to CreateMember: `ChooseAction` (enrollment or offboarding), `CheckRequest`, `UseDefaultRegions`, the `EnrollRegions` Map (its output keeps its input), `CreateMember`'s input, a caught CreateMember failure (its output and `ReadFailure`'s input) and `Summarize`'s input. They are read by the same people as the execution input; state-machine logging excludes execution data. From CreateMember's output on, the per-region states, the execution output and its cause carry no email (`secrets/email-only-where-unavoidable`).",
  "The status template (`describe-enrollment.response.vtl`) undoes `escapeJavaScript`'s `\\'` only in messages; `enrollmentId`, `accountId`, `relationshipStatus`, `memberDetectorId` and `code` would break the JSON if they held a `'`. Nothing puts one there (Idempotency-Keys and request ids, 12-digit ids, known statuses only, hex detector ids, error names), so `fuzz/template-status` generates only those; hardening the template is a one-line change per field.",
  'A suspended account is refused by STS exactly like a missing member role (AccessDenied), so its `MemberRoleNotAssumable` message suggests deploying the role.',
  'Local mode runs the API, the workflow and the emulator in one Node.js process on two cores: the 100-enrollment burst is answered in seconds there, which says nothing about AWS latencies. Usage-plan throttling is not emulated, so 429 is accepted as an answer but never observed.',
  `Retry budgets assume the AWS SDK's default of ${SDK_MAX_ATTEMPTS} attempts per call (\`AWS_MAX_ATTEMPTS\` would change it): ${SDK_MAX_ATTEMPTS} × ${STEP_ATTEMPTS} step attempts = ${CALL_BUDGET} failing calls exhaust a region. The AssumeRole cells run one at a time: the handlers' STS client calls from one region as the administrator, so an STS fault cannot be scoped to one cell.`,
  "The emulator does not check SigV4 signatures: AWS's own SignatureDoesNotMatch messages (which quote the canonical request) are not exercised.",
  "fast-check draws a new seed each run (shown in the fuzz results); `FC_SEED=<seed> npm run reliability` replays one (a failing property prints the command). API Gateway's own model validator may count string lengths in UTF-16 units where ajv counts characters; the workflow now accepts the larger reading, so either way what the API accepts, the workflow accepts.",
];

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function heldMark(result: CaseResult | undefined): string {
  if (!result) return 'not run';
  return result.held ? 'held' : '**FAILED**';
}

function caseTable(cases: readonly CaseDefinition[], results: Map<string, CaseResult>): string[] {
  const rows = ['| case | tried | expected | observed | count | held |', '| --- | --- | --- | --- | ---: | --- |'];
  for (const c of cases) {
    const r = results.get(c.id);
    rows.push(`| \`${c.id}\` | ${escapeCell(c.tried)} | ${escapeCell(c.expected)} | ${escapeCell(r?.observed ?? '')} | ${r?.count ?? ''} | ${heldMark(r)} |`);
  }
  return rows;
}

/** The matrix at a glance: one row per operation, one column per fault. */
function faultGrid(results: Map<string, CaseResult>): string[] {
  const rows = [`| operation (step) | ${FAULT_KINDS.map((k) => k.tried).join(' | ')} |`, `| --- | ${FAULT_KINDS.map(() => '---').join(' | ')} |`];
  for (const op of FAULT_OPERATIONS) {
    const cells = FAULT_KINDS.map((kind) => {
      const cell = FAULT_CELLS.find((c) => c.op === op && c.kind === kind)!;
      const r = results.get(cell.id);
      const outcome = r?.observed.split(';')[0] ?? 'not run';
      return `${r?.held ? '✓' : '✗'} ${outcome}`;
    });
    rows.push(`| ${op.operation} (${op.step}) | ${cells.join(' | ')} |`);
  }
  return rows;
}

/** The report's Markdown, from the catalogue and whatever results exist. */
export function renderReport(cases: readonly CaseDefinition[], suites: SuiteResults[]): string {
  const results = new Map(suites.flatMap((s) => s.cases).map((r) => [r.id, r]));
  const bySuite = new Map(suites.map((s) => [s.suite, s]));
  const lines: string[] = [
    '# Reliability and security: what was tried and what held',
    '',
    "<!-- Generated by `npm run reliability` (test/reliability/report.ts) from the results of `jest test/reliability`. Do not edit by hand: test/reliability/report.test.ts fails when the cases listed here differ from the suite's. -->",
    '',
    "Every row below is a test that can fail, run end to end in local mode (HTTP → local API Gateway → the template's state machine → the real handlers → the GuardDuty/STS emulator) or against the synthesized template. Regenerate with `npm run reliability`.",
    '',
    '## Summary',
    '',
    '| suite | cases | held | enrollments, requests or generated inputs | finished | time |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const suite of SUITES) {
    const suiteCases = cases.filter((c) => c.suite === suite);
    const run = bySuite.get(suite);
    const held = suiteCases.filter((c) => results.get(c.id)?.held).length;
    const count = suiteCases.filter((c) => !c.aggregate).reduce((sum, c) => sum + (results.get(c.id)?.count ?? 0), 0);
    lines.push(
      `| ${TITLES[suite]} | ${suiteCases.length} | ${run ? held : 'not run'} | ${run ? count : ''} | ${run?.finishedAt.slice(0, 16).replace('T', ' ') ?? ''} | ${run ? `${(run.durationMs / 1000).toFixed(1)} s` : ''} |`,
    );
  }
  const total = cases.length;
  const heldTotal = cases.filter((c) => results.get(c.id)?.held).length;
  lines.push(`| **all** | **${total}** | **${heldTotal}** | | | |`, '');

  for (const suite of SUITES) {
    lines.push(`## ${TITLES[suite]}`, '');
    if (suite === 'fault-matrix') {
      lines.push(
        `Each cell is a fresh account in its own region; faults are injected by the emulator for that account and region only. The SDK retries throttling and 5xx itself (${SDK_MAX_ATTEMPTS} attempts), the state machine retries the step (${STEP_ATTEMPTS} attempts), so ${CALL_BUDGET} failing calls spend a region's budget and ${CALL_BUDGET - 1} do not. Each cell also asserts the exact number of calls made: retried as budgeted, a terminal error never retried.`,
        '',
        ...faultGrid(results),
        '',
      );
    }
    lines.push(
      ...caseTable(
        cases.filter((c) => c.suite === suite),
        results,
      ),
      '',
    );
  }

  lines.push('## Bugs found and fixed', '', '| found | fix | shown by |', '| --- | --- | --- |');
  for (const [found, fix, shown] of FIXES) lines.push(`| ${escapeCell(found)} | ${escapeCell(fix)} | \`${shown}\` |`);
  lines.push('', '## Known limits', '', ...LIMITS.map((limit) => `- ${limit}`), '');
  return lines.join('\n');
}

/** The case ids RELIABILITY.md lists, in order. */
export function listedCaseIds(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `([a-z-]+\/[^`]+)` \|/gm)].map((m) => m[1]);
}

function main(): number {
  let status = 0;
  if (process.argv.includes('--run')) {
    fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
    // Two workers: Jest's default on two cores is one, and the fault matrix mostly waits on backoff.
    const args = ['jest', 'test/reliability', '--maxWorkers=2', ...process.argv.slice(2).filter((a) => a !== '--run')];
    const jest = spawnSync('npx', args, { stdio: 'inherit' });
    status = jest.status ?? 1;
  }
  fs.writeFileSync(REPORT_PATH, renderReport(CATALOGUE, readResults()));
  process.stdout.write(`RELIABILITY.md written from ${readResults().length} suite result file(s) in ${path.relative(process.cwd(), RESULTS_DIR)}\n`);
  return status;
}

if (require.main === module) process.exit(main());
