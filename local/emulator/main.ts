/**
 * Runs the emulator on its own: `npx tsx local/emulator/main.ts [--port 4566] [--host 127.0.0.1]
 * [--admin 111111111111] [--invitation-delay-ms 0]`. Prints the URL and the environment variables
 * that point SDKs and the AWS CLI at it.
 */
import { startEmulator } from './core/server';
import type { EmulatorOptions } from './core/options';

function readArgs(argv: string[]): EmulatorOptions {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const port = value('--port');
  const delay = value('--invitation-delay-ms');
  return {
    port: port === undefined ? 4566 : Number(port),
    host: value('--host'),
    administratorAccountId: value('--admin'),
    invitationDelayMs: delay === undefined ? undefined : Number(delay),
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulator(readArgs(process.argv.slice(2)));
  process.stdout.write(
    [
      `GuardDuty + STS emulator listening on ${emulator.url}`,
      `  export AWS_ENDPOINT_URL_GUARDDUTY=${emulator.url}`,
      `  export AWS_ENDPOINT_URL_STS=${emulator.url}`,
      `  export AWS_ACCESS_KEY_ID=AKID${emulator.state.options.administratorAccountId} AWS_SECRET_ACCESS_KEY=x`,
      `  control API: ${emulator.url}/_emulator/`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
