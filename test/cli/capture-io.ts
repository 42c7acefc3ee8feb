import type { CliIo } from '../../cli/io';

/** A CliIo that records what the CLI writes, for running it in process. */
export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(options: { env?: Record<string, string | undefined>; files?: Record<string, string>; tty?: boolean } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty ?? false, columns: options.tty ? 200 : undefined },
    stderr: { write: (text: string) => (err += text) },
    env: options.env ?? {},
    readFile: async (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    now: () => Date.now(),
    out: () => out,
    err: () => err,
  };
}
