/**
 * Renders an API Gateway mapping template (request or integration response) with the variables
 * API Gateway defines for it: `$input`, `$util`, `$context` (with the settable
 * `$context.responseOverride`) and `$stageVariables`.
 */
import { evaluateJsonPath } from './json-path';
import { utilVariable } from './util-functions';
import { renderVelocity } from './velocity-engine';

/** The method request's parameters, by location; header names as the client sent them. */
export interface RequestParameters {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export interface MappingTemplateVariables {
  /** The payload `$input` reads: the request body, or for a response template the integration's answer. */
  body: string;
  /** The method request's parameters (`$input.params`), in request and response templates alike. */
  params: RequestParameters;
  /** `$context`; the render works on a copy, to which it adds `responseOverride`. */
  context: Record<string, unknown>;
  stageVariables?: Record<string, string>;
}

/** What `#set($context.responseOverride...)` asked for. */
export interface ResponseOverride {
  status?: number;
  header: Record<string, string>;
}

export interface MappingTemplateResult {
  output: string;
  responseOverride: ResponseOverride;
}

/**
 * The parsed payload. Choice (the docs are silent): an empty or blank body reads as `{}`, as API
 * Gateway's `$input.json('$')` gives `{}` for a GET; a body that is not JSON makes `$input.path`
 * and `$input.json` throw, failing the render (API Gateway answers 500).
 */
function parsePayload(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new Error('$input.path/$input.json: the payload is not valid JSON');
  }
}

/** Deep copy of JSON-like data, so templates that mutate what they read (`$map.put`) change no caller state. */
function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function inputVariable(body: string, params: RequestParameters): Record<string, unknown> {
  let payload: { value: unknown } | undefined;
  const document = () => {
    payload ??= { value: parsePayload(body) };
    return payload.value;
  };
  const headerNames = Object.keys(params.header);
  return {
    body,
    /**
     * `$input.json(x)`: the JSON text of what the path selects. Assumption: a path that selects
     * nothing gives `""` (API Gateway's console shows an empty JSON string there).
     */
    json: (path: unknown = '$') => {
      const value = evaluateJsonPath(document(), String(path));
      return value === undefined ? '""' : JSON.stringify(value);
    },
    /** `$input.path(x)`: the selected value itself (string, number, Map, List); null when absent. */
    path: (path: unknown) => {
      const value = evaluateJsonPath(document(), String(path));
      return value === null ? undefined : copy(value);
    },
    /**
     * `$input.params()`: all parameters by location; `$input.params(x)`: the value of `x` from the
     * path, else the query string, else the headers (that order is API Gateway's). Assumption: the
     * header lookup ignores case, as HTTP header names do; API Gateway's docs do not say. A
     * parameter that is absent gives "" (API Gateway renders nothing for it).
     */
    params: (name?: unknown) => {
      if (name === undefined) return copy(params);
      const key = String(name);
      if (Object.hasOwn(params.path, key)) return params.path[key];
      if (Object.hasOwn(params.querystring, key)) return params.querystring[key];
      const header = headerNames.find((h) => h.toLowerCase() === key.toLowerCase());
      return header === undefined ? '' : params.header[header];
    },
  };
}

/** Reads `$context.responseOverride` after the render; a status that is not an HTTP status is ignored. */
function readOverride(value: unknown): ResponseOverride {
  const override = (typeof value === 'object' && value !== null ? value : {}) as { status?: unknown; header?: unknown };
  const status = Number(override.status);
  const header: Record<string, string> = {};
  if (typeof override.header === 'object' && override.header !== null) {
    for (const [name, v] of Object.entries(override.header)) if (v !== null && v !== undefined && typeof v !== 'function') header[name] = String(v);
  }
  return { status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined, header };
}

/**
 * Renders a mapping template as API Gateway does. Throws when the template cannot be rendered (a
 * syntax error, a Java method that throws, `$util.parseJson` of invalid JSON): API Gateway then
 * fails the request with 500.
 */
export function renderMappingTemplate(template: string, vars: MappingTemplateVariables): MappingTemplateResult {
  const context = { ...copy(vars.context), responseOverride: { header: {} } };
  const output = renderVelocity(template, {
    input: inputVariable(vars.body, vars.params),
    util: utilVariable(),
    context,
    stageVariables: { ...(vars.stageVariables ?? {}) },
  });
  return { output, responseOverride: readOverride(context.responseOverride) };
}
