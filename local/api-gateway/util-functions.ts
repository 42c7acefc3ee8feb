/**
 * API Gateway's `$util` functions. They are Java methods taking a `String`: a null argument gives
 * null (so the reference renders as its own text, or as nothing when quiet), as in Java. Choice: a
 * number or boolean argument is taken as its string form (Velocity 1.7 would not find the method).
 */

/** Upper-case hex of a UTF-16 code unit, padded to four digits. */
function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * `$util.escapeJavaScript`: "Escapes the characters in a string using JavaScript string rules", i.e.
 * Apache Commons Lang's `StringEscapeUtils.escapeJavaScript`: `"` `\` `'` and `/` get a backslash
 * (so `'` becomes `\'`, which is not valid JSON: the API Gateway docs tell templates to undo it
 * with `.replaceAll("\\'","'")`), `\b \t \n \f \r` their short escapes, other control characters
 * and every character above U+007E a `\uXXXX` escape (per UTF-16 unit, so astral characters
 * become a surrogate pair of escapes, which JSON also reads).
 */
export function escapeJavaScript(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : String(value);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (code > 0x7f) out += unicodeEscape(code);
    else if (code < 0x20) {
      const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += short[code] ?? unicodeEscape(code);
    } else if (ch === '"' || ch === '\\' || ch === "'" || ch === '/') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * `$util.parseJson`: "takes stringified JSON and returns an object representation". Invalid JSON
 * throws, which fails the render (API Gateway answers 500).
 */
export function parseJson(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return undefined; // Java: no parseJson(Map); the reference renders as text.
  return JSON.parse(value) as unknown;
}

/**
 * `$util.urlEncode`: Java's `URLEncoder.encode(s, "UTF-8")` (form encoding): letters, digits and
 * `. - * _` stay, a space becomes `+`, every other byte `%XX`.
 */
export function urlEncode(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return encodeURIComponent(String(value))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `$util.urlDecode`: Java's `URLDecoder.decode(s, "UTF-8")`: `+` is a space, `%XX` a byte. */
export function urlDecode(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

/** `$util.base64Encode`: the UTF-8 bytes in standard Base64. */
export function base64Encode(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return Buffer.from(String(value), 'utf8').toString('base64');
}

/** `$util.base64Decode`: standard Base64 to a UTF-8 string. */
export function base64Decode(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return Buffer.from(String(value), 'base64').toString('utf8');
}

/** The `$util` object a template sees. */
export function utilVariable(): Record<string, (value: unknown) => unknown> {
  return { escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode, base64Decode };
}
