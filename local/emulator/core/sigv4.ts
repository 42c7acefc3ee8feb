/**
 * Reads who signed a request from its SigV4 credential scope.
 *
 * The emulator does NOT verify the signature: it trusts the access key id, region and service
 * named in the scope, so any secret key works against it. This keeps the emulator usable with
 * throwaway keys and is safe only because it listens on a loopback interface for tests and local
 * runs. The local API Gateway does verify signatures of AWS_IAM methods (local/api-gateway/sigv4-auth.ts),
 * reading the scope with parseCredential below.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The parts of a SigV4 credential scope the emulator uses. */
export interface SigV4Scope {
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL_PATTERN = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Parses `Credential=AKID/20260101/us-east-1/guardduty/aws4_request` out of a header or query value. */
export function parseCredential(text: string): SigV4Scope | undefined {
  const match = CREDENTIAL_PATTERN.exec(text);
  if (!match) return undefined;
  const [, accessKeyId, date, region, service] = match;
  return { accessKeyId, date, region, service };
}

/**
 * The scope from the `Authorization` header, or from a presigned URL's `X-Amz-Credential`
 * query parameter. `undefined` when the request is not SigV4-signed.
 */
export function readSigV4Scope(headers: IncomingHttpHeaders, query: URLSearchParams): SigV4Scope | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256')) {
    return parseCredential(authorization);
  }
  const presigned = query.get('X-Amz-Credential');
  return presigned ? parseCredential(`Credential=${presigned}`) : undefined;
}

/** The session token sent with temporary credentials, from the header or a presigned URL. */
export function readSessionToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const token = headers['x-amz-security-token'];
  if (typeof token === 'string') return token;
  return query.get('X-Amz-Security-Token') ?? undefined;
}
