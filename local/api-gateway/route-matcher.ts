/**
 * Finds the method a request path names, as API Gateway routes: literal path parts win over
 * `{param}` parts, which win over a greedy `{param+}`; a path that matches a resource with no
 * method for the request's HTTP method (and no `ANY`) matches nothing.
 */
import type { MethodSpec } from './api-definition';

export interface RouteMatch {
  readonly method: MethodSpec;
  /** Path parameters, URL-decoded. */
  readonly pathParameters: Record<string, string>;
}

interface Segment {
  readonly literal?: string;
  readonly param?: string;
  readonly greedy?: boolean;
}

interface Route {
  readonly segments: Segment[];
  readonly methods: Map<string, MethodSpec>;
}

function parseTemplate(resourcePath: string): Segment[] {
  return resourcePath
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      const param = /^\{(.+?)(\+?)\}$/.exec(part);
      return param ? { param: param[1], greedy: param[2] === '+' } : { literal: part };
    });
}

/** Ranks a candidate: at each position literal (0) < param (1) < greedy (2); lower is more specific. */
function specificity(segments: Segment[]): number[] {
  return segments.map((s) => (s.literal !== undefined ? 0 : s.greedy ? 2 : 1));
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Matches segments of a request path against one route; returns its path parameters or undefined. */
function matchRoute(route: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.length; i++) {
    const segment = route[i];
    if (segment.greedy) {
      if (i >= parts.length) return undefined;
      params[segment.param!] = parts.slice(i).join('/');
      return params;
    }
    if (i >= parts.length) return undefined;
    if (segment.literal !== undefined) {
      if (segment.literal !== parts[i]) return undefined;
    } else params[segment.param!] = parts[i];
  }
  return route.length === parts.length ? params : undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The routes of an API, ready to match request paths (relative to the stage). */
export class RouteMatcher {
  private readonly routes: Route[] = [];

  constructor(methods: MethodSpec[]) {
    const byPath = new Map<string, Route>();
    for (const method of methods) {
      let route = byPath.get(method.resourcePath);
      if (!route) {
        route = { segments: parseTemplate(method.resourcePath), methods: new Map() };
        byPath.set(method.resourcePath, route);
      }
      route.methods.set(method.httpMethod, method);
    }
    this.routes = [...byPath.values()].sort((a, b) => compareSpecificity(specificity(a.segments), specificity(b.segments)));
  }

  /**
   * The method for an HTTP method and a path below the stage (e.g. `/enrollments/abc`). Choices
   * where the docs are silent: one trailing slash is ignored; an empty path part (`//`) matches
   * nothing; each part is URL-decoded after splitting, so `%2F` stays inside one parameter.
   */
  match(httpMethod: string, path: string): RouteMatch | undefined {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const raw = trimmed.split('/').slice(1);
    if (trimmed !== '/' && raw.some((part) => part === '')) return undefined;
    const parts = trimmed === '/' ? [] : raw.map(decode);
    for (const route of this.routes) {
      const params = matchRoute(route.segments, parts);
      if (!params) continue;
      // Choice: the most specific matching resource decides, whether or not it has the method.
      const method = route.methods.get(httpMethod.toUpperCase()) ?? route.methods.get('ANY');
      return method ? { method, pathParameters: params } : undefined;
    }
    return undefined;
  }
}
