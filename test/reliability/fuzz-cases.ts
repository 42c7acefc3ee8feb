/** Bad input: the generated requests of the fuzz tests, by kind. */
import type { CaseDefinition } from './case-definition';

/** The issue asks for at least this many generated requests to the API in one run. */
export const HTTP_REQUEST_MINIMUM = 1000;

const refused = (id: string, tried: string, expected = '400 with a message; no 5xx; no execution started'): CaseDefinition => ({
  id,
  suite: 'fuzz',
  tried,
  expected,
});

export const FUZZ_CASES: readonly CaseDefinition[] = [
  refused('fuzz/body-not-an-object', 'POST bodies that are not a JSON object: other JSON values, text, truncated JSON, a BOM'),
  refused('fuzz/body-wrong-types', 'a field of the wrong type (number, boolean, null, array, object)'),
  refused('fuzz/body-missing-fields', 'accountId and/or email left out'),
  refused('fuzz/body-extra-fields', 'an extra field (`__proto__`, `constructor`, `name`, `input`, unicode and injection keys)'),
  refused('fuzz/body-bad-account-id', 'accountId not 12 ASCII digits: injection strings, unicode digits, 11/13 digits, digits plus junk'),
  refused(
    'fuzz/body-bad-email',
    "emails GuardDuty refuses: quotes, `'`, `\\`, `<`, `(`, `%`, `&`, spaces, unicode, VTL and `${…}` inside valid ones, over 64 characters",
  ),
  refused('fuzz/body-bad-regions', 'regions empty, over 40, repeated, not strings, not region names, names of 30 to 5000 characters'),
  refused('fuzz/body-long-message', 'invitationMessage over 1000 characters (ASCII or astral)'),
  refused('fuzz/body-huge-strings', 'a field holding 10k to 300k characters of quotes, backslashes, `$`, `#`, unicode'),
  refused('fuzz/body-deep-nesting', 'arrays nested 100 to 5000 deep'),
  refused('fuzz/idempotency-key', 'Idempotency-Key values outside 1-80 of `A-Z a-z 0-9 - _` (injection, latin-1, 81-300 characters)'),
  refused('fuzz/content-type', 'content types with no mapping template', '415 with a message (API Gateway, PassthroughBehavior NEVER); no execution started'),
  refused('fuzz/status-path', 'GET /enrollments/{id} with any id (injection, unicode, up to 2000 characters)', '404 `No enrollment has this id.`; no 5xx'),
  refused('fuzz/signup-path', 'the Signup route with a bad MemberId or Email (any text, URL-encoded)'),
  {
    id: 'fuzz/template-start-valid',
    suite: 'fuzz',
    tried: 'valid bodies (emails with `+`, `$`, `{`, `}`, `/`, `#`; messages with quotes, backslashes, unicode) and keys, through the POST template',
    expected: 'valid JSON; `input` parses back to the body; the key or request id names the execution',
  },
  {
    id: 'fuzz/template-start-any-strings',
    suite: 'fuzz',
    tried: "any strings in every field, even ones the model refuses (`'` in emails, lone surrogates, control characters)",
    expected: 'valid JSON whose `input` is exactly the body',
  },
  {
    id: 'fuzz/template-signup-valid',
    suite: 'fuzz',
    tried: 'valid Signup member ids and emails through its template',
    expected: 'valid JSON; `input` is {accountId, email}',
  },
  {
    id: 'fuzz/template-status',
    suite: 'fuzz',
    tried: 'any enrollment id, and any outcome text, through the status templates',
    expected: 'a valid request naming exactly that execution; a valid answer carrying every outcome unchanged',
  },
  {
    id: 'fuzz/valid-requests-end-to-end',
    suite: 'fuzz',
    tried: 'valid requests over HTTP (with or without a key)',
    expected: '202; one execution whose input is the body; no region fails as an invalid request',
  },
  {
    id: 'fuzz/http-request-count',
    suite: 'fuzz',
    tried: 'all generated HTTP requests of this suite',
    expected: `at least ${HTTP_REQUEST_MINIMUM}`,
    aggregate: true,
  },
];
