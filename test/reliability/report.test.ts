/**
 * RELIABILITY.md must list exactly the cases the suite defines, with their current wording: a case
 * added, removed or reworded without regenerating the report (`npm run reliability`) fails here.
 * Observations and timings are not compared: they change with every run.
 */
import * as fs from 'node:fs';
import { CATALOGUE } from './catalogue';
import { SUITES } from './case-definition';
import { REPORT_PATH, listedCaseIds, renderReport } from './report';

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

test('case ids are unique and every suite has cases', () => {
  const ids = CATALOGUE.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const suite of SUITES) expect(CATALOGUE.filter((c) => c.suite === suite).length).toBeGreaterThan(0);
});

test('RELIABILITY.md lists exactly the cases the suite defines, in order', () => {
  const markdown = fs.readFileSync(REPORT_PATH, 'utf8');
  expect(listedCaseIds(markdown)).toEqual(CATALOGUE.map((c) => c.id));
});

test("each case's row in RELIABILITY.md says what the suite tries and expects today", () => {
  const rows = new Map(
    fs
      .readFileSync(REPORT_PATH, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => [line.slice(3, line.indexOf('`', 3)), line]),
  );
  const stale = CATALOGUE.filter((c) => !rows.get(c.id)?.includes(`| ${escapeCell(c.tried)} | ${escapeCell(c.expected)} |`)).map((c) => c.id);
  expect(stale).toEqual([]);
});

test('the generator lists every case even before any result exists, so the check above can never pass vacuously', () => {
  expect(listedCaseIds(renderReport(CATALOGUE, []))).toEqual(CATALOGUE.map((c) => c.id));
});
