/**
 * API Gateway's own answers (a request it refuses or fails before, or instead of, the integration),
 * customised by the template's `AWS::ApiGateway::GatewayResponse` resources as API Gateway does:
 * the type's own response if declared, else DEFAULT_4XX / DEFAULT_5XX, else the built-in one.
 */
import type { GatewayResponseSpec } from './api-definition';
import { substituteVariables } from './context-variables';

/** The response types local mode produces, with API Gateway's default status and message. */
export const GATEWAY_RESPONSE_TYPES = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  // AWS_IAM methods (sigv4-auth.ts; docs/aws-facts.md, "API Gateway access").
  INVALID_SIGNATURE: { status: 403, message: 'Forbidden', errorType: 'InvalidSignatureException' },
  EXPIRED_TOKEN: { status: 403, message: 'Forbidden', errorType: 'ExpiredTokenException' },
  ACCESS_DENIED: { status: 403, message: 'Forbidden', errorType: 'AccessDeniedException' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters', errorType: 'BadRequestException' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLongException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
} as const;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSE_TYPES;

/** API Gateway's template when none is customised. */
const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** One gateway error as it happened. */
export interface GatewayError {
  readonly type: GatewayResponseType;
  /** `$context.error.message`; the type's default message when absent. */
  readonly message?: string;
  /** `$context.error.validationErrorString` (validation failures only). */
  readonly validationErrorString?: string;
  /** `x-amzn-ErrorType` when it is not the type's own (an unknown access key: UnrecognizedClientException). */
  readonly errorType?: string;
  /** What went wrong, for the execution log; never sent to the caller. */
  readonly detail?: string;
}

export interface GatewayReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** `$context.error.*` as the access log sees it. */
  readonly error: Record<string, string>;
}

/** Chooses the `application/json` template when there is one, else the first. */
function pickTemplate(templates: Record<string, string>): { contentType: string; template: string } | undefined {
  if ('application/json' in templates) return { contentType: 'application/json', template: templates['application/json'] };
  const [first] = Object.entries(templates);
  return first && { contentType: first[0], template: first[1] };
}

/** Renders gateway responses from the template's customisations. */
export class GatewayResponses {
  constructor(
    private readonly declared: Record<string, GatewayResponseSpec>,
    private readonly stageVariables: Record<string, string>,
  ) {}

  /**
   * The reply for an error. The status is the type's own customised status, else the customised
   * DEFAULT_4XX/5XX status ("changes the status codes of all other 4XX responses"), else the
   * type's default. Templates and headers are the type's own response's if it is declared, else
   * the DEFAULT_4XX/5XX one's. The body is rendered by plain `$context` substitution, not VTL.
   */
  reply(error: GatewayError, context: Record<string, unknown>): GatewayReply {
    const type = GATEWAY_RESPONSE_TYPES[error.type];
    const own = this.declared[error.type];
    const fallback = this.declared[type.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
    const status = own?.statusCode ?? fallback?.statusCode ?? type.status;
    const message = error.message ?? type.message;
    const errorContext: Record<string, string> = {
      message,
      messageString: JSON.stringify(message),
      responseType: error.type,
      ...(error.validationErrorString === undefined ? {} : { validationErrorString: error.validationErrorString }),
    };
    const customised = own ?? fallback;
    const chosen = pickTemplate(customised?.templates ?? {}) ?? { contentType: 'application/json', template: DEFAULT_TEMPLATE };
    const body = substituteVariables(chosen.template, { context: { ...context, error: errorContext }, stageVariables: this.stageVariables }, { missing: '' });
    return {
      status,
      headers: { ...(customised?.headers ?? {}), 'Content-Type': chosen.contentType, 'x-amzn-ErrorType': error.errorType ?? type.errorType },
      body,
      error: errorContext,
    };
  }
}
