/** Where the CLI reads its environment and writes its output, so tests can run it in process. */

/** A stream the CLI writes to: process.stdout, process.stderr, or a test's capture. */
export interface OutputStream {
  write(text: string): unknown;
  /** True on an interactive terminal: the progress display redraws itself there. */
  readonly isTTY?: boolean;
  /** The terminal's width, when it is one. */
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file the user named (the bulk CSV). */
  readFile(path: string): Promise<string>;
  /** Waits between polls; tests may shorten it. */
  sleep(ms: number): Promise<void>;
  /** Milliseconds since some fixed point, for elapsed times and the --wait deadline. */
  now(): number;
}

/** The real process's streams, environment and clock. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readFile: async (path) => (await import('node:fs/promises')).readFile(path, 'utf8'),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
}
