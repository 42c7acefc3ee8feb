/** What gde says before it sends anything: usage, missing settings, bad files; and the launcher. */
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../cli/main';
import { captureIo } from './capture-io';

/** gde signs every request (SigV4) with the keys of its environment; the fake API ignores the signature. */
const SIGNING_KEYS = { AWS_ACCESS_KEY_ID: 'AKID111111111111', AWS_SECRET_ACCESS_KEY: 'x' };

const GDE = path.join(__dirname, '..', '..', 'cli', 'gde.js');
const run = promisify(execFile);

test('without an API URL and key the CLI names both settings and exits 2', async () => {
  const io = captureIo({ env: {} });
  expect(await runCli(['status', 'abc'], io)).toBe(2);
  expect(io.err()).toMatch(/Missing the API URL \(--api-url or GDE_API_URL.*\) and the API key \(--api-key or GDE_API_KEY\)/);
  expect(io.err()).toMatch(/gde --help/);
});

test('flags are enough without the environment, and a URL that is not one is refused', async () => {
  const io = captureIo({ env: {} });
  expect(await runCli(['status', 'abc', '--api-url', 'not a url', '--api-key', 'k'], io)).toBe(2);
  expect(io.err()).toMatch(/"not a url" is not a URL/);
});

test('enroll without --email is a usage error that sends nothing', async () => {
  const io = captureIo({ env: { GDE_API_URL: 'http://127.0.0.1:1/v1', GDE_API_KEY: 'k', ...SIGNING_KEYS } });
  expect(await runCli(['enroll', '--account', '123456789012'], io)).toBe(2);
  expect(io.err()).toMatch(/gde enroll needs --email/);
});

test('an option of another command is refused by name', async () => {
  const io = captureIo({ env: { GDE_API_URL: 'http://127.0.0.1:1/v1', GDE_API_KEY: 'k', ...SIGNING_KEYS } });
  expect(await runCli(['offboard', '123456789012', '--email', 'x@example.com'], io)).toBe(2);
  expect(io.err()).toMatch(/--email/);
});

test('usage errors under --json are JSON with kind "usage"', async () => {
  const io = captureIo({ env: {} });
  expect(await runCli(['bulk', '--json'], io)).toBe(2);
  expect(JSON.parse(io.out())).toEqual({ error: { kind: 'usage', message: 'gde bulk needs <file.csv>.' } });
});

/** A local port nothing listens on: one the OS just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an API that cannot be reached is reported with its URL, exit 1', async () => {
  const port = await closedPort();
  const io = captureIo({ env: { GDE_API_URL: `http://127.0.0.1:${port}/v1`, GDE_API_KEY: 'k', ...SIGNING_KEYS } });
  expect(await runCli(['status', 'abc'], io)).toBe(1);
  expect(io.err()).toContain(`Could not reach http://127.0.0.1:${port}/v1/enrollments/abc: ECONNREFUSED`);
});

test('the gde launcher runs the TypeScript CLI: --help prints usage', async () => {
  const { stdout } = await run(process.execPath, [GDE, '--help']);
  expect(stdout).toMatch(/^gde: a client of the GuardDuty Enrollment API/);
  expect(stdout).toMatch(/gde enroll --account <id> --email/);
});

test('the launcher exits 2 with a usage message when the API is not configured', async () => {
  const env = { ...process.env, GDE_API_URL: '', GDE_API_KEY: '' };
  await expect(run(process.execPath, [GDE, 'status', 'x'], { env })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/Missing the API URL/) });
});
