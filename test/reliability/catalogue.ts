/**
 * Every case of the reliability suite, in report order. Each test file runs exactly its suite's
 * cases (it checks so), and `report.test.ts` checks that RELIABILITY.md lists exactly these.
 */
import type { CaseDefinition } from './case-definition';
import { EDGE_ACCOUNT_CASES, EDGE_EMAILS_ON_CASES } from './edge-accounts-cases';
import { FAULT_MATRIX_CASES } from './fault-matrix-cases';
import { FUZZ_CASES } from './fuzz-cases';
import { LOAD_CASES } from './load-cases';
import { SECRETS_CASES } from './secrets-cases';

export const CATALOGUE: readonly CaseDefinition[] = [
  ...FAULT_MATRIX_CASES,
  ...LOAD_CASES,
  ...FUZZ_CASES,
  ...EDGE_ACCOUNT_CASES,
  ...EDGE_EMAILS_ON_CASES,
  ...SECRETS_CASES,
];
