/**
 * The JSONPath that `$input.path(x)` and `$input.json(x)` evaluate (API Gateway uses Jayway
 * JsonPath): `$`, `.name`, `['name']`, `[n]` (negative from the end), `[a,b]`, `[start:end]`, `*`
 * and `..` (deep scan). Filter expressions `[?(...)]` and functions are not supported and raise an
 * error, which fails the render as an unknown construct would in API Gateway.
 */

/** One step of a path. */
type Step =
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'slice'; start?: number; end?: number }
  | { kind: 'wildcard' }
  | { kind: 'deep'; then: Step };

export class JsonPathError extends Error {
  constructor(path: string, reason: string) {
    super(`Invalid JSONPath ${JSON.stringify(path)}: ${reason}`);
    this.name = 'JsonPathError';
  }
}

/** Reads a quoted name or a comma list inside `[...]`. */
function parseBracket(path: string, content: string): Step {
  const trimmed = content.trim();
  if (trimmed === '*') return { kind: 'wildcard' };
  if (trimmed.startsWith('?') || trimmed.startsWith('(')) throw new JsonPathError(path, 'filter and script expressions are not supported');
  const parts = trimmed.split(',').map((p) => p.trim());
  if (parts.every((p) => /^'.*'$|^".*"$/.test(p))) return { kind: 'names', names: parts.map((p) => p.slice(1, -1)) };
  const slice = /^(-?\d*):(-?\d*)$/.exec(trimmed);
  if (slice) return { kind: 'slice', start: slice[1] === '' ? undefined : Number(slice[1]), end: slice[2] === '' ? undefined : Number(slice[2]) };
  if (parts.every((p) => /^-?\d+$/.test(p))) return { kind: 'indexes', indexes: parts.map(Number) };
  throw new JsonPathError(path, `cannot read [${content}]`);
}

/** Splits a path into steps; also reports whether it names at most one value (a definite path). */
function parse(path: string): { steps: Step[]; definite: boolean } {
  const text = path.startsWith('$') ? path : `$.${path}`;
  const steps: Step[] = [];
  let i = 1;
  while (i < text.length) {
    let deep = false;
    let step: Step;
    if (text.startsWith('..', i)) {
      deep = true;
      i += 2;
    } else if (text[i] === '.') {
      i += 1;
    } else if (text[i] !== '[') {
      throw new JsonPathError(path, `unexpected ${JSON.stringify(text[i])} at ${i}`);
    }
    if (text[i] === '[') {
      // The bracket ends at the first `]` outside quotes.
      let j = i + 1;
      let quote: string | undefined;
      for (; j < text.length; j++) {
        if (quote) {
          if (text[j] === quote) quote = undefined;
        } else if (text[j] === "'" || text[j] === '"') quote = text[j];
        else if (text[j] === ']') break;
      }
      if (j >= text.length) throw new JsonPathError(path, 'unclosed [');
      step = parseBracket(path, text.slice(i + 1, j));
      i = j + 1;
    } else {
      const match = /^[^.[]+/.exec(text.slice(i));
      if (!match) throw new JsonPathError(path, `missing name at ${i}`);
      step = match[0] === '*' ? { kind: 'wildcard' } : { kind: 'names', names: [match[0]] };
      i += match[0].length;
    }
    // biome-ignore lint/suspicious/noThenProperty: a parsed path step, plain data that is never awaited.
    steps.push(deep ? { kind: 'deep', then: step } : step);
  }
  const definite = steps.every((s) => (s.kind === 'names' && s.names.length === 1) || (s.kind === 'indexes' && s.indexes.length === 1));
  return { steps, definite };
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return [];
}

/** Every node at or below `value`, in document order. */
function descendants(value: unknown): unknown[] {
  return [value, ...children(value).flatMap(descendants)];
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'names':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
      return step.names.filter((n) => Object.hasOwn(value, n)).map((n) => (value as Record<string, unknown>)[n]);
    case 'indexes':
      if (!Array.isArray(value)) return [];
      return step.indexes
        .map((n) => (n < 0 ? value.length + n : n))
        .filter((n) => n >= 0 && n < value.length)
        .map((n) => value[n]);
    case 'slice':
      return Array.isArray(value) ? value.slice(step.start, step.end) : [];
    case 'wildcard':
      return children(value);
    case 'deep':
      return descendants(value).flatMap((node) => apply(step.then, node));
  }
}

/**
 * Evaluates a JSONPath against a parsed document. A definite path gives its one value (`undefined`
 * when absent); any other gives the list of every match, as Jayway does.
 */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  const { steps, definite } = parse(path);
  let nodes: unknown[] = [document];
  for (const step of steps) nodes = nodes.flatMap((node) => apply(step, node));
  return definite ? nodes[0] : nodes;
}
