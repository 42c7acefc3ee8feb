/**
 * The GuardDuty console's "add accounts" CSV: a header line `Account ID,Email`, then one account
 * per line. Quoted fields (as spreadsheets write them), a byte-order mark, CRLF line ends and
 * blank lines are accepted; anything else is refused before a single enrollment is sent. Account
 * ids and emails are checked against the API's own model (lib/api/schemas.ts) here, because the
 * API refuses a whole batch with one message and cannot say which line is wrong.
 */
import { ACCOUNT_ID_PATTERN, CSV_HEADER, EMAIL_MAX_LENGTH, EMAIL_MIN_LENGTH, EMAIL_PATTERN } from '../lib/api/schemas';
import { UsageError } from './errors';

const ACCOUNT_ID = new RegExp(ACCOUNT_ID_PATTERN);
const EMAIL = new RegExp(EMAIL_PATTERN);

export interface CsvAccount {
  /** 1-based line number in the file, for messages. */
  readonly line: number;
  readonly accountId: string;
  readonly email: string;
}

/** Splits one CSV line into trimmed fields, honouring double quotes ("" inside quotes is a quote). */
function fields(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  return out;
}

/** Reads the accounts of a console CSV. @throws UsageError naming the file and line of the problem */
export function parseConsoleCsv(text: string, fileName: string): CsvAccount[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new UsageError(`${fileName} is empty: it needs the header "${CSV_HEADER}" and one account per line.`);
  const header = fields(lines[headerIndex]);
  if (header.length !== 2 || header[0].toLowerCase() !== 'account id' || header[1].toLowerCase() !== 'email') {
    throw new UsageError(
      `${fileName}: the first line must be the GuardDuty console header "${CSV_HEADER}"; found "${lines[headerIndex].trim()}". Nothing was sent.`,
    );
  }
  const accounts: CsvAccount[] = [];
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const line = i + 1;
    const row = fields(lines[i]);
    if (row.length !== 2 || row[0] === '' || row[1] === '') {
      throw new UsageError(`${fileName} line ${line}: expected "<account id>,<email>"; found "${lines[i].trim()}". Nothing was sent.`);
    }
    const [accountId, email] = row as [string, string];
    if (!ACCOUNT_ID.test(accountId)) throw new UsageError(`${fileName} line ${line}: "${accountId}" is not a 12-digit account id. Nothing was sent.`);
    if (email.length < EMAIL_MIN_LENGTH || email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email)) {
      throw new UsageError(
        `${fileName} line ${line}: "${email}" is not an email GuardDuty accepts (${EMAIL_MIN_LENGTH} to ${EMAIL_MAX_LENGTH} characters, one @, a domain with a dot). Nothing was sent.`,
      );
    }
    const earlier = seen.get(accountId);
    if (earlier !== undefined) throw new UsageError(`${fileName} names account ${accountId} twice (lines ${earlier} and ${line}). Nothing was sent.`);
    seen.set(accountId, line);
    accounts.push({ line, accountId, email });
  }
  if (accounts.length === 0) throw new UsageError(`${fileName} has the header but no accounts. Nothing was sent.`);
  return accounts;
}
