/**
 * What the reliability suite tried and what held, written by the tests as they run and read by
 * `report.ts` to regenerate RELIABILITY.md. One JSON file per suite under `.tmp/reliability/`
 * (ignored by git): the report is produced by running the suite, never written by hand.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SuiteName } from './case-definition';

export const RESULTS_DIR = path.resolve(__dirname, '..', '..', '.tmp', 'reliability');

/** One case's outcome as the report shows it. */
export interface CaseResult {
  id: string;
  /** True when every assertion of the case passed. */
  held: boolean;
  /** What was observed, in a few words (outcome, error code, calls). */
  observed: string;
  /** How many requests, enrollments or generated inputs the case exercised. */
  count: number;
}

export interface SuiteResults {
  suite: SuiteName;
  finishedAt: string;
  durationMs: number;
  cases: CaseResult[];
}

/** Collects one suite's case results and writes them when the suite ends. */
export class ResultLog {
  private readonly cases = new Map<string, CaseResult>();
  private readonly started = Date.now();

  constructor(readonly suite: SuiteName) {}

  record(result: CaseResult): void {
    this.cases.set(result.id, result);
  }

  /**
   * Runs a case's assertions and records whether they held; a failure is recorded, then rethrown so
   * the test fails as well.
   */
  async check(id: string, count: number | (() => number), observed: () => string, assertions: () => void | Promise<void>): Promise<void> {
    const counted = () => (typeof count === 'function' ? count() : count);
    try {
      await assertions();
      this.record({ id, held: true, observed: observed(), count: counted() });
    } catch (error) {
      this.record({ id, held: false, observed: `${observed()}; failed: ${firstLine(error)}`, count: counted() });
      throw error;
    }
  }

  ids(): string[] {
    return [...this.cases.keys()];
  }

  write(): void {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const results: SuiteResults = {
      suite: this.suite,
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - this.started,
      cases: [...this.cases.values()],
    };
    fs.writeFileSync(path.join(RESULTS_DIR, `${this.suite}.json`), `${JSON.stringify(results, null, 2)}\n`);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Jest's matcher messages carry colour codes and several lines; the report needs one short line.
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the terminal colour codes this strips.
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim()
      .slice(0, 160) ?? 'error'
  );
}

/** Reads every suite's results written so far. */
export function readResults(): SuiteResults[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, file), 'utf8')) as SuiteResults);
}
