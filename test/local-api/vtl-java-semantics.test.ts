/**
 * The mapping-template engine renders as API Gateway's (Apache Velocity on Java) does, not as plain
 * velocityjs would: these are the differences a template author would trip over locally.
 */
import { renderMappingTemplate } from '../../local/api-gateway/vtl';
import type { RequestParameters } from '../../local/api-gateway/vtl';

const noParams: RequestParameters = { path: {}, querystring: {}, header: {} };

function render(template: string, body: unknown = {}, params: RequestParameters = noParams, context: Record<string, unknown> = {}) {
  return renderMappingTemplate(template, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    params,
    context: { requestId: 'r-1', stage: 'v1', ...context },
  });
}
const out = (template: string, body?: unknown, params?: RequestParameters) => render(template, body, params).output;

describe('Java String methods', () => {
  test('length() is a method call, as on java.lang.String', () => {
    expect(out(`#set($s = "hello")$s.length()`)).toBe('5');
  });

  test('matches() must match the whole string (Java regex), not find a part of it', () => {
    expect(out(`#set($s = "abc123")$s.matches('[a-z]+') $s.matches('[a-z]+[0-9]+') $s.matches('^[a-z0-9]{6}$')`)).toBe('false true true');
  });

  test('replaceAll takes a Java regex and $1 group references', () => {
    expect(out(`#set($s = "a-b-c")$s.replaceAll('-(\\w)', '_$1')`)).toBe('a_b_c');
  });

  test('replace replaces every literal occurrence (JavaScript would replace only the first)', () => {
    expect(out(`#set($s = "a.b.c")$s.replace('.', '/')`)).toBe('a/b/c');
  });

  test('a string literal keeps its backslashes, so "\\\\\'" is the regex for a backslash followed by a quote', () => {
    // Apache Velocity reads only \uXXXX and doubled quotes in string literals.
    const template = String.raw`#set($s = "it\'s")$s.replaceAll("\\'", "'")|$s.replaceAll("\'", "Q")`;
    expect(out(template)).toBe(`it's|it\\Qs`);
  });

  test('substring, indexOf, lastIndexOf, startsWith, endsWith, contains, trim, case, split and equals behave as in Java', () => {
    const template = [
      '#set($s = " a:b:c ")#set($t = $s.trim())',
      '$t.substring(2)|$t.substring(0, 1)|$t.indexOf(":")|$t.lastIndexOf(":")|$t.startsWith("a")|$t.endsWith("c")',
      '|$t.contains("b:")|$t.toUpperCase()|$t.split(":")|$t.equals("a:b:c")|$t.isEmpty()|$t.split(":").size()',
    ].join('');
    expect(out(template)).toBe('b:c|a|1|3|true|true|true|A:B:C|[a, b, c]|true|false|3');
  });

  test('split drops trailing empty strings as Java does', () => {
    expect(out(`#set($s = "a,b,,")$s.split(",").size()`)).toBe('2');
  });

  test('substring out of range fails the render, as Java throws StringIndexOutOfBoundsException', () => {
    expect(() => render(`#set($s = "abc")$s.substring(5)`)).toThrow(/StringIndexOutOfBounds/);
  });

  test('arithmetic inside method arguments is a parse error (Velocity 1.7 grammar); computed in a #set first it works', () => {
    expect(() => render(`#set($arn = "a:b:c")$arn.substring($arn.lastIndexOf(':') + 1)`)).toThrow(/Parse error/);
    expect(out(`#set($arn = "a:b:c")#set($start = $arn.lastIndexOf(':') + 1)$arn.substring($start)`)).toBe('c');
  });

  test('a method Java strings lack renders the reference as written', () => {
    expect(out(`#set($s = "abc")$s.padStart(5)`)).toBe('$s.padStart(5)');
  });
});

describe('Velocity rules', () => {
  test('a null reference renders as its own text, and as nothing when quiet ($!)', () => {
    expect(out(`[$input.path('$.gone')][$!input.path('$.gone')][$!missing]`, { gone: null })).toBe(`[$input.path('$.gone')][][]`);
  });

  test('#if is true for an empty string and for 0; only null and false are false', () => {
    expect(out(`#if("")T#{else}F#end#if(0)T#{else}F#end#if($missing)T#{else}F#end#if(false)T#{else}F#end`)).toBe('TTFF');
  });

  test('#set to a null value keeps the previous value (the classic loop pitfall)', () => {
    const template = `#foreach($r in $input.path('$.rows'))#set($v = $r.v)[$v]#end`;
    expect(out(template, { rows: [{ v: 1 }, {}, { v: 3 }] })).toBe('[1][1][3]');
  });

  test('$foreach.hasNext separates list items', () => {
    expect(out(`#foreach($x in $input.path('$.l'))$x#if($foreach.hasNext),#end#end`, { l: ['a', 'b', 'c'] })).toBe('a,b,c');
  });

  test('== compares values of different types by their string forms', () => {
    expect(out(`#set($n = 1)#if($n == "1")equal#end`)).toBe('equal');
  });

  test('#set on $context.responseOverride changes the status and headers of the response', () => {
    const result = render(`#set($context.responseOverride.status = 404)#set($context.responseOverride.header.Retry-After = "5")body`);
    expect(result).toEqual({ output: 'body', responseOverride: { status: 404, header: { 'Retry-After': '5' } } });
  });

  test('a map renders as Java prints it', () => {
    expect(out(`$util.parseJson('{"a":1,"b":[1,2]}')`)).toBe('{a=1, b=[1, 2]}');
  });
});

describe('$input', () => {
  const params: RequestParameters = { path: { id: 'from-path' }, querystring: { id: 'from-query', q: 'query' }, header: { 'X-Request-Tag': 'tag' } };

  test('$input.params(name) looks in the path, then the query string, then the headers (case-insensitively)', () => {
    expect(out(`$input.params('id')|$input.params('q')|$input.params('x-request-tag')|[$input.params('absent')]`, {}, params)).toBe('from-path|query|tag|[]');
  });

  test('$input.params() holds path, querystring and header maps', () => {
    expect(out(`$input.params().querystring.get('q')|$input.params().header.keySet()`, {}, params)).toBe('query|[X-Request-Tag]');
  });

  test('$input.json gives JSON text and $input.path the value itself', () => {
    const body = { s: 'x"y', n: 2, o: { k: [1] } };
    expect(out(`$input.json('$.s')|$input.path('$.s')|$input.json('$.o')|$input.path('$.o.k').size()|$input.json('$.o.k[0]')`, body)).toBe(
      '"x\\"y"|x"y|{"k":[1]}|1|1',
    );
  });

  test('$input.json of a path that selects nothing is an empty JSON string, and of an empty body $ is {}', () => {
    expect(out(`$input.json('$.nothing')|$input.json('$')`, '')).toBe('""|{}');
  });

  test('$input.body is the payload as sent', () => {
    expect(out('$input.body', '{"a" : 1}')).toBe('{"a" : 1}');
  });
});

describe('$util', () => {
  test("escapeJavaScript escapes quotes, backslashes, the single quote (as \\'), slashes, controls and non-ASCII", () => {
    const result = render(`$util.escapeJavaScript($input.path('$.s'))`, { s: `"\\'/\n\té😀` }).output;
    expect(result).toBe(String.raw`\"\\\'\/\n\t\u00E9\uD83D\uDE00`);
  });

  test('urlEncode and urlDecode follow Java URLEncoder/URLDecoder (space as +)', () => {
    expect(out(`$util.urlEncode("a b&c=d/é*~")|$util.urlDecode("a+b%26c")`)).toBe('a+b%26c%3Dd%2F%C3%A9*%7E|a b&c');
  });

  test('base64Encode and base64Decode work on UTF-8', () => {
    expect(out(`$util.base64Encode("héllo")|$util.base64Decode("aMOpbGxv")`)).toBe('aMOpbGxv|héllo');
  });

  test('parseJson of invalid JSON fails the render', () => {
    expect(() => render(`$util.parseJson("{nope")`)).toThrow();
  });
});
