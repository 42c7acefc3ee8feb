/**
 * API Gateway's basic request validation: required method request parameters, and the body against
 * the method's model (JSON Schema draft-04, validated with ajv-draft-04).
 */
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import type { MethodParameter } from './api-definition';
import type { RequestParameters } from './vtl';

/** A validation failure: API Gateway's `$context.error.message` and `validationErrorString`. */
export interface ValidationFailure {
  readonly message: string;
  readonly validationErrorString: string;
}

/**
 * The required parameters the request lacks, as BAD_REQUEST_PARAMETERS reports them
 * (`Missing required request parameters: [a, b]`). A header counts as present whatever the case
 * of its name; a query string parameter when its name is present, even with an empty value.
 */
export function checkRequiredParameters(declared: MethodParameter[], params: RequestParameters): ValidationFailure | undefined {
  const headers = new Set(Object.keys(params.header).map((h) => h.toLowerCase()));
  const missing = declared
    .filter((p) => p.required)
    .filter((p) => {
      if (p.location === 'header') return !headers.has(p.name.toLowerCase());
      if (p.location === 'querystring') return !Object.hasOwn(params.querystring, p.name);
      return !params.path[p.name];
    })
    .map((p) => p.name);
  if (missing.length === 0) return undefined;
  const message = `Missing required request parameters: [${missing.join(', ')}]`;
  return { message, validationErrorString: jsonEscape(message) };
}

/** The URL other models `$ref` a model by: `https://apigateway.amazonaws.com/restapis/<api>/models/<name>`. */
export function modelUrl(restApiId: string, modelName: string): string {
  return `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${modelName}`;
}

/** The text as it reads inside a JSON string (without the quotes). */
function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the body' : error.instancePath;
  // An enum failure names the value, as API Gateway's validator does ("instance value (…) not found
  // in enum"); the API relies on it to name an unknown region (docs/aws-facts.md, API Gateway).
  // Only a scalar is quoted: a deeply nested value would not even stringify.
  if (error.keyword === 'enum' && (error.data === null || typeof error.data !== 'object')) {
    return `${where} instance value (${JSON.stringify(error.data)}) not found in enum (possible values: ${JSON.stringify(error.params.allowedValues)})`;
  }
  // API Gateway's validator names the properties it does not allow; ajv keeps the name in params.
  const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

/**
 * Validates bodies against the API's models. Choices where API Gateway's docs are silent or its
 * validator differs:
 * - `validationErrorString` is a bracketed list of ajv's messages (API Gateway's validator words
 *   them differently), JSON-escaped so that a template can put it inside a JSON string;
 * - an empty body is validated as `{}`;
 * - `format` is not checked (that needs ajv-formats, which the project does not declare).
 */
export class BodyValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly restApiId: string,
    private readonly models: Record<string, Record<string, unknown>>,
  ) {
    this.ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true });
    for (const [name, schema] of Object.entries(models)) {
      const { id: _id, $id: _$id, ...rest } = schema;
      this.ajv.addSchema(rest, modelUrl(restApiId, name));
    }
  }

  /** Validates a raw body against the named model. */
  validate(modelName: string, body: string): ValidationFailure | undefined {
    let validator = this.compiled.get(modelName);
    if (!validator) {
      if (!(modelName in this.models)) return undefined; // e.g. the built-in Empty model
      validator = this.ajv.getSchema(modelUrl(this.restApiId, modelName)) as ValidateFunction;
      this.compiled.set(modelName, validator);
    }
    let document: unknown;
    try {
      document = body.trim() === '' ? {} : JSON.parse(body);
    } catch (error) {
      return this.failure([`the body is not valid JSON (${(error as Error).message})`]);
    }
    if (validator(document)) return undefined;
    return this.failure((validator.errors ?? []).map(describe));
  }

  private failure(messages: string[]): ValidationFailure {
    return { message: 'Invalid request body', validationErrorString: jsonEscape(`[${messages.join(', ')}]`) };
  }
}
