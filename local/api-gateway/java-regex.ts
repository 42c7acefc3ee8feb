/**
 * Java regular expressions (`java.util.regex`) as API Gateway's VTL evaluates them in
 * `String.matches`, `replaceAll`, `replaceFirst` and `split`, translated to JavaScript `RegExp`.
 *
 * The two dialects agree on the common core (classes, quantifiers, groups, alternation, `\d \w \b`,
 * look-arounds, named groups). This translation covers the places where they differ in meaning and
 * refuses, with an error, the Java constructs JavaScript cannot express, rather than silently
 * matching something else.
 */

/** A Java regex construct that has no JavaScript equivalent here. */
export class UnsupportedJavaRegexError extends Error {
  constructor(pattern: string, construct: string) {
    super(`Java regex ${JSON.stringify(pattern)} uses ${construct}, which local mode cannot translate to JavaScript`);
    this.name = 'UnsupportedJavaRegexError';
  }
}

/** Java's default line terminators, which its `$` may precede at the end of input. */
const LINE_END = String.raw`(?=(?:\r\n|[\n\r\u0085\u2028\u2029])?$)`;
/** Java's `\s`: ASCII whitespace only (JavaScript's also takes Unicode spaces). */
const JAVA_SPACE_CHARS = String.raw` \t\n\x0B\f\r`;
/** POSIX classes `\p{Name}` (US-ASCII, Java's default), as class contents. */
const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: String.raw`\x00-\x7F`,
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: String.raw`!-\/:-@\[-\`{-~`,
  Graph: '!-~',
  Print: String.raw`\x20-~`,
  Blank: String.raw` \t`,
  Cntrl: String.raw`\x00-\x1F\x7F`,
  XDigit: '0-9a-fA-F',
  Space: JAVA_SPACE_CHARS,
};

const cache = new Map<string, RegExp>();

/** Escapes a literal string for use inside a JavaScript regex. */
function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * Translates a Java regex into the source of an equivalent JavaScript regex (no `u` flag, so that
 * escapes such as `\-` or `\'`, which Java accepts, stay legal).
 */
export function translateJavaRegex(pattern: string): { source: string; flags: string } {
  let flags = '';
  let i = 0;
  // A leading inline flag group, e.g. (?i), becomes a JavaScript flag.
  const inline = /^\(\?([imsx]+)\)/.exec(pattern);
  if (inline) {
    if (inline[1].includes('x')) throw new UnsupportedJavaRegexError(pattern, 'the COMMENTS flag (?x)');
    flags = inline[1];
    i = inline[0].length;
  }
  let out = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new SyntaxError(`Java regex ${JSON.stringify(pattern)} ends with an unfinished escape`);
      if (next === 'Q') {
        // \Q...\E quotes everything up to \E (or the end).
        const end = pattern.indexOf('\\E', i + 2);
        const quoted = pattern.slice(i + 2, end === -1 ? undefined : end);
        out += escapeLiteral(quoted);
        i = end === -1 ? pattern.length : end + 2;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const match = /^\{(\w+)\}/.exec(pattern.slice(i + 2));
        const body = match ? POSIX_CLASSES[match[1].replace(/^Is/, '')] : undefined;
        if (!match || body === undefined) throw new UnsupportedJavaRegexError(pattern, `the property class \\${next}${match ? match[0] : ''}`);
        if (next === 'P' && inClass) throw new UnsupportedJavaRegexError(pattern, 'a negated property class inside a character class');
        out += inClass ? body : `[${next === 'P' ? '^' : ''}${body}]`;
        i += 2 + match[0].length;
        continue;
      }
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else if (!inClass && next === 'Z') out += LINE_END;
      else if (next === 's') out += inClass ? JAVA_SPACE_CHARS : `[${JAVA_SPACE_CHARS}]`;
      else if (next === 'S' && !inClass) out += `[^${JAVA_SPACE_CHARS}]`;
      else if (next === 'G' || next === 'R' || next === 'X' || next === 'h' || next === 'H' || next === 'V') {
        throw new UnsupportedJavaRegexError(pattern, `\\${next}`);
      } else out += `\\${next}`;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new UnsupportedJavaRegexError(pattern, 'a nested character class (union)');
      if (c === '&' && pattern[i + 1] === '&') throw new UnsupportedJavaRegexError(pattern, 'a character class intersection (&&)');
      if (c === ']') inClass = false;
      out += c;
      i += 1;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i += 1;
      // A `]` right after `[` or `[^` is a literal in Java but closes an empty class in
      // JavaScript: escape it.
      if (pattern[i] === '^') {
        out += '^';
        i += 1;
      }
      if (pattern[i] === ']') {
        out += '\\]';
        i += 1;
      }
      continue;
    }
    if (c === '$') {
      out += LINE_END;
      i += 1;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?' && pattern[i + 2] === '>') throw new UnsupportedJavaRegexError(pattern, 'an atomic group (?>...)');
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      throw new UnsupportedJavaRegexError(pattern, 'a possessive quantifier');
    }
    out += c;
    i += 1;
  }
  if (inClass) throw new SyntaxError(`Java regex ${JSON.stringify(pattern)} has an unclosed character class`);
  return { source: out, flags };
}

/** A (cached) JavaScript RegExp for a Java regex; `anchored` makes it match the whole input. */
export function javaRegExp(pattern: string, options: { anchored?: boolean; global?: boolean } = {}): RegExp {
  const key = `${options.anchored ? 'a' : ''}${options.global ? 'g' : ''}:${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    const { source, flags } = translateJavaRegex(pattern);
    regex = new RegExp(options.anchored ? `^(?:${source})$` : source, flags + (options.global ? 'g' : ''));
    cache.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

/** `String.matches(regex)`: true when the regex matches the whole string. */
export function javaMatches(text: string, pattern: string): boolean {
  return javaRegExp(pattern, { anchored: true }).test(text);
}

/**
 * Expands a Java replacement string (`Matcher.appendReplacement`): `$n` and `${name}` insert groups
 * (a missing group is an error, as in Java), `\x` is a literal `x`; everything else is literal.
 * JavaScript's own `$&`, `$$` and `` $` `` mean nothing special here.
 */
function expandReplacement(replacement: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i += 1;
      if (i >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      i += 1;
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        const name = end === -1 ? '' : replacement.slice(i + 1, end);
        if (!name || !match.groups || !(name in match.groups)) throw new Error(`No group with name {${name}}`);
        out += match.groups[name] ?? '';
        i = end;
      } else {
        const digit = replacement[i];
        if (digit === undefined || digit < '0' || digit > '9') throw new Error('Illegal group reference');
        // Java takes further digits while they still name an existing group.
        let group = Number(digit);
        if (group >= match.length) throw new Error(`No group ${group}`);
        while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1]) && group * 10 + Number(replacement[i + 1]) < match.length) {
          group = group * 10 + Number(replacement[i + 1]);
          i += 1;
        }
        out += match[group] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}

/** Every match of a global regex, stepping past empty matches as Java's `Matcher.find` does. */
function allMatches(regex: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    matches.push(m);
    if (m[0] === '') regex.lastIndex += 1;
  }
  return matches;
}

function replace(text: string, pattern: string, replacement: string, firstOnly: boolean): string {
  const matches = allMatches(javaRegExp(pattern, { global: true }), text);
  let out = '';
  let last = 0;
  for (const m of firstOnly ? matches.slice(0, 1) : matches) {
    out += text.slice(last, m.index) + expandReplacement(replacement, m);
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

/** `String.replaceAll(regex, replacement)` with Java's regex and replacement syntax. */
export function javaReplaceAll(text: string, pattern: string, replacement: string): string {
  return replace(text, pattern, replacement, false);
}

/** `String.replaceFirst(regex, replacement)`. */
export function javaReplaceFirst(text: string, pattern: string, replacement: string): string {
  return replace(text, pattern, replacement, true);
}

/**
 * `String.split(regex, limit)` (Java 8+): no match gives the whole string; an empty match at the
 * start yields no leading empty string; with limit 0 trailing empty strings are dropped; a positive
 * limit caps the number of parts.
 */
export function javaSplit(text: string, pattern: string, limit = 0): string[] {
  const parts: string[] = [];
  let index = 0;
  for (const m of allMatches(javaRegExp(pattern, { global: true }), text)) {
    if (limit > 0 && parts.length === limit - 1) break;
    if (m.index === 0 && m[0] === '') continue;
    parts.push(text.slice(index, m.index));
    index = m.index + m[0].length;
  }
  if (index === 0 && parts.length === 0) return [text];
  parts.push(text.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
