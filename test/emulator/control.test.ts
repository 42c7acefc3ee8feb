/** The control API: faults (error, latency, count), settings, call counts, reset and input checks. */
import { CreateMembersCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { until } from '../helpers/until';
import { ADMIN, MEMBER, MEMBER_EMAIL, REGION, control, failure, guardDuty, staticCredentials, sts, useSeededEmulator } from './helpers';

interface CallsReport {
  total: number;
  calls: Array<{ operation: string; accountId: string | null; region: string; count: number }>;
}

const emulator = useSeededEmulator();

async function addFault(fault: Record<string, unknown>): Promise<void> {
  const response = await control(emulator.url, 'POST', '/_emulator/faults', fault);
  expect(response.status).toBe(201);
}

async function calls(): Promise<CallsReport> {
  return (await control<CallsReport>(emulator.url, 'GET', '/_emulator/calls')).body;
}

/** Waits until the held fault holds `count` calls. */
async function heldCalls(id: number, count: number): Promise<void> {
  await until(async () => {
    const { faults } = (await control<{ faults: { id: number; held?: number }[] }>(emulator.url, 'GET', '/_emulator/faults')).body;
    return faults.find((fault) => fault.id === id)?.held === count;
  });
}

function countOf(report: CallsReport, operation: string): number {
  return report.calls.filter((row) => row.operation === operation).reduce((sum, row) => sum + row.count, 0);
}

describe('faults', () => {
  it('throttles the next N matching GuardDuty calls with TooManyRequestsException (429), then recovers', async () => {
    await addFault({ operation: 'ListDetectors', error: 'throttle', count: 2 });
    const admin = guardDuty(emulator.url);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await failure(admin.send(new ListDetectorsCommand({})));
      expect(error).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
    }
    const ok = await admin.send(new ListDetectorsCommand({}));
    expect(ok.DetectorIds).toHaveLength(1);
  });

  it('answers InternalServerErrorException (500) and AccessDeniedException (403)', async () => {
    await addFault({ operation: 'ListDetectors', error: 'internal', count: 1 });
    await addFault({ operation: 'ListDetectors', error: 'accessDenied', count: 1 });
    const admin = guardDuty(emulator.url);
    expect(await failure(admin.send(new ListDetectorsCommand({})))).toMatchObject({
      name: 'InternalServerErrorException',
      status: 500,
      fault: 'server',
    });
    expect(await failure(admin.send(new ListDetectorsCommand({})))).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });

  it('answers Throttling and AccessDenied for STS', async () => {
    await addFault({ operation: 'GetCallerIdentity', error: 'throttle', count: 1 });
    await addFault({ operation: 'GetCallerIdentity', error: 'accessDenied', count: 1 });
    const client = sts(emulator.url);
    expect(await failure(client.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'Throttling', status: 400 });
    expect(await failure(client.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect((await client.send(new GetCallerIdentityCommand({}))).Account).toBe(ADMIN);
  });

  it('lets the SDK retry through a single throttle (the failed attempt is counted too)', async () => {
    await addFault({ operation: 'ListDetectors', error: 'throttle', count: 1 });
    const retrying = guardDuty(emulator.url, staticCredentials(ADMIN), REGION, 3);
    const result = await retrying.send(new ListDetectorsCommand({}));
    expect(result.$metadata.attempts).toBe(2);
    expect(countOf(await calls(), 'ListDetectors')).toBe(2);
  });

  it('delays matching calls by latencyMs without failing them, as many as its count', async () => {
    await addFault({ operation: 'ListDetectors', latencyMs: 300, count: 1 });
    const admin = guardDuty(emulator.url);
    const started = Date.now();
    await admin.send(new ListDetectorsCommand({}));
    // A lower bound only: a busy machine makes the call slower, never faster.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // The one delay is used up: nothing pending delays the next call.
    expect((await control<{ faults: unknown[] }>(emulator.url, 'GET', '/_emulator/faults')).body.faults).toEqual([]);
    await expect(admin.send(new ListDetectorsCommand({}))).resolves.toBeDefined();
  });

  it('holds matching calls until the fault is released, while other calls pass', async () => {
    const added = await control<{ id: number }>(emulator.url, 'POST', '/_emulator/faults', { operation: 'ListDetectors', hold: true, count: 1 });
    expect(added.status).toBe(201);
    let answered = false;
    const held = guardDuty(emulator.url)
      .send(new ListDetectorsCommand({}))
      .then((result) => {
        answered = true;
        return result;
      });
    await heldCalls(added.body.id, 1);
    await expect(sts(emulator.url).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: ADMIN });
    expect(answered).toBe(false);
    expect(await control(emulator.url, 'POST', `/_emulator/faults/${added.body.id}/release`)).toEqual({ status: 200, body: { released: added.body.id } });
    expect((await held).DetectorIds).toHaveLength(1);
    expect((await control<{ faults: unknown[] }>(emulator.url, 'GET', '/_emulator/faults')).body.faults).toEqual([]);
    expect((await control(emulator.url, 'POST', `/_emulator/faults/${added.body.id}/release`)).status).toBe(404);
  });

  it('clearing the faults releases the calls they hold', async () => {
    const added = await control<{ id: number }>(emulator.url, 'POST', '/_emulator/faults', { operation: 'ListDetectors', hold: true, count: 2 });
    const admin = guardDuty(emulator.url);
    const held = [admin.send(new ListDetectorsCommand({})), admin.send(new ListDetectorsCommand({}))];
    await heldCalls(added.body.id, 2);
    expect((await control(emulator.url, 'DELETE', '/_emulator/faults')).status).toBe(200);
    for (const result of await Promise.all(held)) expect(result.DetectorIds).toHaveLength(1);
  });

  it('only hits the account and region it names', async () => {
    await addFault({ operation: 'ListDetectors', accountId: MEMBER, region: REGION, error: 'throttle', count: 1 });
    await expect(guardDuty(emulator.url).send(new ListDetectorsCommand({}))).resolves.toBeDefined();
    await expect(guardDuty(emulator.url, staticCredentials(MEMBER), 'eu-west-1').send(new ListDetectorsCommand({}))).resolves.toBeDefined();
    const error = await failure(guardDuty(emulator.url, staticCredentials(MEMBER)).send(new ListDetectorsCommand({})));
    expect(error.name).toBe('TooManyRequestsException');
  });
});

describe('settings', () => {
  it('adds a fixed latency to every AWS call', async () => {
    await control(emulator.url, 'POST', '/_emulator/settings', { latencyMs: 150 });
    const started = Date.now();
    await sts(emulator.url).send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('call counts and reset', () => {
  it('counts every call by service, operation, account and region, failed ones included', async () => {
    const admin = guardDuty(emulator.url);
    const { DetectorIds } = await admin.send(new ListDetectorsCommand({}));
    const details = [{ AccountId: MEMBER, Email: MEMBER_EMAIL }];
    await admin.send(new CreateMembersCommand({ DetectorId: DetectorIds?.[0], AccountDetails: details }));
    await failure(admin.send(new CreateMembersCommand({ DetectorId: 'nope', AccountDetails: details })));
    await sts(emulator.url).send(new GetCallerIdentityCommand({}));
    const report = await calls();
    expect(report.total).toBe(4);
    expect(report.calls).toEqual(
      expect.arrayContaining([
        { service: 'guardduty', operation: 'ListDetectors', accountId: ADMIN, region: REGION, count: 1 },
        { service: 'guardduty', operation: 'CreateMembers', accountId: ADMIN, region: REGION, count: 2 },
        { service: 'sts', operation: 'GetCallerIdentity', accountId: ADMIN, region: REGION, count: 1 },
      ]),
    );
  });

  it('reset clears state, faults, counts and settings', async () => {
    await addFault({ operation: 'ListDetectors', error: 'throttle', count: 5 });
    await control(emulator.url, 'POST', '/_emulator/settings', { invitationDelayMs: 1000, latencyMs: 5 });
    await failure(guardDuty(emulator.url).send(new ListDetectorsCommand({})));

    const reset = await control(emulator.url, 'POST', '/_emulator/reset');
    expect(reset.status).toBe(200);

    expect(await calls()).toEqual({ total: 0, calls: [] });
    expect((await control(emulator.url, 'GET', '/_emulator/settings')).body).toEqual({ invitationDelayMs: 0, latencyMs: 0 });
    expect((await control(emulator.url, 'GET', `/_emulator/accounts/${ADMIN}`)).status).toBe(404);
    const { DetectorIds } = await guardDuty(emulator.url).send(new ListDetectorsCommand({}));
    expect(DetectorIds).toEqual([]);
  });
});

describe('control API input', () => {
  it('shows one account with its detectors, members and invitations', async () => {
    const view = await control<{ accountId: string; email: string; status: string; regions: Record<string, { detector: { status: string } }> }>(
      emulator.url,
      'GET',
      `/_emulator/accounts/${ADMIN}`,
    );
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ accountId: ADMIN, email: 'admin@example.com', status: 'ACTIVE' });
    expect(view.body.regions[REGION].detector.status).toBe('ENABLED');
  });

  it.each([
    ['a short account id', '/_emulator/accounts', { accountId: '123', email: 'a@example.com' }, /accountId/],
    ['an unknown field', '/_emulator/accounts', { accountId: MEMBER, email: 'a@example.com', colour: 'red' }, /Unknown field/],
    ['a bad detector status', '/_emulator/accounts', { accountId: MEMBER, email: 'a@example.com', detectors: { [REGION]: 'ON' } }, /ENABLED/],
    ['an unknown fault error', '/_emulator/faults', { operation: 'ListDetectors', error: 'explode', count: 1 }, /error must be/],
    ['a zero count', '/_emulator/faults', { operation: 'ListDetectors', error: 'throttle', count: 0 }, /count/],
    ['a fault that does nothing', '/_emulator/faults', { operation: 'ListDetectors', count: 1 }, /error, a latencyMs/],
    ['a negative delay', '/_emulator/settings', { invitationDelayMs: -1 }, /invitationDelayMs/],
  ])('refuses %s with 400 and a message', async (_label, path, body, message) => {
    const response = await control<{ message: string }>(emulator.url, 'POST', path, body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it('answers 404 for an account it knows nothing about and for an unknown route', async () => {
    expect((await control(emulator.url, 'GET', '/_emulator/accounts/999999999999')).status).toBe(404);
    expect((await control(emulator.url, 'GET', '/_emulator/nothing-here')).status).toBe(404);
  });
});
