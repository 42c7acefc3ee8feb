/**
 * fetch as a local caller of the API: with the API key and signed (SigV4, execute-api) with the
 * process's credentials, which startLocalStack sets to the administrator account's root
 * (LOCAL_CALLER_ENVIRONMENT). The demo, the bench and the end-to-end tests call the API with it, so
 * they go through the same signature check and IAM evaluation as any caller.
 */
import { sigv4Signer } from '../../cli/request-signer';
import type { RequestSigner } from '../../cli/request-signer';

let signer: RequestSigner | undefined;

/** Signs a request's headers (the credentials are read from process.env when first used). */
export function signLocalRequest(method: string, url: string, headers: Record<string, string>, body?: string): Promise<Record<string, string>> {
  signer ??= sigv4Signer({ env: process.env });
  return signer({ method, url, headers, body });
}

/** One signed request: `init.headers` as given (the API key among them), plus the signature. */
export async function signedFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const method = init.method ?? 'GET';
  const headers = await signLocalRequest(method, url, init.headers ?? {}, init.body);
  return fetch(url, { method, headers, body: init.body, signal: init.signal });
}
