/**
 * The `gde` command: parses the command line, runs one command against the API, and turns every
 * outcome into an exit code and a message a person (or, with --json, a program) can act on.
 */
import { EnrollmentApiClient } from './api-client';
import { apiConnection, parseCommandLine } from './args';
import type { CommandLine } from './args';
import { bulkCommand } from './bulk-command';
import type { CommandContext } from './command-context';
import { sayJson } from './command-context';
import { enrollCommand } from './enroll-command';
import { fleetCommand } from './fleet-command';
import { ApiError, ConnectionError, ExitCode, UsageError, WaitTimeoutError, describeApiError, errorJson } from './errors';
import type { CliIo } from './io';
import { processIo } from './io';
import { offboardCommand } from './offboard-command';
import { statusCommand } from './status-command';
import { USAGE } from './usage';

const COMMAND_RUNNERS = { enroll: enrollCommand, status: statusCommand, bulk: bulkCommand, offboard: offboardCommand, fleet: fleetCommand };

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let line: CommandLine | undefined;
  try {
    line = parseCommandLine(argv);
    if (line.help || !line.command) {
      io.stdout.write(USAGE);
      return ExitCode.ok;
    }
    const client = new EnrollmentApiClient({ ...apiConnection(line.values, io.env), sleep: io.sleep });
    const context: CommandContext = { line, io, client };
    return await COMMAND_RUNNERS[line.command](context);
  } catch (error) {
    return reportError(error, io, line?.json ?? argv.includes('--json'));
  }
}

/** Shows a failure (as JSON on stdout with --json, else on stderr) and picks its exit code. */
function reportError(error: unknown, io: CliIo, json: boolean): number {
  const code = error instanceof UsageError ? ExitCode.usage : error instanceof WaitTimeoutError ? ExitCode.stillRunning : ExitCode.failed;
  if (json) {
    sayJson(io, errorJson(error));
    return code;
  }
  if (error instanceof UsageError) io.stderr.write(`gde: ${error.message}\nRun "gde --help" for usage.\n`);
  else if (error instanceof ApiError) io.stderr.write(`gde: the API refused: ${describeApiError(error)}\n`);
  else if (error instanceof ConnectionError || error instanceof WaitTimeoutError) io.stderr.write(`gde: ${error.message}\n`);
  else io.stderr.write(`gde: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return code;
}

/** Runs as the process: the exit code becomes the process's. */
export function main(): void {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`gde: ${String(error)}\n`);
      process.exit(ExitCode.failed);
    },
  );
}
