/**
 * EventBridge event patterns (EventBridge user guide, "Event patterns"), the subset the emulator
 * implements: a pattern is a JSON object whose fields are either nested objects (matched against
 * the event's nested object of the same name) or arrays of values. A field matches when the event's
 * value equals one of the array's values (strings, numbers, booleans, null); when the event's value
 * is itself an array, when any of its elements does. Every field of the pattern must match; fields
 * the pattern does not name are ignored. Content filters (prefix, suffix, anything-but, numeric,
 * exists, cidr, wildcard, $or) are not implemented: a pattern that uses one is refused when the
 * rule is registered, so a rule never silently matches differently than in AWS.
 */

type Json = Record<string, unknown>;

/** A pattern the emulator cannot evaluate (or that EventBridge would refuse). */
export class UnsupportedPatternError extends Error {}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a pattern's shape once, when its rule is registered.
 * @throws UnsupportedPatternError naming the field.
 */
export function checkPattern(pattern: unknown, path = ''): void {
  if (!isObject(pattern) || Object.keys(pattern).length === 0)
    throw new UnsupportedPatternError(`Event pattern${path ? ` at ${path}` : ''} must be a non-empty JSON object.`);
  for (const [key, value] of Object.entries(pattern)) {
    const where = path ? `${path}.${key}` : key;
    if (key.startsWith('$')) throw new UnsupportedPatternError(`Event pattern operator ${key} at ${where} is not implemented by the emulator.`);
    if (isObject(value)) {
      checkPattern(value, where);
      continue;
    }
    if (!Array.isArray(value) || value.length === 0)
      throw new UnsupportedPatternError(`Event pattern field ${where} must be a non-empty array of values or a nested object.`);
    for (const item of value) {
      if (isObject(item)) {
        throw new UnsupportedPatternError(
          `Event pattern content filter ${JSON.stringify(item)} at ${where} is not implemented by the emulator (exact values only).`,
        );
      }
      if (Array.isArray(item)) throw new UnsupportedPatternError(`Event pattern field ${where} holds an array inside its array of values.`);
    }
  }
}

/** Whether `event` matches `pattern` (checked with {@link checkPattern} beforehand). */
export function matchesPattern(pattern: Json, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    if (!(key in event)) return false;
    const actual = event[key];
    if (isObject(expected)) return matchesPattern(expected, actual);
    const values = expected as unknown[];
    const candidates = Array.isArray(actual) ? actual : [actual];
    return candidates.some((candidate) => !isObject(candidate) && values.some((value) => value === candidate));
  });
}
