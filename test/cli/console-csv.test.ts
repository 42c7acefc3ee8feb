/** Reading the GuardDuty console's account CSV. */
import { parseConsoleCsv } from '../../cli/console-csv';

test('reads the console format with a BOM, CRLF, quotes and blank lines', () => {
  const text = '\uFEFFAccount ID,Email\r\n111122223333,a@example.com\r\n\r\n"444455556666", "b@example.com" \r\n';
  expect(parseConsoleCsv(text, 'f.csv')).toEqual([
    { line: 2, accountId: '111122223333', email: 'a@example.com' },
    { line: 4, accountId: '444455556666', email: 'b@example.com' },
  ]);
});

test.each([
  ['', /f\.csv is empty/],
  ['Account,Email\n111122223333,a@example.com', /first line must be the GuardDuty console header "Account ID,Email"; found "Account,Email"/],
  ['Account ID,Email\n', /has the header but no accounts/],
  ['Account ID,Email\n111122223333\n', /line 2: expected "<account id>,<email>"; found "111122223333"/],
  ['Account ID,Email\n111122223333,a@example.com,extra\n', /line 2: expected/],
  ['Account ID,Email\n111122223333,a@example.com\n111122223333,b@example.com\n', /names account 111122223333 twice \(lines 2 and 3\)/],
  ['Account ID,Email\n111122223333,a@example.com\n\n1111-2222-3333,b@example.com\n', /line 4: "1111-2222-3333" is not a 12-digit account id/],
  ['Account ID,Email\n111122223333,a@b\n', /line 2: "a@b" is not an email GuardDuty accepts/],
  ['Account ID,Email\n111122223333,a@example\n', /line 2: "a@example" is not an email GuardDuty accepts/],
])('refuses %j with a message naming the problem', (text, message) => {
  expect(() => parseConsoleCsv(text, 'f.csv')).toThrow(message);
});
