/**
 * The GuardDuty console's "add accounts" CSV: a header line `Account ID,Email`, then one account
 * per line, read as the API reads it (contract/console-csv.ts): quoted fields (as spreadsheets write
 * them), a byte-order mark, CRLF line ends and blank lines are accepted; anything else is refused
 * before a single enrollment is sent. Account ids and emails are checked against the API's own
 * model here (account-check.ts), because the API refuses a whole batch with one message and cannot
 * say which line is wrong.
 */
import { CSV_BYTE_ORDER_MARK_PATTERN, CSV_CELL_BOUNDARY_PATTERN } from '../contract/console-csv';
import { CSV_HEADER } from '../contract/api-schemas';
import { accountIdProblem, emailProblem } from './account-check';
import { UsageError } from './errors';

export interface CsvAccount {
  /** 1-based line number in the file, for messages. */
  readonly line: number;
  readonly accountId: string;
  readonly email: string;
}

const CELL_BOUNDARY = new RegExp(CSV_CELL_BOUNDARY_PATTERN, 'g');
const BYTE_ORDER_MARK = new RegExp(CSV_BYTE_ORDER_MARK_PATTERN);

/** Java's String.trim, which the API's template uses: characters up to U+0020 (JavaScript's also takes U+FEFF and Unicode spaces). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Java's trim takes exactly the control characters and the space.
const JAVA_TRIM = /^[\x00-\x20]+|[\x00-\x20]+$/g;

/** One line as the API reads it (contract/console-csv.ts): spaces and quotes around cells dropped. */
function normalized(line: string): string {
  return line.replace(CELL_BOUNDARY, '$1').replace(JAVA_TRIM, '');
}

/** Reads the accounts of a console CSV. @throws UsageError naming the file and line of the problem */
export function parseConsoleCsv(text: string, fileName: string): CsvAccount[] {
  const lines = text.replace(BYTE_ORDER_MARK, '').split(/\r?\n/).map(normalized);
  const headerIndex = lines.findIndex((l) => l !== '');
  if (headerIndex < 0) throw new UsageError(`${fileName} is empty: it needs the header "${CSV_HEADER}" and one account per line.`);
  if (lines[headerIndex].toLowerCase() !== CSV_HEADER.toLowerCase()) {
    throw new UsageError(`${fileName}: the first line must be the GuardDuty console header "${CSV_HEADER}"; found "${lines[headerIndex]}". Nothing was sent.`);
  }
  const accounts: CsvAccount[] = [];
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const line = i + 1;
    const row = lines[i].split(',');
    if (row.length !== 2 || row[0] === '' || row[1] === '') {
      throw new UsageError(`${fileName} line ${line}: expected "<account id>,<email>"; found "${lines[i]}". Nothing was sent.`);
    }
    const [accountId, email] = row as [string, string];
    const problem = accountIdProblem(accountId) ?? emailProblem(email);
    if (problem) throw new UsageError(`${fileName} line ${line}: ${problem}. Nothing was sent.`);
    const earlier = seen.get(accountId);
    if (earlier !== undefined) throw new UsageError(`${fileName} names account ${accountId} twice (lines ${earlier} and ${line}). Nothing was sent.`);
    seen.set(accountId, line);
    accounts.push({ line, accountId, email });
  }
  if (accounts.length === 0) throw new UsageError(`${fileName} has the header but no accounts. Nothing was sent.`);
  return accounts;
}
