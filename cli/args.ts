/** The command line: which command, its options, and where the API is. */
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { sigv4Signer } from './request-signer';
import type { RequestSigner } from './request-signer';

export const COMMANDS = ['enroll', 'status', 'bulk', 'offboard', 'fleet'] as const;
export type CommandName = (typeof COMMANDS)[number];

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'api-url': { type: 'string' },
  'api-key': { type: 'string' },
  unsigned: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};
const WAIT_OPTIONS: Record<string, OptionSpec> = {
  wait: { type: 'boolean' },
  'poll-ms': { type: 'string' },
  timeout: { type: 'string' },
};

/** Each command's own options, besides the global ones; an option of another command is refused. */
const COMMAND_OPTIONS: Record<CommandName, Record<string, OptionSpec>> = {
  enroll: { account: { type: 'string' }, email: { type: 'string' }, regions: { type: 'string' }, 'idempotency-key': { type: 'string' }, ...WAIT_OPTIONS },
  status: { ...WAIT_OPTIONS },
  bulk: { regions: { type: 'string' }, 'idempotency-key': { type: 'string' }, ...WAIT_OPTIONS },
  offboard: { regions: { type: 'string' }, 'delete-detector': { type: 'boolean' }, 'idempotency-key': { type: 'string' }, ...WAIT_OPTIONS },
  fleet: { ...WAIT_OPTIONS },
};

/** Options earlier versions had, with what to use instead (named in the refusal). */
const RETIRED_OPTIONS: Record<string, string> = {
  'idempotency-prefix': 'gde bulk sends batches now: use --idempotency-key K (one batch is keyed K; a file of more than 1000 accounts K-1, K-2, …).',
  concurrency: 'gde bulk sends one request per 1000 accounts now (POST /enrollments/batch): there is nothing to run concurrently.',
};

/** How many positional arguments each command takes (the id, the file, the account). */
const POSITIONALS: Record<CommandName, string | undefined> = {
  enroll: undefined,
  status: '<enrollmentId>',
  bulk: '<file.csv>',
  offboard: '<accountId>',
  fleet: undefined,
};
/** A command's optional word (`gde fleet check`): the only one it accepts. */
const OPTIONAL_WORDS: Partial<Record<CommandName, string>> = { fleet: 'check' };

export interface CommandLine {
  readonly command: CommandName | undefined;
  readonly help: boolean;
  readonly json: boolean;
  /** The command's option values by long name. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** The command's one positional argument, when it takes one. */
  readonly argument?: string;
}

/** Parses argv (without node and the script). @throws UsageError */
export function parseCommandLine(argv: string[]): CommandLine {
  // A lenient first pass knowing every option, so an option's value (`--api-url URL enroll`) is not
  // taken for the command.
  const allOptions = Object.assign({}, GLOBAL_OPTIONS, ...Object.values(COMMAND_OPTIONS)) as Record<string, OptionSpec>;
  const first = parseArgs({ args: argv, options: allOptions, allowPositionals: true, strict: false }).positionals[0];
  const command = COMMANDS.find((name) => name === first);
  if (first !== undefined && command === undefined) throw new UsageError(`Unknown command "${first}". Commands: ${COMMANDS.join(', ')}.`);
  const options = { ...GLOBAL_OPTIONS, ...(command ? COMMAND_OPTIONS[command] : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    const retired = Object.entries(RETIRED_OPTIONS).find(([name]) => message.includes(`'--${name}'`));
    throw new UsageError(retired ? `${message} ${retired[1]}` : message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const json = values.json === true;
  const rest = parsed.positionals.slice(command ? 1 : 0);
  if (!command) return { command, help: help || argv.length === 0, json, values };
  const wanted = POSITIONALS[command];
  const word = OPTIONAL_WORDS[command];
  if (word && rest.length > 0) {
    if (rest.length > 1 || rest[0] !== word)
      throw new UsageError(`gde ${command} takes only the word "${word}"; unexpected "${rest[rest[0] === word ? 1 : 0]}".`);
    return { command, help, json, values, argument: word };
  }
  if (!help) {
    if (wanted && rest.length === 0) throw new UsageError(`gde ${command} needs ${wanted}.`);
    if (rest.length > (wanted ? 1 : 0))
      throw new UsageError(`gde ${command} takes ${wanted ? `one ${wanted}` : 'no arguments besides options'}; unexpected "${rest[wanted ? 1 : 0]}".`);
  }
  return { command, help, json, values, argument: rest[0] };
}

/** Where the API is: flags first, then GDE_API_URL / GDE_API_KEY. @throws UsageError */
export function apiConnection(
  values: CommandLine['values'],
  env: Readonly<Record<string, string | undefined>>,
): { baseUrl: string; apiKey: string; signer?: RequestSigner } {
  const baseUrl = stringValue(values['api-url']) ?? (env.GDE_API_URL || undefined);
  const apiKey = stringValue(values['api-key']) ?? (env.GDE_API_KEY || undefined);
  const missing = [
    baseUrl === undefined ? 'the API URL (--api-url or GDE_API_URL, the stage URL such as https://abc123.execute-api.us-east-1.amazonaws.com/v1)' : undefined,
    apiKey === undefined ? 'the API key (--api-key or GDE_API_KEY)' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.join(' and ')}.`);
  let url: URL;
  try {
    url = new URL(baseUrl!);
  } catch {
    throw new UsageError(`The API URL "${baseUrl}" is not a URL; it is the stage URL, such as http://127.0.0.1:3000/v1.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`The API URL must be http(s); got "${baseUrl}".`);
  // Signed by default (a deployment with authorization 'iam'); --unsigned or GDE_UNSIGNED=1 sends the key alone.
  const unsigned = values.unsigned === true || env.GDE_UNSIGNED === '1' || env.GDE_UNSIGNED === 'true';
  return { baseUrl: baseUrl!.replace(/\/+$/, ''), apiKey: apiKey!, ...(unsigned ? {} : { signer: sigv4Signer({ env }) }) };
}

/** A string option's value, or undefined when not given. */
export function stringValue(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A whole-number option within bounds, or its default. @throws UsageError */
export function integerValue(values: CommandLine['values'], name: string, fallback: number, min: number, max: number): number {
  const raw = stringValue(values[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  return value;
}

/** `--regions a,b,c` as a list; undefined when not given (the deployment's default regions apply). */
export function regionList(values: CommandLine['values']): string[] | undefined {
  const raw = stringValue(values.regions);
  if (raw === undefined) return undefined;
  const regions = raw
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (regions.length === 0) throw new UsageError('--regions needs at least one region, e.g. --regions us-east-1,eu-west-1.');
  return regions;
}
