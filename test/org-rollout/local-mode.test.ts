/**
 * The command exactly as the README runs it in local mode: `npm run org-rollout -- ...` in a child
 * process, configured only by environment variables (AWS_ENDPOINT_URL and the management account's
 * static key), against a running emulator.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ADMIN, MANAGEMENT, calls, countOf, seedOrganization, useEmulator } from './helpers';

const run = promisify(execFile);
const emulator = useEmulator();

function localModeEnv(accessKeyId: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

describe('npm run org-rollout in local mode', () => {
  it('enrolls the seeded organization with nothing but environment variables', async () => {
    const org = await seedOrganization(emulator.url, { total: 12, inactive: 1 });

    const { stdout } = await run('npm', ['run', '--silent', 'org-rollout', '--', '--regions', 'us-east-1,eu-west-1', '--delegated-admin', ADMIN], {
      env: localModeEnv(`AKID${MANAGEMENT}`),
      cwd: `${__dirname}/../..`,
      timeout: 60000,
    });

    expect(stdout).toContain('us-east-1: SUCCEEDED');
    expect(stdout).toContain('eu-west-1: SUCCEEDED');
    expect(stdout).toContain(`members: ${org.expectedMembers.length} created (1 CreateMembers call(s))`);
    expect(countOf(await calls(emulator.url), 'CreateMembers', { accountId: ADMIN })).toBe(2);
  });

  it("exits with code 1 and says why when run with a member account's key", async () => {
    await seedOrganization(emulator.url, { total: 4 });

    const failed = await run('npm', ['run', '--silent', 'org-rollout', '--', '--regions', 'us-east-1', '--delegated-admin', ADMIN], {
      env: localModeEnv(`AKID${ADMIN}`),
      cwd: `${__dirname}/../..`,
      timeout: 60000,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(`not of the management account ${MANAGEMENT}`);
  });
});
