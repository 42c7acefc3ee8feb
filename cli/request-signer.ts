/**
 * Signs API requests with SigV4 for service `execute-api`, with the AWS SDK's own signer
 * (@smithy/signature-v4) and credentials from the standard chain (environment, profile, SSO,
 * container or instance role: @aws-sdk/credential-providers fromNodeProviderChain). Each attempt is
 * signed afresh, so a retry never carries a stale date (API Gateway allows 5 minutes).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Adds the signature headers to one request. */
export type RequestSigner = (request: { method: string; url: string; headers: Record<string, string>; body?: string }) => Promise<Record<string, string>>;

export interface SignerOptions {
  /** The environment to read the region, profile and keys from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Credentials to use instead of the chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The region a URL names (`<id>.execute-api.<region>.amazonaws.com`), else the environment's, else us-east-1. */
export function signingRegion(url: URL, env: Readonly<Record<string, string | undefined>>): string {
  return EXECUTE_API_HOST.exec(url.hostname)?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** The credentials of `env` when it holds keys (the chain's first link, read from the given environment), else the chain. */
function credentialsOf(env: Readonly<Record<string, string | undefined>>): AwsCredentialIdentityProvider {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken, AWS_PROFILE: profile } = env;
  if (accessKeyId && secretAccessKey) return async () => ({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
  return fromNodeProviderChain(profile ? { profile } : {});
}

export function sigv4Signer(options: SignerOptions = {}): RequestSigner {
  const env = options.env ?? process.env;
  const credentials = options.credentials ?? credentialsOf(env);
  return async ({ method, url, headers, body }) => {
    const target = new URL(url);
    const signer = new SignatureV4({ credentials, region: signingRegion(target, env), service: 'execute-api', sha256: Sha256 });
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of target.searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const signed = await signer.sign({
      method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port === '' ? undefined : Number(target.port),
      path: decodeURIComponent(target.pathname),
      query,
      headers: { ...headers, host: target.host },
      body,
    });
    // fetch sets Host itself (a forbidden header name), to the same value that was signed.
    const { host: _host, ...sent } = signed.headers as Record<string, string>;
    return sent;
  };
}
