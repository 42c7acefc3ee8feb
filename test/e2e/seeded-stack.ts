import { seedSampleOrganization } from '../../local/seed/sample-organization';
import { startLocalStack } from '../../local/runtime/stack';
import type { LocalStack, LocalStackOptions } from '../../local/runtime/stack';
import { LocalClient } from './local-client';

/** A test file's local mode: started with the sample organisation before its tests, closed after. */
export interface SeededStack {
  readonly stack: LocalStack;
  readonly client: LocalClient;
}

/**
 * Registers beforeAll/afterAll that start local mode (quiet handlers, the given options) with the
 * sample organisation seeded, and returns the holder the tests read it from.
 */
export function useSeededStack(options: LocalStackOptions = {}): SeededStack {
  const holder = {} as { stack: LocalStack; client: LocalClient };
  beforeAll(async () => {
    holder.stack = await startLocalStack({ retryDelayMs: 5, lambdaLogLevel: 'SILENT', ...options });
    holder.client = new LocalClient(holder.stack);
    await seedSampleOrganization(holder.stack.emulatorUrl);
  });
  afterAll(() => holder.stack?.close());
  return holder;
}
