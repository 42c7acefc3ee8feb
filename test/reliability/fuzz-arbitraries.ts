/**
 * fast-check generators for the fuzz tests: valid requests by the documented rules (emails with `+`
 * and every other character GuardDuty allows, messages with quotes, backslashes and unicode), and
 * invalid ones that break exactly the rules the README states, with injection attempts in every field.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { GUARDDUTY_REGIONS } from '../../contract/guardduty-regions';
import { SAMPLE_ADMIN_REGIONS } from '../../local/seed/sample-organization';
import {
  ADMIN_ACCOUNT,
  IDEMPOTENCY_KEY,
  MAX_MESSAGE_CODE_POINTS,
  MAX_REGIONS,
  MAX_REGION_NAME_LENGTH,
  validEmail,
  validEnrollmentRequest,
  validSignup,
} from './request-rules';

/** What callers try to smuggle through JSON, VTL and HTML. */
export const INJECTIONS = [
  '"',
  '\\',
  "'",
  '$',
  '#',
  '${StateMachineArn}',
  '$context.requestId',
  "$input.json('$')",
  "$util.escapeJavaScript('x')",
  '#set($x = "1")',
  '#if(true)yes#end',
  '#foreach($i in [1..3])$i#end',
  '## comment',
  '#[[raw]]#',
  '</script><script>alert(1)</script>',
  '{"accountId":"999999999999"}',
  '","name":"x","input":"{}',
  "\\'",
  '\\"',
  '\\u0022',
  '%22',
  '\u0000',
  '\n\r\t',
  '\u2028\u2029',
  '\u200f\u202e',
  '😀𝄞',
  'Grüße 日本語',
  '../../etc/passwd',
  '*',
  '?',
];

/** Any text, weighted towards the characters that break templates. */
export const nastyString = (maxLength = 60): Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...INJECTIONS),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.array(fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join('')),
  );

/** A very long string (10k to 300k characters), to look for size limits that answer 5xx. */
export const hugeString: Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', '9', '"', '\\', 'é', '😀', '$', '#'), fc.integer({ min: 10_000, max: 300_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

// GuardDuty's local-part characters (the API's EMAIL_PATTERN spells the same set).
const LOCAL_FIRST = '!#$*+/0123456789;=?ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{}~-'.split('');
const LOCAL_REST = [...LOCAL_FIRST, '.'];
const LABEL = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');

/** Emails GuardDuty accepts, often with `+` tags and the odd characters it allows. */
export const validEmailArb: Arbitrary<string> = fc
  .record({
    first: fc.constantFrom(...LOCAL_FIRST),
    rest: fc.array(fc.constantFrom(...LOCAL_REST), { maxLength: 20 }),
    tag: fc.option(fc.array(fc.constantFrom(...LOCAL_REST), { minLength: 1, maxLength: 8 }), { nil: undefined }),
    host: fc.array(fc.constantFrom(...LABEL, '-'), { minLength: 1, maxLength: 12 }),
    tld: fc.array(fc.constantFrom(...LABEL), { minLength: 2, maxLength: 6 }),
  })
  .map(({ first, rest, tag, host, tld }) => `${first}${rest.join('')}${tag ? `+${tag.join('')}` : ''}@a${host.join('')}.${tld.join('')}`)
  .filter((email) => email.length >= 6 && email.length <= 64 && validEmail(email));

const accountIdArb = fc.stringMatching(/^[0-9]{12}$/).filter((id) => id !== ADMIN_ACCOUNT);

/** Invitation messages with quotes, backslashes and unicode, up to the 1000-character limit. */
export const messageArb: Arbitrary<string> = fc
  .oneof(
    nastyString(200),
    fc.string({ unit: 'binary', maxLength: MAX_MESSAGE_CODE_POINTS }),
    // Astral characters: 1000 of them are 2000 UTF-16 units; the limit counts characters.
    fc.array(fc.constantFrom('😀', '𝄞', '🛡'), { minLength: 400, maxLength: MAX_MESSAGE_CODE_POINTS }).map((chars) => chars.join('')),
  )
  .filter((message) => [...message].length <= MAX_MESSAGE_CODE_POINTS);

/** A region the API accepts: one where GuardDuty runs. */
const regionNameArb = fc.constantFrom(...GUARDDUTY_REGIONS);
/** A well-formed region name where GuardDuty does not run (such as us-east-9). */
const unknownRegionArb = fc
  .stringMatching(/^[a-z]{2}(-[a-z]{1,8}){1,2}-[0-9]{1,2}$/)
  .filter((r) => r.length <= MAX_REGION_NAME_LENGTH && !GUARDDUTY_REGIONS.includes(r));

/** A valid enrollment request; regions from `regions` (e.g. the administrator's, for requests that run). */
export const validRequestArb = (regions: Arbitrary<string> = regionNameArb, maxRegions = MAX_REGIONS): Arbitrary<Record<string, unknown>> =>
  fc
    .record(
      {
        accountId: accountIdArb,
        email: validEmailArb,
        regions: fc.uniqueArray(regions, { minLength: 1, maxLength: maxRegions }),
        invitationMessage: messageArb,
      },
      { requiredKeys: ['accountId', 'email'] },
    )
    .filter(validEnrollmentRequest);

/** Regions where local mode's administrator has a detector. */
export const adminRegionArb = fc.constantFrom(...SAMPLE_ADMIN_REGIONS);

/** Anything JSON can hold, for fields of the wrong type. */
const anyJson: Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), nastyString(10)), { maxLength: 4 }),
  fc.dictionary(nastyString(10), fc.oneof(fc.integer(), nastyString(10)), { maxKeys: 3 }),
);

/** One way of breaking a request, as raw JSON text (so keys such as `__proto__` survive as written). */
export interface BrokenBody {
  rule: string;
  text: string;
}

const raw = (rule: string, body: Record<string, unknown>): BrokenBody => ({ rule, text: JSON.stringify(body) });

const base = validRequestArb(regionNameArb, 3);

const wrongType = fc
  .tuple(base, fc.constantFrom('accountId', 'email', 'regions', 'invitationMessage'), anyJson)
  .map(([body, field, value]) => raw(`${field} of the wrong type`, { ...body, [field]: value }));

const missing = fc.tuple(base, fc.subarray(['accountId', 'email'], { minLength: 1 })).map(([body, fields]) => {
  const copy = { ...body };
  for (const field of fields) delete copy[field];
  return raw(`missing ${fields.join(', ')}`, copy);
});

const extraField = fc
  .tuple(
    base,
    fc.oneof(fc.constantFrom('__proto__', 'constructor', 'admin', 'stateMachineArn', 'name', 'input', 'AccountId', 'email '), nastyString(20)),
    anyJson,
  )
  .filter(([, key]) => !['accountId', 'email', 'regions', 'invitationMessage'].includes(key))
  .map(([body, key, value]) => ({ rule: 'an extra field', text: `${JSON.stringify(body).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}` }));

const badAccountId = fc
  .tuple(
    base,
    fc.oneof(
      nastyString(),
      fc.stringMatching(/^[0-9]{11}$|^[0-9]{13}$/),
      fc.constantFrom('٢٢٢٢٢٢٢٢٢٢٢٢', '２２２２２２２２２２２２', '22222222222\n', ' 222222222222', '222222222222"', '2222222222e1', '0x222222222'),
      fc.stringMatching(/^[0-9]{12}$/).chain((id) => nastyString(5).map((junk) => `${id}${junk}`)),
    ),
  )
  .map(([body, accountId]) => raw('accountId not 12 digits', { ...body, accountId }));

const badEmail = fc
  .tuple(
    base,
    fc.oneof(
      nastyString(),
      validEmailArb.chain((email) =>
        fc.tuple(fc.constantFrom(...INJECTIONS), fc.nat(email.length)).map(([junk, at]) => `${email.slice(0, at)}${junk}${email.slice(at)}`),
      ),
      fc.constantFrom(
        "o'neil@example.com",
        'a"b@example.com',
        'a\\b@example.com',
        'a b@example.com',
        '.a@example.com',
        'a@example',
        'a@-example.com',
        'a@example.com.',
        'a@@example.com',
        'ü@example.com',
        'a@exämple.com',
        '</script>@x.com',
        '#set($a=1)@x.com',
        'a(b)@x.com',
        'a%b@x.com',
        'a&b@x.com',
        'a|b@x.com',
        'a,b@x.com',
        'a:b@x.com',
        'a[b]@x.com',
        'a<b>@x.com',
        'a@b.c\u0000',
      ),
      fc.integer({ min: 65, max: 200 }).map((n) => `${'a'.repeat(n - 12)}@example.com`),
      fc.constantFrom('a@b.c', 'a@bc', '@b.co', 'ab.co'),
    ),
  )
  .map(([body, email]) => raw('email not accepted by GuardDuty', { ...body, email }));

const badRegions = fc
  .tuple(
    base,
    fc.oneof(
      fc.constant([] as unknown[]),
      fc.array(regionNameArb, { minLength: MAX_REGIONS + 1, maxLength: MAX_REGIONS + 10 }),
      regionNameArb.map((r) => [r, r]),
      fc.array(fc.oneof(nastyString(), fc.constantFrom('US-EAST-1', 'us-east-1 ', 'us_east_1', 'useast1', 'us-east-123', 'moon-base-x')), {
        minLength: 1,
        maxLength: 3,
      }),
      unknownRegionArb.map((r) => ['us-east-1', r]),
      fc.integer({ min: MAX_REGION_NAME_LENGTH - 3, max: 5000 }).map((n) => [`ab-${'a'.repeat(n)}-1`]),
      anyJson.map((item) => [item]),
    ),
  )
  .map(([body, regions]) => raw('regions not 1-40 unique names of regions where GuardDuty runs', { ...body, regions }));

const badMessage = fc
  .tuple(
    base,
    fc.oneof(
      fc.integer({ min: MAX_MESSAGE_CODE_POINTS + 1, max: 20_000 }).map((n) => 'm'.repeat(n)),
      fc.constant('😀'.repeat(MAX_MESSAGE_CODE_POINTS + 1)),
    ),
  )
  .map(([body, invitationMessage]) => raw('invitationMessage over 1000 characters', { ...body, invitationMessage }));

const huge = fc
  .tuple(base, fc.constantFrom('accountId', 'email', 'regions', 'invitationMessage', 'extra'), hugeString)
  .map(([body, field, text]) => raw(`a huge ${field}`, { ...body, [field]: field === 'regions' ? [text] : text }));

const notAnObject = fc.oneof(
  fc
    .jsonValue()
    .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
    .map((v) => ({ rule: 'not a JSON object', text: JSON.stringify(v) })),
  nastyString(100)
    .filter((text) => text.trim() !== '')
    .map((text) => ({ rule: 'not JSON', text })),
  base.chain((body) => fc.nat(JSON.stringify(body).length - 1).map((cut) => ({ rule: 'truncated JSON', text: JSON.stringify(body).slice(0, cut) }))),
  fc
    .constantFrom('{"accountId": ', '{,}', "{'accountId':'222222222222'}", '{"accountId":"222222222222",}', '\ufeff{}', 'null', '[]', '""', '{"a":1}{"b":2}')
    .map((text) => ({ rule: 'malformed JSON', text })),
);

const deepNesting = fc.tuple(base, fc.integer({ min: 100, max: 5_000 })).map(([body, depth]) => ({
  rule: 'deeply nested JSON',
  text: `${JSON.stringify(body).slice(0, -1)},"regions":${'['.repeat(depth)}${']'.repeat(depth)}}`,
}));

/** Invalid bodies by kind; each generated body breaks at least one documented rule (checked by the test). */
export const BROKEN_BODIES: Record<string, Arbitrary<BrokenBody>> = {
  'fuzz/body-not-an-object': notAnObject,
  'fuzz/body-wrong-types': wrongType,
  'fuzz/body-missing-fields': missing,
  'fuzz/body-extra-fields': extraField,
  'fuzz/body-bad-account-id': badAccountId,
  'fuzz/body-bad-email': badEmail,
  'fuzz/body-bad-regions': badRegions,
  'fuzz/body-long-message': badMessage,
  'fuzz/body-huge-strings': huge,
  'fuzz/body-deep-nesting': deepNesting,
};

/** Idempotency-Key values the API must refuse (as a client sends them: HTTP trims outer whitespace). */
export const badIdempotencyKey: Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...INJECTIONS.filter((s) => /^[\x20-\x7e]+$/.test(s))),
    fc.string({
      unit: fc
        .integer({ min: 0x20, max: 0xff })
        .filter((c) => c !== 0x7f)
        .map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 120,
    }),
    fc.integer({ min: 81, max: 300 }).map((n) => 'k'.repeat(n)),
  )
  .filter((key) => key.trim() !== '' && !IDEMPOTENCY_KEY.test(key.trim()));

/** Content types with no mapping template: API Gateway refuses them (415) under PassthroughBehavior NEVER. */
export const unmappedContentType: Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'text/html',
      'application/json-patch+json',
      'application/jsonx',
      '*/*',
    ),
    fc.tuple(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z+.-]{1,12}$/)).map(([type, sub]) => `${type}/${sub}`),
  )
  .filter((type) => type.split(';')[0].trim().toLowerCase() !== 'application/json');

/**
 * Longest URL-encoded path segment sent: three of them stay under 8 KB, API Gateway's URL limit
 * (longer URLs are refused by HTTP itself, 414/431, before any API logic).
 */
const MAX_ENCODED_SEGMENT = 2500;

/** Path segments as a client would send them: anything that survives URL encoding and normalisation. */
export const pathSegment: Arbitrary<string> = fc
  .oneof(
    nastyString(80),
    hugeString.map((s) => s.slice(0, 2000)),
  )
  .filter(canEncode);

/** A Signup path whose MemberId or Email (or both) is not acceptable. */
export const badSignupPath: Arbitrary<{ masterDetectorId: string; memberId: string; email: string }> = fc
  .record({
    masterDetectorId: fc.oneof(hexString(1, 32), pathSegment),
    memberId: fc.oneof(
      fc.stringMatching(/^[0-9]{12}$/),
      badAccountId.map((b) => String(JSON.parse(b.text).accountId)),
      pathSegment,
    ),
    email: fc.oneof(
      validEmailArb,
      badEmail.map((b) => String(JSON.parse(b.text).email)),
      pathSegment,
    ),
  })
  .filter(({ memberId, email }) => !validSignup(memberId, email))
  .filter(({ masterDetectorId, memberId, email }) => [masterDetectorId, memberId, email].every(canEncode));

function canEncode(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..') return false; // URL normalisation eats these
  try {
    return encodeURIComponent(segment).length <= MAX_ENCODED_SEGMENT;
  } catch {
    return false; // a lone surrogate cannot be put in a URL
  }
}

/** A valid Signup path's member id and email. */
export const validSignupArb = fc.record({ memberId: accountIdArb, email: validEmailArb });

/** Lower-case hex, as GuardDuty's detector ids are. */
export function hexString(minLength: number, maxLength: number): Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength, maxLength });
}

/** A valid Idempotency-Key. */
export const validIdempotencyKey = fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/);
