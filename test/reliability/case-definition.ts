/** The shape of one reliability case, shared by every suite's case list and the report. */

/** The suites of test/reliability, one per test file that records results. */
export const SUITES = ['fault-matrix', 'load', 'fuzz', 'edge-accounts', 'edge-accounts-emails-on', 'secrets'] as const;
export type SuiteName = (typeof SUITES)[number];

export interface CaseDefinition {
  /** Stable id, e.g. `fault/CreateMembers/throttled-once`; RELIABILITY.md lists cases by it. */
  id: string;
  suite: SuiteName;
  /** What was tried, in words a reader of RELIABILITY.md understands. */
  tried: string;
  /** What must hold. */
  expected: string;
  /** A check over the other cases' requests or executions: left out of the suite's count. */
  aggregate?: true;
}
