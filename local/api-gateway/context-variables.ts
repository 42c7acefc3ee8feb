/**
 * Plain `$context.*` / `$stageVariables.*` substitution, for the two places API Gateway fills
 * variables without running VTL: gateway response templates ("a non-VTL mapping template") and
 * access log formats.
 */

const VARIABLE = /\$(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)/g;

/** Reads `a.b.c` out of nested objects. */
function lookup(root: unknown, path: string[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export interface SubstitutionOptions {
  /** What an unknown or empty variable becomes. */
  readonly missing: string;
  /** Applied to every substituted value. */
  readonly escape?: (value: string) => string;
}

/** Replaces each `$context.x.y` and `$stageVariables.x` in a text. */
export function substituteVariables(
  text: string,
  variables: { context: Record<string, unknown>; stageVariables: Record<string, string> },
  options: SubstitutionOptions,
): string {
  return text.replace(VARIABLE, (_whole, root: string, dotted: string) => {
    const value = lookup(root === 'context' ? variables.context : variables.stageVariables, dotted.slice(1).split('.'));
    if (value === undefined || value === null || value === '' || typeof value === 'object') return options.missing;
    const string = String(value);
    return options.escape ? options.escape(string) : string;
  });
}
