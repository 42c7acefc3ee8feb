import { logger } from '../../../lambda/shared/logger';

/**
 * Captures what the Powertools logger writes (JSON lines on process.stdout/stderr), at INFO.
 */
export interface CapturedLogs {
  /** Everything written so far. */
  text(): string;
  /** The JSON log lines written so far. */
  lines(): Record<string, unknown>[];
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const chunks: string[] = [];
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(record as never);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(record as never);
  const previousLevel = logger.getLevelName();
  logger.setLogLevel('INFO');
  return {
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => {
      logger.setLogLevel(previousLevel);
      out.mockRestore();
      err.mockRestore();
    },
  };
}
