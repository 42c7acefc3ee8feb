/** Load: many enrollments at once, with the repeats real callers send. */
import type { CaseDefinition } from './case-definition';

/** Distinct accounts enrolled at once. */
export const DISTINCT_ACCOUNTS = 100;
/** Of those, repeated at once with the same Idempotency-Key (a vending pipeline retrying its call). */
export const KEYED_REPEATS = 25;
/** Of those, repeated at once without an Idempotency-Key (a second caller, or a careless retry). */
export const UNKEYED_REPEATS = 15;

export const LOAD_CASES: readonly CaseDefinition[] = [
  {
    id: 'load/distinct-accounts',
    suite: 'load',
    tried: `${DISTINCT_ACCOUNTS} enrollments of distinct accounts at once (half in two regions)`,
    expected: '202 each; every execution SUCCEEDED; each account exactly one membership per region, Enabled',
  },
  {
    id: 'load/same-idempotency-key',
    suite: 'load',
    tried: `${KEYED_REPEATS} of them repeated at once with the same Idempotency-Key and body (each enrollment held until its repeat was answered), and again after they finished`,
    expected: '202 with the same enrollment id while running, 409 once finished; no execution started by any repeat',
  },
  {
    id: 'load/repeats-without-key',
    suite: 'load',
    tried: `${UNKEYED_REPEATS} of them repeated at once without an Idempotency-Key`,
    expected: '202 and a second execution each, which also SUCCEEDED; still one membership per account and region',
  },
  {
    id: 'load/every-request-answered',
    suite: 'load',
    tried: 'every request of this suite, all on 127.0.0.1',
    expected: 'answered 202 or a documented 4xx (409/429), never 5xx; every started enrollment terminal',
    aggregate: true,
  },
];
