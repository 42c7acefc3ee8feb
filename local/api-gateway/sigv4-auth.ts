/**
 * AWS_IAM authorization of a method, as API Gateway does it: the SigV4 signature is verified for
 * real (the canonical request recomputed with the key's secret by the AWS SDK's own signer,
 * @smithy/signature-v4), the date must be within 5 minutes, and then the caller's identity policy
 * and the API's resource policy are evaluated for `execute-api:Invoke` on the method's ARN. Each
 * refusal is API Gateway's 403 with its message (docs/aws-facts.md, "API Gateway access").
 *
 * Who a key belongs to and what it may do come from outside (`IamCallers`): local mode answers with
 * the emulator's credentials and IAM evaluation, so this file knows no account or policy itself.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { SIGNATURE_MISMATCH_MESSAGE } from '../../contract/api-gateway-messages';
import { parseCredential } from '../emulator/core/sigv4';
import type { SigV4Scope } from '../emulator/core/sigv4';
import type { GatewayError } from './gateway-responses';
import { header } from './http-io';

/** The caller a valid key stands for, as `$context.identity` shows it. */
export interface IamIdentity {
  /** `$context.identity.userArn`: the root, user or assumed-role session ARN. */
  readonly userArn: string;
  readonly accountId: string;
  /** `$context.identity.user` / `caller`: the principal id. */
  readonly userId: string;
  readonly accessKey: string;
}

/** What a key resolves to: its secret and caller, or why it cannot sign. */
export type KeyResolution =
  | { readonly secretAccessKey: string; readonly sessionToken?: string; readonly identity: IamIdentity }
  | { readonly problem: 'invalid' | 'expired' };

/** An authorization verdict, with AWS's message when denied. */
export type InvokeDecision = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

/** The credentials and IAM evaluation the local API Gateway authorizes with. */
export interface IamCallers {
  /** The secret of `accessKeyId` (checked against the session token it came with), and its caller. */
  resolveKey(accessKeyId: string, sessionToken: string | undefined): KeyResolution;
  /**
   * May `identity` call `execute-api:Invoke` on `methodArn`, with the API's resource policy
   * (`execute-api:/*` already replaced by the API's ARN)? Same-account and cross-account rules as IAM's.
   */
  authorizeInvoke(identity: IamIdentity, methodArn: string, resourcePolicy: Record<string, unknown> | undefined): Promise<InvokeDecision>;
}

/** The request as it came: method, path (still URL-encoded, stage included), query, headers, body. */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** How far a signature's date may be from the server's clock (docs/aws-facts.md, "API Gateway access"). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+(.*)$/;
const SIGNED_HEADERS = /SignedHeaders=([^,\s]+)/;
const SIGNATURE = /Signature=([0-9a-f]{64})/;
const AMZ_DATE = /^(\d{8})T(\d{6})Z$/;

const deny = (type: GatewayError['type'], message: string, errorType?: string, detail?: string): { error: GatewayError } => ({
  error: { type, message, errorType, detail },
});

/** `20261202T180000Z` ⇄ Date. */
function parseAmzDate(text: string | undefined): Date | undefined {
  const match = text === undefined ? null : AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [d, t] = [match[1], match[2]];
  const date = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The date check: "Signature expired: <date> is now earlier than <now - 5 min> (<now> - 5 min.)", and its mirror for the future. */
function dateProblem(signed: Date, now: Date): string | undefined {
  const earliest = new Date(now.getTime() - CLOCK_SKEW_MS);
  const latest = new Date(now.getTime() + CLOCK_SKEW_MS);
  if (signed < earliest) return `Signature expired: ${formatAmzDate(signed)} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - 5 min.)`;
  if (signed > latest)
    return `Signature not yet current: ${formatAmzDate(signed)} is still later than ${formatAmzDate(latest)} (${formatAmzDate(now)} + 5 min.)`;
  return undefined;
}

/** The signature the SDK's signer computes for this request with `secret`, over exactly the headers the caller signed. */
async function expectedSignature(
  request: SignedRequest,
  scope: SigV4Scope,
  signedHeaders: string[],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  date: Date,
): Promise<string> {
  const signer = new SignatureV4({ credentials, region: scope.region, service: scope.service, sha256: Sha256, applyChecksum: false });
  const signable = new Set(signedHeaders);
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name !== 'authorization')
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
  const unsignable = new Set(Object.keys(headers).filter((name) => !signable.has(name)));
  const url = new URL(request.path, 'http://local');
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'https:',
      hostname: (headers.host ?? '').split(':')[0],
      path: decodeURIComponent(url.pathname),
      query: request.query,
      headers,
      body: request.body,
    },
    { signingDate: date, signableHeaders: signable, unsignableHeaders: unsignable },
  );
  return SIGNATURE.exec(String(signed.headers.authorization))?.[1] ?? '';
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Authenticates and authorizes a request to an AWS_IAM method. Resolves to the caller's identity,
 * or to the gateway error API Gateway would answer; never calls the integration.
 */
export async function authorizeIamRequest(
  callers: IamCallers,
  request: SignedRequest,
  methodArn: string,
  resourcePolicy: Record<string, unknown> | undefined,
  now: Date = new Date(),
): Promise<{ identity: IamIdentity } | { error: GatewayError }> {
  const authorization = header(request.headers, 'authorization');
  const fields = authorization === undefined ? null : AUTHORIZATION.exec(authorization);
  if (!fields) return deny('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  const scope = parseCredential(fields[1]);
  const signedHeaders = SIGNED_HEADERS.exec(fields[1])?.[1].split(';');
  const signature = SIGNATURE.exec(fields[1])?.[1];
  if (!scope || !signedHeaders || !signature)
    return deny(
      'INVALID_SIGNATURE',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${authorization}`,
      'IncompleteSignatureException',
    );
  const date = parseAmzDate(header(request.headers, 'x-amz-date'));
  if (!date || !signedHeaders.includes('host'))
    return deny(
      'INVALID_SIGNATURE',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header, and 'host' among the signed headers.",
      'IncompleteSignatureException',
    );
  const tooOld = dateProblem(date, now);
  if (tooOld) return deny('INVALID_SIGNATURE', tooOld);
  if (scope.date !== formatAmzDate(date).slice(0, 8))
    return deny(
      'INVALID_SIGNATURE',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${formatAmzDate(date).slice(0, 8)}', from '${formatAmzDate(date)}'.`,
    );
  if (scope.service !== 'execute-api') return deny('INVALID_SIGNATURE', `Credential should be scoped to correct service: 'execute-api'.`);

  const key = callers.resolveKey(scope.accessKeyId, header(request.headers, 'x-amz-security-token'));
  if ('problem' in key) {
    return key.problem === 'expired'
      ? deny('EXPIRED_TOKEN', 'The security token included in the request is expired')
      : deny('INVALID_SIGNATURE', 'The security token included in the request is invalid.', 'UnrecognizedClientException');
  }
  // A payload hash header, when sent, must be the body's: the signer would otherwise trust it.
  const payloadHash = header(request.headers, 'x-amz-content-sha256');
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const expected = await expectedSignature(
    request,
    scope,
    signedHeaders,
    { accessKeyId: scope.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken },
    date,
  );
  if ((payloadHash !== undefined && payloadHash !== bodyHash) || !sameHex(expected, signature)) {
    return deny('INVALID_SIGNATURE', SIGNATURE_MISMATCH_MESSAGE, undefined, `SigV4 mismatch for ${scope.accessKeyId} (${scope.region}/${scope.service})`);
  }

  const decision = await callers.authorizeInvoke(key.identity, methodArn, resourcePolicy);
  if (!decision.allowed) return deny('ACCESS_DENIED', decision.message);
  return { identity: key.identity };
}

/**
 * The ARN IAM authorizes a method call on: `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<path>`,
 * the path being the request's below the stage.
 */
export function methodArn(
  deployment: { region: string; account: string; partition?: string },
  apiId: string,
  stage: string,
  method: string,
  pathBelowStage: string,
): string {
  return `arn:${deployment.partition ?? 'aws'}:execute-api:${deployment.region}:${deployment.account}:${apiId}/${stage}/${method}${pathBelowStage}`;
}

/** The API's resource policy with `execute-api:/*` (API Gateway's shorthand) replaced by the API's own ARN. */
export function resolvedResourcePolicy(policy: Record<string, unknown> | undefined, apiArn: string): Record<string, unknown> | undefined {
  if (!policy) return undefined;
  return JSON.parse(JSON.stringify(policy).replace(/"execute-api:\/([^"]*)"/g, (_whole, rest: string) => JSON.stringify(`${apiArn}/${rest}`))) as Record<
    string,
    unknown
  >;
}
