/**
 * What IAM authorization costs per request in local mode: the same read (GET of an unknown
 * enrollment: route, authorization, key, DescribeExecution through the emulator, 404 template)
 * sent `requests` times signed to the stack with authorization 'iam' (the client signs, local mode
 * verifies the signature and evaluates IAM), then as many times with the key alone to a stack with
 * authorization 'apiKey', in the same run. The figure is the ratio of the medians.
 */
import { STAGE_NAME } from '../../lib/enrollment-api';
import { signedFetch } from '../runtime/signed-fetch';
import { startLocalStack } from '../runtime/stack';
import type { LocalStack } from '../runtime/stack';

export interface SigningFigures {
  readonly requests: number;
  /** Median wall time of one signed request to the 'iam' stack, ms (client signing included). */
  readonly iamMedianMs: number;
  /** Median wall time of one request with the key alone to the 'apiKey' stack, ms. */
  readonly apiKeyMedianMs: number;
  /** iamMedianMs ÷ apiKeyMedianMs. */
  readonly ratio: number;
}

/** Requests before the timed ones, so module loading and connection set-up stay out of the medians. */
const WARM_UP = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Sends `count` reads one after the other; the wall time of each, in ms. */
async function timeReads(stack: LocalStack, count: number, signed: boolean): Promise<number[]> {
  const url = `${stack.apiUrl}/${STAGE_NAME}/enrollments/bench-unknown-enrollment`;
  const init = { headers: { 'x-api-key': stack.apiKey } };
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = signed ? await signedFetch(url, init) : await fetch(url, init);
    await response.text();
    if (response.status !== 404) throw new Error(`GET ${url} answered ${response.status}, not 404: the read did not reach the integration`);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * Times the reads on `iamStack` (already running, authorization 'iam'), then starts a stack with
 * authorization 'apiKey' after `closeIamStack` (one local stack per process) and times them there.
 */
export async function measureSigning(iamStack: LocalStack, closeIamStack: () => Promise<void>, requests: number): Promise<SigningFigures> {
  if (iamStack.settings.authorization !== 'iam') throw new Error("the signing figure needs the bench stack in authorization 'iam'");
  await timeReads(iamStack, WARM_UP, true);
  const iam = await timeReads(iamStack, requests, true);
  await closeIamStack();
  const apiKeyStack = await startLocalStack({ settings: { authorization: 'apiKey' }, lambdaLogLevel: 'SILENT' });
  try {
    await timeReads(apiKeyStack, WARM_UP, false);
    const apiKey = await timeReads(apiKeyStack, requests, false);
    const iamMedianMs = median(iam);
    const apiKeyMedianMs = median(apiKey);
    return { requests, iamMedianMs, apiKeyMedianMs, ratio: iamMedianMs / apiKeyMedianMs };
  } finally {
    await apiKeyStack.close();
  }
}
