/** What every command gets: the parsed command line, the I/O, and a client for the API. */
import type { EnrollmentApiClient } from './api-client';
import type { CommandLine } from './args';
import type { CliIo } from './io';

export interface CommandContext {
  readonly line: CommandLine;
  readonly io: CliIo;
  readonly client: EnrollmentApiClient;
}

/** Writes one line to stdout. */
export function say(io: CliIo, text: string): void {
  io.stdout.write(`${text}\n`);
}

/** Writes a JSON document to stdout: with --json it is the only thing written there. */
export function sayJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
