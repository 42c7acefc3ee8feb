/**
 * The batch CSV as people's tools write it: the API's mapping template (start-batch-csv.request.vtl,
 * rendered as API Gateway renders it, with its 1,000-iteration #foreach limit) and `gde bulk`'s
 * reader take the same files and refuse the same files.
 */
import { parseConsoleCsv } from '../../cli/console-csv';
import { renderMappingTemplate } from '../../local/api-gateway/vtl';
import { renderApp } from './helpers';

const A = { accountId: '222222222222', email: 'workloads-dev@example.com' };
const B = { accountId: '333333333333', email: 'workloads-prod@example.com' };

/** What the template made of a CSV body: the accounts it would enroll, or undefined when it refused. */
function apiReads(csv: string): { accountId: string; email: string }[] | undefined {
  const { output } = renderApp('start-batch-csv.request.vtl', { body: csv });
  const request = JSON.parse(output) as { name: string; input: string };
  if (request.name === 'invalid batch') return undefined;
  return (JSON.parse(request.input) as { accounts: { accountId: string; email: string }[] }).accounts;
}

/** What `gde bulk` made of the same file, or undefined when it refused it. */
function gdeReads(csv: string): { accountId: string; email: string }[] | undefined {
  try {
    return parseConsoleCsv(csv, 'accounts.csv').map(({ accountId, email }) => ({ accountId, email }));
  } catch {
    return undefined;
  }
}

const accepted: [string, string][] = [
  ['the console header and plain lines', `Account ID,Email\n${A.accountId},${A.email}\n${B.accountId},${B.email}`],
  [
    "a spreadsheet's CSV UTF-8: byte-order mark, every field quoted, CRLF, trailing empty line",
    `\uFEFF"Account ID","Email"\r\n"${A.accountId}","${A.email}"\r\n"${B.accountId}","${B.email}"\r\n`,
  ],
  ['a byte-order mark alone', `\uFEFFAccount ID,Email\n${A.accountId},${A.email}\n`],
  ['only the emails quoted, spaces around cells', `Account ID , Email\r\n ${A.accountId} , "${A.email}" \r\n\r\n`],
  ['a lower-case header and blank lines', `account id,email\n\n${A.accountId},${A.email}\n\n\n`],
];

const refused: [string, string][] = [
  ['no header', `${A.accountId},${A.email}\n`],
  ['a quote inside an account id', `Account ID,Email\n2222"22222222,${A.email}\n`],
  ['an email with a quoted comma', `Account ID,Email\n${A.accountId},"work,loads@example.com"\n`],
  ['three cells', `Account ID,Email\n${A.accountId},${A.email},x\n`],
  ['only the header, quoted', '"Account ID","Email"\r\n'],
  ['an account twice', `Account ID,Email\n${A.accountId},${A.email}\n"${A.accountId}","${A.email}"\n`],
  ['a byte-order mark in the middle', `Account ID,Email\n\uFEFF${A.accountId},${A.email}\n`],
];

test.each(accepted)('%s: the API and gde both read the same accounts', (_name, csv) => {
  const api = apiReads(csv);
  expect(api).toBeDefined();
  expect(api).toEqual(gdeReads(csv));
  expect(api!.map((a) => a.accountId)[0]).toBe(A.accountId);
});

test.each(refused)('%s: the API and gde both refuse it', (_name, csv) => {
  expect(apiReads(csv)).toBeUndefined();
  expect(gdeReads(csv)).toBeUndefined();
});

describe("API Gateway's 1,000-iteration #foreach limit", () => {
  const csvOf = (count: number) =>
    ['"Account ID","Email"', ...Array.from({ length: count }, (_, i) => `"${600000000000 + i}","a${i}@example.com"`), ''].join('\r\n');

  test('local mode stops a #foreach after 1,000 iterations, as API Gateway does', () => {
    const { output } = renderMappingTemplate("#foreach($i in $input.path('$'))x#end", {
      body: JSON.stringify(Array.from({ length: 1001 }, (_, i) => i)),
      params: { path: {}, querystring: {}, header: {} },
      context: { requestId: 'r-1', stage: 'v1' },
    });
    expect(output).toBe('x'.repeat(1000));
  });

  test('a CSV of 1,000 accounts with its header and a trailing empty line reaches the workflow whole', () => {
    const accounts = apiReads(csvOf(1000));
    expect(accounts).toHaveLength(1000);
    expect(accounts![999]).toEqual({ accountId: '600000000999', email: 'a999@example.com' });
  });

  test('a CSV of 1,001 accounts is refused, not cut to 1,000', () => {
    expect(apiReads(csvOf(1001))).toBeUndefined();
  });
});
