/**
 * Bad input, property-based (fast-check): generated bodies, Idempotency-Key headers, content types
 * and paths sent to the local API. Whatever a caller sends: never a 5xx; every invalid request a
 * 4xx (400, or API Gateway's own 415/404 where the README and API Gateway document those) with a
 * JSON `message`; and no execution started for any of them. Valid requests are the other half:
 * the mapping templates must turn every valid input into a StartExecution body that is valid JSON
 * whose `input` is the request itself, and the workflow must accept what the API accepted.
 *
 * Requests are sent one at a time, so the execution count before and after each one is exact.
 * The seed is printed in RELIABILITY.md's results and with any failure; set FC_SEED to replay a run.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { RelationshipStatus } from '../../lambda/shared/relationship-status';
import { seedSampleOrganization } from '../../local/seed/sample-organization';
import type { LocalStack } from '../../local/runtime/stack';
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import { EXECUTION_ARN_PREFIX, renderApp, TEMPLATE_REQUESTED_BY } from '../local-api/helpers';
import { FUZZ_CASES, HTTP_REQUEST_MINIMUM } from './fuzz-cases';
import {
  BROKEN_BODIES,
  adminRegionArb,
  badIdempotencyKey,
  badSignupPath,
  hexString,
  nastyString,
  pathSegment,
  unmappedContentType,
  validIdempotencyKey,
  validRequestArb,
  validSignupArb,
} from './fuzz-arbitraries';
import type { BrokenBody } from './fuzz-arbitraries';
import { PROPERTY_SEED } from '../helpers/property-seed';
import { ReliabilityClient, startReliabilityStack } from './harness';
import type { HttpAnswer } from './harness';
import { validEnrollmentRequest } from './request-rules';
import { ResultLog } from './results';

const SEED = PROPERTY_SEED;
const REQUEST_ID = 'c0ffee00-0000-4000-8000-000000000001';

const log = new ResultLog('fuzz');
let stack: LocalStack;
let client: ReliabilityClient;
let httpRequests = 0;

beforeAll(async () => {
  stack = await startReliabilityStack();
  client = new ReliabilityClient(stack);
  await seedSampleOrganization(stack.emulatorUrl);
});
afterAll(async () => {
  log.write();
  await stack?.close();
});

/** A property run of `numRuns` cases with this file's seed; counts what it sent. */
async function property<T>(
  id: string,
  arb: Arbitrary<T>,
  numRuns: number,
  check: (value: T, tally: Tally) => Promise<void> | void,
  options: { shrink?: boolean } = {},
): Promise<void> {
  const tally = new Tally();
  await log.check(
    id,
    numRuns,
    () => `${tally.runs} generated (seed ${SEED})${tally.text()}`,
    () =>
      fc.assert(
        fc.asyncProperty(arb, async (value) => {
          tally.runs++;
          await check(value, tally);
        }),
        // Shrinking re-sends requests; where each run waits for an enrollment it is turned off so a
        // failure reports its first counterexample within the test's time.
        { numRuns, seed: SEED, endOnFailure: options.shrink === false },
      ),
  );
}

/** Answers seen by a property, by HTTP status. */
class Tally {
  runs = 0;
  private readonly statuses = new Map<number, number>();
  add(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }
  text(): string {
    if (this.statuses.size === 0) return '';
    return `: ${[...this.statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${n}×${status}`)
      .join(' ')}`;
  }
}

/**
 * Sends one request that must be refused: no 5xx, one of `allowed`, a JSON message matching
 * `message`, and no execution started.
 */
async function expectRefused(tally: Tally, send: () => Promise<HttpAnswer>, allowed: number[], message: RegExp): Promise<void> {
  const before = stack.stepFunctions.executionCount;
  const answer = await send();
  httpRequests++;
  tally.add(answer.status);
  expect(answer.status).toBeLessThan(500);
  expect(allowed).toContain(answer.status);
  expect(typeof answer.json?.message).toBe('string');
  expect(answer.json.message).toMatch(message);
  expect(stack.stepFunctions.executionCount).toBe(before);
}

function parses(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A generated body must really break a documented rule: a generator bug must not pass silently. */
function expectBroken(broken: BrokenBody): void {
  const parsed = parses(broken.text);
  if (parsed.ok) expect({ rule: broken.rule, valid: validEnrollmentRequest(parsed.value) }).toEqual({ rule: broken.rule, valid: false });
}

const RUNS: Record<string, number> = {
  'fuzz/body-not-an-object': 100,
  'fuzz/body-wrong-types': 100,
  'fuzz/body-missing-fields': 50,
  'fuzz/body-extra-fields': 100,
  'fuzz/body-bad-account-id': 100,
  'fuzz/body-bad-email': 150,
  'fuzz/body-bad-regions': 100,
  'fuzz/body-long-message': 30,
  'fuzz/body-huge-strings': 30,
  'fuzz/body-deep-nesting': 20,
};

describe('invalid requests: 400 with a message, never 5xx, nothing started', () => {
  test.each(Object.keys(BROKEN_BODIES))('%s', async (id) => {
    const arb = BROKEN_BODIES[id].filter((broken) => {
      const parsed = parses(broken.text);
      return !parsed.ok || !validEnrollmentRequest(parsed.value);
    });
    await property(id, arb, RUNS[id], async (broken, tally) => {
      expectBroken(broken);
      await expectRefused(tally, () => client.request('POST', '/enrollments', { rawBody: broken.text }), [400], /^Invalid request body/);
    });
  });

  test('fuzz/idempotency-key', async () => {
    const body = { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1'] };
    await property('fuzz/idempotency-key', badIdempotencyKey, 100, async (key, tally) => {
      await expectRefused(tally, () => client.enroll(body, { 'Idempotency-Key': key }), [400], /Idempotency-Key must be 1 to 80 letters/);
    });
  });

  test('fuzz/content-type', async () => {
    const body = JSON.stringify({ accountId: '222222222222', email: 'workloads-dev@example.com' });
    // API Gateway answers 415 for a content type with no mapping template (PassthroughBehavior NEVER).
    await property('fuzz/content-type', unmappedContentType, 50, async (contentType, tally) => {
      await expectRefused(
        tally,
        () => client.request('POST', '/enrollments', { rawBody: body, headers: { 'content-type': contentType } }),
        [415],
        /Unsupported Media Type/,
      );
    });
  });

  test('fuzz/status-path', async () => {
    // An id that names no enrollment is the documented 404, whatever it holds.
    await property('fuzz/status-path', pathSegment, 100, async (id, tally) => {
      await expectRefused(tally, () => client.request('GET', `/enrollments/${encodeURIComponent(id)}`), [404], /^No enrollment has this id\.$/);
    });
  });

  test('fuzz/signup-path', async () => {
    await property('fuzz/signup-path', badSignupPath, 150, async ({ masterDetectorId, memberId, email }, tally) => {
      const path = `/guarddutysignup/MasterDetectorId/${encodeURIComponent(masterDetectorId)}/MemberId/${encodeURIComponent(memberId)}/Email/${encodeURIComponent(email)}`;
      await expectRefused(tally, () => client.request('GET', path), [400], /MemberId must be a 12-digit AWS account id and Email/);
    });
  });
});

describe('valid input: the mapping templates make valid JSON that carries the request unchanged', () => {
  test('fuzz/template-start-valid', async () => {
    await property('fuzz/template-start-valid', fc.tuple(validRequestArb(), fc.option(validIdempotencyKey, { nil: undefined })), 1000, ([body, key]) => {
      const { output } = renderApp('start-enrollment.request.vtl', { body, header: key ? { 'Idempotency-Key': key } : {}, context: { requestId: REQUEST_ID } });
      const request = JSON.parse(output) as { name: string; input: string };
      // The body unchanged, and who asked added from $context (never from the body).
      expect(JSON.parse(request.input)).toEqual({ ...body, requestedBy: TEMPLATE_REQUESTED_BY });
      expect(request.name).toBe(key ?? REQUEST_ID);
    });
  });

  test('fuzz/template-start-any-strings', async () => {
    // Defence in depth: even strings the model would refuse (quotes and apostrophes in emails, lone
    // surrogates, control characters) come out as valid JSON carrying exactly what came in.
    const text = fc.oneof(nastyString(80), fc.constantFrom('\ud800', 'a\udfffb', "o'neil+1@example.com", "\\'", "\\\\'"));
    const arb = fc.record({
      accountId: text,
      email: text,
      regions: fc.array(text, { maxLength: 3 }),
      invitationMessage: text,
      extra: fc.dictionary(text, text, { maxKeys: 2 }),
    });
    await property('fuzz/template-start-any-strings', arb, 500, (body) => {
      const bodyText = JSON.stringify(body);
      const { output } = renderApp('start-enrollment.request.vtl', { body: bodyText, context: { requestId: REQUEST_ID } });
      expect(JSON.parse((JSON.parse(output) as { input: string }).input)).toEqual({ ...JSON.parse(bodyText), requestedBy: TEMPLATE_REQUESTED_BY });
    });
  });

  test('fuzz/template-signup-valid', async () => {
    await property('fuzz/template-signup-valid', fc.tuple(validSignupArb, hexString(1, 32)), 500, ([{ memberId, email }, detector]) => {
      const { output } = renderApp('signup.request.vtl', {
        path: { MasterDetectorId: detector, MemberId: memberId, Email: email },
        context: { requestId: REQUEST_ID },
      });
      const request = JSON.parse(output) as { name: string; input: string };
      expect(JSON.parse(request.input)).toEqual({ accountId: memberId, email, requestedBy: TEMPLATE_REQUESTED_BY });
      expect(request.name).toBe(REQUEST_ID);
    });
  });

  test('fuzz/template-status', async () => {
    // Both directions of GET /enrollments/{id}: any id makes a valid request naming exactly that
    // execution, and any outcome text (GuardDuty's messages quote and backslash) a valid answer.
    const outcome = fc.record({
      region: adminRegionArb,
      outcome: fc.constantFrom('ENABLED', 'FAILED'),
      // What the workflow can put in an outcome: a known status (unknown ones stop the region before
      // they are stored), GuardDuty's hex detector ids, error names; the message is any text.
      relationshipStatus: fc.option(fc.constantFrom(...Object.values(RelationshipStatus)), { nil: null }),
      memberDetectorId: fc.option(hexString(32, 32), { nil: null }),
      error: fc.option(fc.record({ code: fc.stringMatching(/^[A-Za-z][A-Za-z.]{0,39}$/), message: nastyString(300) }), { nil: null }),
    });
    const arb = fc.tuple(
      fc.oneof(nastyString(80), fc.constantFrom('\ud800x')),
      validRequestArb(adminRegionArb, 3),
      fc.array(outcome, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
    );
    await property('fuzz/template-status', arb, 500, ([id, request, regions, failed]) => {
      const { output: describeRequest } = renderApp('describe-enrollment.request.vtl', { path: { enrollmentId: id } });
      expect(JSON.parse(describeRequest)).toEqual({ executionArn: `${EXECUTION_ARN_PREFIX}${id}` });

      const summary = JSON.stringify({ enrollmentId: 'e-1', accountId: request.accountId, regions, anyRegionFailed: failed });
      const answer = {
        executionArn: `${EXECUTION_ARN_PREFIX}e-1`,
        name: 'e-1',
        status: failed ? 'FAILED' : 'SUCCEEDED',
        startDate: 1767225600.5,
        stopDate: 1767225601.5,
        input: JSON.stringify(request),
        ...(failed ? { error: 'EnrollmentFailed', cause: summary } : { output: summary }),
      };
      const { output } = renderApp('describe-enrollment.response.vtl', { body: answer });
      const view = JSON.parse(output) as { accountId: string; regions: unknown[] };
      expect(view.accountId).toBe(request.accountId);
      expect(view.regions).toEqual(regions);
    });
  });

  test('fuzz/valid-requests-end-to-end', async () => {
    // Valid requests over HTTP: 202, exactly one execution whose input is the body, and the workflow
    // accepts what the API accepted (no region fails as an invalid request). The accounts have no
    // member role, so each enrollment stops quickly at AssumeRole.
    // Keys are made per request, not generated: shrinking re-runs a generated key with another body,
    // which Step Functions rightly refuses (409).
    let sequence = 0;
    const arb = fc.tuple(validRequestArb(adminRegionArb, 2), fc.boolean());
    await property(
      'fuzz/valid-requests-end-to-end',
      arb,
      60,
      async ([body, withKey], tally) => {
        const key = withKey ? `fuzz-${SEED}-${sequence++}` : undefined;
        const before = stack.stepFunctions.executionCount;
        const answer = await client.enroll(body, key ? { 'Idempotency-Key': key } : {});
        httpRequests++;
        tally.add(answer.status);
        expect(answer.status).toBe(202);
        expect(stack.stepFunctions.executionCount).toBe(before + 1);
        const id = answer.json.enrollmentId as string;
        const result = await stack.stepFunctions.waitFor(id);
        // The input the state machine started with (its ExecutionStarted event) is the body as sent.
        const startedEvent = result?.events.find((e) => e.type === 'ExecutionStarted') as { input?: unknown } | undefined;
        expect(startedEvent?.input).toEqual({ ...body, requestedBy: `arn:aws:iam::${LOCAL_ADMIN_ACCOUNT}:root` });
        const summary = JSON.parse(result?.status === 'SUCCEEDED' ? JSON.stringify(result.output) : (result?.cause ?? '{}')) as {
          regions?: { error: { code: string } | null }[];
        };
        expect((summary.regions ?? []).map((r) => r.error?.code).filter((code) => code === 'InvalidEnrollmentRequest')).toEqual([]);
      },
      { shrink: false },
    );
  });
});

test(`fuzz/http-request-count: at least ${HTTP_REQUEST_MINIMUM} generated requests were sent to the API`, () => {
  log.record({ id: 'fuzz/http-request-count', held: httpRequests >= HTTP_REQUEST_MINIMUM, observed: `${httpRequests} HTTP requests`, count: httpRequests });
  expect(httpRequests).toBeGreaterThanOrEqual(HTTP_REQUEST_MINIMUM);
});

test('this file ran exactly the cases its catalogue defines (the ones RELIABILITY.md lists)', () => {
  expect(log.ids().sort()).toEqual(FUZZ_CASES.map((c) => c.id).sort());
});
