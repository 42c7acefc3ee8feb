/**
 * Batches as the API takes them (`POST /enrollments/batch`: 1 to 1000 distinct accounts, an
 * optional Idempotency-Key of at most 40 characters), and following started batches to every
 * account's outcome in every region. Used by `gde bulk` and by the benchmark, so both split alike.
 */
import { BATCH_ID_PATTERN } from '../contract/api-schemas';
import type { EnrollmentApiClient } from './api-client';
import { mapBounded } from './bounded';
import { UsageError, WaitTimeoutError } from './errors';
import type { CliIo } from './io';
import type { AccountOutcome, BatchView } from './types';
import { MAX_POLL_FAILURES, isTransient } from './wait';
import { MAX_ACCOUNTS_PER_BATCH } from '../contract/api-rules';

export { MAX_ACCOUNTS_PER_BATCH };

/** One batch to send: its accounts, in the file's order, and its Idempotency-Key when there is one. */
export interface PlannedBatch<A> {
  readonly key?: string;
  readonly accounts: readonly A[];
}

const BATCH_ID = new RegExp(BATCH_ID_PATTERN);
const MAX_KEY_LENGTH = Number(/\{1,(\d+)\}/.exec(BATCH_ID_PATTERN)![1]);

/**
 * Splits `accounts` into batches of at most `size` (the API's 1000), in order. With a key, one
 * batch is keyed `key` and several `key-1`, `key-2`, …, so each has its own batch id and sending
 * the same file again with the same key starts none of them twice.
 * @throws UsageError when the key (with its suffix) is not one the API takes: nothing is sent
 */
export function planBatches<A>(accounts: readonly A[], key?: string, size = MAX_ACCOUNTS_PER_BATCH): PlannedBatch<A>[] {
  const count = Math.ceil(accounts.length / size);
  if (key !== undefined && !BATCH_ID.test(key)) {
    throw new UsageError(`--idempotency-key must be 1 to ${MAX_KEY_LENGTH} letters, digits, hyphens or underscores; got "${key}".`);
  }
  if (key !== undefined && count > 1 && key.length + `-${count}`.length > MAX_KEY_LENGTH) {
    throw new UsageError(
      `--idempotency-key "${key}" is too long for ${count} batches: they are keyed ${key}-1 to ${key}-${count}, at most ${MAX_KEY_LENGTH} characters each; ` +
        `use at most ${MAX_KEY_LENGTH - `-${count}`.length} characters. Nothing was sent.`,
    );
  }
  return Array.from({ length: count }, (_, i) => ({
    ...(key === undefined ? {} : { key: count === 1 ? key : `${key}-${i + 1}` }),
    accounts: accounts.slice(i * size, (i + 1) * size),
  }));
}

export interface BatchWaitOptions {
  readonly pollMs: number;
  readonly timeoutMs: number;
  /** Told once about each batch when it stops, and every poll about those still running. */
  readonly onStopped?: (view: BatchView, elapsedMs: number) => void;
  readonly onRunning?: (running: readonly string[], elapsedMs: number) => void;
  /** Added to the timeout's message: how to follow the batches from here. */
  readonly timeoutHint?: string;
}

/**
 * Polls `GET /enrollments/batch/{id}` for each batch until every one has stopped; a few transient
 * failures in a row (5xx, connection) are tolerated, as for an enrollment.
 * @throws WaitTimeoutError naming the batches still RUNNING when `timeoutMs` passes first
 */
export async function waitForBatches(client: EnrollmentApiClient, batchIds: readonly string[], io: CliIo, options: BatchWaitOptions): Promise<BatchView[]> {
  const start = io.now();
  const stopped = new Map<string, BatchView>();
  let failures = 0;
  for (;;) {
    for (const batchId of batchIds.filter((id) => !stopped.has(id))) {
      let view: BatchView;
      try {
        view = await client.getBatch(batchId);
        failures = 0;
      } catch (error) {
        if (!isTransient(error) || ++failures >= MAX_POLL_FAILURES) throw error;
        continue;
      }
      if (view.status !== 'RUNNING') {
        stopped.set(batchId, view);
        options.onStopped?.(view, io.now() - start);
      }
    }
    const running = batchIds.filter((id) => !stopped.has(id));
    if (running.length === 0) return batchIds.map((id) => stopped.get(id)!);
    const elapsed = io.now() - start;
    options.onRunning?.(running, elapsed);
    if (elapsed >= options.timeoutMs) {
      throw new WaitTimeoutError(
        `Batch(es) ${running.join(', ')} still RUNNING after ${Math.round(elapsed / 1000)} s; they go on.${options.timeoutHint ? ` ${options.timeoutHint}` : ''}`,
      );
    }
    await io.sleep(options.pollMs);
  }
}

/** One account's outcome in one region; `outcome` is null when its part reported none (the part or the batch failed as a whole). */
export interface AccountRegionOutcome extends Omit<AccountOutcome, 'outcome'> {
  readonly region: string;
  readonly outcome: AccountOutcome['outcome'] | null;
}

/** Parts read at once: a 1000-account batch in 3 regions has 30. */
const PART_READS_IN_FLIGHT = 4;

/**
 * Every account's outcome in every region of a stopped batch, read part by part, in the order of
 * `accountIds` and then of the batch's regions. An account a part did not report (its part, or the
 * batch, failed as a whole) gets outcome null and the part's or the batch's error.
 */
export async function batchOutcomes(client: EnrollmentApiClient, view: BatchView, accountIds: readonly string[]): Promise<AccountRegionOutcome[]> {
  const parts = await mapBounded(view.parts, PART_READS_IN_FLIGHT, (part) => client.getBatchPart(view.batchId, part.partId));
  const found = new Map<string, AccountOutcome>();
  for (const part of parts) for (const account of part.accounts) found.set(`${account.accountId}|${part.region}`, account);
  const fallbackError = (region: string) =>
    view.parts.find((p) => p.region === region && p.error)?.error ??
    view.error ?? { code: 'NoOutcome', message: `The batch ${view.status} without an outcome for this account.` };
  const regions = view.regions.length > 0 ? view.regions : [...new Set(view.parts.map((p) => p.region))];
  return accountIds.flatMap((accountId) =>
    regions.map((region) => {
      const outcome = found.get(`${accountId}|${region}`);
      return outcome
        ? { ...outcome, region }
        : { accountId, region, outcome: null, relationshipStatus: null, memberDetectorId: null, error: fallbackError(region) };
    }),
  );
}
