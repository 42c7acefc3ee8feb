/**
 * `npm run org-rollout -- --regions us-east-1,eu-west-1 --delegated-admin 111111111111 [--auto-enable NEW|ALL]
 * [--features S3_DATA_EVENTS,...] [--admin-role-name NAME] [--dry-run] [--json]`
 *
 * Enrolls the organization's ACTIVE accounts into GuardDuty under a delegated administrator (issue
 * 5, point 4). Runs with the management account's credentials from the SDK's default chain; in
 * local mode, `AWS_ENDPOINT_URL=<emulator> AWS_ACCESS_KEY_ID=AKID<management> AWS_SECRET_ACCESS_KEY=x`.
 */
import { defaultClients } from './clients';
import { describeError } from './errors';
import { USAGE, UsageError, parseCommandLine } from './options';
import { formatReport } from './report';
import { runRollout } from './rollout';
import type { RolloutDependencies } from './rollout';
import type { RolloutClients, Sleep } from './types';

/** Exit codes, as `--help` documents them. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the command writes, and how it gets its clients: the process's by default, a test's otherwise. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  sleep?: Sleep;
  /** Builds the SDK clients for the regions; default: the SDK's default chain (clients.ts). */
  clients?: (regions: readonly string[]) => RolloutClients;
  /** Retry and settle overrides (tests). */
  tuning?: Pick<RolloutDependencies, 'retry' | 'settle'>;
}

/** Runs the command; resolves to the exit code. Never throws. */
export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  let line: ReturnType<typeof parseCommandLine>;
  try {
    line = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return ExitCode.usage;
  }
  if (line.help || !line.options) {
    io.stdout.write(`${USAGE}\n`);
    return ExitCode.ok;
  }
  const options = line.options;
  const sleep: Sleep = io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  try {
    const clients = (io.clients ?? defaultClients)(options.regions);
    const report = await runRollout(options, {
      clients,
      sleep,
      log: line.json ? undefined : (text) => io.stderr.write(`${text}\n`),
      ...io.tuning,
    });
    io.stdout.write(line.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.ok ? ExitCode.ok : ExitCode.failed;
  } catch (error) {
    const message = describeError(error);
    if (line.json) io.stdout.write(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
    io.stderr.write(`org-rollout: ${message}\n`);
    return ExitCode.failed;
  }
}

if (require.main === module) {
  void runCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
