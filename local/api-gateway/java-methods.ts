/**
 * What a VTL template sees when it calls methods on values: API Gateway runs Apache Velocity on
 * Java, so strings are `java.lang.String`, JSON objects are `Map`s and arrays are `List`s. In
 * velocityjs they are JavaScript values, whose methods differ (`length` is a property, `replace`
 * replaces once, `replaceAll` takes no regex...). The handlers here give them Java's methods.
 *
 * A method that the Java class does not have resolves to `undefined`, which Velocity renders as the
 * reference's own text, as Java Velocity does for a method it cannot find.
 */
import { javaMatches, javaReplaceAll, javaReplaceFirst, javaSplit } from './java-regex';

/** A Java method thrown exception (Velocity's MethodInvocationException): the render fails. */
export class JavaMethodError extends Error {
  constructor(method: string, message: string) {
    super(`${method}: ${message}`);
    this.name = 'JavaMethodError';
  }
}

/** The shape of a velocityjs custom method handler. */
export interface MethodHandler {
  uid: string;
  match: (payload: MethodCall) => boolean;
  resolve: (payload: MethodCall) => unknown;
}

/** A method call as velocityjs describes it: `$context.property(...params)`. */
export interface MethodCall {
  property: string;
  context: unknown;
  params: unknown[];
}

/** Velocity's truth: everything but null and `false` is true (Velocity 1.7; no empty-check). */
export function javaTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/** `String.valueOf(value)`: how Java (and so Velocity) prints a value. */
export function javaToString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaToString).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${javaToString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Structural equality of JSON-like values, as `Map.equals`/`List.equals` compare. */
function deepEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Velocity's `==`: two nulls are equal, a null equals nothing else, numbers compare by value, values
 * of one type by `equals`, values of different types by their string forms (`1 == "1"`).
 */
export function javaEquals(a: unknown, b: unknown): boolean {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull && bNull;
  if (typeof a === typeof b) return typeof a === 'object' ? deepEquals(a, b) : a === b;
  return javaToString(a) === javaToString(b);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function checkIndex(method: string, ok: boolean, detail: string): void {
  if (!ok) throw new JavaMethodError(`String.${method}`, `StringIndexOutOfBoundsException: ${detail}`);
}

/** `String.trim()`: strips every char up to U+0020 at both ends (not Unicode spaces). */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** `String.replace(CharSequence, CharSequence)`: every literal occurrence. */
function javaReplaceLiteral(s: string, target: string, replacement: string): string {
  if (target === '') return replacement + s.split('').join(replacement) + (s.length ? replacement : '');
  return s.split(target).join(replacement);
}

type Method = (self: string, ...args: unknown[]) => unknown;

/** `java.lang.String`'s methods, with Java's argument rules (wrong types: no such method). */
const STRING_METHODS: Record<string, Method> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  charAt: (s, i) => {
    if (!isInt(i)) return undefined;
    checkIndex('charAt', i >= 0 && i < s.length, `index ${i}, length ${s.length}`);
    return s[i];
  },
  substring: (s, begin, end = s.length) => {
    if (!isInt(begin) || !isInt(end)) return undefined;
    checkIndex('substring', begin >= 0 && end <= s.length && begin <= end, `begin ${begin}, end ${end}, length ${s.length}`);
    return s.slice(begin, end);
  },
  indexOf: (s, str, from = 0) => (isStr(str) && isInt(from) ? s.indexOf(str, Math.max(0, from)) : undefined),
  lastIndexOf: (s, str, from = Infinity) => (isStr(str) && typeof from === 'number' ? (from < 0 ? -1 : s.lastIndexOf(str, from)) : undefined),
  startsWith: (s, prefix, offset = 0) => (isStr(prefix) && isInt(offset) ? offset >= 0 && s.startsWith(prefix, offset) : undefined),
  endsWith: (s, suffix) => (isStr(suffix) ? s.endsWith(suffix) : undefined),
  contains: (s, part) => (isStr(part) ? s.includes(part) : undefined),
  equals: (s, other) => s === other,
  equalsIgnoreCase: (s, other) => isStr(other) && s.toUpperCase() === other.toUpperCase() && s.toLowerCase() === other.toLowerCase(),
  compareTo: (s, other) => (isStr(other) ? (s < other ? -1 : s > other ? 1 : 0) : undefined),
  concat: (s, other) => (isStr(other) ? s + other : undefined),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => javaTrim(s),
  toString: (s: string) => s,
  matches: (s, regex) => (isStr(regex) ? javaMatches(s, regex) : undefined),
  replace: (s, target, replacement) => (isStr(target) && isStr(replacement) ? javaReplaceLiteral(s, target, replacement) : undefined),
  replaceAll: (s, regex, replacement) => (isStr(regex) && isStr(replacement) ? javaReplaceAll(s, regex, replacement) : undefined),
  replaceFirst: (s, regex, replacement) => (isStr(regex) && isStr(replacement) ? javaReplaceFirst(s, regex, replacement) : undefined),
  split: (s, regex, limit = 0) => (isStr(regex) && isInt(limit) ? javaSplit(s, regex, limit) : undefined),
};

/** `Integer`/`Double`/`Boolean` methods a template may call on a JSON number or boolean. */
const PRIMITIVE_METHODS: Record<string, (self: number | boolean, ...args: unknown[]) => unknown> = {
  toString: (v: number | boolean) => javaToString(v),
  equals: (v, other) => v === other,
  intValue: (v) => (typeof v === 'number' ? Math.trunc(v) : undefined),
  longValue: (v) => (typeof v === 'number' ? Math.trunc(v) : undefined),
  doubleValue: (v) => (typeof v === 'number' ? v : undefined),
  booleanValue: (v) => (typeof v === 'boolean' ? v : undefined),
};

type Collection = Record<string, unknown> | unknown[];

/**
 * `Map` and `List` methods that velocityjs lacks or gets wrong (its `get` also tries the key with
 * its first letter's case flipped). Its own `size`, `keySet`, `entrySet`, `put`, `add`, `remove`
 * and `subList` already behave like Java's.
 */
const COLLECTION_METHODS: Record<string, (self: Collection, ...args: unknown[]) => unknown> = {
  get: (c, key) => (Array.isArray(c) ? (isInt(key) ? c[key] : undefined) : Object.hasOwn(c, String(key)) ? c[String(key)] : undefined),
  isEmpty: (c) => (Array.isArray(c) ? c.length === 0 : Object.keys(c).length === 0),
  containsKey: (c, key) => (Array.isArray(c) ? undefined : Object.hasOwn(c, String(key))),
  containsValue: (c, value) => (Array.isArray(c) ? undefined : Object.values(c).some((v) => javaEquals(v, value))),
  contains: (c, value) => (Array.isArray(c) ? c.some((v) => javaEquals(v, value)) : undefined),
  values: (c) => (Array.isArray(c) ? undefined : Object.values(c)),
  toString: (c: Collection) => javaToString(c),
};

/** Plain data (a parsed JSON object or array), as opposed to the `$input`/`$util` helper objects. */
function isData(value: unknown): value is Collection {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** velocityjs custom method handlers that make method calls behave as on Java objects. */
export const JAVA_METHOD_HANDLERS: MethodHandler[] = [
  {
    uid: 'java: String',
    match: ({ context }) => typeof context === 'string',
    resolve: ({ context, property, params }) => {
      const method = Object.hasOwn(STRING_METHODS, property) ? STRING_METHODS[property] : undefined;
      return method ? method(context as string, ...params) : undefined;
    },
  },
  {
    uid: 'java: Number/Boolean',
    match: ({ context }) => typeof context === 'number' || typeof context === 'boolean',
    resolve: ({ context, property, params }) => {
      const method = Object.hasOwn(PRIMITIVE_METHODS, property) ? PRIMITIVE_METHODS[property] : undefined;
      return method ? method(context as number | boolean, ...params) : undefined;
    },
  },
  {
    uid: 'java: Map/List',
    match: ({ context, property }) => isData(context) && Object.hasOwn(COLLECTION_METHODS, property),
    resolve: ({ context, property, params }) => COLLECTION_METHODS[property](context as Collection, ...params),
  },
];
